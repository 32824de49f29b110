"""Likely duplicate actors, and merging two actors into one.

`find_duplicates` compares names with rapidfuzz (`token_sort_ratio` on folded words, so
"Müller, Anna" meets "Anna Mueller"), within persons and within organisations, and adds
weight for the same normalised e-mail (+25) or phone (+15). Pairs at or above the
threshold are proposed, best first.

`merge_actors(KEEP, OTHER)` moves everything that refers to OTHER onto KEEP: found from
the schema's foreign keys, so a table added later is covered too. Where KEEP already has
the same link (a membership of the same network, attendance at the same meeting, a role
in the same project), the two are combined instead of one being dropped. KEEP's empty
fields are filled from OTHER; OTHER's differing contact data is kept in KEEP's notes.
Then OTHER is deleted, and the merge is logged by ids only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, TypedDict

from sqlalchemy import and_, delete, select, update
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as model_select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor
from stm.names import fold, fold_words
from stm.services import refs
from stm.services.activity import log
from stm.vocab import PERSON_KINDS

DEFAULT_THRESHOLD = 85
EMAIL_BONUS = 25
PHONE_BONUS = 15


@dataclass
class DuplicatePair:
    first: Actor
    second: Actor
    score: int
    reasons: list[str]


def normal_email(value: str | None) -> str | None:
    return value.strip().lower() if value and value.strip() else None


def normal_phone(value: str | None) -> str | None:
    """The number compared (`stm.parsing.phone_key`); too short to tell people apart: None."""
    from stm.parsing import phone_key

    key = phone_key(value)
    return key if key and len(key.partition("x")[0]) >= 6 else None


def find_duplicates(
    session: Session,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    include_archived: bool = False,
) -> list[DuplicatePair]:
    """Pairs of actors that are probably the same, best first."""
    from rapidfuzz import fuzz, process

    if not 0 <= threshold <= 100:
        raise Invalid("threshold", f"{threshold} is outside 0-100; use e.g. 85")
    query = model_select(Actor).where(col(Actor.erased_at).is_(None)).order_by(col(Actor.id))
    if not include_archived:
        query = query.where(col(Actor.archived_at).is_(None))
    actors = list(session.exec(query).all())
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for group in _groups(actors):
        names = [fold_words(a.name) for a in group]
        floor = max(0, threshold - EMAIL_BONUS - PHONE_BONUS)
        scores: dict[tuple[int, int], float] = {}
        for i, name in enumerate(names):
            for _match, score, j in process.extract(
                name, names, scorer=fuzz.token_sort_ratio, score_cutoff=floor, limit=None
            ):
                if j > i:
                    scores[(i, j)] = score
        for i, j in _same_contact(group):
            scores.setdefault((i, j), fuzz.token_sort_ratio(names[i], names[j]))
        for (i, j), score in scores.items():
            pair = _judge(group[i], group[j], score)
            if pair.score >= threshold:
                pairs[(pair.first.id or 0, pair.second.id or 0)] = pair
    return sorted(pairs.values(), key=lambda p: (-p.score, p.first.id or 0, p.second.id or 0))


def _groups(actors: Sequence[Actor]) -> list[list[Actor]]:
    persons = [a for a in actors if a.kind in PERSON_KINDS]
    others = [a for a in actors if a.kind not in PERSON_KINDS]
    return [g for g in (persons, others) if len(g) > 1]


def _same_contact(group: Sequence[Actor]) -> set[tuple[int, int]]:
    """Index pairs that share an e-mail or a phone number, whatever their names."""
    by_contact: dict[str, list[int]] = defaultdict(list)
    for position, actor in enumerate(group):
        for value in (normal_email(actor.email), normal_phone(actor.phone)):
            if value:
                by_contact[value].append(position)
    found: set[tuple[int, int]] = set()
    for positions in by_contact.values():
        if len(positions) <= 20:  # a shared office number is no sign of a duplicate
            found.update(combinations(positions, 2))
    return found


def _judge(first: Actor, second: Actor, name_score: float) -> DuplicatePair:
    reasons = [f"name {round(name_score)}%"]
    score = name_score
    if normal_email(first.email) and normal_email(first.email) == normal_email(second.email):
        score += EMAIL_BONUS
        reasons.append("same e-mail")
    if normal_phone(first.phone) and normal_phone(first.phone) == normal_phone(second.phone):
        score += PHONE_BONUS
        reasons.append("same phone")
    return DuplicatePair(first, second, min(100, round(score)), reasons)


class DuplicateActor(TypedDict):
    id: int
    name: str
    kind: str
    organisation: str | None
    email: str | None
    phone: str | None


class DuplicateRecord(TypedDict):
    """One pair of `stm actors duplicates --json`."""

    score: int
    reasons: list[str]
    a: DuplicateActor
    b: DuplicateActor


def duplicate_records(session: Session, pairs: Sequence[DuplicatePair]) -> list[DuplicateRecord]:
    from stm.services.actors.records import actor_records

    actors = {a.id: a for p in pairs for a in (p.first, p.second)}
    records = {r["id"]: r for r in actor_records(session, list(actors.values()))}

    def brief(actor: Actor) -> DuplicateActor:
        assert actor.id is not None
        record = records[actor.id]
        return {
            "id": record["id"],
            "name": record["name"],
            "kind": record["kind"],
            "organisation": record["organisation"],
            "email": record["email"],
            "phone": record["phone"],
        }

    return [
        {"score": p.score, "reasons": p.reasons, "a": brief(p.first), "b": brief(p.second)}
        for p in pairs
    ]


# ----------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    keep: Actor
    other_id: int
    moved: dict[str, int] = field(default_factory=dict)  # table → rows now on KEEP
    combined: dict[str, int] = field(default_factory=dict)  # table → rows folded into KEEP's
    filled: list[str] = field(default_factory=list)  # KEEP's fields taken from OTHER

    def describe(self) -> str:
        parts = [f"{n} {table}" for table, n in sorted(self.moved.items()) if n]
        parts += [f"{n} {table} combined" for table, n in sorted(self.combined.items()) if n]
        if self.filled:
            parts.append("filled " + ", ".join(self.filled))
        return "; ".join(parts) or "nothing to move"


_FILLED = ("given_name", "family_name", "function", "email", "phone", "website", "street",
           "postcode", "city", "uid")  # fmt: skip
_NOTED = {"email": "E-Mail", "phone": "Telefon", "website": "Website", "function": "Funktion"}
_ATTENDANCE_RANK = {"present": 0, "excused": 1, "absent": 2}
_ROLE_RANK = {"chair": 0, "office": 1, "member": 2, "guest": 3}


def merge_preview(session: Session, keep_ref: str, other_ref: str) -> tuple[Actor, Actor]:
    """The two actors of a merge, after checking that they may be merged."""
    keep = refs.actor(session, keep_ref, "KEEP")
    other = refs.actor(session, other_ref, "OTHER")
    if keep.id == other.id:
        raise Invalid("OTHER", f"#{other.id} is KEEP itself; name two different actors")
    for actor in (keep, other):
        if actor.erased_at is not None:
            raise Conflict(f"actor #{actor.id} was erased (data protection) and cannot be merged")
    if (keep.kind in PERSON_KINDS) != (other.kind in PERSON_KINDS):
        raise Conflict(
            f"#{keep.id} is a {keep.kind} and #{other.id} a {other.kind}: a person and an "
            "organisation are not the same actor"
        )
    return keep, other


def merge_actors(session: Session, keep_ref: str, other_ref: str) -> MergeResult:
    """Move everything of OTHER to KEEP, fill KEEP's gaps, delete OTHER; logged."""
    keep, other = merge_preview(session, keep_ref, other_ref)
    assert keep.id is not None and other.id is not None
    result = MergeResult(keep=keep, other_id=other.id)
    _fill(keep, other, result)
    session.add(keep)
    session.flush()
    connection = session.connection()
    for table, column in _references():
        if table.name == "actor":
            _move_people(connection, keep.id, other.id, result)
        else:
            _move(connection, table, column, keep.id, other.id, result)
    _move_log(connection, keep.id, other.id, result)
    session.expire_all()
    gone = session.get(Actor, other.id)
    session.delete(gone)
    keep = session.get(Actor, keep.id) or keep
    keep.updated_at = clock.now()
    session.add(keep)
    session.flush()
    result.keep = keep
    person = keep.id if keep.kind in PERSON_KINDS else None
    log(session, "actor.merge", "actor", keep.id,
        f"#{other.id} merged into #{keep.id}: {result.describe()}", actor_id=person)  # fmt: skip
    return result


