"""Articles for an issue, and their status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, NotFound
from stm.models import Actor, Article, PaperIssue, Publication
from stm.parsing import choose, parse_name, parse_pages
from stm.services import refs
from stm.services.activity import log
from stm.services.paper.issues import issue
from stm.services.paper.publications import publication
from stm.services.paper.records import ArticleRecord
from stm.services.paper.shared import (
    actor_names,
    check_pages,
    page_number,
)
from stm.vocab import ArticleStatus


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
    check_pages(pages, "pages")
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


def article_records(session: Session, items: Sequence[Article]) -> list[ArticleRecord]:
    authors = actor_names(session, {a.author_id for a in items})
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
            "id": a.id or 0,  # stored rows have ids
            "publication": labels.get(a.issue_id, ("", ""))[0],
            "issue": labels.get(a.issue_id, ("", ""))[1],
            "title": a.title,
            "author": authors.get(a.author_id) if a.author_id else a.author_name,
            "status": a.status,
            "pages": page_number(a.pages),
        }
        for a in items
    ]


# ----------------------------------------------------------------------- the issue plan
