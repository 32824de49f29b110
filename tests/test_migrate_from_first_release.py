"""A register from the first release opens in this stm: upgraded, every row kept.

tests/fixtures/register-0001.sqlite is committed: a register in schema revision 0001 (the
first release) with a few rows in every main table, written as plain SQL by
tests/fixtures/make_register_0001.py, not by today's services. Each test opens a copy, so
the upgrade runs for real: the backup, the seven migrations, the data they move (refolded
name keys, vCard UIDs, a network's district into network_district).

The first release kept no search documents: the upgrade indexes its records once, so that
search finds them and `stm db check` passes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from helpers import json_of, ok

FIXTURE = Path(__file__).parent / "fixtures" / "register-0001.sqlite"
#: Tables the migrations after 0001 added, and what they hold after the upgrade.
NEW_TABLES = {
    "actor_alias": [],
    "erasure": [],
    "network_district": [(1, 1)],
    "mail_sent": [],
    "mail_withdrawal": [],
    "finance_position": [],
    "booking": [],
    "fund": [],
    "fund_application": [],
    "fund_payment": [],
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def old(tmp_path) -> Path:
    path = tmp_path / "register.sqlite"
    shutil.copyfile(FIXTURE, path)
    os.chmod(path, 0o600)
    return path


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts%' "
        "AND name NOT LIKE 'search_trigram%' AND name != 'alembic_version' ORDER BY name"
    )
    return [name for (name,) in rows]


def _rows(db: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{c}"' for c in columns)
    return db.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid').fetchall()


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _upgrade(cli, path: Path) -> str:
    """Open the register with stm (which upgrades it) and return what stm said."""
    result = ok(cli("--db", str(path), "actors", "list", "--json"))
    assert len(json.loads(result.stdout)) == 7
    return result.stderr


def test_the_fixture_is_a_first_release_register():
    assert _revision(FIXTURE) == "0001"
    with sqlite3.connect(FIXTURE) as db:
        tables = _tables(db)
        empty = [t for t in tables if not db.execute(f'SELECT 1 FROM "{t}"').fetchone()]
    assert not set(NEW_TABLES) & set(tables)
    assert "search_document" in empty  # the first release indexed nothing
    assert empty == ["search_document"], f"tables without rows in the fixture: {empty}"
    assert FIXTURE.stat().st_size < 512 * 1024


def test_opening_it_backs_it_up_and_upgrades_it(cli, old):
    said = _upgrade(cli, old).splitlines()
    assert said[0].startswith("Upgraded the register from schema 0001; backup: ")
    assert said[1:] == ["Indexed 27 records for search"]
    backup = Path(said[0].split("backup: ")[1].strip())
    assert backup.parent == old.parent and _revision(backup) == "0001"
    with sqlite3.connect(FIXTURE) as before, sqlite3.connect(backup) as copy:
        for table in _tables(before):
            columns = _columns(before, table)
            assert _rows(copy, table, columns) == _rows(before, table, columns), table
    from stm.migrations import HEAD

    assert _revision(old) == HEAD
    assert ok(cli("--db", str(old), "actors", "list", "--json")).stderr == ""  # only once


def test_every_row_survives_the_upgrade(cli, old):
    from stm.names import fold

    _upgrade(cli, old)
    with sqlite3.connect(FIXTURE) as before, sqlite3.connect(old) as after:
        tables = _tables(before)
        assert set(_tables(after)) == set(tables) | set(NEW_TABLES)
        for table in tables:
            columns = _columns(before, table)
            assert set(columns) <= set(_columns(after, table)), table
            if table == "actor":
                continue
            if table == "search_document":  # empty in the first release, filled now
                assert _rows(after, table, columns), table
                continue
            assert _rows(after, table, columns) == _rows(before, table, columns), table
        for table, expected in NEW_TABLES.items():
            assert _rows(after, table, _columns(after, table)[:2]) == expected, table
        actors = ["id", "name", "key", "uid"]
        old_actors = _rows(before, "actor", actors)
        new_actors = _rows(after, "actor", actors)
        others = [c for c in _columns(before, "actor") if c not in ("key", "uid")]
        assert _rows(after, "actor", others) == _rows(before, "actor", others)
    # what the migrations changed, and only that: keys refolded, a vCard UID for each actor
    assert [(i, n, k) for i, n, k, _ in new_actors] == [
        (i, n, fold(n)) for i, n, _, _ in old_actors
    ]
    assert ("Mehmet Yılmaz", "mehmetylmaz") in [(n, k) for _, n, k, _ in old_actors]
    assert all(uid is None for *_, uid in old_actors)
    uids = [uid for *_, uid in new_actors]
    assert all(UUID.fullmatch(uid) for uid in uids) and len(set(uids)) == len(uids)


def test_the_upgraded_schema_is_a_fresh_registers(cli, old, tmp_path):
    from stm.store import Location, open_register

    _upgrade(cli, old)
    fresh = tmp_path / "fresh.sqlite"
    open_register(Location(path=fresh, source="test"), create=True).close()
    master = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    with sqlite3.connect(old) as upgraded, sqlite3.connect(fresh) as new:
        assert upgraded.execute(master).fetchall() == new.execute(master).fetchall()
        for (table,) in new.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for pragma in ("table_info", "foreign_key_list", "index_list"):
                query = f'PRAGMA {pragma}("{table}")'
                assert upgraded.execute(query).fetchall() == new.execute(query).fetchall()


def test_the_commands_read_the_upgraded_register(cli, old):
    db = ("--db", str(old))
    _upgrade(cli, old)
    anna = json_of(cli(*db, "actors", "show", "Anna Müller", "--json"))
    assert (anna["organisation"], anna["function"], anna["districts"]) == (
        "Begegnungszentrum Haus 12", "Leitung", ["schmarl"]
    )  # fmt: skip
    assert json_of(cli(*db, "actors", "show", "mehmet yilmaz", "--json"))["id"] == 6
    network = json_of(cli(*db, "networks", "show", "stadtteiltisch-schmarl", "--json"))
    assert network["districts"] == ["schmarl"]
    assert network["members"] == 4  # the guest left on 30 June
    chair = network["memberships"][0]
    assert (chair["name"], chair["role"]) == ("Anna Müller", "chair")
    meeting = json_of(cli(*db, "meetings", "show", "1", "--json"))
    assert (meeting["number"], meeting["state"], meeting["start"]) == (
        11, "held", "2026-11-03T18:00"
    )  # fmt: skip
    assert [a["title"] for a in meeting["agenda"]][2] == "Stadtteilflohmarkt 2027"
    assert {t["title"] for t in meeting["tasks"]} == {
        "Standplan für den Flohmarkt erstellen", "Aushang in der Kita"
    }  # fmt: skip
    project = json_of(cli(*db, "projects", "show", "Lernwerkstatt Schmarl", "--json"))
    assert (project["budget"], project["lead"]) == ("120000.50", "Begegnungszentrum Haus 12")
    series = json_of(cli(*db, "event", "show", "Sprechstunde", "--json"))
    assert series["recurring"] and series["rrule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
    assert [c["attendance"] for c in series["changes"]][:1] == [12]
    concern = json_of(cli(*db, "concerns", "show", "1", "--json"))
    assert (concern["status"], concern["forwarded_to"]) == (
        "forwarded", "Amt für Stadtentwicklung"
    )  # fmt: skip
    issue = json_of(cli(*db, "paper", "issue", "show", "1", "--json"))
    assert (issue["label"], issue["articles"]) == ("Dezember 2026", 2)
    tasks = json_of(cli(*db, "tasks", "list", "--json"))
    assert {t["title"] for t in tasks} >= {"Fotos für die WIR2 sammeln"}
    report = json.loads(
        ok(cli(*db, "report", "monthly", "--month", "2026-11", "-f", "json")).stdout
    )
    assert report["month"] == "2026-11"


def test_the_upgrade_indexes_what_the_first_release_kept_for_search(cli, old):
    db = ("--db", str(old))
    upgraded = cli(*db, "actors", "list", "--json")
    assert "Indexed" in upgraded.stderr and "records for search" in upgraded.stderr
    assert ok(cli(*db, "db", "check")).exit_code == 0
    found = json_of(cli(*db, "search", "flohmarkt", "--json"))
    assert {hit["title"] for hit in found} >= {"Stadtteilflohmarkt 2027"}
    again = cli(*db, "actors", "list", "--json")
    assert "Indexed" not in again.stderr  # once, with the upgrade


def test_the_upgraded_register_takes_new_records(cli, old):
    db = ("--db", str(old))
    _upgrade(cli, old)
    added = json_of(cli(*db, "actors", "add", "Kita Sonnenschein", "--kind", "kita", "--json"))
    assert added["id"] == 8
    meeting = json_of(
        cli(*db, "meetings", "new", "stadtteiltisch-schmarl", "--date", "12.1.2027", "--json")
    )
    assert meeting["number"] == 13
    ok(cli(*db, "db", "check", "--fix"))
