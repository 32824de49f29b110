"""The district newspaper (SternDrewitz, WIR2): publications, issues and their articles.

An issue has a submission deadline (Redaktionsschluss), a publication date, a print run
and a page count; articles come from many actors and move submitted → edited →
accepted or rejected. The issue plan sets their pages against the page count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Ambiguous, Conflict, Invalid, NotFound
from stm.models import Actor, Article, PaperIssue, Publication
from stm.names import fold, slugify
from stm.parsing import choose, did_you_mean, parse_count, parse_name, parse_pages
from stm.services import refs
from stm.services.activity import log
from stm.vocab import ArticleStatus

MAX_PAGES = 500
#: Order of articles in a plan: what is settled first, rejected ones last.
STATUS_ORDER = {"accepted": 0, "edited": 1, "submitted": 2, "rejected": 3}


# ----------------------------------------------------------------------- publications


def _find_publication(session: Session, ref: str) -> Publication | None:
    text = ref.strip()
    if text.lstrip("#").isdigit():
        return session.get(Publication, int(text.lstrip("#")))
    key = fold(text)
    for candidate in session.exec(select(Publication)).all():
        if key in (candidate.key, fold(candidate.slug)):
            return candidate
    return None


def publication(session: Session, ref: str) -> Publication:
    found = _find_publication(session, ref)
    if found:
        return found
    names = list(session.exec(select(Publication.name)).all())
    hint = did_you_mean(ref, names)
    known = ", ".join(sorted(names)) or "none yet"
    raise NotFound(f"no publication {ref!r}; " + (f"{hint} " if hint else "") + f"Known: {known}")


def add_publication(session: Session, name: str, *, publisher: str | None = None) -> Publication:
    """A newspaper; `publisher` is the actor who edits it (e.g. the office)."""
    name = parse_name(name, "name")
    slug = slugify(name)
    if not slug:
        raise Invalid("name", "must contain at least one letter or digit")
    clash = _find_publication(session, name)
    if clash:
        raise Conflict(f"publication {clash.name!r} exists already (#{clash.id})")
    owner = refs.actor(session, publisher, "publisher") if publisher else None
    created = Publication(
        slug=slug, key=fold(name), name=name, publisher_id=owner.id if owner else None
    )
    session.add(created)
    session.flush()
    log(session, "publication.add", "publication", created.id, created.name)
    return created


def list_publications(session: Session) -> list[Publication]:
    return list(session.exec(select(Publication).order_by(col(Publication.name))).all())


def publication_records(session: Session, items: Sequence[Publication]) -> list[dict[str, Any]]:
    counts = Counter(session.exec(select(PaperIssue.publication_id)).all())
    publishers = _actor_names(session, {p.publisher_id for p in items if p.publisher_id})
    return [
        {
            "id": p.id,
            "slug": p.slug,
            "name": p.name,
            "publisher": publishers.get(p.publisher_id) if p.publisher_id else None,
            "issues": counts.get(p.id or 0, 0),
        }
        for p in items
    ]


# ----------------------------------------------------------------------- issues


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


def _check_pages(pages: float | None, field: str) -> None:
    if pages is not None and not 0 < pages <= MAX_PAGES:
        raise Invalid(field, f"{pages:g} is out of range; give a number of pages above 0, "
                      f"at most {MAX_PAGES}")  # fmt: skip


def add_issue(session: Session, data: IssueFields) -> NewIssue:
    """An issue of a publication; the publication is created on first use."""
    label = parse_name(data.label, "label", max_length=60)
    parse_count(data.print_run, "print_run")
    _check_pages(data.pages, "pages")
    if data.deadline > data.publish_on:
        raise Invalid(
            "deadline",
            f"{data.deadline.isoformat()} is after the publication date "
            f"{data.publish_on.isoformat()}; the deadline comes first",
        )
    paper = _find_publication(session, data.publication)
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


def _actor_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = session.exec(
        select(Actor.id, Actor.name, Actor.erased_at).where(col(Actor.id).in_(wanted))
    ).all()
    return {i: ("(erased)" if erased else name) for i, name, erased in rows if i is not None}


def _page_totals(articles: Sequence[Article]) -> dict[int, dict[str, float]]:
    totals: dict[int, dict[str, float]] = defaultdict(lambda: {"planned": 0.0, "accepted": 0.0})
    for article in articles:
        pages = article.pages or 0.0
        if article.status != ArticleStatus.rejected.value:
            totals[article.issue_id]["planned"] += pages
        if article.status == ArticleStatus.accepted.value:
            totals[article.issue_id]["accepted"] += pages
    return totals


def issue_records(session: Session, items: Sequence[PaperIssue]) -> list[dict[str, Any]]:
    ids = [i.id for i in items]
    articles = (
        session.exec(select(Article).where(col(Article.issue_id).in_(ids))).all() if ids else []
    )
    counts = Counter(a.issue_id for a in articles)
    totals = _page_totals(articles)
    names = dict(session.exec(select(Publication.id, Publication.name)).all())
    return [
        {
            "id": i.id,
            "publication": names.get(i.publication_id),
            "label": i.label,
            "deadline": i.deadline.isoformat(),
            "publish_on": i.publish_on.isoformat(),
            "print_run": i.print_run,
            "pages": i.pages,
            "articles": counts.get(i.id or 0, 0),
            "pages_planned": _number(totals[i.id or 0]["planned"]),
            "pages_accepted": _number(totals[i.id or 0]["accepted"]),
        }
        for i in items
    ]


def _number(value: float | None) -> float | int | None:
    """Pages as people write them: 2, not 2.0; 1.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


