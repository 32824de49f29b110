"""The JSON records of networks (SPEC §7)."""

from __future__ import annotations

from typing import TypedDict


class NetworkRecord(TypedDict):
    """A network as `stm networks list --json` shows it."""

    id: int
    slug: str
    name: str
    kind: str
    level: str
    districts: list[str]
    members: int  # current members, erased persons not counted


class MemberRecord(TypedDict):
    actor_id: int
    name: str
    kind: str
    role: str
    voting: bool
    since: str | None
    until: str | None


class NetworkDetail(NetworkRecord):
    """`stm networks show --json`: the record, its description and every membership."""

    description: str | None
    memberships: list[MemberRecord]
