"""iCalendar: export for any calendar program, import from other programs' files."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import select

from helpers import json_of
from stm.models import Event, EventOccurrence

FIXTURES = (
    Path(
        os.environ.get("STM_FIXTURES", Path(__file__).resolve().parents[2] / "shared" / "fixtures")
    )
    / "external"
    / "ics"
)
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"external fixtures not found at {FIXTURES} (set STM_FIXTURES)"
)


def _listed(cli, start, end, *args):
    return json_of(cli("event", "list", "--from", start, "--to", end, *args, "--json"))


def _calendar_with_events(cli):
    cli("actors", "add", "Heimatverein Dorf Schmarl e.V.", "--kind", "association")
    cli(
        "event",
        "add",
        "750 Jahre Dorf Schmarl",
        "--date",
        "18.06.2022",
        "-d",
        "schmarl",
        "--kind",
        "fest",
        "--organiser",
        "Heimatverein Dorf Schmarl e.V.",
    )
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
        "jeden 2. Dienstag bis 31.12.2027",
        "--location",
        "Haus 12",
        "-d",
        "schmarl",
        "--kind",
        "sprechstunde",
    )
    cli("event", "cancel", "Mieterberatung", "--on", "12.1.2027")
    cli(
        "event",
        "edit",
        "Mieterberatung",
        "--on",
        "9.2.2027",
        "--time",
        "17:00",
        "--location",
        "Börse",
    )
    cli(
        "event",
        "add",
        "Flohmarkt, Trödel; mehr",
        "--date",
        "9.5.2027",
        "--time",
        "9:00",
        "--end",
        "14:00",
        "--location",
        "Haus 12, Schmarl",
        "--description",
        "Tische: 5 €\nAnmeldung",
    )
    cli("event", "add", "Sommerkino", "--date", "14.8.2026", "--time", "21:00", "-d", "gross-klein")
    cli("event", "cancel", "Sommerkino")


def _export(cli, tmp_path, *args) -> Calendar:
    target = tmp_path / "out.ics"
    result = cli("event", "export", *args, "-o", str(target))
    assert result.exit_code == 0, result.output
    return Calendar.from_ical(target.read_bytes())


def _events(calendar: Calendar) -> dict[str, list]:
    found: dict[str, list] = {}
    for component in calendar.walk("VEVENT"):
        found.setdefault(str(component["SUMMARY"]), []).append(component)
    return found


# --------------------------------------------------------------------------- export


def test_export_is_valid_icalendar_with_a_berlin_timezone(cli, register, tmp_path):
    _calendar_with_events(cli)
    calendar = _export(cli, tmp_path)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()
    events = _events(calendar)
    jubilee = events["750 Jahre Dorf Schmarl"][0]
    assert jubilee["DTSTART"].dt == date(2022, 6, 18) and jubilee["DTEND"].dt == date(2022, 6, 19)
    assert str(jubilee["X-STM-DISTRICTS"]) == "schmarl" and str(jubilee["X-STM-KIND"]) == "fest"
    assert str(jubilee["CONTACT"]) == "Heimatverein Dorf Schmarl e.V."
    flea = events["Flohmarkt, Trödel; mehr"][0]
    assert str(flea["LOCATION"]) == "Haus 12, Schmarl"
    assert str(flea["DESCRIPTION"]) == "Tische: 5 €\nAnmeldung"
    assert flea["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert flea["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 5, 9, 9, 0)
    assert str(events["Sommerkino"][0]["STATUS"]) == "CANCELLED"


def test_export_keeps_rules_cancelled_and_changed_dates(cli, register, tmp_path):
    _calendar_with_events(cli)
    calendar = _export(cli, tmp_path)
    text = (tmp_path / "out.ics").read_text(encoding="utf-8")
    series, moved = sorted(_events(calendar)["Mieterberatung"], key=lambda c: "RECURRENCE-ID" in c)
    assert "RRULE:FREQ=MONTHLY;UNTIL=20271231T225959Z;BYDAY=2TU" in text
    assert [d.dt.replace(tzinfo=None) for d in series["EXDATE"].dts] == [
        datetime(2027, 1, 12, 16, 0)
    ]
    assert moved["RECURRENCE-ID"].dt.replace(tzinfo=None) == datetime(2027, 2, 9, 16, 0)
    assert moved["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 2, 9, 17, 0)
    assert moved["DTEND"].dt.replace(tzinfo=None) == datetime(2027, 2, 9, 19, 0)
    assert str(moved["LOCATION"]) == "Börse"
    assert str(moved["UID"]) == str(series["UID"])


def test_uids_are_stable_across_exports(cli, register, tmp_path):
    _calendar_with_events(cli)
    first = {str(c["UID"]) for c in _export(cli, tmp_path).walk("VEVENT")}
    second = {str(c["UID"]) for c in _export(cli, tmp_path).walk("VEVENT")}
    with register.session() as session:
        stored = {e.uid for e in session.exec(select(Event)).all()}
    assert first == second == stored


def test_export_with_filters(cli, register, tmp_path):
    _calendar_with_events(cli)
    schmarl = _events(_export(cli, tmp_path, "--district", "schmarl"))
    assert set(schmarl) == {"750 Jahre Dorf Schmarl", "Mieterberatung"}
    from_2027 = _events(_export(cli, tmp_path, "--from", "1.1.2027"))
    assert set(from_2027) == {"Mieterberatung", "Flohmarkt, Trödel; mehr"}
    assert _events(_export(cli, tmp_path, "--kind", "fest")).keys() == {"750 Jahre Dorf Schmarl"}


def test_export_to_stdout(cli, register):
    cli("event", "add", "Fest", "--date", "1.12.2026")
    result = cli("event", "export", "--format", "ics")
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "SUMMARY:Fest" in result.stdout


def test_round_trip_into_another_register(cli, register, tmp_path):
    _calendar_with_events(cli)
    _export(cli, tmp_path)
    before = _listed(cli, "1.1.2022", "31.12.2027")
    other = tmp_path / "other.sqlite"
    assert cli("--db", str(other), "init").exit_code == 0
    imported = cli("--db", str(other), "event", "import", str(tmp_path / "out.ics"))
    assert "Imported 4 events from out.ics: 4 added, 0 updated" in imported.stdout
    after = json_of(
        cli(
            "--db",
            str(other),
            "event",
            "list",
            "--from",
            "1.1.2022",
            "--to",
            "31.12.2027",
            "--json",
        )
    )
    keep = (
        "title",
        "kind",
        "start",
        "end",
        "all_day",
        "districts",
        "location",
        "status",
        "occurrence",
        "rrule",
        "uid",
    )
    assert [{k: e[k] for k in keep} for e in after] == [{k: e[k] for k in keep} for e in before]


# ------------------------------------------------------------------ import of others' files


def _import(cli, path, *args):
    return cli("event", "import", str(path), *args)


@needs_fixtures
def test_import_every_external_fixture(cli, register):
    files = sorted(FIXTURES.glob("*.ics"))
    assert len(files) >= 4
    for path in files:
        result = _import(cli, path)
        assert result.exit_code == 0, (path.name, result.output)


@needs_fixtures
def test_a_bare_vevent_all_day_and_daily(cli, register):
    result = _import(cli, FIXTURES / "khal_event_d_rr.ics")
    assert "1 added" in result.stdout
    listed = _listed(cli, "1.4.2014", "30.4.2014")
    assert [e["start"] for e in listed] == [f"2014-04-{d:02d}" for d in range(9, 19)]
    assert {(e["title"], e["all_day"], e["end"] == e["start"]) for e in listed} == {
        ("Another Event", True, True)
    }


@needs_fixtures
def test_berlin_rule_with_exdates(cli, register):
    _import(cli, FIXTURES / "khal_event_rrule_exdate_timezone_datetime.ics")
    december = _listed(cli, "1.12.2025", "31.12.2025")
    assert [(e["title"], e["start"], e["end"], e["status"]) for e in december] == [
        ("Monthly Report", "2025-12-27T07:00", "2025-12-27T12:00", "cancelled")
    ]
    november = _listed(cli, "1.11.2026", "30.11.2026")
    assert [(e["start"], e["status"]) for e in november] == [("2026-11-28T07:00", "planned")]
    assert _listed(cli, "1.1.2031", "31.12.2031") == []  # UNTIL 2030-12-31 06:00 UTC
    # RFC 5545: DTSTART (29 June 2024, not a 4th Saturday) counts as a date of its own.
    june = _listed(cli, "1.6.2024", "30.6.2024")
    assert [(e["start"], e["recurring"]) for e in june] == [("2024-06-29T07:00", False)]
    with register.session() as session:
        event = session.exec(select(Event).where(Event.rrule.is_not(None))).one()
        assert event.rrule == "FREQ=MONTHLY;BYDAY=+4SA;UNTIL=20301231T070000"
        assert event.until == datetime(2030, 12, 28, 7, 0)


@needs_fixtures
def test_a_timezone_defined_by_rdates(cli, register):
    _import(cli, FIXTURES / "khal_event_dt_simple_inkl_vtimezone.ics")
    listed = _listed(cli, "9.4.2014", "9.4.2014")
    assert [(e["title"], e["start"], e["end"]) for e in listed] == [
        ("An Event", "2014-04-09T09:30", "2014-04-09T10:30")
    ]


@needs_fixtures
def test_utc_times_and_escaped_commas(cli, register):
    _import(cli, FIXTURES / "icalendar_issue_127_categories_with_commas.ics")
    listed = _listed(cli, "4.2.2014", "4.2.2014")
    assert [(e["title"], e["start"]) for e in listed] == [
        ("Test Event with Categories Containing Commas", "2014-02-04T15:00")
    ]
    # "Meeting\, John" is one category, not the kind "meeting" and a stray "John".
    assert listed[0]["kind"] == "sonstiges"


@needs_fixtures
def test_categories_with_escaped_commas_are_read_whole():
    from stm.formats.ics import read_calendar

    data = (FIXTURES / "icalendar_issue_127_categories_with_commas.ics").read_bytes()
    read = read_calendar(data, "Europe/Berlin")
    assert read.events[0].categories == ["Meeting, John", "Work, Sarah", "Project"]


@needs_fixtures
def test_importing_again_updates_by_uid(cli, register):
    path = FIXTURES / "khal_event_rrule_exdate_timezone_datetime.ics"
    _import(cli, path)
    again = _import(cli, path)
    assert "0 added, 2 updated" in again.stdout  # the series, and its start off the rule
    assert register.count(Event) == 2
    assert register.count(EventOccurrence) == 7


SERIES_WITH_OVERRIDES = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kollegin//Kalender//DE
BEGIN:VEVENT
UID:sprechstunde@kollegin.example
DTSTAMP:20261101T080000Z
DTSTART;TZID=Europe/Berlin:20261103T140000
DTEND;TZID=Europe/Berlin:20261103T160000
RRULE:FREQ=WEEKLY;COUNT=6
SUMMARY:Sprechstunde Börse
LOCATION:Börse\\, Raum 2
CATEGORIES:Sprechstunde
END:VEVENT
BEGIN:VEVENT
UID:sprechstunde@kollegin.example
DTSTAMP:20261101T080000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261110T140000
DTSTART:20261111T090000Z
DTEND:20261111T110000Z
SUMMARY:Sprechstunde (verlegt)
END:VEVENT
BEGIN:VEVENT
UID:sprechstunde@kollegin.example
DTSTAMP:20261101T080000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261117T140000
DTSTART;TZID=Europe/Berlin:20261117T140000
STATUS:CANCELLED
SUMMARY:Sprechstunde Börse
END:VEVENT
BEGIN:VEVENT
UID:flohmarkt@kollegin.example
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20270508
SUMMARY:Flohmarkt
CATEGORIES:Markt
END:VEVENT
END:VCALENDAR
"""


