"""Residents' concerns: add, forward, update, close, list, show, and the errors users meet."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import col, select

from helpers import ok
from stm.models import Activity, Concern, ConcernHistory

AMT = "Amt für Stadtentwicklung"


@pytest.fixture
def addressees(cli, register) -> None:
    """An administration, a housing company and a resident to forward to and report from."""
    ok(cli("actors", "add", AMT, "--kind", "administration", "-d", "gross-klein"))
    ok(cli("actors", "add", "WIRO Wohnen in Rostock", "--kind", "housing"))
    ok(cli("actors", "add", "Gisela Hartmann", "--kind", "resident", "-d", "gross-klein"))


def _add(cli, title: str = "Straßenbeleuchtung defekt", *args: str) -> dict:
    result = cli("concerns", "add", title, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _history(register, concern_id: int) -> list[tuple[str, str | None]]:
    with register.session() as session:
        rows = session.exec(
            select(ConcernHistory)
            .where(ConcernHistory.concern_id == concern_id)
            .order_by(col(ConcernHistory.id))
        ).all()
        return [(h.status, h.note) for h in rows]


def test_add_prints_the_id_and_stores_the_concern(cli, register, addressees):
    result = cli(
        "concerns",
        "add",
        "Straßenbeleuchtung Ratzeburger Straße defekt",
        "-d",
        "Groß Klein",
        "--from",
        "gisela hartmann",
        "--category",
        "Beleuchtung",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Added concern #1 Straßenbeleuchtung Ratzeburger Straße defekt"
    with register.session() as session:
        concern = session.exec(select(Concern)).one()
        assert (concern.status, concern.category, concern.anonymous) == (
            "new",
            "Beleuchtung",
            False,
        )
        assert concern.reported_on.isoformat() == "2026-11-20"
    assert _history(register, 1) == [("new", "reported by person #3")]


def test_add_json_has_the_stable_keys(cli, register):
    record = _add(cli, "Mehr Bänke am Schmarler Bach", "-d", "schmarl", "--anonymous")
    assert set(record) >= {
        "id",
        "title",
        "district",
        "status",
        "forwarded_to",
        "reported_on",
        "due",
        "category",
        "history",
    }
    assert record["district"] == "schmarl"
    assert record["status"] == "new"
    assert record["reported_by"] is None and record["anonymous"] is True
    assert record["reported_on"] == "2026-11-20" and record["due"] is None


def test_forward_to_the_administration(cli, register, addressees):
    _add(cli)
    result = cli(
        "concerns", "forward", "1", "--to", "amt fuer stadtentwicklung", "--due", "15.12.2026"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (
        "Forwarded concern #1 to Amt für Stadtentwicklung (follow-up 2026-12-15)" in result.stdout
    )
    record = json.loads(cli("concerns", "show", "1", "--json").stdout)
    assert (record["status"], record["forwarded_to"], record["due"]) == (
        "forwarded",
        AMT,
        "2026-12-15",
    )
    assert record["history"][-1]["note"] == f"forwarded to {AMT}, follow-up 2026-12-15"


def test_forward_to_a_non_administration_warns_and_forwards(cli, register, addressees):
    """Documented choice: housing companies and others are real addressees, so stm
    forwards, but warns on stderr that the usual addressee is the administration."""
    _add(cli)
    result = cli("concerns", "forward", "1", "--to", "WIRO Wohnen in Rostock")
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        "Warning: 'WIRO Wohnen in Rostock' is not an administration (kind: housing); "
        "the concern was forwarded anyway"
    )
    with register.session() as session:
        assert session.get(Concern, 1).status == "forwarded"


def test_forward_to_a_person_of_the_administration_does_not_warn(cli, register, addressees):
    cli("actors", "add", "Eva Beispiel", "--kind", "person", "--org", AMT)
    _add(cli)
    result = cli("concerns", "forward", "1", "--to", "Eva Beispiel")
    assert result.exit_code == 0 and result.stderr == ""
    assert _history(register, 1)[-1] == ("forwarded", "forwarded to person #4")


def test_update_records_steps_and_close_answers(cli, register, addressees):
    _add(cli)
    cli("concerns", "forward", "1", "--to", AMT, "--due", "2026-12-01")
    result = cli("concerns", "update", "1", "--status", "in progress", "--note", "Amt prüft")
    assert result.exit_code == 0, result.output
    result = cli("concerns", "close", "1", "--answer", "Leuchten repariert")
    assert result.stdout.strip() == "Closed concern #1 as resolved"
    record = json.loads(cli("concerns", "show", "1", "--json").stdout)
    assert record["status"] == "resolved" and record["answer"] == "Leuchten repariert"
    assert record["closed_on"] == "2026-11-20"
    assert [h["status"] for h in record["history"]] == [
        "new",
        "forwarded",
        "in-progress",
        "resolved",
    ]
    assert [h["note"] for h in record["history"]][2:] == ["Amt prüft", "Leuchten repariert"]
    shown = cli("concerns", "show", "1").stdout
    assert "History" in shown and "Amt prüft" in shown


def test_close_rejected_and_reopen(cli, register):
    _add(cli)
    cli("concerns", "close", "1", "--answer", "Keine Fläche", "--rejected")
    with register.session() as session:
        assert session.get(Concern, 1).status == "rejected"
    result = cli("concerns", "update", "1", "--status", "in-progress", "--note", "neue Fläche")
    assert result.exit_code == 0
    with register.session() as session:
        concern = session.get(Concern, 1)
        assert (concern.status, concern.closed_on) == ("in-progress", None)
    assert _history(register, 1)[-1] == ("in-progress", "reopened: neue Fläche")


def test_list_filters(cli, register, monkeypatch, addressees):
    _add(cli, "Licht", "-d", "gross-klein", "-c", "Beleuchtung")
    _add(cli, "Bänke", "-d", "schmarl")
    _add(cli, "Tür", "-d", "gross-klein")
    cli("concerns", "forward", "1", "--to", AMT, "--due", "2026-11-25")
    cli("concerns", "forward", "3", "--to", "WIRO Wohnen in Rostock", "--due", "2026-12-20")

    def titles(*args: str) -> list[str]:
        result = cli("concerns", "list", *args, "--json")
        assert result.exit_code == 0, result.output
        return [c["title"] for c in json.loads(result.stdout)]

    assert titles() == ["Licht", "Bänke", "Tür"]
    assert titles("--status", "forwarded") == ["Licht", "Tür"]
    assert titles("--district", "Groß Klein") == ["Licht", "Tür"]
    assert titles("--to", "wiro wohnen in rostock") == ["Tür"]
    assert titles("--category", "beleuchtung") == ["Licht"]
    assert titles("--overdue") == []
    monkeypatch.setenv("STM_NOW", "2026-11-30T09:00")
    assert titles("--overdue") == ["Licht"]
    cli("concerns", "close", "1", "--answer", "erledigt")
    assert titles("--overdue") == []
    assert titles("--open") == ["Bänke", "Tür"]


def test_list_table_and_csv(cli, register, addressees):
    _add(cli, "Straßenbeleuchtung", "-d", "gross-klein")
    cli("concerns", "forward", "1", "--to", AMT)
    table = cli("concerns", "list").stdout
    assert "Straßenbeleuchtung" in table and "forwarded" in table and AMT in table
    lines = cli("concerns", "list", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("id,title,district,status,forwarded_to,reported_on,due")
    assert lines[1].startswith("1,Straßenbeleuchtung,gross-klein,forwarded,")


def test_changes_are_logged_without_person_names(cli, register, addressees):
    _add(cli, "Licht", "--from", "Gisela Hartmann")
    cli("concerns", "forward", "1", "--to", AMT)
    with register.session() as session:
        entries = session.exec(select(Activity).where(col(Activity.entity) == "concern")).all()
    assert [e.action for e in entries] == ["concern.add", "concern.forward"]
    assert all("Gisela" not in e.summary for e in entries)
    assert entries[0].actor_id == 3


# --------------------------------------------------------------------------- bad input


def test_closing_a_closed_concern_is_exit_1_and_changes_nothing(cli, register):
    _add(cli)
    cli("concerns", "close", "1", "--answer", "erledigt")
    before = _history(register, 1)
    result = cli("concerns", "close", "1", "--answer", "nochmal")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: concern #1 was closed as resolved on 2026-11-20; it cannot be closed again "
        "(reopen it with 'stm concerns update 1 --status in-progress')"
    )
    assert _history(register, 1) == before
    with register.session() as session:
        assert session.get(Concern, 1).answer == "erledigt"


def test_forwarding_a_closed_concern_is_exit_1(cli, register, addressees):
    _add(cli)
    cli("concerns", "close", "1", "--answer", "erledigt")
    result = cli("concerns", "forward", "1", "--to", AMT)
    assert result.exit_code == 1
    assert "it cannot be forwarded" in result.stderr
    with register.session() as session:
        assert session.get(Concern, 1).forwarded_to_id is None


def test_update_to_a_closing_status_points_to_close(cli, register):
    _add(cli)
    result = cli("concerns", "update", "1", "--status", "resolved")
    assert result.exit_code == 2
    assert (
        "Error: --status: 'resolved' closes the concern; use 'stm concerns close 1 --answer …'"
        in result.stderr
    )
    assert _history(register, 1) == [("new", "reported")]


def test_unknown_status_suggests(cli, register):
    _add(cli)
    result = cli("concerns", "update", "1", "--status", "forwardd")
    assert result.exit_code == 2
    assert "did you mean 'forwarded'?" in result.stderr


def test_from_and_anonymous_together_is_exit_2(cli, register, addressees):
    result = cli("concerns", "add", "Licht", "--from", "Gisela Hartmann", "--anonymous")
    assert result.exit_code == 2
    assert "Error: --anonymous: give either --from ACTOR or --anonymous, not both" in result.stderr
    assert register.count(Concern) == 0


def test_bad_dates_are_exit_2(cli, register, addressees):
    result = cli("concerns", "add", "Licht", "--reported", "32.11.2026")
    assert result.exit_code == 2 and "--reported" in result.stderr
    assert register.count(Concern) == 0
    _add(cli)
    result = cli("concerns", "forward", "1", "--to", AMT, "--due", "2026-11-01")
    assert result.exit_code == 2
    assert "--due: 2026-11-01 is before the step's date 2026-11-20" in result.stderr
    with register.session() as session:
        assert session.get(Concern, 1).status == "new"


def test_update_with_a_follow_up_before_the_step_is_exit_2(cli, register):
    _add(cli)
    result = cli("concerns", "update", "1", "--note", "nachgefragt", "--due", "gestern")
    assert result.exit_code == 2
    assert "Error: --due: 2026-11-19 is before the step's date 2026-11-20" in result.stderr
    assert _history(register, 1) == [("new", "reported")]


def test_unknown_concern_and_bad_id(cli, register):
    result = cli("concerns", "show", "7")
    assert result.exit_code == 1 and "no concern with id 7" in result.stderr
    result = cli("concerns", "show", "Licht")
    assert result.exit_code == 2 and "is not an id" in result.stderr


def test_unknown_district_and_addressee(cli, register):
    result = cli("concerns", "add", "Licht", "-d", "schmal")
    assert result.exit_code == 2 and "did you mean 'schmarl'?" in result.stderr
    assert register.count(Concern) == 0
    _add(cli)
    result = cli("concerns", "forward", "1", "--to", "Nirgendamt")
    assert result.exit_code == 1 and "no actor 'Nirgendamt'" in result.stderr


# --------------------------------------------------------------------------- backdating


def test_last_months_paper_notes_can_be_typed_in_afterwards(cli, register, addressees):
    """--on dates each step; a follow-up already past warns instead of refusing."""
    _add(cli, "Bank am Spielplatz fehlt", "--reported", "1.10.2026")
    result = cli("concerns", "forward", "1", "--to", AMT, "--on", "3.10.2026", "--due",
                 "17.10.2026", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == "Warning: the follow-up date 2026-10-17 is in the past\n"
    record = json.loads(result.stdout)
    assert (record["due"], record["status"]) == ("2026-10-17", "forwarded")
    result = cli("concerns", "update", "1", "--status", "in-progress", "--note", "Amt prüft",
                 "--on", "12.10.2026")  # fmt: skip
    assert result.exit_code == 0 and result.stderr == ""
    result = cli("concerns", "close", "1", "--answer", "Bank aufgestellt", "--on", "28.10.2026")
    assert result.exit_code == 0, result.output
    with register.session() as session:
        concern = session.get(Concern, 1)
        assert (concern.forwarded_on, concern.closed_on) == (date(2026, 10, 3), date(2026, 10, 28))
        rows = session.exec(select(ConcernHistory).order_by(col(ConcernHistory.id))).all()
        days = [h.at.date() for h in rows]
    assert days == [date(2026, 10, 1), date(2026, 10, 3), date(2026, 10, 12), date(2026, 10, 28)]
    # a month report of October sees the concern resolved in October
    report = json.loads(cli("report", "monthly", "--month", "2026-10", "-f", "json").stdout)
    assert report["concerns"]["resolved"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--on", "21.11.2026"],
            "--on: 2026-11-21 is in the future; a step is dated today or before",
        ),
        (["--on", "30.9.2026"], "--on: 2026-09-30 is before concern #1 was reported (2026-10-01)"),
        (
            ["--on", "10.10.2026", "--due", "9.10.2026"],
            "--due: 2026-10-09 is before the step's date 2026-10-10; a follow-up comes after it",
        ),
    ],
)
def test_backdated_steps_that_cannot_be(cli, register, args, message, addressees):
    _add(cli, "Bank am Spielplatz fehlt", "--reported", "1.10.2026")
    result = cli("concerns", "forward", "1", "--to", AMT, *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {message}")
    assert len(result.stderr.splitlines()) == 1
    with register.session() as session:
        assert session.get(Concern, 1).status == "new"
