"""Recurrence rules: readable forms, RRULEs, words, and expansion inside a window only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from stm import recurrence
from stm.errors import Invalid
from stm.recurrence import (
    MAX_COUNT,
    describe_rule,
    last_start,
    parse_rule,
    starts_between,
)

START = datetime(2026, 12, 1, 16, 0)  # a Tuesday, the 1st Tuesday of December 2026


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("monthly", "FREQ=MONTHLY"),
        ("daily", "FREQ=DAILY"),
        ("yearly", "FREQ=YEARLY"),
        ("wöchentlich", "FREQ=WEEKLY"),
        ("Monatlich", "FREQ=MONTHLY"),
        ("every 2nd tuesday", "FREQ=MONTHLY;BYDAY=2TU"),
        ("Every second Tuesday of the month", "FREQ=MONTHLY;BYDAY=2TU"),
        ("jeden 2. Dienstag", "FREQ=MONTHLY;BYDAY=2TU"),
        ("jeden 2. Dienstag im Monat", "FREQ=MONTHLY;BYDAY=2TU"),
        ("jeden letzten Freitag", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("every last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("jeden 1. und 3. Montag", "FREQ=MONTHLY;BYDAY=1MO,3MO"),
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU"),
        ("dienstags", "FREQ=WEEKLY;BYDAY=TU"),
        ("jeden Dienstag und Donnerstag", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("every other tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("alle 2 Wochen", "FREQ=WEEKLY;INTERVAL=2"),
        ("alle zwei Wochen", "FREQ=WEEKLY;INTERVAL=2"),
        ("14-tägig", "FREQ=WEEKLY;INTERVAL=2"),
        ("every 3 months", "FREQ=MONTHLY;INTERVAL=3"),
        ("werktags", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("jeden 15.", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("monatlich, 12-mal", "FREQ=MONTHLY;COUNT=12"),
        ("weekly 10 times", "FREQ=WEEKLY;COUNT=10"),
        ("weekly until 31.12.2027", "FREQ=WEEKLY;UNTIL=20271231T235959"),
        ("jeden 2. Dienstag bis 31.12.2027", "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T235959"),
        ("FREQ=MONTHLY;BYDAY=2TU;COUNT=12", "FREQ=MONTHLY;BYDAY=2TU;COUNT=12"),
        ("RRULE:freq=weekly;byday=tu", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
    ],
)
def test_readable_and_rfc_forms(text, rule):
    assert parse_rule(text, START) == rule


@pytest.mark.parametrize(
    ("rule", "english", "german"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "every month on the 2nd Tuesday", "monatlich am 2. Dienstag"),
        (
            "FREQ=WEEKLY;BYDAY=TU,TH",
            "every week on Tuesday and Thursday",
            "wöchentlich am Dienstag und Donnerstag",
        ),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks", "alle 2 Wochen"),
        (
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
            "every month on the last Friday, 12 times",
            "monatlich am letzten Freitag, 12-mal",
        ),
        ("FREQ=YEARLY;BYMONTH=6", "every year in June", "jährlich im Juni"),
        (
            "FREQ=WEEKLY;UNTIL=20271231T235959",
            "every week, until 2027-12-31",
            "wöchentlich, bis 31.12.2027",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th", "monatlich am 15."),
    ],
)
def test_rule_in_words(rule, english, german):
    assert describe_rule(rule, START) == english
    assert describe_rule(rule, START, lang="de") == german


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("garbage", "is not a rule I know"),
        ("FREQ=SOMETIMES", "FREQ=SOMETIMES is not DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=WEEKLY;COUNT=1000000000", f"COUNT=1000000000 is out of range; 1 to {MAX_COUNT}"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT=0 is out of range"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20270101", "give COUNT or UNTIL, not both"),
        ("FREQ=HOURLY", "events repeat at most daily"),
        ("FREQ=WEEKLY;UNTIL=20200101", "is before the start"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX"),
        ("FREQ=WEEKLY;FOO=1", "unknown rule part 'FOO'"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "gives no date on or after the start"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0 is out of range"),
        ("BYDAY=TU", "FREQ is missing"),
        ("", "is empty"),
        ("every 2nd tuesday until 30.02.2027", "not a calendar date"),
    ],
)
def test_bad_rules_name_the_option_and_the_form(text, message):
    with pytest.raises(Invalid) as caught:
        parse_rule(text, START)
    assert caught.value.field == "repeat"  # the domain field; the CLI shows --repeat
    assert message in caught.value.message


def test_the_start_that_the_rule_skips_is_reported_by_first_start():
    rule = parse_rule("jeden 2. Dienstag", START)
    assert recurrence.first_start(rule, START) == datetime(2026, 12, 8, 16, 0)


def test_an_open_ended_rule_never_expands_beyond_the_window():
    rule = parse_rule("FREQ=DAILY", datetime(2000, 1, 1, 9, 0))
    found = starts_between(
        rule, datetime(2000, 1, 1, 9), None, datetime(2026, 11, 1), datetime(2026, 11, 8)
    )
    assert found == [datetime(2026, 11, d, 9, 0) for d in range(1, 8)]


def test_last_start_of_count_and_until_rules():
    assert last_start("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", START) == datetime(2027, 2, 9, 16, 0)
    assert last_start("FREQ=DAILY;UNTIL=21001231T235959", START) == datetime(2100, 12, 31, 16, 0)
    assert last_start("FREQ=WEEKLY", START) is None


def test_until_in_utc_becomes_wall_clock_time():
    rule = parse_rule("FREQ=WEEKLY;UNTIL=20301231T060000Z", datetime(2026, 1, 3, 7, 0))
    assert rule == "FREQ=WEEKLY;UNTIL=20301231T070000"


# ------------------------------------------------------------------------- properties

FREQS = st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
DAYS = st.sampled_from(recurrence.WEEKDAYS)


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(FREQS)
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 4))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    shape = draw(st.sampled_from(["plain", "byday", "nth", "monthday", "setpos"]))
    if shape == "byday":
        days = draw(st.lists(DAYS, min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    elif shape == "nth" and freq in ("MONTHLY", "YEARLY"):
        parts.append(f"BYDAY={draw(st.sampled_from([1, 2, 3, 4, -1]))}{draw(DAYS)}")
    elif shape == "monthday" and freq in ("MONTHLY", "YEARLY"):
        parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 5, 15, 28, 29, 30, 31, -1]))}")
    elif shape == "setpos" and freq == "MONTHLY":
        parts.append("BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")
    if freq == "WEEKLY" and draw(st.booleans()):
        parts.append(f"WKST={draw(DAYS)}")
    if draw(st.integers(0, 4)) == 0:  # times of day of its own, earlier than the start's
        parts.append(f"BYHOUR={draw(st.sampled_from(['0', '8', '8,20', '23']))}")
    end = draw(st.sampled_from(["open", "count", "until"]))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    elif end == "until":
        parts.append(f"UNTIL={draw(st.dates(date(2021, 1, 1), date(2031, 1, 1))):%Y%m%d}T235959")
    return ";".join(parts)


STARTS = st.datetimes(datetime(2015, 1, 1), datetime(2027, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rules(), start=STARTS, offset=st.integers(-400, 4000), length=st.integers(1, 120))
@example(rule="FREQ=MONTHLY;BYMONTHDAY=31", start=datetime(2020, 1, 31, 10), offset=1500, length=60)
@example(
    rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU",
    start=datetime(2019, 5, 3, 18),
    offset=2000,
    length=30,
)
@example(rule="FREQ=YEARLY", start=datetime(2016, 2, 29, 12), offset=3000, length=120)
@example(
    rule="FREQ=MONTHLY;BYDAY=2TU;COUNT=40", start=datetime(2020, 1, 1, 16), offset=1000, length=60
)
def test_window_expansion_equals_walking_from_the_start(rule, start, offset, length):
    """Starting near the window (the speed-up) finds exactly what dateutil finds from the start."""
    try:
        checked = recurrence.check_rule(rule, start)
    except Invalid:
        assume(False)
    lower = datetime.combine(start.date() + timedelta(days=offset), datetime.min.time())
    upper = lower + timedelta(days=length)
    expected = [
        s for s in rrulestr(checked, dtstart=start).between(lower, upper, inc=True) if s < upper
    ]
    until = last_start(checked, start)
    assert starts_between(checked, start, until, lower, upper) == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
@example(text="FREQ=")
@example(text="FREQ=WEEKLY;COUNT=99999999999999")
@example(text="every 99999999 weeks")
@example(text="jeden 0. Dienstag")
def test_parsing_any_text_gives_a_rule_or_invalid(text):
    try:
        rule = parse_rule(text, START)
    except Invalid as error:
        assert error.field == "repeat" and error.message
        return
    assert rrulestr(rule, dtstart=START).after(START, inc=True) is not None
    assert describe_rule(rule, START)


ORDINALS_EN = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
ORDINALS_DE = {1: "1.", 2: "2.", 3: "3.", 4: "4.", -1: "letzten"}
DAY_WORDS = {
    "MO": ("monday", "Montag"),
    "TU": ("tuesday", "Dienstag"),
    "WE": ("wednesday", "Mittwoch"),
    "TH": ("thursday", "Donnerstag"),
    "FR": ("friday", "Freitag"),
    "SA": ("saturday", "Samstag"),
    "SU": ("sunday", "Sonntag"),
}


@given(n=st.sampled_from([1, 2, 3, 4, -1]), day=DAYS, german=st.booleans(), upper=st.booleans())
def test_nth_weekday_in_either_language(n, day, german, upper):
    text = (
        f"jeden {ORDINALS_DE[n]} {DAY_WORDS[day][1]}"
        if german
        else f"every {ORDINALS_EN[n]} {DAY_WORDS[day][0]}"
    )
    rule = parse_rule(text.upper() if upper else text, START)
    assert rule == f"FREQ=MONTHLY;BYDAY={n}{day}"


@given(rule=rules(), start=STARTS)
def test_normalising_is_idempotent(rule, start):
    try:
        once = recurrence.check_rule(rule, start)
    except Invalid:
        assume(False)
    assert recurrence.check_rule(once, start) == once


@given(count=st.integers(MAX_COUNT + 1, 10**15))
def test_absurd_counts_are_refused(count):
    with pytest.raises(Invalid, match="out of range"):
        parse_rule(f"FREQ=DAILY;COUNT={count}", START)