def test_recurrence_id_overrides_all_day_and_utc(cli, register, tmp_path):
    path = tmp_path / "kollegin.ics"
    path.write_text(SERIES_WITH_OVERRIDES.replace("\n", "\r\n"), encoding="utf-8")
    result = _import(cli, path, "--district", "gross-klein")
    assert "Imported 2 events from kollegin.ics: 2 added, 0 updated" in result.stdout
    listed = _listed(cli, "1.11.2026", "30.11.2026")
    assert [(e["occurrence"], e["start"], e["title"], e["status"]) for e in listed] == [
        ("2026-11-03", "2026-11-03T14:00", "Sprechstunde Börse", "planned"),
        ("2026-11-10", "2026-11-11T10:00", "Sprechstunde (verlegt)", "planned"),
        ("2026-11-17", "2026-11-17T14:00", "Sprechstunde Börse", "cancelled"),
        ("2026-11-24", "2026-11-24T14:00", "Sprechstunde Börse", "planned"),
    ]
    assert listed[0]["location"] == "Börse, Raum 2" and listed[0]["kind"] == "sprechstunde"
    assert listed[0]["districts"] == ["gross-klein"]
    flea = _listed(cli, "8.5.2027", "8.5.2027")
    assert [(e["title"], e["all_day"], e["kind"]) for e in flea] == [("Flohmarkt", True, "markt")]