# ----------------------------------------------------------------------- articles


@dataclass
class ArticleFields:
    issue: str
    title: str
    author: str | None = None
    pages: str | float | None = None  # `1,5`, `0.5`, `1/2`
    publication: str | None = None
    status: str = ArticleStatus.submitted.value


def _author(session: Session, text: str | None) -> tuple[Actor | None, str | None]:
    """The author: the actor the text names, else the text itself (a resident's letter to
    the editor needs no record); several matching actors are ambiguous (use the id)."""
    if text is None or not text.strip():
        return None, None
    name = parse_name(text, "author")
    try:
        author = refs.actor(session, name, "author")
    except NotFound:
        return None, name
    if author.erased_at is not None:
        raise Conflict(f"actor #{author.id} was erased and cannot be an author")
    return author, None


def add_article(session: Session, data: ArticleFields) -> Article:
    """An article for an existing issue; a missing issue is exit 1, nothing written."""
    title = parse_name(data.title, "title")
    pages = parse_pages(data.pages, "pages")
    _check_pages(pages, "pages")
    status = choose(ArticleStatus, data.status, "status").value
    target = issue(session, data.issue, data.publication)
    author, author_name = _author(session, data.author)
    now = clock.now()
    assert target.id is not None
    article = Article(
        issue_id=target.id,
        title=title,
        author_id=author.id if author else None,
        author_name=author_name,
        status=status,
        pages=pages,
        created_at=now,
        updated_at=now,
    )
    session.add(article)
    session.flush()
    log(session, "paper.article.add", "article", article.id, title)
    return article


def article(session: Session, ref: str) -> Article:
    return refs.by_id(session, Article, ref, "article")


def set_article_status(session: Session, ref: str, status: str) -> Article:
    item = article(session, ref)
    value = choose(ArticleStatus, status, "STATUS").value
    item.status = value
    item.updated_at = clock.now()
    session.add(item)
    log(session, "paper.article.status", "article", item.id, value)
    return item


def list_articles(
    session: Session,
    *,
    issue_ref: str | None = None,
    publication_ref: str | None = None,
    statuses: Sequence[str] = (),
) -> list[Article]:
    statement = select(Article)
    if issue_ref:
        statement = statement.where(
            Article.issue_id == issue(session, issue_ref, publication_ref).id
        )
    elif publication_ref:
        paper = publication(session, publication_ref)
        statement = statement.where(
            col(Article.issue_id).in_(
                select(PaperIssue.id).where(PaperIssue.publication_id == paper.id)
            )
        )
    if statuses:
        values = [choose(ArticleStatus, s, "status").value for s in statuses]
        statement = statement.where(col(Article.status).in_(values))
    return list(session.exec(statement.order_by(col(Article.issue_id), col(Article.id))).all())


def article_records(session: Session, items: Sequence[Article]) -> list[dict[str, Any]]:
    authors = _actor_names(session, {a.author_id for a in items})
    issue_ids = {a.issue_id for a in items}
    labels: dict[int, tuple[str, str]] = {}
    if issue_ids:
        for issue_id, label, name in session.exec(
            select(PaperIssue.id, PaperIssue.label, Publication.name)
            .join(Publication, col(Publication.id) == PaperIssue.publication_id)
            .where(col(PaperIssue.id).in_(issue_ids))
        ).all():
            labels[issue_id or 0] = (name, label)
    return [
        {
            "id": a.id,
            "publication": labels.get(a.issue_id, ("", ""))[0],
            "issue": labels.get(a.issue_id, ("", ""))[1],
            "title": a.title,
            "author": authors.get(a.author_id) if a.author_id else a.author_name,
            "status": a.status,
            "pages": _number(a.pages),
        }
        for a in items
    ]


# ----------------------------------------------------------------------- the issue plan


def plan_data(session: Session, target: PaperIssue) -> dict[str, Any]:
    """What the issue plan shows: articles, pages against the page count, the call."""
    paper = session.get(Publication, target.publication_id)
    assert paper is not None
    articles = sorted(
        list_articles(session, issue_ref=str(target.id)),
        key=lambda a: (STATUS_ORDER.get(a.status, 9), a.id or 0),
    )
    records = article_records(session, articles)
    totals = _page_totals(articles)[target.id or 0]
    by_status = Counter(a.status for a in articles)
    planned = totals["planned"]
    today = clock.today()
    publisher = session.get(Actor, paper.publisher_id) if paper.publisher_id else None
    return {
        "publication": {"name": paper.name, "publisher": publisher.name if publisher else None},
        "issue": {
            "id": target.id,
            "label": target.label,
            "deadline": target.deadline,
            "publish_on": target.publish_on,
            "print_run": target.print_run,
            "pages": target.pages,
        },
        "articles": records,
        "totals": {
            "articles": len(articles),
            "by_status": {s.value: by_status.get(s.value, 0) for s in ArticleStatus},
            "pages_planned": _number(planned),
            "pages_accepted": _number(totals["accepted"]),
            "pages_unknown": sum(
                1 for a in articles if a.pages is None and a.status != ArticleStatus.rejected.value
            ),
            "pages_free": _number(target.pages - planned) if target.pages is not None else None,
            "overbooked": target.pages is not None and planned > target.pages,
        },
        "call": {
            "deadline": target.deadline,
            "open": target.deadline >= today,
            "days_left": (target.deadline - today).days,
        },
    }