def _fill(keep: Actor, other: Actor, result: MergeResult) -> None:
    kept: list[str] = []
    for name in _FILLED:
        mine, theirs = getattr(keep, name), getattr(other, name)
        if not theirs:
            continue
        if not mine:
            setattr(keep, name, theirs)
            result.filled.append(name)
        elif name in _NOTED and str(mine).strip().lower() != str(theirs).strip().lower():
            kept.append(f"{_NOTED[name]}: {theirs}")
    if not keep.organisation_id and other.organisation_id and other.organisation_id != keep.id:
        keep.organisation_id = other.organisation_id
        result.filled.append("organisation")
    if other.consent_given_on and (
        not keep.consent_given_on or other.consent_given_on > keep.consent_given_on
    ):
        keep.consent_given_on = other.consent_given_on
        keep.consent_purpose = other.consent_purpose
        keep.consent_share = other.consent_share
        result.filled.append("consent")
    if other.name != keep.name:
        kept.insert(0, f"Name: {other.name}")
    notes = [keep.notes] if keep.notes else []
    if other.notes and other.notes.strip() not in (keep.notes or ""):
        notes.append(other.notes.strip())
    if kept:
        notes.append(f"Aus #{other.id} übernommen: " + "; ".join(kept))
    if notes:
        keep.notes = "\n".join(notes)
    keep.key = fold(keep.name)