def test_import_json_summary(cli, register, tmp_path):
    path = tmp_path / "kollegin.ics"
    path.write_text(SERIES_WITH_OVERRIDES, encoding="utf-8")
    summary = json_of(cli("event", "import", str(path), "--json"))
    assert (summary["added"], summary["updated"], summary["skipped"]) == (2, 0, [])
    assert [e["title"] for e in summary["events"]] == ["Sprechstunde Börse", "Flohmarkt"]


# --------------------------------------------------------------------------- broken files

ONE_BAD_EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//x//y//DE
BEGIN:VEVENT
UID:good-1@example
DTSTART:20261201T100000
SUMMARY:Gut
END:VEVENT
BEGIN:VEVENT
UID:bad@example
DTSTART:2026-12-02
SUMMARY:Kaputt
END:VEVENT
BEGIN:VEVENT
UID:absurd@example
DTSTART:20261203T100000
RRULE:FREQ=DAILY;COUNT=1000000000
SUMMARY:Endlos
END:VEVENT
BEGIN:VEVENT
UID:good-2@example
DTSTART:20261204T100000
SUMMARY:Auch gut
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!DOCTYPE html><html><body>Kalender nicht gefunden</body></html>", "HTML"),
        (b"", "the file is empty"),
        (b"   \r\n", "the file is empty"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261201T100000\r\nSUMM",
            "cut off",
        ),
        (b"Name;Datum\r\nFest;1.12.2026\r\n", "does not start with BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no events"),
    ],
)
def test_a_file_that_is_not_icalendar_imports_nothing(cli, register, tmp_path, content, message):
    path = tmp_path / "kalender.ics"
    path.write_bytes(content)
    result = _import(cli, path)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: FILE:")
    assert message in result.stderr
    assert register.count(Event) == 0


