"""Hostile and careless input (issue #10, item 7): one line on stderr naming the field and
the accepted form, exit 2 for input and 1 for the register's state, nothing written, and
never a Python exception name or a traceback."""

from __future__ import annotations

import pytest

from imports_support import assert_nothing_imported, write_crlf
from stm.models import Activity, Actor, Event

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults

PYTHON_NAMES = ("Traceback", "Error:  ", "OverflowError", "ValueError", "UnicodeEncodeError",
                "OperationalError", "DataError", "STM_DEBUG")  # fmt: skip


def one_line(result, code, text):
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1, (
        result.stderr
    )
    assert text in result.stderr, result.stderr
    for name in PYTHON_NAMES:
        assert name not in result.output


def nothing_written(register):
    assert register.count(Actor) == 0
    assert register.count(Event) == 0
    assert register.count(Activity, Activity.action.notlike("district%")) == 0  # seeded ones


def test_a_huge_count(cli, register):
    result = cli("event", "add", "Fest", "--date", "1.6.2027", "--expected", str(10**30))
    one_line(result, 2, "--expected: 1000000000000000000000000000000 is too large; use a whole "
             "number up to 10,000,000")  # fmt: skip
    nothing_written(register)


@pytest.mark.parametrize("ref", ["9223372036854775808", "2147483648", "#99999999999999999999"])
def test_ids_beyond_any_integer_are_not_found(cli, register, ref):
    one_line(cli("actors", "show", ref), 1, "no actor")
    one_line(cli("tasks", "done", ref.lstrip("#")), 1, "no task with id")


@pytest.mark.parametrize(
    "args, field",
    [
        (("event", "list", "--from", "1.1.1900", "--to", "31.12.9999"), "--to: '31.12.9999'"),
        (("event", "add", "Alt", "--date", "1.1.0001"), "--date: '1.1.0001'"),
        (("event", "add", "Alt", "--date", "1899-12-31"), "--date: '1899-12-31'"),
        (("calendar", "--month", "2101-01"), "--month: '2101-01'"),
        (("privacy", "consent", "Anna", "--given", "1.1.0001", "--purpose", "x"), "--given"),
    ],
)
def test_dates_outside_1900_to_2100_are_refused(cli, register, args, field):
    result = cli(*args)
    one_line(result, 2, f"{field}")
    assert "is outside the years stm keeps; use a date from 1900 to 2100" in result.stderr
    nothing_written(register)


def test_the_full_range_is_listed(cli, register):
    assert cli("event", "add", "Fest", "--date", "1.6.2027").exit_code == 0
    result = cli("event", "list", "--from", "1.1.1900", "--to", "31.12.2100", "--json")
    assert result.exit_code == 0, result.output
    assert '"Fest"' in result.stdout


def test_stale_years_out_of_range(cli, register):
    one_line(cli("privacy", "stale", "--years", "100000"), 2,
             "--years: 100000 is too large; give a whole number up to 100")  # fmt: skip


def test_an_argument_that_is_not_utf8(cli, register):
    one_line(cli("actors", "add", "Kita \udcff"), 2, "argument 3 is not valid UTF-8 text")
    nothing_written(register)


def test_an_argument_that_is_not_utf8_from_a_real_shell(register):
    import subprocess
    import sys

    from faults_support import SRC, stm_env

    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"stm", b"actors", b"add", b"Kita \xff\xfe"],
        env={**stm_env(), "PYTHONPATH": SRC},
        capture_output=True,
    )
    assert result.returncode == 2
    assert result.stderr == (
        b"Error: argument 3 is not valid UTF-8 text; give names and values as UTF-8 "
        b"(the terminal's usual encoding)\n"
    )
    nothing_written(register)


def test_a_binary_config_file(cli, register, tmp_path, monkeypatch):
    config = tmp_path / "binary.toml"
    config.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    monkeypatch.setenv("STM_CONFIG", str(config))
    one_line(cli("actors", "list"), 2, f"{config}: not a text file (byte 0x89 at 0)")


