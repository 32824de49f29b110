"""The issue plan: articles, authors, pages against the issue's page count."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlmodel import Session

from stm import clock
from stm.models import Actor, PaperIssue, Publication
from stm.services.paper.articles import article_records, list_articles
from stm.services.paper.issues import issue_records
from stm.services.paper.records import IssueDetail
from stm.services.paper.shared import (
    STATUS_ORDER,
    page_number,
    page_totals,
)
from stm.vocab import ArticleStatus


def plan_data(session: Session, target: PaperIssue) -> dict[str, Any]:
    """What the issue plan shows: articles, pages against the page count, the call."""
    paper = session.get(Publication, target.publication_id)
    assert paper is not None
    articles = sorted(
        list_articles(session, issue_ref=str(target.id)),
        key=lambda a: (STATUS_ORDER.get(a.status, 9), a.id or 0),
    )
    records = article_records(session, articles)
    totals = page_totals(articles)[target.id or 0]
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
            "pages_planned": page_number(planned),
            "pages_accepted": page_number(totals["accepted"]),
            "pages_unknown": sum(
                1 for a in articles if a.pages is None and a.status != ArticleStatus.rejected.value
            ),
            "pages_free": page_number(target.pages - planned) if target.pages is not None else None,
            "overbooked": target.pages is not None and planned > target.pages,
        },
        "call": {
            "deadline": target.deadline,
            "open": target.deadline >= today,
            "days_left": (target.deadline - today).days,
        },
    }


def issue_detail(session: Session, target: PaperIssue) -> IssueDetail:
    """An issue's record with its articles, as `stm paper issue show` displays it."""
    [record] = issue_records(session, [target])
    articles = list_articles(session, issue_ref=str(target.id))
    return {**record, "article_list": article_records(session, articles)}
