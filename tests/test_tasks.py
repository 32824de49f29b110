"""`stm tasks`: tasks from meetings and free ones; list, close, reopen.

The clock is pinned to Friday, 20 November 2026: a task due on 10 November is overdue.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from helpers import ok
from stm.models import Activity, Task


@pytest.fixture
def meetings_with_tasks(cli, register) -> None:
    """Two Stadtteiltische, each with a meeting; tasks from their minutes and a free one."""
    ok(
        cli(
            "networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl"
        )
    )
    ok(
        cli(
            "networks",
            "add",
            "Stadtteiltisch Groß Klein",
            "--kind",
            "stadtteiltisch",
            "-d",
            "gross-klein",
        )
    )
    ok(cli("actors", "add", "Anna Müller", "--kind", "person"))
    ok(cli("actors", "add", "Kita Ostseekinder", "--kind", "kita"))
    ok(cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "3.11.2026", "--time", "18:00"))
    ok(
        cli(
            "meeting", "new", "stadtteiltisch-gross-klein", "--date", "4.11.2026", "--time", "17:00"
        )
    )
    ok(
        cli(
            "minutes",
            "task",
            "1",
            "3",
            "Aushang machen",
            "--owner",
            "Kita Ostseekinder",
            "--due",
            "10.11.2026",
        )
    )
    ok(
        cli(
            "minutes",
            "task",
            "1",
            "3",
            "Flohmarkt planen",
            "--owner",
            "Anna Müller",
            "--due",
            "1.12.2026",
        )
    )
    ok(cli("minutes", "task", "2", "3", "Sprechstunde ankündigen", "--owner", "Anna Müller"))
    ok(
        cli(
            "tasks",
            "add",
            "Fotos für die WIR2 sammeln",
            "--owner",
            "Anna Müller",
            "--due",
            "15.11.2026",
        )
    )


def _titles(cli, *args: str) -> list[str]:
    return [t["title"] for t in json.loads(ok(cli("tasks", "list", *args, "--json")).stdout)]


def test_add_a_free_task_prints_its_record(cli, register):
    ok(cli("actors", "add", "Heike Sommerfeld", "--kind", "person"))
    result = cli("tasks", "add", "Raum buchen", "--owner", "Heike Sommerfeld", "--due", "1.12.2026")
    assert result.stdout == "Added task #1 Raum buchen\n"
    record = json.loads(ok(cli("tasks", "add", "Kaffee kaufen", "--json")).stdout)
    assert {"id", "title", "owner", "due", "status", "meeting"} <= set(record)
    assert (record["id"], record["owner"], record["due"], record["status"], record["meeting"]) == (
        2,
        None,
        None,
        "open",
        None,
    )


def test_list_sorted_by_due_date_and_filtered(cli, register, meetings_with_tasks):
    assert _titles(cli) == [
        "Aushang machen",
        "Fotos für die WIR2 sammeln",
        "Flohmarkt planen",
        "Sprechstunde ankündigen",
    ]  # undated last
    assert _titles(cli, "--overdue") == ["Aushang machen", "Fotos für die WIR2 sammeln"]
    assert _titles(cli, "--owner", "anna müller") == [
        "Fotos für die WIR2 sammeln",
        "Flohmarkt planen",
        "Sprechstunde ankündigen",
    ]
    assert _titles(cli, "--network", "stadtteiltisch-schmarl") == [
        "Aushang machen",
        "Flohmarkt planen",
    ]
    assert _titles(cli, "--meeting", "2") == ["Sprechstunde ankündigen"]
    overdue = json.loads(cli("tasks", "list", "--json").stdout)[0]
    assert (overdue["overdue"], overdue["meeting_title"], overdue["top"]) == (
        True,
        "1. Stadtteiltisch Schmarl",
        3,
    )


def test_done_and_reopen(cli, register, meetings_with_tasks):
    assert ok(cli("tasks", "done", "1")).stdout == "Task #1 done (2026-11-20): Aushang machen\n"
    ok(cli("tasks", "done", "2", "--on", "18.11.2026"))
    assert _titles(cli, "--open") == ["Fotos für die WIR2 sammeln", "Sprechstunde ankündigen"]
    assert _titles(cli, "--done") == ["Aushang machen", "Flohmarkt planen"]
    with register.session() as session:
        assert str(session.get(Task, 2).done_on) == "2026-11-18"
    assert ok(cli("tasks", "reopen", "2")).stdout == "Task #2 is open again: Flohmarkt planen\n"
    assert "Flohmarkt planen" in _titles(cli, "--open")
    with register.session() as session:
        actions = session.exec(select(Activity.action).where(Activity.entity == "task")).all()
    assert actions.count("task.done") == 2 and "task.reopen" in actions


def test_table_and_csv(cli, register, meetings_with_tasks):
    table = ok(cli("tasks", "list", "--open")).stdout
    assert "Aushang machen" in table and "1. Stadtteiltisch Schmarl" in table
    lines = ok(cli("tasks", "list", "--format", "csv")).stdout.splitlines()
    assert lines[0].startswith("id,title,owner,owner_id,due,status,meeting")
    assert lines[1].startswith("1,Aushang machen,Kita Ostseekinder,2,2026-11-10,open,1")


def test_task_singular_group_name_works(cli, register, meetings_with_tasks):
    assert (
        ok(cli("task", "list", "--overdue", "--json")).stdout
        == ok(cli("tasks", "list", "--overdue", "--json")).stdout
    )


# --------------------------------------------------------------------------- bad input


def test_bad_input(cli, register):
    ok(cli("actors", "add", "Anna Müller", "--kind", "person"))
    result = cli("tasks", "add", "Raum buchen", "--owner", "Ana Müller")
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: no owner 'Ana Müller'; did you mean 'Anna Müller'? "
        "(see 'stm actors list --search …')\n"
    )
    result = cli("tasks", "add", "Raum buchen", "--due", "bald")
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: --due: 'bald' is not a date; use"
    )
    result = cli("tasks", "add", "  ")
    assert result.exit_code == 2 and result.stderr == "Error: task: must not be empty\n"
    assert register.count(Task) == 0
    assert cli("tasks", "done", "7").stderr == "Error: no task with id 7\n"
    result = cli("tasks", "done", "sieben")
    assert result.exit_code == 2
    assert "task: 'sieben' is not an id" in result.stderr
    result = cli("tasks", "list", "--open", "--done")
    assert result.exit_code == 2 and "give either --open or --done" in result.stderr


def test_done_twice_is_refused(cli, register):
    ok(cli("tasks", "add", "Raum buchen"))
    ok(cli("tasks", "done", "1"))
    result = cli("tasks", "done", "1")
    assert result.exit_code == 1
    assert result.stderr == "Error: task #1 is already done on 2026-11-20\n"
    assert cli("tasks", "reopen", "1").exit_code == 0
    assert cli("tasks", "reopen", "1").stderr == "Error: task #1 is open already\n"
