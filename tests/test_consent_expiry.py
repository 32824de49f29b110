"""Consent that expires (#11, item 9): contact sheets, `privacy stale`, the report."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from stm.services.privacy.consent import consent_holds, expires_on


def test_a_consent_holds_for_the_configured_years_on_every_day():
    day = date(2023, 1, 1)
    while day < date(2025, 1, 1):  # two years of days, across 29 February 2024
        for years in (1, 3):
            ends = expires_on(day, years)
            assert consent_holds(True, day, None, ends - timedelta(days=1), years)
            assert not consent_holds(True, day, None, ends, years)
            assert not consent_holds(False, day, None, day, years)
            assert (ends.month, ends.day) in ((day.month, day.day), (3, 1))
        day += timedelta(days=1)
    assert expires_on(date(2024, 2, 29), 3) == date(2027, 3, 1)
    assert expires_on(date(2024, 2, 29), 4) == date(2028, 2, 29)
    # Without a day of its own, a consent counts from the day the record was made.
    assert consent_holds(True, None, date(2026, 1, 5), date(2029, 1, 4))
    assert not consent_holds(True, None, date(2026, 1, 5), date(2029, 1, 5))
    assert not consent_holds(True, None, None, date(2026, 1, 5))


def _office(cli, monkeypatch) -> None:
    monkeypatch.setenv("STM_NOW", "2023-11-20T10:00")
    cli("actors", "add", "Haus 12", "--kind", "social", "-d", "schmarl", "--email",
        "info@haus12.example")  # fmt: skip
    for args in (["Anna Alt", "--org", "Haus 12", "--email", "anna@privat.example"],
                 ["Olga Ohneorg", "-d", "schmarl", "--email", "olga@privat.example"]):  # fmt: skip
        result = cli("actors", "add", *args, "--kind", "person", "--consent")
        assert result.exit_code == 0, result.output
    result = cli("actors", "add", "Neu Frisch", "--kind", "person", "-d", "schmarl", "--email",
                 "neu@privat.example", "--consent")  # fmt: skip
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("now", "holds"),
    [("2026-11-19T10:00", True), ("2026-11-20T00:00", False), ("2027-06-01T10:00", False),
     ("2025-02-28T10:00", True)],
)  # fmt: skip
def test_an_expired_consent_counts_as_none_on_contact_sheets(cli, register, monkeypatch, now,
                                                             holds):  # fmt: skip
    _office(cli, monkeypatch)
    monkeypatch.setenv("STM_NOW", now)
    sheet = cli("contacts", "render", "--format", "csv").stdout
    assert ("anna@privat.example" in sheet) is holds
    assert ("olga@privat.example" in sheet) is holds
    assert ("Olga Ohneorg" in sheet) is holds  # without an organisation: left out
    assert "Anna Alt" in sheet  # with her organisation's details when expired


def test_consent_years_from_the_config(cli, register, monkeypatch):
    _office(cli, monkeypatch)
    assert cli("config", "set", "consent_years", "5").exit_code == 0
    monkeypatch.setenv("STM_NOW", "2027-06-01T10:00")
    assert "anna@privat.example" in cli("contacts", "render", "--format", "csv").stdout
    bad = cli("config", "set", "consent_years", "drei")
    assert bad.exit_code == 2 and "consent_years: 'drei' is not a whole number" in bad.stderr


def test_stale_lists_expired_consents(cli, register, monkeypatch):
    _office(cli, monkeypatch)
    monkeypatch.setenv("STM_NOW", "2026-12-01T10:00")
    records = json.loads(cli("privacy", "stale", "--years", "5", "--json").stdout)
    assert [(r["name"], r["consent_expires_on"], r["reason"]) for r in records] == [
        ("Anna Alt", "2026-11-20", "consent expired"),
        ("Olga Ohneorg", "2026-11-20", "consent expired"),
        ("Neu Frisch", "2026-11-20", "consent expired"),
    ]
    monkeypatch.setenv("STM_NOW", "2026-11-19T10:00")
    assert json.loads(cli("privacy", "stale", "--years", "5", "--json").stdout) == []


@pytest.mark.parametrize(
    ("month", "expiring"),
    [("2026-09", 0), ("2026-10", 3), ("2026-11", 0), ("2025-10", 0)],
)
def test_the_monthly_report_counts_consents_expiring_next_month(cli, register, monkeypatch,
                                                                 month, expiring):  # fmt: skip
    _office(cli, monkeypatch)
    monkeypatch.setenv("STM_NOW", "2026-12-20T10:00")
    report = json.loads(cli("report", "monthly", "--month", month, "--format", "json").stdout)
    assert report["outlook"]["consents_expiring"] == expiring
    text = cli("report", "monthly", "--month", month).stdout
    assert ("Auslaufende Einwilligungen: 3" in text) is (expiring == 3)
