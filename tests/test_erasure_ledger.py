"""Erasures outlive backups (#11, item 2): the ledger, restore, old backups, pruning."""

from __future__ import annotations

import json
import os
import time

import pytest
from sqlmodel import select

from stm.models import Actor, Erasure


def _add(cli, *args: str) -> int:
    result = cli("actors", "add", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def _people(cli) -> tuple[int, int]:
    anna = _add(cli, "Zenobia Quirrenbach", "--kind", "person", "--email", "zq@quirlmail.example",
                "--notes", "Allergie privat")  # fmt: skip
    bernd = _add(cli, "Bernd Schulz", "--kind", "person")
    return anna, bernd


@pytest.fixture
def sqlite_only(register):
    if register.backend != "sqlite":
        pytest.skip("backups as files and restore are for SQLite registers")
    return register


def test_the_ledger_holds_ids_and_dates_only(cli, register):
    anna, _ = _people(cli)
    assert cli("privacy", "erase", str(anna), "--yes").exit_code == 0
    with register.session() as s:
        entry = s.exec(select(Erasure)).one()
        person = s.get(Actor, anna)
    assert (entry.entity, entry.entity_id, entry.redacted) == ("actor", anna, False)
    assert entry.erased_at == person.erased_at and entry.record_created_at == person.created_at
    assert set(Erasure.model_fields) == {"id", "entity", "entity_id", "record_created_at",
                                         "erased_at", "redacted"}  # fmt: skip


def test_restoring_an_older_backup_erases_again(cli, register, tmp_path, monkeypatch):
    """On both backends: a PostgreSQL register's backup is a SQLite file too, and its
    restore reads the ledger of the register it replaces as a SQLite restore does."""
    monkeypatch.chdir(tmp_path)  # PostgreSQL's safety copy is written here
    anna, bernd = _people(cli)
    old = tmp_path / "vorher.sqlite"
    assert cli("db", "backup", "-o", str(old)).exit_code == 0
    monkeypatch.setenv("STM_NOW", "2026-11-25T09:30")
    assert cli("privacy", "erase", str(anna), "--yes").exit_code == 0
    monkeypatch.setenv("STM_NOW", "2026-11-27T12:00")
    result = cli("db", "restore", str(old), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 person erased after this backup was erased again"
    with register.session() as s:
        person = s.get(Actor, anna)
        assert person.name == f"Gelöschte Person #{anna}" and person.email is None
        assert str(person.erased_at) == "2026-11-25 09:30:00"
        assert s.get(Actor, bernd).erased_at is None
        assert [e.entity_id for e in s.exec(select(Erasure)).all()] == [anna]
    assert json.loads(cli("search", "quirrenbach", "--json").stdout) == []
    if register.backend == "sqlite":
        data = register.location.path.read_bytes().lower()
        assert b"quirlmail" not in data and b"allergie" not in data
    # A second restore of the same backup says the same; nothing is erased twice.
    again = cli("db", "restore", str(old), "--yes")
    assert "1 person erased after this backup was erased again" in again.stdout


def test_restoring_a_backup_made_after_the_erasure_says_nothing(cli, sqlite_only, tmp_path):
    anna, _ = _people(cli)
    assert cli("privacy", "erase", str(anna), "--yes").exit_code == 0
    later = tmp_path / "nachher.sqlite"
    cli("db", "backup", "-o", str(later))
    result = cli("db", "restore", str(later), "--yes")
    assert result.exit_code == 0 and "erased again" not in result.stdout


def test_erase_names_the_backups_that_still_hold_the_person(cli, sqlite_only, monkeypatch):
    anna, _ = _people(cli)
    first = cli("db", "backup").stdout.split(": ", 1)[1].strip()
    monkeypatch.setenv("STM_NOW", "2026-11-21T10:00")
    _add(cli, "Später Verein", "--kind", "association")
    result = cli("privacy", "erase", str(anna), "--yes")
    assert result.exit_code == 0, result.output
    assert ("1 backup file(s) still hold the person (restoring one erases them again; "
            "'stm db backup --prune' removes old ones): " + os.path.basename(first)
            ) in result.stderr  # fmt: skip


def test_prune_keeps_the_newest_and_removes_the_old(cli, sqlite_only, monkeypatch):
    folder = sqlite_only.location.path.parent
    made = []
    for day in range(1, 5):
        monkeypatch.setenv("STM_NOW", f"2026-11-0{day}T10:00")
        made.append(cli("db", "backup").stdout.split(": ", 1)[1].strip())
    for age, path in zip((400, 300, 200, 100), made, strict=True):
        stamp = time.time() - age * 86400
        os.utime(path, (stamp, stamp))
    monkeypatch.setenv("STM_NOW", "2026-11-20T10:00")
    result = cli("db", "backup", "--prune", "--keep", "3")
    assert result.exit_code == 0, result.output
    assert "Removed 2 old backup(s)" in result.stdout
    left = sorted(p.name for p in folder.glob("*.bak"))
    assert len(left) == 3 and os.path.basename(made[0]) not in left
    older = cli("db", "backup", "--prune", "--older-than", "150")
    assert f"Removed 1 old backup(s)\n  {os.path.basename(made[2])}" in older.stdout
    assert sorted(p.name for p in folder.glob("*.bak")) == sorted(
        [os.path.basename(made[3]), *[n for n in left if "20261120" in n]]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--keep", "3"], "--prune: --keep and --older-than go with --prune"),
        (["--prune", "--keep", "0"], "--keep: 0 is too small"),
    ],
)
def test_prune_bad_input(cli, sqlite_only, args, message):
    result = cli("db", "backup", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_looking_into_backups_leaves_no_files_behind(cli, sqlite_only):
    anna, _ = _people(cli)
    cli("db", "backup")
    folder = sqlite_only.location.path.parent
    before = sorted(p.name for p in folder.iterdir() if ".bak" in p.name)
    result = cli("privacy", "erase", str(anna), "--yes")
    assert "1 backup file(s) still hold the person" in result.stderr
    assert sorted(p.name for p in folder.iterdir() if ".bak" in p.name) == before


def test_upgrading_enters_earlier_erasures_into_the_ledger(tmp_path):
    from sqlalchemy import create_engine, text

    from stm.migrations import run_upgrade
    from stm.store import Location, open_register

    path = tmp_path / "alt.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_upgrade(connection, "0002")
        connection.execute(text(
            "INSERT INTO actor (kind, name, key, consent_share, created_at, updated_at, "
            "erased_at) VALUES ('person', 'Gelöschte Person #1', 'geloeschteperson1', 0, "
            "'2024-01-01 00:00:00', '2025-03-01 09:00:00', '2025-03-01 09:00:00'), "
            "('person', 'Bleibt', 'bleibt', 0, '2024-01-01 00:00:00', "
            "'2024-01-01 00:00:00', NULL)"
        ))  # fmt: skip
    engine.dispose()
    register = open_register(Location(path=path, source="test"))
    try:
        with register.session() as s:
            entries = s.exec(select(Erasure)).all()
    finally:
        register.close()
    assert [(e.entity_id, str(e.erased_at), str(e.record_created_at)) for e in entries] == [
        (1, "2025-03-01 09:00:00", "2024-01-01 00:00:00")
    ]
