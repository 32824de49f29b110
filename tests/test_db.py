"""`stm db`, migrations, and the register's SQLite settings."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from sqlalchemy import create_engine, text

from stm.migrations import HEAD, REVISIONS, run_upgrade


def test_path_shows_the_register(cli, register):
    if register.backend == "sqlite":
        assert cli("db", "path").stdout.strip() == str(register.location.path)
    else:
        assert cli("db", "path").stdout.strip().startswith("postgresql")


def test_backup_is_a_consistent_private_copy(cli, register, tmp_path):
    cli("actors", "add", "Kita Sonnenschein")
    target = tmp_path / "backup" / "copy.sqlite"
    result = cli("db", "backup", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"Backup written: {target}" in result.stdout
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # PostgreSQL too: its backup is a SQLite register file that 'stm db restore' reads (#10)
    rows = sqlite3.connect(target).execute("SELECT name FROM actor").fetchall()
    assert rows == [("Kita Sonnenschein",)]


def test_restore_brings_back_the_copy(cli, register, tmp_path):
    if register.backend != "sqlite":
        pytest.skip("restore is for SQLite registers")
    cli("actors", "add", "Kita Sonnenschein")
    backup = tmp_path / "copy.sqlite"
    cli("db", "backup", "-o", str(backup))
    cli("actors", "add", "Heimatverein")
    refused = cli("db", "restore", str(backup))
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    result = cli("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout
    assert "Heimatverein" not in cli("actors", "list").stdout
    assert list(register.location.path.parent.glob("*.before-restore.bak"))


def test_restore_refuses_a_non_backup(cli, register, tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("nope")
    result = cli("db", "restore", str(bogus), "--yes")
    assert result.exit_code == 2
    assert "is not a SQLite backup" in result.stderr


def test_restore_refuses_the_register_itself(cli, register):
    if register.backend != "sqlite":
        pytest.skip("restore is for SQLite registers")
    result = cli("db", "restore", str(register.location.path), "--yes")
    assert result.exit_code == 2
    assert "is the register itself" in result.stderr


def test_check_passes_on_a_sound_register(cli, register):
    result = cli("db", "check")
    assert result.exit_code == 0
    assert "passed the integrity check" in result.stdout


def test_check_reports_broken_references(cli, register):
    if register.backend != "sqlite":
        pytest.skip("PostgreSQL enforces references itself")
    connection = sqlite3.connect(register.location.path)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("INSERT INTO actor_district (actor_id, district_id) VALUES (99, 1)")
    connection.commit()
    connection.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "Problem: table actor_district" in result.stderr


def test_upgrade_reports_current_schema(cli, register):
    result = cli("db", "upgrade")
    assert result.exit_code == 0
    assert f"schema {HEAD} (current)" in result.stdout


def test_sqlite_pragmas(register):
    if register.backend != "sqlite":
        pytest.skip("SQLite only")
    with register.session() as session:
        connection = session.connection()
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (
            connection.execute(text("PRAGMA busy_timeout")).scalar() == 60_000
        )  # generous: writers wait (#10)


def test_head_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    from stm.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert [rev.revision for rev in reversed(list(script.walk_revisions()))] == list(REVISIONS)


def test_migrations_build_exactly_the_models(tmp_path):
    """A blank register migrated to head has the schema the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from stm.migrations import include_object
    from stm.models import load_all

    load_all()
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.sqlite'}")
    with engine.begin() as connection:
        run_upgrade(connection)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_user_is_told_of_an_upgrade_and_its_backup(cli, tmp_path):
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_upgrade(connection, REVISIONS[0])
    engine.dispose()
    result = cli("--db", str(path), "actors", "list", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[]\n"
    if len(REVISIONS) > 1:
        assert result.stderr.startswith(
            f"Upgraded the register from schema {REVISIONS[0]}; backup: "
        )
        backup = result.stderr.splitlines()[0].split("backup: ")[1].strip()
        assert os.path.exists(backup)
        assert result.stderr.splitlines()[1:] == []  # nothing to index: nothing said


def test_a_register_from_a_newer_stm_is_refused(cli, register):
    with register.session() as session:
        session.connection().execute(text("UPDATE alembic_version SET version_num = '9999'"))
    result = cli("actors", "list")
    assert result.exit_code == 1
    assert "made by a newer stm (schema 9999)" in result.stderr


def test_an_upgrade_refolds_names_and_indexes_words_inside_words(cli, tmp_path):
    """Migrations dailyuse and dailyuse_search: "Mehmet Yılmaz", keyed `mehmetylmaz` by the
    old folding, is found as "mehmet yilmaz" afterwards; the Stadtteilflohmarkt by
    `flohmarkt`; the network keeps its district."""
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_upgrade(connection, "0002")
        stamp = "'2025-01-01 00:00:00'"
        connection.execute(text(
            "INSERT INTO actor (kind, name, key, consent_share, created_at, updated_at) "
            f"VALUES ('person', 'Mehmet Yılmaz', 'mehmetylmaz', 0, {stamp}, {stamp})"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO district (slug, key, name, city, state, aliases) "
            "VALUES ('schmarl', 'schmarl', 'Schmarl', 'Rostock', 'MV', '[]')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO network (slug, key, name, kind, level, district_id, created_at) "
            f"VALUES ('st', 'st', 'Stadtteiltisch', 'stadtteiltisch', 'district', 1, {stamp})"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO search_document (entity, entity_id, title, body, folded) "
            "VALUES ('actor', 1, 'Stadtteilflohmarkt-Team', '', 'stadtteilflohmarkt team')"
        ))  # fmt: skip
    engine.dispose()
    shown = cli("--db", str(path), "actors", "show", "mehmet yilmaz", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["name"] == "Mehmet Yılmaz"
    network = json.loads(cli("--db", str(path), "networks", "show", "st", "--json").stdout)
    assert network["districts"] == ["schmarl"]
    with engine.begin() as connection:
        found = connection.execute(
            text("SELECT rowid FROM search_trigram WHERE search_trigram MATCH '\"flohmarkt\"'")
        ).all()
    assert found == [(1,)]