@pytest.mark.parametrize("value", ["gestern", "2026-13-01", "20.11.2026 10:00"])
def test_an_invalid_stm_now(cli, register, monkeypatch, value):
    monkeypatch.setenv("STM_NOW", value)
    one_line(cli("actors", "add", "Kita"), 2, f"STM_NOW: {value!r} is not a date and time; "
             "use ISO, e.g. 2026-11-20T10:00")  # fmt: skip
    nothing_written(register)


def test_a_time_the_clocks_skip_is_refused(cli, register):
    result = cli("event", "add", "Nachtwanderung", "--date", "28.3.2027", "--time", "2:30")
    one_line(result, 2, "--time: 02:30 on 28.03.2027 does not exist in Europe/Berlin (the "
             "clocks go forward that night); use 03:30 or a time before the change")  # fmt: skip
    nothing_written(register)
    end = cli("event", "add", "Nachtwanderung", "--date", "28.3.2027", "--time", "1:00",
              "--end", "2:15")  # fmt: skip
    one_line(end, 2, "--end: 02:15 on 28.03.2027 does not exist")
    autumn = cli("event", "add", "Nachtwanderung", "--date", "31.10.2027", "--time", "2:30")
    assert autumn.exit_code == 0, autumn.output  # twice in autumn: taken as the first


@pytest.mark.parametrize(
    "char, name", [("\x1b", "U+001B"), ("\x07", "U+0007"), ("\x08", "U+0008"), ("\x9b", "U+009B")]
)
def test_control_characters_are_refused_in_text(cli, register, char, name):
    result = cli("actors", "add", f"Kita{char}[31mRot")
    one_line(result, 2, f"name: holds the control character {name} at position 5")
    notes = cli("actors", "add", "Kita", "--notes", f"Zeile 1\nZeile{char} 2")
    one_line(notes, 2, f"--notes: holds the control character {name}")
    nothing_written(register)


def test_tabs_and_line_breaks_stay_allowed_where_text_has_lines(cli, register):
    result = cli("actors", "add", "Kita", "--notes", "Zeile 1\n\tZeile 2\r\nZeile 3", "--json")
    assert result.exit_code == 0, result.output
    assert register.count(Actor) == 1


def test_an_import_refuses_control_characters(cli, register, tmp_path, checking):
    path = write_crlf(tmp_path / "liste.csv", "Name;E-Mail\nKita\x1b[2J;k@example.org\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "line 2", "control character U+001B")


def test_a_full_disk_is_named(cli, register, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import stm.services.actors as actors

    def full(*args, **kwargs):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(actors, "add_actor", full)
    one_line(cli("actors", "add", "Kita"), 1, "the disk is full (database or disk is full); "
             "nothing was written; free some space")  # fmt: skip
    nothing_written(register)


def test_a_full_disk_while_backing_up_is_named(cli, register, tmp_path, monkeypatch):
    import errno

    from stm.backups import backup, sqlite_copy

    def full(source, staged):
        raise OSError(errno.ENOSPC, "No space left on device", str(staged))

    monkeypatch.setattr(sqlite_copy, "copy_sqlite", full)
    monkeypatch.setattr(backup, "copy_rows", lambda *a, **k: full(None, tmp_path / "x"))
    result = cli("db", "backup", "-o", str(tmp_path / "copy.sqlite"))
    one_line(result, 1, "the disk is full writing")
    assert not (tmp_path / "copy.sqlite").exists()
    assert not list(tmp_path.glob(".copy.sqlite.*"))


def test_an_ics_event_in_year_1_is_refused(cli, register, tmp_path):
    path = tmp_path / "alt.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:alt@example.org\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Uralt\r\n"
        "DTSTART;VALUE=DATE:00010101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    result = cli("event", "import", str(path))
    one_line(result, 2, "DTSTART: '0001-01-01' is outside the years stm keeps")
    nothing_written(register)


def test_a_huge_number_no_field_checks_is_still_one_line(cli, register):
    result = cli("search", "fest", "--limit", str(10**30))
    one_line(result, 2, "a number given is too large")
