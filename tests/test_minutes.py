"""`stm minutes`: attendance, notes, decisions and tasks of a meeting; render; approve.

The clock is pinned to Friday, 20 November 2026, 10:00: the 11th Stadtteiltisch Schmarl
(Tuesday, 3 November, 18:00) has taken place, the 12th (8 December) has not.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from helpers import ok
from stm.models import Activity, AgendaItem, Attendance, Decision, Event, Meeting, Task


def _setup(cli) -> None:
    ok(
        cli(
            "networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl"
        )
    )
    for name, kind in (
        ("Begegnungszentrum Haus 12", "social"),
        ("Kita Ostseekinder", "kita"),
        ("Heimatverein Dorf Schmarl e.V.", "association"),
        ("WIRO Wohnen in Rostock", "housing"),
    ):
        ok(cli("actors", "add", name, "--kind", kind))
    ok(cli("actors", "add", "Anna Müller", "--kind", "person"))
    ok(
        cli(
            "actors",
            "add",
            "Mehmet Yılmaz",
            "--kind",
            "person",
            "--org",
            "Begegnungszentrum Haus 12",
        )
    )
    ok(cli("actors", "add", "Peter Brandt", "--kind", "politics"))
    ok(cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller", "--role", "chair"))
    ok(
        cli(
            "networks",
            "join",
            "stadtteiltisch-schmarl",
            "Begegnungszentrum Haus 12",
            "Kita Ostseekinder",
            "Heimatverein Dorf Schmarl e.V.",
            "WIRO Wohnen in Rostock",
        )
    )
    ok(cli("networks", "join", "stadtteiltisch-schmarl", "Peter Brandt", "--role", "guest"))
    ok(
        cli(
            "meeting",
            "new",
            "stadtteiltisch-schmarl",
            "--date",
            "3.11.2026",
            "--time",
            "18:00",
            "--number",
            "11",
            "--location",
            "Haus 12",
            "--minutes-by",
            "Mehmet Yılmaz",
        )
    )
    ok(cli("agenda", "add", "1", "Adventsmarkt", "--kind", "decision"))  # TOP 5
    ok(cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026"))


@pytest.fixture
def schmarl_meeting(cli, register) -> None:
    """The 11th Stadtteiltisch Schmarl, with its members and a guest."""
    _setup(cli)


def _state(register, meeting_id: int = 1) -> str:
    with register.session() as session:
        return session.get(Meeting, meeting_id).state


def test_attendance_present_excused_absent_and_guests(cli, register, schmarl_meeting):
    result = cli(
        "minutes",
        "attend",
        "last",
        "Anna Müller",
        "Mehmet Yılmaz",
        "Kita Ostseekinder",
        "--guest",
        "Gerda Beispiel (Anwohnerin)",
    )
    assert result.stdout == "Recorded 4 as present at meeting #1\n"
    ok(cli("minutes", "attend", "last", "Heimatverein Dorf Schmarl e.V.", "--excused"))
    # the WIRO and Peter Brandt (a guest member); not Haus 12, there through Mehmet Yılmaz
    assert ok(cli("minutes", "attend", "last", "--members", "--absent")).stdout == (
        "Recorded 2 as absent at meeting #1\n"
    )
    ok(cli("minutes", "attend", "last", "Kita Ostseekinder", "--excused"))  # a correction
    with register.session() as session:
        rows = session.exec(select(Attendance)).all()
        event = session.exec(
            select(Event).where(Event.id == session.get(Meeting, 1).event_id)
        ).one()
    statuses = sorted(r.status for r in rows)
    assert statuses == ["absent"] * 2 + ["excused"] * 2 + ["present"] * 3
    assert event.attendance == 3 and event.status == "held"
    assert _state(register) == "held"


def test_notes_are_added_as_paragraphs(cli, register, schmarl_meeting):
    assert ok(cli("minutes", "note", "1", "3", "Die Kita berichtet.")).stdout == (
        "Noted on TOP 3 Berichte aus dem Stadtteil of meeting #1\n"
    )
    ok(cli("minutes", "note", "1", "3", "Haus 12 sucht Ehrenamtliche."))
    with register.session() as session:
        notes = session.exec(
            select(AgendaItem.notes).where(AgendaItem.position == 3, AgendaItem.meeting_id == 1)
        ).one()
    assert notes == "Die Kita berichtet.\n\nHaus 12 sucht Ehrenamtliche."
    ok(cli("minutes", "note", "1", "3", "Neu gefasst.", "--replace"))
    with register.session() as session:
        assert (
            session.exec(
                select(AgendaItem.notes).where(AgendaItem.position == 3, AgendaItem.meeting_id == 1)
            ).one()
            == "Neu gefasst."
        )


def test_decisions_with_votes_result_and_quorum(cli, register, schmarl_meeting):
    ok(cli("minutes", "attend", "1", "Anna Müller", "Mehmet Yılmaz", "Kita Ostseekinder"))
    result = cli(
        "minutes",
        "decide",
        "1",
        "5",
        "Der Adventsmarkt wird mit 300 € unterstützt.",
        "--yes",
        "1",
        "--no",
        "1",
        "--abstain",
        "1",
    )
    assert result.stdout == "Decision #1 on TOP 5: rejected (1 yes, 1 no, 1 abstaining)\n"
    ok(cli("minutes", "attend", "1", "Heimatverein Dorf Schmarl e.V.", "WIRO Wohnen in Rostock"))
    result = cli(
        "minutes",
        "decide",
        "1",
        "5",
        "Der Adventsmarkt wird mit 300 € unterstützt.",
        "--yes",
        "3",
        "--no",
        "1",
        "--abstain",
        "1",
    )
    assert result.stdout == "Decision #2 on TOP 5: adopted (3 yes, 1 no, 1 abstaining)\n"
    tie = ok(cli("minutes", "decide", "1", "5", "Ein zweiter Stand", "--yes", "2", "--no", "2"))
    assert "rejected" in tie.stdout
    ok(cli("minutes", "decide", "1", "2", "Protokoll bestätigt", "--yes", "3", "--not-quorate"))
    with register.session() as session:
        decisions = session.exec(select(Decision).order_by(Decision.id)).all()
    assert [(d.result, d.votes_yes, d.votes_no, d.votes_abstain) for d in decisions] == [
        ("rejected", 1, 1, 1),
        ("adopted", 3, 1, 1),
        ("rejected", 2, 2, 0),
        ("adopted", 3, 0, 0),
    ]
    # 5 voting members (the guest has no vote); Anna, the Kita and Haus 12 (through
    # Mehmet Yılmaz, who works there) are present: 3 of 5, quorate; then all five.
    assert [d.quorate for d in decisions] == [True, True, True, False]


def test_without_a_majority_present_it_is_not_quorate(cli, register, schmarl_meeting):
    ok(cli("minutes", "attend", "1", "Anna Müller", "Peter Brandt"))
    result = ok(cli("minutes", "decide", "1", "5", "Vertagt", "--yes", "1"))
    assert result.stdout.endswith("(not quorate)\n")


def test_tasks_agreed_in_the_minutes(cli, register, schmarl_meeting):
    result = cli(
        "minutes",
        "task",
        "1",
        "5",
        "Standplan erstellen",
        "--owner",
        "Heimatverein Dorf Schmarl e.V.",
        "--due",
        "1.12.2026",
    )
    assert result.stdout == "Added task #1 on TOP 5 of meeting #1\n"
    tasks = json.loads(cli("tasks", "list", "--json").stdout)
    assert tasks == [
        {
            "id": 1,
            "title": "Standplan erstellen",
            "owner": "Heimatverein Dorf Schmarl e.V.",
            "owner_id": 3,
            "due": "2026-12-01",
            "status": "open",
            "meeting": 1,
            "meeting_title": "11. Stadtteiltisch Schmarl",
            "network": "stadtteiltisch-schmarl",
            "top": 5,
            "done_on": None,
            "overdue": False,
        }
    ]
    assert json.loads(cli("meeting", "show", "1", "--json").stdout)["tasks"][0]["title"] == (
        "Standplan erstellen"
    )


def _full_minutes(cli) -> None:
    _setup(cli)
    ok(
        cli(
            "minutes",
            "attend",
            "1",
            "Anna Müller",
            "Mehmet Yılmaz",
            "Kita Ostseekinder",
            "--guest",
            "Gerda Beispiel",
        )
    )
    ok(cli("minutes", "attend", "1", "WIRO Wohnen in Rostock", "--excused"))
    ok(
        cli(
            "minutes",
            "decide",
            "1",
            "2",
            "Das Protokoll der 10. Sitzung wird bestätigt.",
            "--yes",
            "3",
        )
    )
    ok(cli("minutes", "note", "1", "3", "Die Kita hat länger geöffnet.\nBis 17 Uhr."))
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
            "27.11.2026",
        )
    )
    ok(
        cli(
            "minutes",
            "decide",
            "1",
            "5",
            "Der Adventsmarkt wird unterstützt.",
            "--yes",
            "2",
            "--no",
            "0",
            "--abstain",
            "1",
        )
    )
    ok(
        cli(
            "minutes",
            "task",
            "1",
            "5",
            "Standplan | Lageplan",
            "--owner",
            "Mehmet Yılmaz",
            "--due",
            "1.12.2026",
        )
    )


def test_markdown_minutes_in_order(cli, register):
    _full_minutes(cli)
    text = ok(cli("minutes", "render", "last")).stdout
    expected_in_order = [
        "# Protokoll: 11. Stadtteiltisch Schmarl",
        "- **Termin:** Dienstag, 3. November 2026, 18:00 Uhr",
        "- **Sitzungsleitung:** Anna Müller",
        "- **Protokoll:** Mehmet Yılmaz (Begegnungszentrum Haus 12)",
        "- **Stand:** Entwurf, noch nicht bestätigt",
        "### Anwesend (3)",
        "- Anna Müller",
        "- Kita Ostseekinder",
        "- Mehmet Yılmaz (Begegnungszentrum Haus 12)",
        "### Entschuldigt (1)",
        "- WIRO Wohnen in Rostock",
        "### Gäste (1)",
        "- Gerda Beispiel",
        "## Regularien",
        "- Beschlussfähigkeit: 3 von 5 stimmberechtigten Mitgliedern anwesend, beschlussfähig",
        "## TOP 1: Begrüßung und Regularien",
        "## TOP 2: Protokollkontrolle",
        "**Beschluss:** Das Protokoll der 10. Sitzung wird bestätigt.",
        "Abstimmung: 3 Ja-Stimmen, 0 Gegenstimmen, 0 Enthaltungen, **einstimmig angenommen**",
        "## TOP 3: Berichte aus dem Stadtteil",
        "Die Kita hat länger geöffnet.  \nBis 17 Uhr.",
        "- Aushang machen – Kita Ostseekinder, bis 27.11.2026",
        "## TOP 5: Adventsmarkt",
        "Abstimmung: 2 Ja-Stimmen, 0 Gegenstimmen, 1 Enthaltung, **angenommen**",
        "- Standplan \\| Lageplan – Mehmet Yılmaz (Begegnungszentrum Haus 12), bis 01.12.2026",
        "## Aufgaben",
        "| 1 | Aushang machen | Kita Ostseekinder | 27.11.2026 | 3 | offen |",
        "| 2 | Standplan \\| Lageplan | Mehmet Yılmaz (Begegnungszentrum Haus 12) | 01.12.2026 |",
    ]
    positions = [text.index(line) for line in expected_in_order]
    assert positions == sorted(positions)


def test_english_html_and_pdf_minutes(cli, register, tmp_path):
    from pypdf import PdfReader

    _full_minutes(cli)
    html = ok(cli("minutes", "render", "1", "--format", "html", "--lang", "en")).stdout
    assert "Minutes" in html
    when = '<span class="date">Tuesday, 3 November 2026</span>, <span class="time">18:00</span>'
    assert when in html
    assert "2 votes in favour, 0 votes against, 1 abstention, <strong>adopted</strong>" in html
    target = tmp_path / "protokoll.pdf"
    ok(cli("minutes", "render", "1", "--format", "pdf", "-o", str(target)))
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    for expected in (
        "Protokoll",
        "11. Stadtteiltisch Schmarl",
        "Der Adventsmarkt wird unterstützt.",
        "2 Ja-Stimmen, 0 Gegenstimmen, 1 Enthaltung",
        "Standplan | Lageplan",
    ):
        assert expected in text
    assert text.index("TOP 2") < text.index("TOP 3") < text.index("TOP 5")


def test_approve_locks_the_minutes(cli, register):
    _full_minutes(cli)
    result = cli("minutes", "approve", "1")
    assert result.stdout == (
        "Approved the minutes of meeting #1 11. Stadtteiltisch Schmarl; they are locked now\n"
    )
    assert _state(register) == "approved"
    text = ok(cli("minutes", "render", "1")).stdout
    assert "- **Stand:** bestätigt am 20.11.2026" in text
    counts = (register.count(Attendance), register.count(Decision), register.count(Task))
    for args in (
        ("attend", "1", "Peter Brandt"),
        ("note", "1", "3", "Nachtrag"),
        ("decide", "1", "5", "Nachtrag", "--yes", "1"),
        ("task", "1", "5", "Nachtrag"),
    ):
        refused = cli("minutes", *args)
        assert refused.exit_code == 1, args
        assert refused.stderr == (
            "Error: the minutes of meeting #1 were approved on 20.11.2026; it cannot be changed\n"
        )
    assert (register.count(Attendance), register.count(Decision), register.count(Task)) == counts
    assert "Nachtrag" not in ok(cli("minutes", "render", "1")).stdout
    # A task from approved minutes is still followed up.
    assert ok(cli("tasks", "done", "1")).stdout.startswith("Task #1 done")


def test_approving_twice_is_refused(cli, register, schmarl_meeting):
    ok(cli("minutes", "approve", "1"))
    result = cli("minutes", "approve", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the minutes of meeting #1 are already approved (20.11.2026 10:00)\n"
    )
    with register.session() as session:
        actions = session.exec(
            select(Activity.action).where(Activity.action == "minutes.approve")
        ).all()
    assert len(actions) == 1


def test_minutes_during_the_meeting_with_next(cli, register, monkeypatch, schmarl_meeting):
    monkeypatch.setenv("STM_NOW", "2026-12-08T18:20")
    ok(cli("minutes", "attend", "next", "Anna Müller"))
    ok(cli("minutes", "note", "next", "3", "Läuft."))
    assert _state(register, 2) == "held"


# --------------------------------------------------------------------------- bad input


def _nothing_recorded(register) -> None:
    assert register.count(Attendance) == 0
    assert register.count(Decision) == 0
    assert register.count(Task) == 0
    with register.session() as session:
        assert not any(session.exec(select(AgendaItem.notes)).all())
        assert {m.state for m in session.exec(select(Meeting)).all()} == {"scheduled"}


def test_minutes_for_a_future_meeting_are_refused(cli, register, schmarl_meeting):
    for args in (
        ("attend", "2", "Anna Müller"),
        ("note", "2", "1", "Text"),
        ("decide", "2", "1", "Text", "--yes", "1"),
        ("task", "2", "1", "Text"),
        ("approve", "2"),
    ):
        result = cli("minutes", *args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            "Error: meeting #2 has not taken place yet (it is on 08.12.2026 18:00); "
            "minutes can be kept from its start\n"
        )
    _nothing_recorded(register)


def test_a_cancelled_meeting_has_no_minutes(cli, register, schmarl_meeting):
    with register.session() as session:
        event = session.get(Event, session.get(Meeting, 1).event_id)
        event.status = "cancelled"
        session.add(event)
    result = cli("minutes", "attend", "1", "Anna Müller")
    assert result.exit_code == 1
    assert result.stderr == "Error: meeting #1 was cancelled; it has no minutes\n"
    _nothing_recorded(register)


def test_top_out_of_range_is_exit_2(cli, register, schmarl_meeting):
    for args in (
        ("note", "1", "9", "Text"),
        ("decide", "1", "0", "Text", "--yes", "1"),
        ("task", "1", "8", "Text"),
    ):
        result = cli("minutes", *args)
        assert result.exit_code == 2, args
        assert result.stderr == f"Error: TOP: {args[2]} is out of range; meeting #1 has TOPs 1–7\n"
    _nothing_recorded(register)


def test_negative_or_missing_votes_are_exit_2(cli, register, schmarl_meeting):
    result = cli("minutes", "decide", "1", "5", "Text", "--yes", "5", "--no", "-1")
    assert result.exit_code == 2
    assert result.stderr == "Error: --no: -1 is negative; use a whole number of 0 or more\n"
    result = cli("minutes", "decide", "1", "5", "Text", "--abstain", "-2")
    assert result.exit_code == 2 and "--abstain: -2 is negative" in result.stderr
    result = cli("minutes", "decide", "1", "5", "Text")
    assert result.exit_code == 2
    assert result.stderr == "Error: --yes: give the votes: --yes N --no N --abstain N\n"
    _nothing_recorded(register)


def test_owner_must_be_an_actor(cli, register, schmarl_meeting):
    result = cli(
        "minutes", "task", "1", "5", "Standplan", "--owner", "Heimatverien Dorf Schmarl e.V."
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no owner 'Heimatverien Dorf Schmarl e.V.'; did you mean"
    )
    _nothing_recorded(register)


def test_other_bad_input(cli, register, schmarl_meeting):
    result = cli("minutes", "task", "1", "5", "Standplan", "--due", "31.11.2026")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --due: '31.11.2026' is not")
    result = cli("minutes", "note", "1", "5", "   ")
    assert result.exit_code == 2 and result.stderr == "Error: text: must not be empty\n"
    result = cli("minutes", "attend", "1", "Anna Müller", "--excused", "--absent")
    assert result.exit_code == 2 and "give either --excused or --absent" in result.stderr
    result = cli("minutes", "attend", "1")
    assert (
        result.exit_code == 2 and "name at least one actor, a --guest or --members" in result.stderr
    )
    result = cli("minutes", "attend", "1", "Anna Müller", "Niemand")
    assert result.exit_code == 1 and "no actor 'Niemand'" in result.stderr
    _nothing_recorded(register)


# --------------------------------------------------------------------------- minutes add up


def test_an_organisation_is_present_through_its_people_and_counted_once(
    cli, register, schmarl_meeting
):
    """`--members --absent` leaves out Haus 12, whose Mehmet Yılmaz is there; the quorum
    counts each voting member once and agrees with the lists."""
    ok(cli("minutes", "attend", "1", "Anna Müller", "Mehmet Yılmaz", "Kita Ostseekinder"))
    ok(cli("minutes", "attend", "1", "--members", "--absent"))
    text = ok(cli("minutes", "render", "1")).stdout
    absent = text.split("### Abwesend", 1)[1].split("##", 1)[0]
    assert "WIRO Wohnen in Rostock" in absent and "Heimatverein" in absent
    assert "Begegnungszentrum Haus 12" not in absent
    assert "- Beschlussfähigkeit: 3 von 5 stimmberechtigten Mitgliedern anwesend" in text


def test_more_votes_than_voting_members_present_is_refused(cli, register, schmarl_meeting):
    ok(cli("minutes", "attend", "1", "Anna Müller", "Mehmet Yılmaz", "Kita Ostseekinder"))
    result = cli("minutes", "decide", "1", "5", "Adventsmarkt", "--yes", "30")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --yes: 30 votes given, but only 3 voting members present at meeting #1; "
        "record the attendance first (stm minutes attend) or correct the votes\n"
    )
    with register.session() as session:
        assert session.exec(select(Decision)).all() == []
    ok(cli("minutes", "decide", "1", "5", "Adventsmarkt", "--yes", "2", "--abstain", "1"))
    ok(cli("minutes", "decide", "1", "5", "Zweiter Stand", "--yes", "3"))
    text = ok(cli("minutes", "render", "1")).stdout
    assert "2 Ja-Stimmen, 0 Gegenstimmen, 1 Enthaltung, **angenommen**" in text
    assert "3 Ja-Stimmen, 0 Gegenstimmen, 0 Enthaltungen, **einstimmig angenommen**" in text


def test_guests_are_listed_as_guests(cli, register, schmarl_meeting):
    """A guest named with --absent, a guest member and a resident who is no member."""
    ok(cli("actors", "add", "Gerda Anwohnerin", "--kind", "resident"))
    ok(cli("minutes", "attend", "1", "Anna Müller", "Peter Brandt", "Gerda Anwohnerin"))
    result = ok(cli("minutes", "attend", "1", "--members", "--absent", "--guest", "Frau Gast"))
    assert result.stdout == "Recorded 4 as absent and 1 as present at meeting #1\n"
    text = ok(cli("minutes", "render", "1")).stdout
    present = text.split("### Anwesend", 1)[1].split("###", 1)[0]
    absent = text.split("### Abwesend", 1)[1].split("###", 1)[0]
    guests = text.split("### Gäste (3)", 1)[1].split("##", 1)[0]
    assert "Anna Müller" in present and "Gast" not in present
    assert "Gast" not in absent and "Gerda" not in absent
    assert all(name in guests for name in ("Frau Gast", "Gerda Anwohnerin", "Peter Brandt"))


def test_approve_asks_on_a_terminal(cli, register, monkeypatch):
    import stm.cli._common

    _setup(cli)
    monkeypatch.setattr(stm.cli._common, "is_terminal", lambda: True)
    result = cli("minutes", "approve", "1", input="n\n")
    assert result.exit_code == 1 and "Approve the minutes of meeting #1" in result.output
    assert _state(register) == "scheduled"
    result = cli("minutes", "approve", "1", input="y\n")
    assert result.exit_code == 0 and _state(register) == "approved"
