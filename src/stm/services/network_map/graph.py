"""The actor network as plain data: who is tied to which body (Gremium) and project.

A tie is a membership (actor — network) or a project role (lead or partner — project)
that held at some time in the year up to the day the map is drawn (`as_of`): a
membership that began by then and had not ended a year before, a project not cancelled
that had started by then and had not finished a year before. Bodies are always drawn;
projects only with such a year (or when named with `--project`).

Persons (natural persons, DSGVO) appear with their own name only while their consent to
be shared holds (`services.consent`); otherwise they are folded into their organisation,
which takes over their ties, and a person without consent and without an organisation is
left out (counted, never named). Erased and archived actors never appear.

Read with SQLAlchemy Core over light tables (a register of 2,000 actors must draw fast);
tests/test_network_map.py checks them against the models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, DateTime, Integer, String, column, select, table

from stm.vocab import PERSON_KINDS, Sector

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

CHUNK = 900


def _table(table_name: str, /, **columns: Any) -> Any:
    return table(table_name, *(column(key, kind) for key, kind in columns.items()))


ACTOR = _table("actor", id=Integer, kind=String, name=String, key=String,
               organisation_id=Integer, consent_share=Boolean, consent_given_on=Date,
               created_at=DateTime, archived_at=DateTime, erased_at=DateTime)  # fmt: skip
ACTOR_SECTOR = _table("actor_sector", actor_id=Integer, sector=String)
ACTOR_DISTRICT = _table("actor_district", actor_id=Integer, district_id=Integer)
NETWORK = _table("network", id=Integer, slug=String, name=String, kind=String,
                 district_id=Integer)  # fmt: skip
NETWORK_DISTRICT = _table("network_district", network_id=Integer, district_id=Integer)
MEMBERSHIP = _table("membership", network_id=Integer, actor_id=Integer, role=String,
                    since=Date, until=Date)  # fmt: skip
PROJECT = _table("project", id=Integer, slug=String, title=String, status=String,
                 lead_id=Integer, start=Date, end=Date)  # fmt: skip
PROJECT_PARTNER = _table("project_partner", project_id=Integer, actor_id=Integer, role=String)
PROJECT_DISTRICT = _table("project_district", project_id=Integer, district_id=Integer)
TABLES = (ACTOR, ACTOR_SECTOR, ACTOR_DISTRICT, NETWORK, NETWORK_DISTRICT, MEMBERSHIP, PROJECT,
          PROJECT_PARTNER, PROJECT_DISTRICT)  # fmt: skip

#: The order sectors go round the map (the vocabulary's), then actors without one.
SECTOR_ORDER = {value: index for index, value in enumerate(Sector.values())}
NO_SECTOR = ""


@dataclass(frozen=True)
class MapScope:
    """What to draw: districts, or exactly some networks and projects (refs as given)."""

    districts: Sequence[str] = ()
    networks: Sequence[str] = ()
    projects: Sequence[str] = ()
    consent_years: int = 3
    as_of: date | None = None  # default: today


@dataclass
class Node:
    """An actor, a body (network) or a project on the map; `key` is `a12`, `n3`, `p5`."""

    key: str
    kind: str  # "actor", "network" or "project"
    id: int
    label: str
    detail: str  # actor kind, network kind or project status
    sectors: list[str] = field(default_factory=list)
    slug: str | None = None
    folded: int = 0  # persons without consent whose ties this organisation carries

    @property
    def sector(self) -> str:
        """The sector that colours the actor: its first in the vocabulary's order (the
        sectors are kept in that order)."""
        return self.sectors[0] if self.sectors else NO_SECTOR


@dataclass(frozen=True, order=True)
class Tie:
    actor: str  # node key of the actor
    hub: str  # node key of the network or project
    kind: str  # "membership", "lead" or "partner"
    role: str


@dataclass
class ActorNetwork:
    as_of: date
    nodes: list[Node]
    ties: list[Tie]
    #: persons without consent and without an organisation: left out, counted
    left_out: int = 0
    #: names of the districts, networks and projects chosen (for the title)
    scope: list[str] = field(default_factory=list)

    @property
    def actors(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "actor"]

    @property
    def hubs(self) -> list[Node]:
        return [n for n in self.nodes if n.kind != "actor"]


def _sector_rank(value: str) -> tuple[int, str]:
    return (SECTOR_ORDER.get(value, len(SECTOR_ORDER)), value)


def year_before(day: date) -> date:
    from stm.services.privacy import expires_on

    return expires_on(day, -1)


def _chunks(values: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value if isinstance(value, date) else None


# ----------------------------------------------------------------------------- reading


def actor_network(session: Session, scope: MapScope) -> ActorNetwork:
    """The network of `scope` as the map draws it (resolving the refs given)."""
    from stm import clock
    from stm.services import refs

    as_of = scope.as_of or clock.today()
    district_ids = {d.id for d in refs.districts(session, scope.districts) if d.id}
    networks = [refs.network(session, ref) for ref in scope.networks]
    projects = [refs.project(session, ref) for ref in scope.projects]
    names = [d.name for d in refs.districts(session, scope.districts)]
    names += [n.name for n in networks] + [p.title for p in projects]
    chosen = Chosen(
        district_ids or None,
        {n.id for n in networks if n.id is not None} if networks or projects else None,
        {p.id for p in projects if p.id is not None} if networks or projects else None,
    )
    found = read_network(session.connection(), as_of, chosen, scope.consent_years)
    found.scope = names
    return found


@dataclass(frozen=True)
class Chosen:
    """Ids the map is limited to; None: no limit of that kind."""

    districts: set[int] | None = None
    networks: set[int] | None = None
    projects: set[int] | None = None

    @property
    def exact(self) -> bool:
        """Bodies and projects were named: the map holds those and their actors only."""
        return self.networks is not None or self.projects is not None


def read_network(
    connection: Connection, as_of: date, chosen: Chosen, consent_years: int = 3
) -> ActorNetwork:
    """The network as of `as_of` from the register, within `chosen`."""
    since = year_before(as_of)
    actors = {k: a for k, a in _actors(connection).items() if _recorded_by(a, as_of)}
    hubs = _networks(connection, chosen) + _projects(connection, chosen, as_of, since)
    raw = _memberships(connection, hubs, as_of, since) + _project_roles(connection, hubs)
    ties, folded, left_out = _fold(raw, actors, as_of, consent_years)
    tied = {tie.actor for tie in ties}
    hidden = _hidden_persons(actors, as_of, consent_years)
    if chosen.exact:
        keep = tied
    elif chosen.districts is not None:
        keep = tied | (_in_districts(connection, chosen.districts, actors) - hidden)
    else:
        keep = set(actors) - hidden
    nodes = [_actor_node(actors[key], folded.get(key, 0)) for key in keep]
    _add_sectors(connection, nodes, actors)
    nodes.sort(key=lambda n: (n.label.casefold(), n.id))
    hubs.sort(key=lambda n: (n.kind, n.label.casefold(), n.id))
    return ActorNetwork(as_of, hubs + nodes, sorted(set(ties), key=_tie_order), left_out)


def _tie_order(tie: Tie) -> tuple[str, str, str]:
    return (tie.hub, tie.actor, tie.kind)


def _actors(connection: Connection) -> dict[str, Any]:
    """Every actor that may appear (not erased, not archived), by node key."""
    a = ACTOR.c
    rows = connection.execute(
        select(a.id, a.kind, a.name, a.organisation_id, a.consent_share, a.consent_given_on,
               a.created_at).where(a.erased_at.is_(None), a.archived_at.is_(None))
    ).all()  # fmt: skip
    return {f"a{row.id}": row for row in rows}


def _recorded_by(row: Any, as_of: date) -> bool:
    created = _day(row.created_at)
    return created is None or created <= as_of


def _networks(connection: Connection, chosen: Chosen) -> list[Node]:
    n, nd = NETWORK.c, NETWORK_DISTRICT.c
    query = select(n.id, n.slug, n.name, n.kind, n.district_id)
    if chosen.networks is not None:
        query = query.where(n.id.in_(sorted(chosen.networks)))
    rows = connection.execute(query).all()
    if chosen.districts is not None and chosen.networks is None:
        served = defaultdict(set)
        for network_id, district_id in connection.execute(select(nd.network_id, nd.district_id)):
            served[network_id].add(district_id)
        rows = [r for r in rows if (served[r.id] | {r.district_id}) & chosen.districts]
    return [Node(f"n{r.id}", "network", r.id, r.name, r.kind, slug=r.slug) for r in rows]


def _projects(connection: Connection, chosen: Chosen, as_of: date, since: date) -> list[Node]:
    p, pd = PROJECT.c, PROJECT_DISTRICT.c
    query = select(p.id, p.slug, p.title, p.status, p.start, p.end)
    if chosen.projects is not None:
        query = query.where(p.id.in_(sorted(chosen.projects)))
    rows = connection.execute(query).all()
    if chosen.projects is None:
        rows = [r for r in rows if _project_in_year(r, as_of, since)]
    if chosen.districts is not None and chosen.projects is None:
        served = defaultdict(set)
        for project_id, district_id in connection.execute(select(pd.project_id, pd.district_id)):
            served[project_id].add(district_id)
        rows = [r for r in rows if served[r.id] & chosen.districts]
    return [Node(f"p{r.id}", "project", r.id, r.title, r.status, slug=r.slug) for r in rows]


def _project_in_year(row: Any, as_of: date, since: date) -> bool:
    start, end = _day(row.start), _day(row.end)
    return (
        row.status != "cancelled"
        and (start is None or start <= as_of)
        and (end is None or end >= since)
    )


def _memberships(connection: Connection, hubs: list[Node], as_of: date, since: date) -> list[Tie]:
    m = MEMBERSHIP.c
    ids = [h.id for h in hubs if h.kind == "network"]
    ties = []
    for chunk in _chunks(ids):
        for row in connection.execute(
            select(m.network_id, m.actor_id, m.role, m.since, m.until).where(
                m.network_id.in_(chunk)
            )
        ):
            start, end = _day(row.since), _day(row.until)
            if (start is None or start <= as_of) and (end is None or end >= since):
                ties.append(Tie(f"a{row.actor_id}", f"n{row.network_id}", "membership", row.role))
    return ties


def _project_roles(connection: Connection, hubs: list[Node]) -> list[Tie]:
    p, pp = PROJECT.c, PROJECT_PARTNER.c
    ids = [h.id for h in hubs if h.kind == "project"]
    ties = []
    for chunk in _chunks(ids):
        for row in connection.execute(select(p.id, p.lead_id).where(p.id.in_(chunk))):
            if row.lead_id is not None:
                ties.append(Tie(f"a{row.lead_id}", f"p{row.id}", "lead", "Träger"))
        for row in connection.execute(
            select(pp.project_id, pp.actor_id, pp.role).where(pp.project_id.in_(chunk))
        ):
            ties.append(Tie(f"a{row.actor_id}", f"p{row.project_id}", "partner", row.role or ""))
    return ties


def _shown(row: Any, as_of: date, consent_years: int) -> bool:
    """Organisations are shown; a person only while their consent to be shared holds."""
    from stm.services.privacy import consent_holds

    if row.kind not in PERSON_KINDS:
        return True
    created = _day(row.created_at)
    return consent_holds(
        bool(row.consent_share), _day(row.consent_given_on), created, as_of, consent_years
    )


def _hidden_persons(actors: dict[str, Any], as_of: date, consent_years: int) -> set[str]:
    return {key for key, row in actors.items() if not _shown(row, as_of, consent_years)}


def _fold(
    raw: list[Tie], actors: dict[str, Any], as_of: date, consent_years: int
) -> tuple[list[Tie], dict[str, int], int]:
    """Ties of persons without consent move to their organisation; the rest are dropped.

    Returns the ties, how many persons each organisation carries, and how many persons
    were left out (no consent, no organisation to carry them)."""
    ties: dict[tuple[str, str], Tie] = {}
    folded: dict[str, set[str]] = defaultdict(set)
    left_out: set[str] = set()
    for tie in sorted(raw, key=lambda t: (t.actor not in actors or _folds(actors, t), t)):
        row = actors.get(tie.actor)
        if row is None:
            continue  # archived or erased
        owner = tie.actor
        if not _shown(row, as_of, consent_years):
            organisation = f"a{row.organisation_id}" if row.organisation_id else None
            if organisation not in actors or not _shown(actors[organisation], as_of,
                                                        consent_years):  # fmt: skip
                left_out.add(tie.actor)
                continue
            folded[organisation].add(tie.actor)
            owner = organisation
        ties.setdefault((owner, tie.hub), Tie(owner, tie.hub, tie.kind, tie.role))
    hidden = _hidden_persons(actors, as_of, consent_years)
    for key in hidden:
        organisation = actors[key].organisation_id
        if organisation is None or f"a{organisation}" not in actors:
            left_out.add(key)
    return list(ties.values()), {k: len(v) for k, v in folded.items()}, len(left_out)


def _folds(actors: dict[str, Any], tie: Tie) -> bool:
    """Whether a tie belongs to a person (sorted after the organisations' own ties, so an
    organisation keeps its own role where it has one)."""
    return actors[tie.actor].kind in PERSON_KINDS


def _in_districts(connection: Connection, districts: set[int], actors: dict[str, Any]) -> set[str]:
    ad = ACTOR_DISTRICT.c
    rows = connection.execute(
        select(ad.actor_id).where(ad.district_id.in_(sorted(districts)))
    ).all()
    return {f"a{row.actor_id}" for row in rows} & set(actors)


def _actor_node(row: Any, folded: int) -> Node:
    return Node(f"a{row.id}", "actor", row.id, row.name, row.kind, folded=folded)


def _add_sectors(connection: Connection, nodes: list[Node], actors: dict[str, Any]) -> None:
    """Each actor's sectors; a person without their own takes their organisation's."""
    s = ACTOR_SECTOR.c
    wanted = {n.id for n in nodes}
    wanted |= {actors[n.key].organisation_id for n in nodes if actors[n.key].organisation_id}
    sectors: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(i for i in wanted if i is not None):
        for actor_id, sector in connection.execute(
            select(s.actor_id, s.sector).where(s.actor_id.in_(chunk))
        ):
            sectors[actor_id].append(sector)
    for node in nodes:
        own = sectors.get(node.id) or sectors.get(actors[node.key].organisation_id or 0, [])
        node.sectors = sorted(own, key=_sector_rank)