def _references() -> list[tuple[Any, Any]]:
    """Every (table, column) with a foreign key to actor.id, in the whole schema."""
    from stm.models import load_all

    load_all()
    actor_table = SQLModel.metadata.tables["actor"]
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table is actor_table for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _scope(table: Any, column: Any) -> list[Any]:
    """The other columns of a unique key that holds `column` (empty: no such key)."""
    from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
            continue
        columns = list(constraint.columns)
        if column in columns and len(columns) > 1:
            return [c for c in columns if c is not column]
    return []


def _move_people(connection: Any, keep: int, other: int, result: MergeResult) -> None:
    table = SQLModel.metadata.tables["actor"]
    moved = connection.execute(
        update(table)
        .where(table.c.organisation_id == other, table.c.id != keep)
        .values(organisation_id=keep)
    ).rowcount
    connection.execute(
        update(table).where(table.c.id == keep, table.c.organisation_id == other)
        .values(organisation_id=None)
    )  # fmt: skip
    result.moved["people"] = moved


def _one_per_actor(table: Any, column: Any) -> bool:
    """`column` alone is the table's primary or unique key."""
    from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

    return any(
        isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
        and list(constraint.columns) == [column]
        for constraint in table.constraints
    ) or bool(column.unique)


def _move(
    connection: Any, table: Any, column: Any, keep: int, other: int, result: MergeResult
) -> None:
    scope = _scope(table, column)
    kept_row = select(column).where(column == keep)
    if not scope and _one_per_actor(table, column) and connection.execute(kept_row).first():
        # At most one row per actor (a mail withdrawal): KEEP's own row stands.
        connection.execute(delete(table).where(column == other))
        result.combined[table.name] = result.combined.get(table.name, 0) + 1
        return
    if not scope:
        moved = connection.execute(
            update(table).where(column == other).values({column.name: keep})
        ).rowcount
        result.moved[table.name] = result.moved.get(table.name, 0) + moved
        return
    for row in connection.execute(select(table).where(column == other)).mappings().all():
        same = and_(*(c == row[c.name] for c in scope))
        mine = connection.execute(select(table).where(column == keep, same)).mappings().first()
        if mine is None:
            connection.execute(
                update(table).where(column == other, same).values({column.name: keep})
            )
            result.moved[table.name] = result.moved.get(table.name, 0) + 1
            continue
        changes = _combine(table.name, dict(mine), dict(row))
        if changes:
            connection.execute(update(table).where(column == keep, same).values(changes))
        connection.execute(delete(table).where(column == other, same))
        result.combined[table.name] = result.combined.get(table.name, 0) + 1


def _combine(table: str, mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """What KEEP's link takes over from OTHER's link to the same thing."""
    changes: dict[str, Any] = {}
    if table == "membership":
        if theirs["since"] and (not mine["since"] or theirs["since"] < mine["since"]):
            changes["since"] = theirs["since"]
        if mine["until"] is not None and (
            theirs["until"] is None or theirs["until"] > mine["until"]
        ):
            changes["until"] = theirs["until"]
        if _ROLE_RANK.get(theirs["role"], 9) < _ROLE_RANK.get(mine["role"], 9):
            changes["role"] = theirs["role"]
        if theirs["voting"] and not mine["voting"]:
            changes["voting"] = True
    elif table == "attendance":
        if _ATTENDANCE_RANK.get(theirs["status"], 9) < _ATTENDANCE_RANK.get(mine["status"], 9):
            changes["status"] = theirs["status"]
    elif table == "project_partner":
        roles = [r for r in (mine.get("role"), theirs.get("role")) if r]
        combined = " / ".join(dict.fromkeys(roles))
        if combined and combined != mine.get("role"):
            changes["role"] = combined
    return changes


def _move_log(connection: Any, keep: int, other: int, result: MergeResult) -> None:
    """Log entries about OTHER as a person concern KEEP now (privacy exports find them)."""
    table = SQLModel.metadata.tables["activity"]
    moved = connection.execute(
        update(table).where(table.c.actor_id == other).values(actor_id=keep)
    ).rowcount
    result.moved["log entries"] = moved


def merge_record(session: Session, result: MergeResult) -> dict[str, Any]:
    from stm.services.actors.records import actor_detail

    return {
        "keep": actor_detail(session, result.keep),
        "merged": result.other_id,
        "moved": result.moved,
        "combined": result.combined,
        "filled": result.filled,
    }
