"""Events: add, list, show, edit, cancel, attendance; holidays, clashes, and bad input.

The clock is pinned to Friday, 20 November 2026, 10:00 (conftest).
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import select

from helpers import json_of
from stm.models import Activity, Event, EventDistrict, EventOccurrence, EventOrganiser

EVENT_KEYS = {
    "id",
    "title",
    "kind",
    "start",
    "end",
    "all_day",
    "districts",
    "location",
    "status",
    "organisers",
    "attendance",
}


def _listed(cli, *args):
    return json_of(cli("event", "list", *args, "--json"))


def _titles(cli, *args):
    return [(e["title"], e["start"]) for e in _listed(cli, *args)]


# --------------------------------------------------------------------------- add


def test_add_the_jubilee_with_a_german_date(cli, register):
    result = cli(
        "event",
        "add",
        "750 Jahre Dorf Schmarl",
        "--date",
        "18.06.2022",
        "--district",
        "schmarl",
        "--kind",
        "fest",
    )
    assert result.exit_code == 0, result.output
    assert "Added event #1 750 Jahre Dorf Schmarl: Sat 18.06.2022, all day" in result.stdout
    with register.session() as session:
        event = session.exec(select(Event)).one()
        assert (event.start, event.end, event.all_day) == (
            datetime(2022, 6, 18),
            datetime(2022, 6, 19),
            True,
        )
        assert event.kind == "fest" and event.uid.endswith("@stm")


def test_add_json_prints_the_whole_record(cli, register):
    cli("actors", "add", "Bürgerhaus Stern*Zeichen", "--kind", "social")
    record = json_of(
        cli(
            "event",
            "add",
            "Stadtteilfest Am Stern",
            "--date",
            "13.6.2026",
            "--time",
            "14 Uhr",
            "--end",
            "20:00",
            "--district",
            "Am Stern",
            "--location",
            "Festwiese",
            "--organiser",
            "bürgerhaus stern*zeichen",
            "--expected",
            "1500",
            "--json",
        )
    )
    assert set(record) >= EVENT_KEYS
    assert record["start"] == "2026-06-13T14:00" and record["end"] == "2026-06-13T20:00"
    assert record["all_day"] is False
    assert record["districts"] == ["am-stern"]
    assert record["organisers"] == ["Bürgerhaus Stern*Zeichen"]
    assert (record["expected"], record["attendance"], record["status"]) == (1500, None, "planned")


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("heute", "2026-11-20"),
        ("morgen", "2026-11-21"),
        ("today", "2026-11-20"),
        ("8.12.26", "2026-12-08"),
    ],
)
def test_relative_and_short_dates(cli, register, word, day):
    record = json_of(cli("event", "add", "Treffen", "--date", word, "--time", "18:00", "--json"))
    assert record["start"] == f"{day}T18:00"


def test_a_multi_day_event_ends_on_its_last_day(cli, register):
    record = json_of(
        cli("event", "add", "Kunstwoche", "--date", "1.6.2026", "--end", "7.6.2026", "--json")
    )
    assert (record["start"], record["end"], record["all_day"]) == ("2026-06-01", "2026-06-07", True)
    with register.session() as session:
        assert session.exec(select(Event)).one().end == datetime(2026, 6, 8)


def test_add_a_repeating_event_says_the_rule_back(cli, register):
    result = cli(
        "event",
        "add",
        "Mieterberatung",
        "--date",
        "8.12.2026",
        "--time",
        "16:00",
        "--end",
        "18:00",
        "--repeat",
        "jeden 2. Dienstag",
        "--kind",
        "sprechstunde",
    )
    assert result.exit_code == 0, result.output
    assert "Repeats every month on the 2nd Tuesday" in result.stdout
    with register.session() as session:
        event = session.exec(select(Event)).one()
        assert event.rrule == "FREQ=MONTHLY;BYDAY=2TU"
        assert event.until is None  # open-ended


def test_a_start_the_rule_skips_moves_to_its_first_date(cli, register):
    result = cli(
        "event",
        "add",
        "Mieterberatung",
        "--date",
        "1.12.2026",
        "--time",
        "16:00",
        "--repeat",
        "every 2nd tuesday",
    )
    assert "the rule's first date is Tue 08.12.2026" in result.stderr
    with register.session() as session:
        assert session.exec(select(Event)).one().start == datetime(2026, 12, 8, 16, 0)


def test_count_rules_store_their_last_date(cli, register):
    cli(
        "event",
        "add",
        "Kurs",
        "--date",
        "8.12.2026",
        "--time",
        "10:00",
        "--repeat",
        "FREQ=WEEKLY;COUNT=3",
    )
    with register.session() as session:
        assert session.exec(select(Event)).one().until == datetime(2026, 12, 22, 10, 0)


def test_other_services_create_events_through_the_service(register, cli):
    """Meetings make an event of kind meeting; `stm event list` shows it."""
    from stm.services import events

    with register.session() as session:
        event = events.create_event(
            session,
            events.EventFields(
                title="12. Stadtteiltisch Schmarl",
                kind="meeting",
                start_at=datetime(2026, 12, 8, 18, 0),
                end_at=datetime(2026, 12, 8, 20, 0),
                districts=["schmarl"],
                location="Haus 12",
            ),
        )
        assert event.id == 1
    listed = _listed(cli, "--kind", "meeting")
    assert [(e["title"], e["start"], e["end"]) for e in listed] == [
        ("12. Stadtteiltisch Schmarl", "2026-12-08T18:00", "2026-12-08T20:00")
    ]


def test_changes_are_logged(cli, register):
    cli("event", "add", "Flohmarkt", "--date", "9.5.2027")
    with register.session() as session:
        entry = session.exec(select(Activity).where(Activity.action == "event.add")).one()
    assert entry.summary == "Flohmarkt" and entry.entity_id == 1


# --------------------------------------------------------------------------- list


def test_list_defaults_to_today_and_eight_weeks(cli, register):
    cli("event", "add", "Gestern", "--date", "19.11.2026", "--time", "10:00")
    cli("event", "add", "Heute", "--date", "20.11.2026", "--time", "9:00")
    cli("event", "add", "In acht Wochen", "--date", "14.1.2027", "--time", "10:00")
    cli("event", "add", "Zu spät", "--date", "15.1.2027", "--time", "10:00")
    assert [t for t, _ in _titles(cli)] == ["Heute", "In acht Wochen"]


def test_list_expands_a_series_inside_the_window_only(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "3.1.2017",
        "--time",
        "14:00",
        "--end",
        "17:00",
        "--repeat",
        "weekly",
        "--kind",
        "sprechstunde",
    )
    listed = _listed(cli, "--from", "1.12.2026", "--to", "31.12.2026")
    assert [e["start"] for e in listed] == [
        "2026-12-01T14:00",
        "2026-12-08T14:00",
        "2026-12-15T14:00",
        "2026-12-22T14:00",
        "2026-12-29T14:00",
    ]
    assert {e["id"] for e in listed} == {1}
    assert listed[0]["occurrence"] == "2026-12-01" and listed[0]["recurring"] is True
    assert listed[0]["end"] == "2026-12-01T17:00"


def test_list_filters_by_district_kind_project_organiser_and_status(cli, register):
    cli("actors", "add", "Heimatverein", "--kind", "association")
    cli("projects", "add", "Stadtteilkampagne Groß Klein")
    cli(
        "event",
        "add",
        "Flohmarkt",
        "--date",
        "1.12.2026",
        "-d",
        "schmarl",
        "--kind",
        "markt",
        "--organiser",
        "Heimatverein",
    )
    cli(
        "event",
        "add",
        "Putzaktion",
        "--date",
        "2.12.2026",
        "-d",
        "gross-klein",
        "--kind",
        "aktion",
        "--project",
        "stadtteilkampagne",
    )
    cli("event", "add", "Fest", "--date", "3.12.2026", "-d", "drewitz", "--kind", "fest")
    cli("event", "cancel", "Fest")

    def titles(*args: str) -> list[str]:
        return [t for t, _ in _titles(cli, "--from", "1.12.2026", "--to", "31.12.2026", *args)]

    assert titles() == ["Flohmarkt", "Putzaktion", "Fest"]
    assert titles("--district", "Schmarl") == ["Flohmarkt"]
    assert titles("-d", "schmarl", "-d", "groß klein") == ["Flohmarkt", "Putzaktion"]
    assert titles("--kind", "aktion") == ["Putzaktion"]
    assert titles("--project", "Stadtteilkampagne Groß Klein") == ["Putzaktion"]
    assert titles("--organiser", "heimatverein") == ["Flohmarkt"]
    assert titles("--status", "cancelled") == ["Fest"]


def test_list_table_csv_and_an_empty_window(cli, register):
    cli("event", "add", "Adventsmarkt", "--date", "5.12.2026", "--time", "14:00", "--end", "18:00")
    table = cli("event", "list").stdout
    assert "Sat 05.12.2026 14:00–18:00" in table and "Adventsmarkt" in table
    csv_lines = cli("event", "list", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("id,title,kind,start,end,all_day,districts,location,status")
    empty = cli("event", "list", "--from", "1.1.2030", "--to", "2.1.2030")
    assert "No events in this window." in empty.stdout


def test_a_long_event_begun_before_the_window_is_listed(cli, register):
    cli("event", "add", "Ausstellung", "--date", "1.11.2026", "--end", "31.12.2026")
    assert _titles(cli, "--from", "1.12.2026", "--to", "2.12.2026") == [
        ("Ausstellung", "2026-11-01")
    ]


# --------------------------------------------------------------------------- show, edit


def test_show_states_the_rule_in_words(cli, register):
    cli(
        "event",
        "add",
        "Mieterberatung",
        "--date",
        "8.12.2026",
        "--time",
        "16:00",
        "--end",
        "18:00",
        "--repeat",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=12",
        "--location",
        "Haus 12",
    )
    shown = cli("event", "show", "mieterberatung").stdout
    assert "every month on the 2nd Tuesday, 12 times" in shown
    assert "Next dates" in shown and "2027-01-12" in shown
    record = json_of(cli("event", "show", "1", "--json"))
    assert record["repeats"] == "every month on the 2nd Tuesday, 12 times"
    assert record["until"] == "2027-11-09T16:00"
    assert [d["occurrence"] for d in record["next"]][:2] == ["2026-12-08", "2027-01-12"]


def test_edit_the_series_keeps_its_length(cli, register):
    cli("event", "add", "Stadtteilfest", "--date", "13.6.2026", "--time", "14:00", "--end", "20:00")
    result = cli(
        "event",
        "edit",
        "Stadtteilfest",
        "--time",
        "15:00",
        "--location",
        "Sternplatz",
        "--expected",
        "800",
    )
    assert result.exit_code == 0, result.output
    record = json_of(cli("event", "show", "Stadtteilfest", "--json"))
    assert (record["start"], record["end"]) == ("2026-06-13T15:00", "2026-06-13T21:00")
    assert (record["location"], record["expected"]) == ("Sternplatz", 800)


def test_edit_one_date_of_a_series(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--end",
        "16:00",
        "--repeat",
        "weekly",
        "--location",
        "Börse",
    )
    result = cli(
        "event",
        "edit",
        "Sprechstunde",
        "--on",
        "8.12.2026",
        "--date",
        "10.12.2026",
        "--location",
        "Haus 12",
    )
    assert result.exit_code == 0, result.output
    listed = _listed(cli, "--from", "1.12.2026", "--to", "16.12.2026")
    assert [(e["start"], e["location"], e["occurrence"]) for e in listed] == [
        ("2026-12-01T14:00", "Börse", "2026-12-01"),
        ("2026-12-10T14:00", "Haus 12", "2026-12-08"),
        ("2026-12-15T14:00", "Börse", "2026-12-15"),
    ]
    refused = cli("event", "edit", "Sprechstunde", "--on", "8.12.2026", "--kind", "fest")
    assert refused.exit_code == 2
    assert "--kind cannot change for one date" in refused.stderr


def test_a_series_moved_to_another_time_keeps_its_changed_dates(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--end",
        "16:00",
        "--repeat",
        "weekly",
    )
    cli("event", "cancel", "Sprechstunde", "--on", "8.12.2026")
    cli("event", "edit", "Sprechstunde", "--time", "15:00")
    listed = _listed(cli, "--from", "1.12.2026", "--to", "15.12.2026")
    assert [(e["start"], e["end"], e["status"]) for e in listed] == [
        ("2026-12-01T15:00", "2026-12-01T17:00", "planned"),
        ("2026-12-08T15:00", "2026-12-08T17:00", "cancelled"),
        ("2026-12-15T15:00", "2026-12-15T17:00", "planned"),
    ]


def test_a_series_moved_to_other_days_drops_changes_of_dates_it_no_longer_has(cli, register):
    cli("event", "add", "Sprechstunde", "--date", "1.12.2026", "--time", "14:00",
        "--repeat", "jeden Dienstag")  # fmt: skip
    cli("event", "edit", "Sprechstunde", "--on", "8.12.2026", "--date", "10.12.2026")
    cli("event", "cancel", "Sprechstunde", "--on", "15.12.2026")
    result = cli("event", "edit", "Sprechstunde", "--date", "2.12.2026", "--repeat",
                 "jeden Mittwoch")  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = _listed(cli, "--from", "1.12.2026", "--to", "20.12.2026")
    assert [(e["start"], e["status"]) for e in listed] == [
        ("2026-12-02T14:00", "planned"),
        ("2026-12-09T14:00", "planned"),
        ("2026-12-16T14:00", "planned"),
    ]
    shown = json_of(cli("event", "show", "Sprechstunde", "--json"))
    assert shown["changes"] == []  # the changed Tuesdays are not dates of the series
    exported = cli("event", "export", "--from", "1.12.2026", "--to", "31.12.2026").stdout
    assert "RECURRENCE-ID" not in exported and "RRULE:FREQ=WEEKLY;BYDAY=WE" in exported
    report = json.loads(cli("report", "monthly", "--month", "2026-12", "--format", "json").stdout)
    assert [e["start"][:10] for e in report["events"]] == [
        "2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30",
    ]  # fmt: skip


def test_edit_repeat_none_makes_it_one_off(cli, register):
    cli("event", "add", "Kurs", "--date", "1.12.2026", "--time", "10:00", "--repeat", "weekly")
    cli("event", "edit", "Kurs", "--repeat", "none")
    assert _titles(cli, "--from", "1.12.2026", "--to", "31.12.2026") == [
        ("Kurs", "2026-12-01T10:00")
    ]


# --------------------------------------------------------------------------- cancel, attendance


def test_cancel_one_date_keeps_the_others(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--repeat",
        "weekly",
    )
    result = cli("event", "cancel", "Sprechstunde", "--on", "8.12.2026")
    assert result.stdout.strip() == "Cancelled event #1 Sprechstunde on Tue 08.12.2026"
    statuses = [
        (e["start"][:10], e["status"])
        for e in _listed(cli, "--from", "1.12.2026", "--to", "15.12.2026")
    ]
    assert statuses == [
        ("2026-12-01", "planned"),
        ("2026-12-08", "cancelled"),
        ("2026-12-15", "planned"),
    ]


def test_cancel_the_series_keeps_it_in_the_register(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--repeat",
        "weekly",
    )
    assert cli("event", "cancel", "1").exit_code == 0
    assert {e["status"] for e in _listed(cli, "--from", "1.12.2026", "--to", "31.12.2026")} == {
        "cancelled"
    }
    assert register.count(Event) == 1
    again = cli("event", "cancel", "1")
    assert again.exit_code == 1 and "cancelled already" in again.stderr


def test_attendance_marks_the_event_held(cli, register):
    cli("event", "add", "750 Jahre Dorf Schmarl", "--date", "18.06.2022")
    result = cli("event", "attendance", "750 Jahre Dorf Schmarl", "2500")
    assert "Recorded 2500 participants for event #1" in result.stdout
    record = json_of(cli("event", "show", "1", "--json"))
    assert (record["attendance"], record["status"]) == (2500, "held")


def test_attendance_of_one_date_of_a_series(cli, register):
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
    needs_date = cli("event", "attendance", "Sprechstunde", "7")
    assert needs_date.exit_code == 2 and "--on: event #1 repeats" in needs_date.stderr
    assert cli("event", "attendance", "Sprechstunde", "7", "--on", "10.11.2026").exit_code == 0
    listed = _listed(cli, "--from", "3.11.2026", "--to", "17.11.2026")
    assert [(e["occurrence"], e["attendance"], e["status"]) for e in listed] == [
        ("2026-11-03", None, "planned"),
        ("2026-11-10", 7, "held"),
        ("2026-11-17", None, "planned"),
    ]


def test_attendance_for_a_future_event_is_refused(cli, register):
    cli("event", "add", "Adventsmarkt", "--date", "5.12.2026")
    result = cli("event", "attendance", "Adventsmarkt", "300")
    assert result.exit_code == 1 and "in the future" in result.stderr
    with register.session() as session:
        assert session.exec(select(Event)).one().attendance is None


# --------------------------------------------------------------------------- holidays, clashes


def test_a_holiday_warns_and_the_event_is_added(cli, register):
    result = cli(
        "event",
        "add",
        "Reformationsfeier",
        "--date",
        "31.10.2026",
        "--time",
        "10:00",
        "--district",
        "schmarl",
    )
    assert result.exit_code == 0
    assert (
        "Warning: Sat 31.10.2026 is a public holiday in Schmarl (MV): Reformationstag"
        in result.stderr
    )
    assert register.count(Event) == 1


def test_brandenburg_and_mecklenburg_vorpommern_differ(cli, register):
    frauentag_mv = cli("event", "add", "A", "--date", "8.3.2026", "-d", "schmarl")
    frauentag_bb = cli("event", "add", "B", "--date", "8.3.2026", "-d", "am-stern")
    pfingstsonntag_bb = cli("event", "add", "C", "--date", "24.5.2026", "-d", "drewitz")
    pfingstsonntag_mv = cli("event", "add", "D", "--date", "24.5.2026", "-d", "gross-klein")
    assert "Frauentag" in frauentag_mv.stderr and frauentag_bb.stderr == ""
    assert "Pfingstsonntag" in pfingstsonntag_bb.stderr and pfingstsonntag_mv.stderr == ""


def test_without_districts_the_configured_state_decides(cli, register):
    assert cli("event", "add", "A", "--date", "8.3.2026").stderr == ""  # nationwide: no holiday
    cli("config", "set", "state", "MV")
    assert "Frauentag" in cli("event", "add", "B", "--date", "8.3.2026").stderr


def test_a_series_names_the_holidays_it_meets(cli, register):
    result = cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "10:00",
        "--repeat",
        "daily",
        "-d",
        "schmarl",
    )
    assert "dates are public holidays: Fri 25.12.2026 Erster Weihnachtstag" in result.stderr


def test_a_clash_at_the_same_place_names_the_other_event(cli, register):
    cli(
        "event",
        "add",
        "Stadtteiltisch",
        "--date",
        "8.12.2026",
        "--time",
        "18:00",
        "--end",
        "20:00",
        "--location",
        "Haus 12",
    )
    clash = cli(
        "event",
        "add",
        "Chorprobe",
        "--date",
        "8.12.2026",
        "--time",
        "19:00",
        "--location",
        "haus 12",
    )
    assert clash.exit_code == 0
    assert (
        "Warning: overlaps 'Stadtteiltisch' (#1) at Haus 12 on Tue 08.12.2026 18:00–20:00"
        in clash.stderr
    )
    elsewhere = cli(
        "event", "add", "Yoga", "--date", "8.12.2026", "--time", "19:00", "--location", "Börse"
    )
    later = cli(
        "event",
        "add",
        "Nachtreffen",
        "--date",
        "8.12.2026",
        "--time",
        "20:00",
        "--location",
        "Haus 12",
    )
    assert "overlaps" not in elsewhere.stderr and "overlaps" not in later.stderr
    assert register.count(Event) == 4


def test_a_clash_with_one_date_of_a_series(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--end",
        "17:00",
        "--repeat",
        "weekly",
        "--location",
        "Börse",
    )
    clash = cli(
        "event",
        "add",
        "Infoabend",
        "--date",
        "15.12.2026",
        "--time",
        "16:00",
        "--location",
        "Börse",
    )
    assert "overlaps 'Sprechstunde' (#1) at Börse on Tue 15.12.2026 14:00–17:00" in clash.stderr


def test_moving_one_date_warns_too(cli, register):
    cli(
        "event",
        "add",
        "Chor",
        "--date",
        "25.12.2026",
        "--time",
        "10:00",
        "--end",
        "12:00",
        "--location",
        "Haus 12",
    )
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "10:00",
        "-d",
        "schmarl",
        "--repeat",
        "weekly",
        "--location",
        "Börse",
    )
    moved = cli(
        "event",
        "edit",
        "Sprechstunde",
        "--on",
        "22.12.2026",
        "--date",
        "25.12.2026",
        "--location",
        "Haus 12",
    )
    assert moved.exit_code == 0, moved.output
    assert (
        "Fri 25.12.2026 is a public holiday in Schmarl (MV): Erster Weihnachtstag" in moved.stderr
    )
    assert "overlaps 'Chor' (#1) at Haus 12" in moved.stderr


# --------------------------------------------------------------------------- references


def test_an_ambiguous_title_lists_the_candidates(cli, register):
    cli("event", "add", "Flohmarkt", "--date", "9.5.2026")
    cli("event", "add", "Flohmarkt", "--date", "9.5.2027")
    result = cli("event", "show", "flohmarkt")
    assert result.exit_code == 1
    assert (
        "#1 Flohmarkt (2026-05-09)" in result.stderr
        and "#2 Flohmarkt (2027-05-09)" in result.stderr
    )


def test_an_unknown_event_is_exit_1(cli, register):
    cli("event", "add", "Flohmarkt", "--date", "9.5.2026")
    result = cli("event", "show", "Flohmarkd")
    assert result.exit_code == 1 and "did you mean 'Flohmarkt'?" in result.stderr
    assert cli("event", "show", "99").stderr.strip() == "Error: no event with id 99"


def test_on_a_date_the_series_does_not_have(cli, register):
    cli(
        "event",
        "add",
        "Sprechstunde",
        "--date",
        "1.12.2026",
        "--time",
        "14:00",
        "--repeat",
        "weekly",
    )
    result = cli("event", "cancel", "Sprechstunde", "--on", "9.12.2026")
    assert result.exit_code == 2
    assert "event #1 has no date on 2026-12-09; its dates near it: 2026-12-01" in result.stderr
    with register.session() as session:
        assert session.exec(select(EventOccurrence)).all() == []


# --------------------------------------------------------------------------- bad input


def _nothing_written(register) -> None:
    assert register.count(Event) == 0
    assert register.count(EventDistrict) == 0
    assert register.count(EventOrganiser) == 0


def _one_line(result, code: int, *parts: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for part in parts:
        assert part in lines[0]


@pytest.mark.parametrize(
    ("args", "code", "parts"),
    [
        (["--date", "30.02.2026"], 2, ["--date:", "'30.02.2026' is not a calendar date"]),
        (["--date", "1.12.2026", "--time", "25:00"], 2, ["--time:", "not a time of day"]),
        (
            ["--date", "1.12.2026", "--time", "18:00", "--end", "17:00"],
            2,
            ["--end:", "is not after the start 2026-12-01 18:00"],
        ),
        (["--date", "5.6.2026", "--end", "4.6.2026"], 2, ["--end:", "is before the start"]),
        (["--date", "1.12.2026", "--repeat", "sometimes maybe"], 2, ["--repeat:", "not a rule"]),
        (["--date", "1.12.2026", "--repeat", "FREQ=WEEKLY;BYDAY=XX"], 2, ["--repeat:", "BYDAY"]),
        (
            ["--date", "1.12.2026", "--repeat", "FREQ=WEEKLY;COUNT=1000000000"],
            2,
            ["--repeat:", "COUNT=1000000000 is out of range"],
        ),
        (
            ["--date", "1.12.2026", "--organiser", "Niemand e.V."],
            1,
            ["no organiser 'Niemand e.V.'"],
        ),
        (["--date", "1.12.2026", "--project", "Gibtsnicht"], 1, ["no project 'Gibtsnicht'"]),
        (["--date", "1.12.2026", "--district", "schmal"], 2, ["did you mean 'schmarl'?"]),
        (["--date", "1.12.2026", "--kind", "makrt"], 2, ["--kind:", "did you mean 'markt'?"]),
        (["--date", "1.12.2026", "--expected", "-5"], 2, ["--expected:", "negative"]),
        (["--date", "1.12.2026", "--time", "10:00", "--all-day"], 2, ["--time:"]),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli, register, args, code, parts):
    result = cli("event", "add", "Stadtteilfest", *args)
    _one_line(result, code, *parts)
    _nothing_written(register)


def test_missing_title_or_date_in_a_script_is_exit_2(cli, register):
    _one_line(cli("event", "add", "--date", "1.12.2026"), 2, "title: is required")
    _one_line(cli("event", "add", "Fest"), 2, "--date: is required")
    _nothing_written(register)


def test_bad_edit_changes_nothing(cli, register):
    cli("event", "add", "Fest", "--date", "1.12.2026", "--time", "14:00", "--end", "16:00")
    _one_line(cli("event", "edit", "Fest", "--end", "13:00"), 2, "--end:")
    _one_line(cli("event", "edit", "Fest", "--date", "31.11.2026"), 2, "--date:")
    record = json_of(cli("event", "show", "Fest", "--json"))
    assert (record["start"], record["end"]) == ("2026-12-01T14:00", "2026-12-01T16:00")


def test_to_before_from_is_exit_2(cli, register):
    _one_line(cli("event", "list", "--from", "2.12.2026", "--to", "1.12.2026"), 2, "--to:")


# --------------------------------------------------------------------------- the fast listing


def test_the_light_listing_tables_match_the_models():
    """occurrences.py reads through Core descriptions; they must name real columns."""
    from stm.models import load_all
    from stm.services import occurrences

    load_all()
    from sqlmodel import SQLModel

    for light in (
        occurrences.EVENT,
        occurrences.EVENT_OCCURRENCE,
        occurrences.EVENT_DISTRICT,
        occurrences.EVENT_ORGANISER,
        occurrences.DISTRICT,
        occurrences.ACTOR,
        occurrences.PROJECT,
    ):
        real = SQLModel.metadata.tables[light.name]
        assert set(light.c.keys()) <= set(real.c.keys()), light.name
        for column in light.c:
            assert column.type._type_affinity is real.c[column.key].type._type_affinity, column.key


def test_event_list_does_not_build_the_orm_classes(register):
    import subprocess
    import sys

    code = (
        "import sys\nfrom stm.cli import main\n"
        "sys.argv = ['stm', 'event', 'list', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('stm.models'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "LOADED []" in result.stderr, result.stderr


def test_demo_has_a_year_of_events(cli, demo):
    listed = _listed(cli, "--from", "2026-05-20", "--to", "2027-05-20")
    titles = {e["title"] for e in listed}
    assert {
        "Stadtteilfest Am Stern",
        "Campusfest Am Stern",
        "Adventsmarkt Drewitz",
        "Stadtteilflohmarkt Schmarl",
        "Sprechstunde des Stadtteilmanagements",
    } <= titles
    assert any(t.startswith("Frühjahrsputz") for t in titles)
    assert {d for e in listed for d in e["districts"]} == {
        "am-stern",
        "drewitz",
        "gross-klein",
        "schmarl",
    }
    past = [e for e in listed if e["start"] < "2026-11-20" and e["status"] == "held"]
    assert past and all(e["attendance"] for e in past if e["kind"] == "fest")
    future = [e for e in listed if e["start"] > "2026-11-21" and e["kind"] != "meeting"]
    assert future and {e["status"] for e in future} == {"planned"}
    jubilee = _listed(cli, "--from", "18.6.2022", "--to", "18.6.2022")
    assert [(e["title"], e["attendance"]) for e in jubilee] == [("750 Jahre Dorf Schmarl", 2500)]
    assert any(e["recurring"] and e["kind"] == "sprechstunde" for e in listed)


# --------------------------------------------------------------------------- delete


def test_event_delete_needs_yes_in_scripts_and_asks_on_a_terminal(cli, register, monkeypatch):
    import stm.cli._common

    cli("event", "add", "Stadtteilfest Schmarl (doppelt)", "--date", "5.6.2027", "-d", "schmarl")
    refused = cli("event", "delete", "Stadtteilfest Schmarl (doppelt)")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: --yes: this changes data irreversibly; confirm with --yes in scripts\n"
    )
    monkeypatch.setattr(stm.cli._common, "is_terminal", lambda: True)
    kept = cli("event", "delete", "1", input="n\n")
    assert kept.exit_code == 1 and "Delete event #1 Stadtteilfest Schmarl (doppelt)?" in kept.output
    assert register.count(Event) == 1
    deleted = cli("event", "delete", "1", input="y\n")
    assert deleted.exit_code == 0, deleted.output
    assert "Deleted event #1 Stadtteilfest Schmarl (doppelt)" in deleted.stdout
    assert register.count(Event) == 0
    assert json.loads(cli("search", "stadtteilfest", "--json").stdout) == []


def test_event_delete_takes_a_meeting_without_minutes_and_keeps_one_with(cli, register):
    cli("networks", "add", "Stadtteiltisch Schmarl", "-k", "stadtteiltisch", "-d", "schmarl")
    cli("actors", "add", "Kita Ostseekinder", "--kind", "kita")
    cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "3.11.2026", "--time", "18:00")
    cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026")
    cli("minutes", "attend", "1", "Kita Ostseekinder")
    kept = cli("event", "delete", "1", "--yes")
    assert kept.exit_code == 1
    assert kept.stderr == (
        "Error: event #1 1. Stadtteiltisch Schmarl is meeting #1, which has minutes "
        "(1 attendance); it is kept (cancel it instead)\n"
    )
    result = cli("event", "delete", "2. Stadtteiltisch Schmarl", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Deleted meeting #2 (2. Stadtteiltisch Schmarl) with its ")
    meetings = json.loads(cli("meeting", "list", "--json").stdout)
    assert [m["number"] for m in meetings] == [1]
    assert register.count(Event) == 1
