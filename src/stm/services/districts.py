"""Districts (Stadtteile): the places an office works in."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlmodel import Session, col, select

from stm.errors import Conflict, Invalid
from stm.models import ActorDistrict, District
from stm.names import fold, slugify
from stm.parsing import parse_name
from stm.resources import load_data_toml
from stm.services.activity import log
from stm.vocab import FEDERAL_STATES


def add_district(
    session: Session,
    name: str,
    *,
    city: str = "",
    state: str = "",
    slug: str | None = None,
    aliases: list[str] | None = None,
) -> District:
    name = parse_name(name, "name")
    state = state.strip().upper()
    if state and state not in FEDERAL_STATES:
        from stm.parsing import unknown

        raise unknown("federal_state", state, FEDERAL_STATES, what="federal state code")
    slug = slugify(slug or name)
    if not slug:
        raise Invalid("slug", "must contain at least one letter or digit")
    key = fold(name)
    for other in session.exec(select(District)).all():
        if other.slug == slug or other.key == key:
            raise Conflict(f"district {other.name!r} ({other.slug}) exists already")
    district = District(
        slug=slug,
        key=key,
        name=name,
        city=city.strip(),
        state=state,
        aliases=[a.strip() for a in aliases or [] if a.strip()],
    )
    session.add(district)
    session.flush()
    log(session, "district.add", "district", district.id, district.name)
    return district


def seed_districts(session: Session, only: list[str] | None = None) -> list[District]:
    """Add the shipped seed districts (data/districts.toml) that are not there yet."""
    existing = {d.slug for d in session.exec(select(District)).all()}
    added = []
    for entry in _seeds():
        if entry["slug"] in existing:
            continue
        if only is not None and not ({fold(entry["slug"]), fold(entry["name"])} & set(only)):
            continue
        added.append(add_district(session, **entry))
    return added


def initial_districts(session: Session, names: list[str], state: str = "") -> list[District]:
    """The districts `stm init` sets up: the named seeds, or new ones in `state`.

    Without names, all seed districts. A name that is neither a seed nor in the register
    is added as a new district, which needs its federal state for public holidays.
    """
    if not names:
        return seed_districts(session)
    seeds = {fold(e["slug"]) for e in _seeds()} | {fold(e["name"]) for e in _seeds()}
    for name in names:
        if not name.strip():
            raise Invalid("district", "must not be empty")
    added = seed_districts(session, only=[fold(n) for n in names if fold(n) in seeds])
    known = {key for d in list_districts(session) for key in (d.key, fold(d.slug))}
    for name in names:
        if fold(name) in known:
            continue
        if not state:
            raise Invalid(
                "federal_state",
                f"{name!r} is not a seed district; give its federal state, e.g. --state MV",
            )
        district = add_district(session, name, state=state)
        known.add(district.key)
        added.append(district)
    return added


def _seeds() -> list[dict[str, Any]]:
    return list(load_data_toml("districts.toml")["district"])


def list_districts(session: Session) -> list[District]:
    return list(session.exec(select(District).order_by(District.city, District.name)).all())


class DistrictRecord(TypedDict):
    """A district as `stm districts list --json` shows it."""

    id: int
    slug: str
    name: str
    city: str
    state: str
    aliases: list[str]
    actors: int


def district_records(session: Session, districts: list[District]) -> list[DistrictRecord]:
    counts: dict[int, int] = {}
    rows = session.exec(select(ActorDistrict.district_id, col(ActorDistrict.actor_id))).all()
    for district_id, _actor_id in rows:
        counts[district_id] = counts.get(district_id, 0) + 1
    return [
        {
            "id": d.id or 0,  # stored rows have ids
            "slug": d.slug,
            "name": d.name,
            "city": d.city,
            "state": d.state,
            "aliases": d.aliases,
            "actors": counts.get(d.id or 0, 0),
        }
        for d in districts
    ]
