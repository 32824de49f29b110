"""Issues of a newspaper: deadline, publication date, print run, pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Ambiguous, Conflict, Invalid, NotFound
from stm.models import Article, PaperIssue, Publication
from stm.names import fold
from stm.parsing import did_you_mean, parse_count, parse_name
from stm.services.activity import log
from stm.services.paper.publications import add_publication, find_publication, publication
from stm.services.paper.records import IssueRecord
from stm.services.paper.shared import (
    check_pages,
    page_number,
    page_totals,
)


@dataclass
class IssueFields:
    label: str
    publication: str
    deadline: date
    publish_on: date
    print_run: int | None = None
    pages: int | None = None


@dataclass
class NewIssue:
    issue: PaperIssue
    created_publication: Publication | None = None


def add_issue(session: Session, data: IssueFields) -> NewIssue:
    """An issue of a publication; the publication is created on first use."""
    label = parse_name(data.label, "label", max_length=60)
    parse_count(data.print_run, "print_run")
    check_pages(data.pages, "pages")
    if data.deadline > data.publish_on:
        raise Invalid(
            "deadline",
            f"{data.deadline.isoformat()} is after the publication date "
            f"{data.publish_on.isoformat()}; the deadline comes first",
        )
    paper = find_publication(session, data.publication)
    created = None
    if paper is None:
        if data.publication.strip().lstrip("#").isdigit():
            raise NotFound(f"no publication with id {data.publication.strip()}")
        paper = created = add_publication(session, data.publication)
    clash = session.exec(select(PaperIssue).where(PaperIssue.publication_id == paper.id)).all()
    if any(fold(i.label) == fold(label) for i in clash):
        raise Conflict(f"{paper.name} has an issue {label!r} already")
    assert paper.id is not None
    issue = PaperIssue(
        publication_id=paper.id,
        label=label,
        deadline=data.deadline,
        publish_on=data.publish_on,
        print_run=data.print_run,
        pages=data.pages,
    )
    session.add(issue)
    session.flush()
    log(session, "paper.issue.add", "paper_issue", issue.id, f"{paper.name} {label}")
    return NewIssue(issue, created)


def issue(session: Session, ref: str, publication_ref: str | None = None) -> PaperIssue:
    """An issue by id, by label (`4/2026`), or by publication and label (`WIR2 4/2026`)."""
    text = ref.strip()
    if text.lstrip("#").isdigit() and not publication_ref:
        found = session.get(PaperIssue, int(text.lstrip("#")))
        if found is None:
            raise NotFound(f"no newspaper issue with id {text.lstrip('#')}")
        return found
    paper = publication(session, publication_ref) if publication_ref else None
    statement = select(PaperIssue, Publication).join(
        Publication, col(Publication.id) == PaperIssue.publication_id
    )
    if paper is not None:
        statement = statement.where(PaperIssue.publication_id == paper.id)
    rows = session.exec(statement).all()
    key = fold(text)
    matches = [
        i for i, p in rows
        if key in (fold(i.label), fold(f"{p.name} {i.label}"), fold(f"{p.slug} {i.label}"))
    ]  # fmt: skip
    if len(matches) == 1:
        return matches[0]
    names = {p.id: p.name for _i, p in rows}
    if len(matches) > 1:
        raise Ambiguous(
            "newspaper issue", text,
            [f"#{i.id} {names[i.publication_id]} {i.label}" for i in matches],
        )  # fmt: skip
    known = [f"{p.name} {i.label}" for i, p in rows]
    hint = did_you_mean(text, [i.label for i, _p in rows] + known)
    where = f" of {paper.name}" if paper else ""
    raise NotFound(
        f"no newspaper issue {text!r}{where}" + (f"; {hint}" if hint else "")
        + " (see 'stm paper issue list')"
    )  # fmt: skip


def list_issues(
    session: Session, *, publication_ref: str | None = None, upcoming: bool = False
) -> list[PaperIssue]:
    statement = select(PaperIssue)
    if publication_ref:
        statement = statement.where(
            PaperIssue.publication_id == publication(session, publication_ref).id
        )
    if upcoming:
        statement = statement.where(col(PaperIssue.publish_on) >= clock.today())
    return list(
        session.exec(statement.order_by(col(PaperIssue.publish_on), col(PaperIssue.id))).all()
    )


def issue_records(session: Session, items: Sequence[PaperIssue]) -> list[IssueRecord]:
    ids = [i.id for i in items]
    articles = (
        session.exec(select(Article).where(col(Article.issue_id).in_(ids))).all() if ids else []
    )
    counts = Counter(a.issue_id for a in articles)
    totals = page_totals(articles)
    names = dict(session.exec(select(Publication.id, Publication.name)).all())
    return [
        {
            "id": i.id or 0,  # stored rows have ids
            "publication": names.get(i.publication_id),
            "label": i.label,
            "deadline": i.deadline.isoformat(),
            "publish_on": i.publish_on.isoformat(),
            "print_run": i.print_run,
            "pages": i.pages,
            "articles": counts.get(i.id or 0, 0),
            "pages_planned": page_number(totals[i.id or 0]["planned"]),
            "pages_accepted": page_number(totals[i.id or 0]["accepted"]),
        }
        for i in items
    ]
