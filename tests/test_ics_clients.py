"""stm's iCalendar in real calendar programs (khal, vobject): the time zone by rules, every
date and time as the program shows it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from clients_support import client, run_client


def _events(cli) -> None:
    cli("actors", "add", "Heimatverein Dorf Schmarl e.V.", "--kind", "association")
    cli(
        "event", "add", "Mieterberatung Müller", "--date", "8.12.2026", "--time", "16:00",
        "--end", "18:00", "--repeat", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20271231",
        "--location", "Haus 12, Straße der Jugend", "-d", "schmarl",
    )  # fmt: skip
    cli(
        "event", "add", "750 Jahre Dorf Schmarl", "--date", "18.06.2027", "-d", "schmarl",
        "--kind", "fest", "--organiser", "Heimatverein Dorf Schmarl e.V.",
    )  # fmt: skip


def _export(cli, tmp_path: Path) -> bytes:
    path = tmp_path / "stadtteil.ics"
    result = cli("event", "export", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_the_time_zone_is_stated_by_yearly_rules_before_the_events(cli, register, tmp_path):
    _events(cli)
    text = _export(cli, tmp_path).decode()
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    assert "RDATE" not in zone


def test_vobject_reads_summer_and_winter_time_right_in_every_year(cli, register, tmp_path):
    import vobject

    _events(cli)
    calendar = vobject.readOne(_export(cli, tmp_path).decode())
    berlin = calendar.vtimezone.gettzinfo()
    for year in range(2022, 2061):
        summer = datetime(year, 7, 1, 12, tzinfo=berlin).utcoffset()
        winter = datetime(year, 1, 15, 12, tzinfo=berlin).utcoffset()
        assert (summer, winter) == (timedelta(hours=2), timedelta(hours=1)), year
        # The change itself: the last Sunday of March, 02:00 → 03:00.
        last_sunday = max(
            datetime(year, 3, day) for day in range(25, 32) if datetime(year, 3, day).weekday() == 6
        )
        before = (last_sunday + timedelta(hours=1, minutes=59)).replace(tzinfo=berlin)
        after = (last_sunday + timedelta(hours=3, minutes=1)).replace(tzinfo=berlin)
        assert (before.utcoffset(), after.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    series = next(e for e in calendar.vevent_list if e.summary.value == "Mieterberatung Müller")
    starts = list(series.getrruleset())
    assert starts[0] == datetime(2026, 12, 8, 16, 0, tzinfo=berlin)
    july = next(s for s in starts if s.month == 7)
    assert july.utcoffset() == timedelta(hours=2) and (july.hour, july.minute) == (16, 0)
    assert series.location.value == "Haus 12, Straße der Jugend"
    fest = next(e for e in calendar.vevent_list if e.summary.value == "750 Jahre Dorf Schmarl")
    assert fest.dtstart.value == date(2027, 6, 18)
    assert fest.contact.value == "Heimatverein Dorf Schmarl e.V."


def _khal(tmp_path: Path, data: bytes) -> tuple[str, Path]:
    """khal with a calendar folder holding the export, one file per UID."""
    from icalendar import Calendar

    khal = client("khal")
    calendar = Calendar.from_ical(data)
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list] = {}
    for component in calendar.subcomponents:
        if component.name == "VEVENT":
            by_uid.setdefault(str(component["UID"]), []).append(component)
    folder = tmp_path / "khal" / "stm"
    folder.mkdir(parents=True)
    for number, components in enumerate(by_uid.values()):
        one = Calendar()
        one.add("prodid", "-//test//")
        one.add("version", "2.0")
        for component in [*zones, *components]:
            one.add_component(component)
        (folder / f"{number}.ics").write_bytes(one.to_ical())
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[stm]]\npath = {folder}\n[sqlite]\npath = {tmp_path / 'khal.db'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Berlin\ndefault_timezone = Europe/Berlin\n",
        encoding="utf-8",
    )
    return khal, config


def khal_list(khal: str, config: Path, start: str, end: str) -> list[str]:
    out = run_client(
        khal, "-c", str(config), "list", "--day-format", "",
        "--format", "{start} {end} {title} | {location}", start, end,
    )  # fmt: skip
    return [line for line in out.splitlines() if line.strip()]


def test_khal_shows_every_date_and_time_across_the_clock_changes(cli, register, tmp_path):
    _events(cli)
    cli("event", "cancel", "Mieterberatung Müller", "--on", "12.1.2027")
    khal, config = _khal(tmp_path, _export(cli, tmp_path))
    spring = khal_list(khal, config, "2027-03-20", "2027-04-04")
    assert spring == [
        "2027-03-23 16:00 2027-03-23 18:00 Mieterberatung Müller | Haus 12, Straße der Jugend",
        "2027-03-30 16:00 2027-03-30 18:00 Mieterberatung Müller | Haus 12, Straße der Jugend",
    ]
    january = khal_list(khal, config, "2027-01-05", "2027-01-20")
    assert [line[:16] for line in january] == ["2027-01-05 16:00", "2027-01-19 16:00"]
    (fest,) = khal_list(khal, config, "2027-06-18", "2027-06-18")
    assert fest.startswith("2027-06-18 2027-06-18 750 Jahre Dorf Schmarl |")  # all day
    october = khal_list(khal, config, "2027-10-25", "2027-11-03")
    assert [line[:16] for line in october] == ["2027-10-26 16:00", "2027-11-02 16:00"]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
def test_the_rules_give_the_zone_s_offsets_for_decades(zone):
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    from stm.formats.ics import vtimezone

    calendar = Calendar()
    calendar.add_component(vtimezone(zone, 2026))
    calendar.add("version", "2.0")
    import vobject

    tz = vobject.readOne(calendar.to_ical().decode()).vtimezone.gettzinfo()
    real = ZoneInfo(zone)
    moment = datetime(2024, 1, 1, 12)
    while moment.year < 2040:
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=real).utcoffset()
        moment += timedelta(days=5, hours=7)
