"""Limits on expansion (issue #10, item 5): no rule gives more than one date a day, from
`event add` and from an ICS file alike; a list cuts a series at a stated bound and says so."""

from __future__ import annotations

import json

import pytest

from stm.models import Event

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults


@pytest.mark.parametrize(
    "rule, part",
    [
        ("FREQ=DAILY;BYHOUR=8,20", "BYHOUR=8,20"),
        ("FREQ=YEARLY;BYMINUTE=0,1,2,3", "BYMINUTE=0,1,2,3"),
        ("FREQ=WEEKLY;BYSECOND=0,30", "BYSECOND=0,30"),
        ("FREQ=MONTHLY;BYHOUR=9", "BYHOUR=9"),  # a time of its own: not the event's 18:00
    ],
)
def test_a_rule_with_times_of_day_is_refused(cli, register, rule, part):
    result = cli("event", "add", "Sprechstunde", "--date", "1.12.2026", "--time", "18:00",
                 "--repeat", rule)  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --repeat: {part}: a rule gives at most one date a day, at the event's start "
        f"time (18:00); leave {part.split('=')[0]} out and set the time with --time\n"
    )
    assert register.count(Event) == 0


def test_the_start_s_own_hour_is_no_second_date(cli, register):
    result = cli("event", "add", "Sprechstunde", "--date", "1.12.2026", "--time", "18:00",
                 "--repeat", "FREQ=WEEKLY;BYHOUR=18", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("event", "show", str(json.loads(result.stdout)["id"]), "--json").stdout)
    assert "BYHOUR" not in json.dumps(shown)


def test_an_ics_rule_with_times_of_day_is_refused(cli, register, tmp_path):
    path = tmp_path / "termine.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:viele@example.org\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Viele Termine\r\n"
        "DTSTART:20261201T080000\r\nRRULE:FREQ=YEARLY;BYHOUR=8,9,10,11;BYMINUTE=0,15,30,45\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    result = cli("event", "import", str(path))
    assert result.exit_code == 2, result.output
    assert "BYHOUR=8,9,10,11: a rule gives at most one date a day" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert register.count(Event) == 0


def test_a_list_cuts_a_series_at_1000_dates_and_says_so(cli, register):
    added = cli("event", "add", "Frühstück", "--date", "1.1.2000", "--time", "8:00",
                "--repeat", "daily", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    event_id = json.loads(added.stdout)["id"]
    result = cli("event", "list", "--from", "1.1.2000", "--to", "31.12.2010", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) == 1000
    assert listed[-1]["start"] == "2002-09-26T08:00"
    assert result.stderr == (
        f"Warning: event #{event_id} 'Frühstück' has 4018 dates in this window; the first "
        "1000 are listed (to 2002-09-26); narrow --from/--to to see the others\n"
    )
    year = cli("event", "list", "--from", "1.1.2001", "--to", "31.12.2001", "--json")
    assert len(json.loads(year.stdout)) == 365 and year.stderr == ""
