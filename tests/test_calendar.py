"""`stm calendar`: a month grid with events and holidays, today highlighted."""

from __future__ import annotations

import json


def _month(cli, *args):
    result = cli("calendar", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _days(data):
    return {day["date"]: day for week in data["weeks"] for day in week}


def test_the_jubilee_in_june_2022(cli, register):
    cli("event", "add", "750 Jahre Dorf Schmarl", "--date", "18.06.2022", "--district", "schmarl")
    grid = cli("calendar", "--month", "2022-06", "--district", "schmarl")
    assert grid.exit_code == 0, grid.output
    assert "June 2022" in grid.stdout
    assert "750 Jahre Dorf" in grid.stdout and "Pfingstmontag" in grid.stdout
    lines = grid.stdout.splitlines()
    header = next(line for line in lines if "Mon" in line and "Sun" in line)
    saturday_column = header.index("Sat")
    row = next(i for i, line in enumerate(lines) if " 18 " in line)
    assert "750 Jahre" in lines[row + 1][saturday_column - 2 :]


def test_the_month_as_data(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "3.11.2026",
        "--time",
        "14:00",
        "--repeat",
        "weekly",
    )
    cli("event", "add", "Kunstwoche", "--date", "30.11.2026", "--end", "2.12.2026")
    data = _month(cli, "--month", "11.2026")
    assert data["month"] == "2026-11"
    assert all(len(week) == 7 for week in data["weeks"])
    days = _days(data)
    assert data["weeks"][0][0]["date"] == "2026-10-26"  # weeks start on Monday
    assert days["2026-11-20"]["today"] is True
    assert sum(day["today"] for day in days.values()) == 1
    tuesdays = [
        d for d, day in days.items() if any(e["title"] == "Sprechstunde" for e in day["events"])
    ]
    assert tuesdays == ["2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24", "2026-12-01"]
    assert days["2026-11-03"]["events"][0]["time"] == "14:00"
    spanning = [
        d for d, day in days.items() if any(e["title"] == "Kunstwoche" for e in day["events"])
    ]
    assert spanning == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert days["2026-12-01"]["in_month"] is False


def test_holidays_follow_the_district_state(cli, register):
    stern = _days(_month(cli, "--month", "2026-05", "--district", "am-stern"))
    schmarl = _days(_month(cli, "--month", "2026-05", "--district", "schmarl"))
    assert stern["2026-05-24"]["holidays"] == ["Pfingstsonntag"]
    assert schmarl["2026-05-24"]["holidays"] == []
    assert schmarl["2026-05-25"]["holidays"] == ["Pfingstmontag"]
    both = _days(_month(cli, "--month", "2026-03"))
    assert both["2026-03-08"]["holidays"] == ["Frauentag (MV)"]


def test_default_month_is_this_one_with_today_marked(cli, register):
    result = cli("calendar")
    assert result.exit_code == 0
    assert "November 2026" in result.stdout and "▶20 today" in result.stdout


def test_cancelled_events_are_shown_struck_in_data(cli, register):
    cli("event", "add", "Sommerkino", "--date", "14.8.2026", "--time", "21:00")
    cli("event", "cancel", "Sommerkino")
    days = _days(_month(cli, "--month", "2026-08"))
    assert days["2026-08-14"]["events"][0]["status"] == "cancelled"


def test_a_bad_month_is_exit_2(cli, register):
    result = cli("calendar", "--month", "2026-13")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --month:") and "YYYY-MM" in result.stderr


def test_an_unknown_district_is_exit_2(cli, register):
    result = cli("calendar", "--district", "schmal")
    assert result.exit_code == 2 and "did you mean 'schmarl'?" in result.stderr


def test_calendar_imports_neither_sqlmodel_nor_pydantic(cli, register):
    """The read path (issue #15): the month grid reads over the light tables."""
    from read_path import run_fresh

    added = cli("event", "add", "Adventsmarkt", "--date", "5.12.2026", "--district", "schmarl")
    assert added.exit_code == 0, added.output
    output, loaded = run_fresh("calendar", "--month", "2026-12", "--district", "schmarl", "--json")
    data = json.loads(output)
    assert data["states"] == ["MV"]
    assert [e["title"] for e in _days(data)["2026-12-05"]["events"]] == ["Adventsmarkt"]
    assert loaded == {}  # neither sqlmodel nor pydantic, with who imported it
