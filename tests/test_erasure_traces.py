"""Erase leaves no trace in the register file (#11, item 1): an auditor's byte scan."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

NEEDLES = ("zenobia", "quirrenbach", "quirlmail", "9876543", "allergie")


def _add(cli, *args: str) -> int:
    result = cli("actors", "add", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def _hits(path: Path) -> dict[str, int]:
    """How often each needle occurs in the bytes of the file and its -wal (case-folded)."""
    found = dict.fromkeys(NEEDLES, 0)
    for part in (path, Path(f"{path}-wal")):
        if not part.exists():
            continue
        data = part.read_bytes().lower()
        for needle in NEEDLES:
            found[needle] += data.count(needle.encode())
    return found


def _zenobia(cli) -> int:
    _add(cli, "Haus 12", "--kind", "social", "-d", "schmarl")
    return _add(cli, "Zenobia Quirrenbach", "--kind", "person", "--org", "Haus 12",
                "-d", "schmarl", "--function", "Leitung", "--email",
                "zenobia@quirlmail.example", "--phone", "0170 9876543",
                "--city", "Quirrenbach-Dorf", "--notes", "Allergie privat")  # fmt: skip


@pytest.mark.parametrize("other_connection", [False, True], ids=["alone", "another-open"])
def test_no_byte_of_the_erased_person_is_left_in_the_file(cli, register, other_connection):
    if register.backend != "sqlite":
        pytest.skip("the byte scan concerns the SQLite register file")
    path = register.location.path
    person = _zenobia(cli)
    for index in range(12):  # enough records for several FTS segments and pages
        _add(cli, f"Verein {index}", "--kind", "organisation", "--notes", "Treffpunkt " * 20)
    assert cli("actors", "edit", str(person), "--notes", "Allergie privat, bitte").exit_code == 0
    assert _hits(path)["allergie"] > 0
    other = sqlite3.connect(path) if other_connection else None
    if other is not None:
        assert other.execute("SELECT count(*) FROM actor").fetchone()[0] > 12
    try:
        result = cli("privacy", "erase", str(person), "--yes")
        assert result.exit_code == 0, result.output
        assert _hits(path) == dict.fromkeys(NEEDLES, 0)
    finally:
        if other is not None:
            other.close()
    assert _hits(path) == dict.fromkeys(NEEDLES, 0)
    assert json.loads(cli("search", "treffpunkt", "--json").stdout)  # the index still works
    assert cli("db", "check").exit_code == 0


def test_secure_delete_is_on_for_every_connection(register):
    if register.backend != "sqlite":
        pytest.skip("a SQLite pragma")
    from sqlalchemy import text

    from stm.store import open_register

    opened = open_register(register.location)
    try:
        with opened.engine.connect() as connection:
            assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
    finally:
        opened.close()


def test_postgresql_vacuums_the_tables_an_erasure_changed(cli, register):
    if register.backend != "postgresql":
        pytest.skip("VACUUM concerns PostgreSQL")
    from sqlalchemy import text

    person = _zenobia(cli)
    assert cli("privacy", "erase", str(person), "--yes").exit_code == 0
    with register.session() as session:
        vacuumed = session.execute(text(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
            "AND last_vacuum IS NOT NULL ORDER BY relname"
        )).scalars().all()  # fmt: skip
    assert {"actor", "activity", "search_document", "membership"} <= set(vacuumed)
