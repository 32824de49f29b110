"""`stm db backup` and `stm db restore` cannot destroy the register (issue #10, item 1).

Kills are real: the child stm sends itself SIGKILL at a named point (stm.faults), and the
register is then checked without stm and with `stm db check`.
"""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from faults_support import integrity, killed, names, stm

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults

RESTORE_POINTS = [
    "restore.staged",
    "restore.safety-copy",
    "restore.before-replace",
    "restore.after-replace",
]


@pytest.fixture
def sqlite_register(cli, register):
    if register.backend != "sqlite":
        pytest.skip("SQLite files: PostgreSQL has its round-trip tests below")
    return register.location.path


def _backup_with(cli, tmp_path, *actors):
    for name in actors:
        assert cli("actors", "add", name).exit_code == 0
    target = tmp_path / "copy.sqlite"
    result = cli("db", "backup", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def _check_ok(cli):
    result = cli("db", "check")
    assert result.exit_code == 0, result.output
    assert "passed the integrity check" in result.stdout


@pytest.mark.parametrize("point", RESTORE_POINTS)
def test_a_restore_killed_anywhere_leaves_the_old_or_the_new_register(
    cli, sqlite_register, tmp_path, point
):
    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    assert cli("actors", "add", "Heimatverein").exit_code == 0
    result = stm("db", "restore", str(backup), "--yes", STM_FAULT_KILL=point)
    assert killed(result), result.stderr
    assert integrity(sqlite_register) == ["ok"]
    held = names(sqlite_register)
    assert held in (["Kita Sonnenschein", "Heimatverein"], ["Kita Sonnenschein"])
    if point == "restore.after-replace":
        assert held == ["Kita Sonnenschein"]
    else:
        assert held == ["Kita Sonnenschein", "Heimatverein"]
    _check_ok(cli)
    # and the restore then runs through, leaving no temporary files
    again = cli("db", "restore", str(backup), "--yes")
    assert again.exit_code == 0, again.output
    assert names(sqlite_register) == ["Kita Sonnenschein"]
    _check_ok(cli)
    assert cli("actors", "add", "Nach dem Restore").exit_code == 0


def test_a_killed_backup_leaves_no_half_file(cli, sqlite_register, tmp_path):
    cli("actors", "add", "Kita Sonnenschein")
    target = tmp_path / "copy.sqlite"
    result = stm("db", "backup", "-o", str(target), STM_FAULT_KILL="backup.before-replace")
    assert killed(result)
    assert not target.exists()
    ok = stm("db", "backup", "-o", str(target))
    assert ok.returncode == 0, ok.stderr
    assert names(target) == ["Kita Sonnenschein"]
    assert integrity(target) == ["ok"]
    assert not list(tmp_path.glob(".copy.sqlite.*.tmp"))  # the killed one's is the only kind
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_corrupt_backup_is_refused_and_the_register_untouched(cli, sqlite_register, tmp_path):
    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    connection = sqlite3.connect(backup)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'actor'").fetchone()
    connection.close()
    data = bytearray(backup.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + 64] = b"\xff" * 64  # the actor table's page overwritten
    backup.write_bytes(bytes(data))
    before = sqlite_register.read_bytes()
    result = cli("db", "restore", str(backup), "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: SOURCE: {backup} is damaged (")
    assert "the register was not changed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sqlite_register.read_bytes() == before
    assert not list(sqlite_register.parent.glob("*.before-restore.bak"))


def test_a_sqlite_file_that_is_no_register_is_refused(cli, sqlite_register, tmp_path):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    result = cli("db", "restore", str(other), "--yes")
    assert result.exit_code == 2
    assert "is a SQLite file but not an stm register" in result.stderr
    newer = _backup_with(cli, tmp_path, "Kita")
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    result = cli("db", "restore", str(newer), "--yes")
    assert result.exit_code == 2
    assert "made by a newer stm (schema 9999)" in result.stderr


def test_restore_repairs_a_damaged_register_without_opening_it(cli, sqlite_register, tmp_path):
    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    with sqlite_register.open("r+b") as handle:  # the register cut short: a broken disk
        handle.truncate(4096 + 512)
    listed = cli("actors", "list")
    assert listed.exit_code == 1
    assert listed.stderr.startswith("Error: the register file is damaged: ")
    checked = cli("db", "check")
    assert checked.exit_code == 1
    assert "the register file is damaged" in checked.stderr
    result = cli("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert names(sqlite_register) == ["Kita Sonnenschein"]
    _check_ok(cli)
    safety = list(sqlite_register.parent.glob("register.sqlite.*.before-restore.bak"))
    assert len(safety) == 1 and safety[0].stat().st_size == 4096 + 512  # kept as it was


def test_the_safety_copy_restores_the_state_before(cli, sqlite_register, tmp_path):
    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    cli("actors", "add", "Heimatverein")
    assert cli("db", "restore", str(backup), "--yes").exit_code == 0
    (safety,) = sqlite_register.parent.glob("register.sqlite.*.before-restore.bak")
    assert cli("db", "restore", str(safety), "--yes").exit_code == 0
    assert names(sqlite_register) == ["Kita Sonnenschein", "Heimatverein"]
    assert not os.path.exists(f"{sqlite_register}-journal")


def test_a_running_writer_makes_restore_wait_then_refuse(cli, sqlite_register, tmp_path):
    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    cli("actors", "add", "Heimatverein")
    writer = sqlite3.connect(sqlite_register, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another stm in the middle of its write
    writer.execute("UPDATE actor SET notes = 'in Arbeit' WHERE id = 1")
    try:
        result = stm("db", "restore", str(backup), "--yes", STM_BUSY_TIMEOUT="0.3")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.returncode == 1
    assert result.stderr == (
        "Error: the register is busy (another stm is writing); "
        "the restore changed nothing; try again\n"
    )
    assert "Restored" not in result.stdout
    assert names(sqlite_register) == ["Kita Sonnenschein", "Heimatverein"]
    _check_ok(cli)


def test_a_restore_during_writers_is_never_undone(cli, sqlite_register, tmp_path):
    """Writers that started before the restore either finish before it or fail; after
    it, what the register holds is the backup plus writes that came after."""
    from faults_support import spawn

    backup = _backup_with(cli, tmp_path, "Kita Sonnenschein")
    writers = [spawn("actors", "add", f"Schreiber {n}") for n in range(6)]
    result = stm("db", "restore", str(backup), "--yes")
    outcomes = [(w.wait(timeout=60), w.stderr.read() if w.stderr else "") for w in writers]
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout
    held = names(sqlite_register)
    assert held[0] == "Kita Sonnenschein"
    for code, stderr in outcomes:
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr
    assert integrity(sqlite_register) == ["ok"]
    _check_ok(cli)


def test_backup_refuses_to_overwrite_a_file_of_another_kind(cli, register, tmp_path):
    letter = tmp_path / "brief.txt"
    letter.write_text("Liebe Nachbarn, …")
    result = cli("db", "backup", "-o", str(letter))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --output: {letter} exists and is not an stm backup; choose a new file name\n"
    )
    assert letter.read_text() == "Liebe Nachbarn, …"


def test_backup_replaces_an_earlier_backup(cli, register, tmp_path):
    target = tmp_path / "copy.sqlite"
    cli("actors", "add", "Kita Sonnenschein")
    assert cli("db", "backup", "-o", str(target)).exit_code == 0
    cli("actors", "add", "Heimatverein")
    assert cli("db", "backup", "-o", str(target)).exit_code == 0
    assert names(target) == ["Kita Sonnenschein", "Heimatverein"]


def test_a_read_only_register_is_listed_and_backed_up(cli, sqlite_register, tmp_path, monkeypatch):
    cli("actors", "add", "Kita Sonnenschein")
    os.chmod(sqlite_register, 0o400)
    if os.access(sqlite_register, os.W_OK):  # root may write anything: stm is told it may not
        import stm.store.location

        real = os.access
        monkeypatch.setattr(
            stm.store.location.os,
            "access",
            lambda p, mode: False if mode == os.W_OK and p == sqlite_register else real(p, mode),
        )
    try:
        listed = cli("actors", "list", "--json")
        assert listed.exit_code == 0, listed.output
        assert '"Kita Sonnenschein"' in listed.stdout
        target = tmp_path / "copy.sqlite"
        backed = cli("db", "backup", "-o", str(target))
        assert backed.exit_code == 0, backed.output
        assert names(target) == ["Kita Sonnenschein"]
        refused = cli("actors", "add", "Heimatverein")
        assert refused.exit_code == 1
        assert "is read-only: stm can list and back it up, but not change it" in refused.stderr
    finally:
        os.chmod(sqlite_register, 0o600)


def _every_table(location):
    """Every table's rows, sorted, read through stm's own engine."""
    from sqlalchemy import select

    from stm.backups import model_tables
    from stm.store import make_engine

    engine = make_engine(location)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(select(table))), key=repr
                )
                for table in model_tables()
            }
    finally:
        engine.dispose()


