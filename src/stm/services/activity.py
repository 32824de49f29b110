"""The activity log: what changed and when, for monthly reports and privacy exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm import clock

if TYPE_CHECKING:
    from sqlmodel import Session

    from stm.models import Activity


def log(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    *,
    actor_id: int | None = None,
) -> Activity:
    """Record one change. `summary` must not carry a person's contact data."""
    from stm.models import Activity

    entry = Activity(
        at=clock.now(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        actor_id=actor_id,
        summary=summary[:500],
    )
    session.add(entry)
    return entry
