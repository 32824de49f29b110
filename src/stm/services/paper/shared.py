"""What the newspaper's parts share: page counts, the order of a plan, actors' names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from stm.errors import Invalid
from stm.models import Actor, Article
from stm.vocab import ArticleStatus

MAX_PAGES = 500
#: Order of articles in a plan: what is settled first, rejected ones last.
STATUS_ORDER = {"accepted": 0, "edited": 1, "submitted": 2, "rejected": 3}


def check_pages(pages: float | None, field: str) -> None:
    if pages is not None and not 0 < pages <= MAX_PAGES:
        raise Invalid(field, f"{pages:g} is out of range; give a number of pages above 0, "
                      f"at most {MAX_PAGES}")  # fmt: skip


def actor_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = session.exec(
        select(Actor.id, Actor.name, Actor.erased_at).where(col(Actor.id).in_(wanted))
    ).all()
    return {i: ("(erased)" if erased else name) for i, name, erased in rows if i is not None}


def page_totals(articles: Sequence[Article]) -> dict[int, dict[str, float]]:
    totals: dict[int, dict[str, float]] = defaultdict(lambda: {"planned": 0.0, "accepted": 0.0})
    for article in articles:
        pages = article.pages or 0.0
        if article.status != ArticleStatus.rejected.value:
            totals[article.issue_id]["planned"] += pages
        if article.status == ArticleStatus.accepted.value:
            totals[article.issue_id]["accepted"] += pages
    return totals


def page_number(value: float | None) -> float | int | None:
    """Pages as people write them: 2, not 2.0; 1.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)
