"""`stm init` and schema upgrades are atomic: killed anywhere, the register is at the old
revision and usable, or at the new one (issue #10, item 2)."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, text

from conftest import PG_URL, _postgres_schema
from faults_support import integrity, killed, revision, spawn, stm
from stm.migrations import HEAD, REVISIONS, run_upgrade

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults

ACTORS = 3000


def _old_register(path, actors=ACTORS):
    """A register at the oldest revision with many actors and their search entries."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_upgrade(connection, REVISIONS[0])
        stamp = "2025-01-01 00:00:00"
        connection.execute(
            text(
                "INSERT INTO actor (kind, name, key, consent_share, created_at, updated_at) "
                "VALUES ('verein', :name, :key, 0, :at, :at)"
            ),
            [{"name": f"Verein {n}", "key": f"verein{n}", "at": stamp} for n in range(actors)],
        )
        connection.execute(
            text(
                "INSERT INTO search_document (entity, entity_id, title, body, folded) "
                "VALUES ('actor', :id, :title, '', :folded)"
            ),
            [{"id": n + 1, "title": f"Verein {n}", "folded": f"verein {n}"} for n in range(actors)],
        )
    engine.dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.close()


def _state(path):
    """(revision, has the full-text table) as SQLite sees the file after a kill."""
    connection = sqlite3.connect(path)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            assert "actor" not in tables and "activity" not in tables, tables
            return None, False
        stamp = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return (stamp[0] if stamp else None), "search_fts" in tables


def _usable(cli, path, expected_actors=ACTORS):
    """After a kill: the next command upgrades if needed, and everything works."""
    checked = cli("--db", str(path), "db", "check")
    assert checked.exit_code == 0, checked.output
    assert revision(path) == (HEAD,)
    found = cli("--db", str(path), "search", "Verein 17", "--json")
    assert found.exit_code == 0, found.output
    assert '"Verein 17"' in found.stdout
    added = cli("--db", str(path), "actors", "add", "Nach dem Abbruch")
    assert added.exit_code == 0, added.output
    assert f"#{expected_actors + 1} " in added.stdout


def test_an_upgrade_killed_before_its_commit_stays_at_the_old_revision(cli, tmp_path):
    path = tmp_path / "old.sqlite"
    _old_register(path)
    result = stm("--db", str(path), "db", "upgrade", STM_FAULT_KILL="migration.0002.before-commit")
    assert killed(result), result.stderr
    assert _state(path) == ("0001", False)  # the FTS table and the stamp went together
    assert integrity(path) == ["ok"]
    _usable(cli, path)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.85])
def test_an_upgrade_killed_at_any_moment_is_old_or_new(cli, tmp_path, fraction):
    """kill -9 at a moment chosen over the run's length (measured on a copy first)."""
    import shutil

    path = tmp_path / "old.sqlite"
    _old_register(path)
    probe = tmp_path / "probe.sqlite"
    shutil.copyfile(path, probe)
    started = time.monotonic()
    assert stm("--db", str(probe), "db", "upgrade").returncode == 0
    length = time.monotonic() - started
    child = spawn("--db", str(path), "db", "upgrade")
    time.sleep(length * fraction)
    child.kill()
    child.wait()
    # Each step commits with its stamp: the register is at the revision of the last
    # step that committed (0001, an intermediate one, or the newest), never between two.
    stamp, has_search = _state(path)
    assert stamp in REVISIONS, stamp
    assert has_search == (REVISIONS.index(stamp) >= REVISIONS.index("0002")), stamp
    assert integrity(path) == ["ok"]
    _usable(cli, path)


@pytest.mark.parametrize("point", ["migration.0001.before-commit", "migration.0002.before-commit"])
def test_init_killed_leaves_a_register_that_init_completes(cli, tmp_path, point):
    path = tmp_path / "new.sqlite"
    result = stm("--db", str(path), "init", STM_FAULT_KILL=point)
    assert killed(result), result.stderr
    state = _state(path)
    assert state == ((None, False) if point.startswith("migration.0001") else ("0001", False))
    assert integrity(path) == ["ok"]
    again = cli("--db", str(path), "init")
    assert again.exit_code == 0, again.output
    assert "Districts: Am Stern, Drewitz, Groß Klein, Schmarl" in again.stdout
    assert _state(path) == (HEAD, True)
    check = cli("--db", str(path), "db", "check")
    assert check.exit_code == 0, check.output


@pytest.mark.skipif(not PG_URL, reason="set STM_TEST_DATABASE_URL to test PostgreSQL")
def test_a_postgresql_upgrade_killed_before_its_commit_stays_old(cli, monkeypatch, tmp_path):
    from stm.store import Location, make_engine

    monkeypatch.chdir(tmp_path)  # where the backup before the upgrade is written
    with _postgres_schema(monkeypatch) as location:
        engine = make_engine(Location(url=location.url))
        with engine.connect() as connection:
            run_upgrade(connection, REVISIONS[0])
        kill = "migration.0002.before-commit.postgresql"
        result = stm("db", "upgrade", STM_FAULT_KILL=kill)
        assert killed(result), result.stderr
        with engine.connect() as connection:
            stamp = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            index = connection.execute(
                text(
                    "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_search_document_fts'"
                    " AND schemaname = current_schema()"
                )
            ).first()
        assert (stamp, index) == ("0001", None)
        upgraded = cli("db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        with engine.connect() as connection:
            stamp = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert stamp == HEAD
        engine.dispose()
    backups = sorted(p.name for p in tmp_path.iterdir() if "before-upgrade" in p.name)
    assert len(backups) == 1 and backups[0].endswith(".sqlite"), backups  # the same minute
