"""Section: the newspaper's issues published, or with their deadline, in the month."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_, select

from stm.services.report.lookups import links, rows_for_ids
from stm.services.report.period import Period, Scope
from stm.services.report.records import IssueRecord
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def newspaper_issues(connection: Connection, period: Period, scope: Scope) -> list[IssueRecord]:
    """Issues published, or with their deadline, in the month."""
    i = tables.PAPER_ISSUE.c
    return issues(connection, scope, or_(period.dates(i.publish_on), period.dates(i.deadline)))


def issues(connection: Connection, scope: Scope, condition: Any) -> list[IssueRecord]:
    """Issues matching `condition`, of publishers in the scope, with their article counts."""
    i, p = tables.PAPER_ISSUE.c, tables.PUBLICATION.c
    rows = connection.execute(
        select(i.id, i.label, i.deadline, i.publish_on, i.print_run, i.pages,
               p.name.label("publication"), p.publisher_id)
        .select_from(tables.PAPER_ISSUE.join(tables.PUBLICATION, p.id == i.publication_id))
        .where(condition)
        .order_by(i.publish_on, i.id)
    ).all()  # fmt: skip
    if scope.ids is not None:
        areas = links(connection, tables.ACTOR_DISTRICT, "actor_id", (r.publisher_id for r in rows))
        rows = [
            r for r in rows if not r.publisher_id or scope.covers(areas.get(r.publisher_id, []))
        ]
    counts = _article_counts(connection, [row.id for row in rows])
    return [
        {
            "id": row.id,
            "publication": row.publication,
            "label": row.label,
            "deadline": row.deadline,
            "publish_on": row.publish_on,
            "print_run": row.print_run,
            "pages": row.pages,
            "articles": counts.get(row.id, (0, 0))[0],
            "accepted": counts.get(row.id, (0, 0))[1],
        }
        for row in rows
    ]


def _article_counts(connection: Connection, ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per issue: its articles, and how many of them are accepted."""
    ar = tables.ARTICLE.c
    accepted = func.sum(case((ar.status == "accepted", 1), else_=0))
    rows = rows_for_ids(
        connection,
        lambda c: (
            select(ar.issue_id, func.count(), accepted)
            .where(ar.issue_id.in_(c))
            .group_by(ar.issue_id)
        ),
        ids,
    )
    return {row.issue_id: (int(row[1]), int(row[2] or 0)) for row in rows}
