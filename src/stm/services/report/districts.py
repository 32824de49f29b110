"""Section: one row per district, the month in numbers."""

from __future__ import annotations

from stm.services.report.period import Scope
from stm.services.report.records import (
    ConcernSummary,
    DistrictRow,
    EventRecord,
    MeetingRecord,
    ProjectLists,
)


def district_rows(
    scope: Scope,
    events: list[EventRecord],
    meetings: list[MeetingRecord],
    concerns: ConcernSummary,
    projects: ProjectLists,
) -> list[DistrictRow]:
    """One row per district: the month in numbers (an event in two districts counts in both)."""
    rows: list[DistrictRow] = []
    for district in scope.districts:
        slug = district.slug
        own_events = [e for e in events if slug in e["districts"]]
        by_district = concerns["by_district"].get(slug)
        rows.append(
            {
                "slug": slug,
                "name": district.name,
                "events": len(own_events),
                "attendance": sum(e["attendance"] or 0 for e in own_events),
                "meetings": sum(1 for m in meetings if m["district"] == slug),
                "concerns_opened": by_district["opened"] if by_district else 0,
                "concerns_closed": by_district["closed"] if by_district else 0,
                "concerns_open": by_district["open"] if by_district else 0,
                "projects_active": sum(1 for p in projects["active"] if slug in p["districts"]),
            }
        )
    return rows