def test_one_bad_event_among_good_ones_names_it_and_imports_nothing(cli, register, tmp_path):
    path = tmp_path / "gemischt.ics"
    path.write_text(ONE_BAD_EVENT, encoding="utf-8")
    result = _import(cli, path)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "2 of 4 events cannot be read, nothing imported" in result.stderr
    assert "event 2 'Kaputt' (UID bad@example): DTSTART" in result.stderr
    assert (
        "event 3 'Endlos' (UID absurd@example): RRULE: COUNT=1000000000 is out of range"
        in result.stderr
    )
    assert "--skip-invalid" in result.stderr
    assert register.count(Event) == 0


def test_skip_invalid_imports_the_good_ones(cli, register, tmp_path):
    path = tmp_path / "gemischt.ics"
    path.write_text(ONE_BAD_EVENT, encoding="utf-8")
    result = _import(cli, path, "--skip-invalid")
    assert result.exit_code == 0
    assert "Imported 2 events from gemischt.ics: 2 added, 0 updated" in result.stdout
    assert "Skipped event 2 'Kaputt'" in result.stderr
    with register.session() as session:
        assert sorted(e.title for e in session.exec(select(Event)).all()) == ["Auch gut", "Gut"]


def test_a_missing_file_is_exit_2(cli, register, tmp_path):
    result = _import(cli, tmp_path / "nirgends.ics")
    assert result.exit_code == 2 and "does not exist" in result.stderr
