"""`stm init`, and refusing register locations that cannot work."""

from __future__ import annotations

import json
import os
import stat
import tomllib

from stm.models import District


def test_init_creates_register_and_config(cli, tmp_path, monkeypatch):
    path = tmp_path / "office" / "register.sqlite"
    result = cli("--db", str(path), "init")
    assert result.exit_code == 0, result.output
    assert f"Register: {path}" in result.stdout
    assert "Districts: Am Stern, Drewitz, Groß Klein, Schmarl (4 added)" in result.stdout
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    config = tomllib.loads((tmp_path / "config.toml").read_text())
    assert config["letterhead"]["name"] == "Stadtteilmanagement"
    districts = json.loads(cli("--db", str(path), "districts", "list", "--json").stdout)
    assert [(d["slug"], d["city"], d["state"]) for d in districts] == [
        ("am-stern", "Potsdam", "BB"),
        ("drewitz", "Potsdam", "BB"),
        ("gross-klein", "Rostock", "MV"),
        ("schmarl", "Rostock", "MV"),
    ]


def test_init_uses_the_platform_data_folder_by_default(cli, tmp_path):
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg-data" / "stm" / "register.sqlite").exists()
    assert cli("db", "path").stdout.strip() == str(
        tmp_path / "xdg-data" / "stm" / "register.sqlite"
    )


def test_stm_db_environment_variable(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("STM_DB", str(tmp_path / "env.sqlite"))
    cli("init")
    assert (tmp_path / "env.sqlite").exists()


def test_init_twice_changes_nothing(cli, tmp_path):
    path = str(tmp_path / "r.sqlite")
    cli("--db", path, "init")
    cli("--db", path, "actors", "add", "Kita")
    result = cli("--db", path, "init")
    assert result.exit_code == 0
    assert "added" not in result.stdout
    assert "Kita" in cli("--db", path, "actors", "list").stdout


def test_init_with_chosen_and_new_districts(cli, tmp_path):
    path = str(tmp_path / "r.sqlite")
    result = cli(
        "--db", path, "init", "--district", "schmarl", "--district", "Evershagen", "--state", "MV"
    )
    assert result.exit_code == 0, result.output
    slugs = [d["slug"] for d in json.loads(cli("--db", path, "districts", "list", "--json").stdout)]
    assert sorted(slugs) == ["evershagen", "schmarl"]


def test_init_new_district_needs_a_state(cli, tmp_path):
    path = tmp_path / "r.sqlite"
    result = cli("--db", str(path), "init", "--district", "Evershagen")
    assert result.exit_code == 2
    assert "Error: --state: 'Evershagen' is not a seed district" in result.stderr
    assert not path.exists()


def test_commands_before_init_say_what_to_do(cli, tmp_path):
    result = cli("--db", str(tmp_path / "none.sqlite"), "actors", "list")
    assert result.exit_code == 1
    assert "no register at" in result.stderr and "stm init" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_db_naming_a_directory_is_refused(cli, tmp_path):
    result = cli("--db", str(tmp_path), "init")
    assert result.exit_code == 2
    assert f"Error: --db: {tmp_path} is a directory" in result.stderr


def test_db_naming_a_non_sqlite_file_is_refused(cli, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("Einkaufsliste\n")
    result = cli("--db", str(other), "actors", "list")
    assert result.exit_code == 2
    assert "is not an stm register (not a SQLite database)" in result.stderr
    assert other.read_text() == "Einkaufsliste\n"


def test_db_in_an_unwritable_place_is_refused(cli, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root may write anywhere: let the folder look read-only
        real_access = os.access
        monkeypatch.setattr(
            "stm.store.location.os.access",
            lambda p, mode: False if p == locked else real_access(p, mode),
        )
    result = cli("--db", str(locked / "r.sqlite"), "init")
    assert result.exit_code == 2
    assert f"--db: cannot create {locked / 'r.sqlite'}: {locked} is not a writable folder" in (
        result.stderr
    )
    assert not (locked / "r.sqlite").exists()


def test_db_under_a_file_is_refused(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--db", str(blocker / "r.sqlite"), "init")
    assert result.exit_code == 2
    assert "is not a writable folder" in result.stderr


def test_an_empty_sqlite_database_is_not_a_register(cli, tmp_path):
    import sqlite3

    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.commit()
    result = cli("--db", str(path), "actors", "list")
    assert result.exit_code == 1
    assert "holds no stm register yet" in result.stderr


def test_register_holds_the_seed_districts(register):
    assert register.count(District) == 4
