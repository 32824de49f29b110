"""Projects as the JSON contract shows them (SPEC §7), read over a Core connection: a
read command (`stm finance report`, `projects list`) needs no models for them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.contract import Partner as PartnerRecord
from stm.contract import Project as ProjectRecord
from stm.services.finance.money import money_text
from stm.store.tables import ACTOR, DISTRICT, PROJECT_DISTRICT, PROJECT_PARTNER

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def project_records(connection: Connection, projects: Sequence[Any]) -> list[ProjectRecord]:
    """The stable JSON shape of projects (model objects or rows); money as `"12500.50"`."""
    ids = [p.id for p in projects]
    districts: dict[int, list[str]] = defaultdict(list)
    partners: dict[int, list[PartnerRecord]] = defaultdict(list)
    pd, d, pp, a = PROJECT_DISTRICT.c, DISTRICT.c, PROJECT_PARTNER.c, ACTOR.c
    for project_id, slug in connection.execute(
        select(pd.project_id, d.slug)
        .select_from(PROJECT_DISTRICT.join(DISTRICT, d.id == pd.district_id))
        .where(pd.project_id.in_(ids))
        .order_by(d.slug)
    ):
        districts[project_id].append(slug)
    for project_id, actor_id, name, role in connection.execute(
        select(pp.project_id, a.id, a.name, pp.role)
        .select_from(PROJECT_PARTNER.join(ACTOR, a.id == pp.actor_id))
        .where(pp.project_id.in_(ids))
        .order_by(a.key)
    ):
        partners[project_id].append({"id": actor_id or 0, "name": name, "role": role})
    lead_ids = {p.lead_id for p in projects if p.lead_id}
    leads: dict[int, str] = {
        row.id: row.name
        for row in connection.execute(select(a.id, a.name).where(a.id.in_(lead_ids)))
    }
    return [
        {
            "id": p.id or 0,  # stored rows have ids
            "slug": p.slug,
            "title": p.title,
            "status": p.status,
            "programme": p.programme,
            "lead": leads.get(p.lead_id) if p.lead_id else None,
            "partners": partners.get(p.id or 0, []),
            "start": p.start.isoformat() if p.start else None,
            "end": p.end.isoformat() if p.end else None,
            "budget": money_text(p.budget),
            "districts": districts.get(p.id or 0, []),
            "goals": list(p.goals or []),
        }
        for p in projects
    ]