def test_restore_postgresql_round_trip(cli, demo, tmp_path, monkeypatch):
    """A PostgreSQL backup restores into the same database, and into an empty one,
    with every table as it was; ids go on from where they were."""
    if demo.backend != "postgresql":
        pytest.skip("the PostgreSQL round trip")
    from conftest import _postgres_schema

    before = _every_table(demo.location)
    backup = tmp_path / "team.sqlite"
    assert cli("db", "backup", "-o", str(backup)).exit_code == 0
    assert cli("actors", "add", "Nach der Sicherung").exit_code == 0
    monkeypatch.chdir(tmp_path)  # the safety copy of the replaced register goes here
    restored = cli("db", "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "previous state kept in" in restored.stdout
    assert _every_table(demo.location) == before
    added = cli("actors", "add", "Neu nach dem Restore", "--json")
    assert added.exit_code == 0, added.output
    assert f'"id": {max(row[0] for row in before["actor"]) + 1}' in added.stdout
    with _postgres_schema(monkeypatch) as empty:  # a database without stm's schema
        into_empty = cli("db", "restore", str(backup), "--yes")
        assert into_empty.exit_code == 0, into_empty.output
        assert _every_table(empty) == before
        assert cli("db", "check").exit_code == 0


def test_a_postgresql_restore_killed_before_commit_changes_nothing(
    cli, register, tmp_path, monkeypatch
):
    if register.backend != "postgresql":
        pytest.skip("PostgreSQL")
    monkeypatch.chdir(tmp_path)  # the safety copy of the replaced register goes here
    cli("actors", "add", "Kita Sonnenschein")
    backup = tmp_path / "team.sqlite"
    assert cli("db", "backup", "-o", str(backup)).exit_code == 0
    cli("actors", "add", "Heimatverein")
    before = _every_table(register.location)
    result = stm("db", "restore", str(backup), "--yes", STM_FAULT_KILL="restore.before-commit")
    assert killed(result), result.stderr
    assert _every_table(register.location) == before
