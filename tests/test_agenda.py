"""`stm agenda`: TOPs of a meeting, and the invitation with its Tagesordnung.

The clock is pinned to Friday, 20 November 2026, 10:00. The 11th Stadtteiltisch Schmarl
was on Tuesday, 3 November; the 12th is on Tuesday, 8 December 2026, 18:00.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import select

from helpers import ok
from stm.models import AgendaItem, District, Event, EventDistrict, Meeting

TOPS_12 = [
    "Begrüßung und Regularien",
    "Protokollkontrolle",
    "Berichte aus dem Stadtteil",
    "Stand der offenen Aufgaben",
    "Verschiedenes",
    "Termine",
]


def _setup(cli) -> None:
    """Stadtteiltisch Schmarl: the 11th meeting (held, with tasks) and the 12th (next)."""
    ok(
        cli(
            "networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl"
        )
    )
    for name, kind in (
        ("Anna Müller", "person"),
        ("Mehmet Yılmaz", "person"),
        ("Heimatverein Dorf Schmarl e.V.", "association"),
    ):
        ok(cli("actors", "add", name, "--kind", kind))
    ok(cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller", "--role", "chair"))
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
            "Begegnungszentrum Haus 12",
        )
    )
    ok(cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026"))


@pytest.fixture
def schmarl_meetings(cli, register) -> None:
    """The Stadtteiltisch Schmarl: its 11th meeting (held) and its 12th (next)."""
    _setup(cli)


def _titles(register, meeting_id: int = 2) -> list[str]:
    with register.session() as session:
        return list(
            session.exec(
                select(AgendaItem.title)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            ).all()
        )


def _agenda(cli, *args: str) -> list[dict]:
    return json.loads(ok(cli("meeting", "show", "next", "--json", *args)).stdout)["agenda"]


def test_add_goes_before_the_closing_tops(cli, register, schmarl_meetings):
    result = cli(
        "agenda",
        "add",
        "next",
        "Stadtteilflohmarkt 2027",
        "--presenter",
        "Mehmet Yılmaz",
        "--minutes",
        "20",
        "--kind",
        "decision",
    )
    assert (
        result.stdout
        == "Added TOP 5 Stadtteilflohmarkt 2027 to meeting #2 12. Stadtteiltisch Schmarl\n"
    )
    ok(cli("agenda", "add", "next", "Bericht aus dem Ortsbeirat"))
    agenda = _agenda(cli)
    assert [i["title"] for i in agenda] == [
        *TOPS_12[:4],
        "Stadtteilflohmarkt 2027",
        "Bericht aus dem Ortsbeirat",
        *TOPS_12[4:],
    ]
    flohmarkt = agenda[4]
    assert (flohmarkt["presenter"], flohmarkt["minutes"], flohmarkt["kind"]) == (
        "Mehmet Yılmaz",
        20,
        "decision",
    )
    assert agenda[5]["minutes"] == 15  # the default duration
    assert [i["start"][11:] for i in agenda] == [
        "18:00",
        "18:05",
        "18:10",
        "18:40",
        "18:50",
        "19:10",
        "19:25",
        "19:35",
    ]
    record = json.loads(cli("meeting", "show", "next", "--json").stdout)
    assert record["end"] == "2026-12-08T19:40"  # the event ends with the last TOP


def test_add_at_a_position_move_edit_and_remove(cli, register, schmarl_meetings):
    ok(cli("agenda", "add", "next", "Neues Bildungsangebot", "--position", "1"))
    assert _titles(register)[:2] == ["Neues Bildungsangebot", "Begrüßung und Regularien"]
    assert ok(cli("agenda", "move", "next", "1", "--to", "4")).stdout == (
        "Moved Neues Bildungsangebot to TOP 4 of meeting #2\n"
    )
    assert _titles(register)[:5] == [*TOPS_12[:3], "Neues Bildungsangebot", TOPS_12[3]]
    ok(
        cli(
            "agenda",
            "edit",
            "2",
            "4",
            "--title",
            "Bildungsangebot in Schmarl",
            "--minutes",
            "25",
            "--presenter",
            "Heimatverein Dorf Schmarl e.V.",
        )
    )
    item = _agenda(cli)[3]
    assert (item["title"], item["minutes"], item["presenter"]) == (
        "Bildungsangebot in Schmarl",
        25,
        "Heimatverein Dorf Schmarl e.V.",
    )
    assert ok(cli("agenda", "remove", "next", "4")).stdout == (
        "Removed TOP 4 Bildungsangebot in Schmarl from meeting #2\n"
    )
    assert _titles(register) == TOPS_12
    with register.session() as session:
        positions = session.exec(
            select(AgendaItem.position).where(AgendaItem.meeting_id == 2)
        ).all()
    assert sorted(positions) == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- the document


def _district_event(
    register, title: str, start: datetime, district: str = "schmarl", **extra
) -> None:
    with register.session() as session:
        now = datetime(2026, 11, 1)
        event = Event(
            uid=f"{title}@test", title=title, start=start, created_at=now, updated_at=now, **extra
        )
        session.add(event)
        session.flush()
        district_id = session.exec(select(District.id).where(District.slug == district)).one()
        session.add(EventDistrict(event_id=event.id, district_id=district_id))


def _with_minutes(cli) -> None:
    _setup(cli)
    ok(
        cli(
            "minutes",
            "task",
            "1",
            "3",
            "Standorte für den Flohmarkt erkunden",
            "--owner",
            "Mehmet Yılmaz",
            "--due",
            "12.12.2026",
        )
    )
    ok(
        cli(
            "minutes",
            "task",
            "1",
            "3",
            "Aushang in der Kita",
            "--owner",
            "Anna Müller",
            "--due",
            "10.11.2026",
        )
    )
    ok(cli("minutes", "task", "1", "2", "Protokoll verschicken", "--owner", "Anna Müller"))
    ok(cli("tasks", "done", "3"))
    ok(
        cli(
            "agenda",
            "add",
            "next",
            "Stadtteilflohmarkt 2027",
            "--presenter",
            "Mehmet Yılmaz",
            "--minutes",
            "20",
            "--kind",
            "decision",
        )
    )


def test_markdown_agenda_in_order(cli, register):
    _with_minutes(cli)
    _district_event(
        register,
        "Adventsmarkt im Dorf Schmarl",
        datetime(2026, 12, 12, 14, 0),
        location="Dorfplatz",
    )
    _district_event(register, "Frühjahrsputz", datetime(2027, 3, 20, 10, 0))  # after six weeks
    _district_event(
        register, "Weihnachtsfeier Börse", datetime(2026, 12, 16, 15, 0), district="gross-klein"
    )
    _district_event(
        register, "Abgesagtes Konzert", datetime(2026, 12, 10, 19, 0), status="cancelled"
    )
    _district_event(register, "Mittagstisch", datetime(2026, 12, 8, 12, 0))  # before the meeting
    _district_event(
        register,
        "Sprechstunde",
        datetime(2026, 12, 1, 14, 0),
        rrule="FREQ=WEEKLY;COUNT=4",
        end=datetime(2026, 12, 1, 17, 0),
    )
    result = ok(cli("agenda", "render"))
    text = result.stdout
    expected_in_order = [
        "# Einladung und Tagesordnung: 12. Stadtteiltisch Schmarl",
        "Dienstag, 8. Dezember 2026, 18:00 Uhr",
        "Begegnungszentrum Haus 12",  # the location of the previous meeting
        "Anna Müller",  # the network's chair
        "| 1 | 18:00 Uhr | Begrüßung und Regularien |",
        "| 2 | 18:05 Uhr | Protokollkontrolle (Beschluss) |",
        "| 5 | 18:50 Uhr | Stadtteilflohmarkt 2027 (Beschluss) | Mehmet Yılmaz | 20 min |",
        "| 7 | 19:20 Uhr | Termine |",
        "Voraussichtliches Ende: 19:25 Uhr",
        "## Offene Aufgaben aus den letzten Sitzungen",
        "| Aushang in der Kita **(überfällig)** | Anna Müller | 10.11.2026 |",
        "| Standorte für den Flohmarkt erkunden | Mehmet Yılmaz | 12.12.2026 |",
        "## Termine im Stadtteil Schmarl",
        "- 12.12.2026, 14:00 Uhr: Adventsmarkt im Dorf Schmarl (Dorfplatz)",
        "- 15.12.2026, 14:00 Uhr: Sprechstunde; auch am 22.12.2026",
    ]
    positions = [text.index(line) for line in expected_in_order]
    assert positions == sorted(positions)
    assert "Protokoll verschicken" not in text  # done
    assert "Frühjahrsputz" not in text and "Weihnachtsfeier" not in text
    assert "Abgesagtes Konzert" not in text and "Mittagstisch" not in text
    # The meeting itself is no "other date" (its title is in the heading and the letter).
    assert "12. Stadtteiltisch Schmarl" not in text.split("## Termine im Stadtteil")[1]


def test_open_tasks_come_from_earlier_meetings_of_the_same_network_only(cli, register):
    _with_minutes(cli)
    ok(cli("networks", "add", "Ortsbeirat Schmarl", "--kind", "ortsbeirat", "-d", "schmarl"))
    ok(cli("meeting", "new", "ortsbeirat-schmarl", "--date", "4.11.2026", "--time", "18:30"))
    ok(cli("minutes", "task", "3", "1", "Antrag Spielplatz schreiben", "--owner", "Anna Müller"))
    ok(cli("tasks", "add", "Freie Aufgabe"))
    text = ok(cli("agenda", "render", "next", "-n", "stadtteiltisch-schmarl")).stdout
    assert "Standorte für den Flohmarkt erkunden" in text
    assert "Antrag Spielplatz" not in text and "Freie Aufgabe" not in text
    earlier = ok(cli("agenda", "render", "1")).stdout  # the 11th had no meeting before it
    assert "Keine offenen Aufgaben." in earlier


def test_english_agenda(cli, register, schmarl_meetings):
    text = ok(cli("agenda", "render", "next", "--lang", "en")).stdout
    assert "# Invitation and agenda: 12. Stadtteiltisch Schmarl" in text
    assert "Tuesday, 8 December 2026, 18:00" in text
    assert "| 2 | 18:05 | Protokollkontrolle (decision) |" in text


def _table_rows(markdown: str) -> list[list[str]]:
    """The cells of every table row, as plain text (CommonMark with GFM tables)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(c.content for c in token.children or [] if c.type == "text"))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def test_markdown_stays_a_valid_table_whatever_is_typed(cli, register, schmarl_meetings):
    title = "Kosten | Nutzen *wichtig* # <b>fett</b> 1. Mai"
    ok(cli("agenda", "add", "next", title, "--kind", "info"))
    text = ok(cli("agenda", "render")).stdout
    rows = _table_rows(text)
    assert all(len(r) == 5 for r in rows)
    titles = [r[2] for r in rows[1:]]
    assert titles[4] == title
    assert titles[1] == "Protokollkontrolle (Beschluss)"  # a decision TOP says so
    assert rows[5] == ["5", "18:50 Uhr", title, "", "15 min"]


def test_html_agenda_is_escaped_and_has_the_letterhead(cli, register, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[letterhead]\nname = "Stadtteilmanagement Groß Klein und Schmarl"\n'
        'phone = "0381 0000 110"\n',
        encoding="utf-8",
    )
    _setup(cli)
    ok(cli("agenda", "add", "next", "<script>alert('x')</script> Sicherheit"))
    html = ok(cli("agenda", "render", "next", "--format", "html")).stdout
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Sicherheit" in html
    assert '<div class="office">Stadtteilmanagement Groß Klein und Schmarl</div>' in html
    # The date and the time each come whole (never broken across lines).
    assert (
        '<span class="date">Dienstag, 8. Dezember 2026</span>, <span class="time">18:00 Uhr</span>'
        in html
    )


def test_pdf_agenda_to_a_file(cli, register, tmp_path):
    from pypdf import PdfReader

    _setup(cli)
    ok(cli("agenda", "add", "next", "Stadtteilflohmarkt 2027", "--presenter", "Mehmet Yılmaz"))
    target = tmp_path / "einladung.pdf"
    result = ok(cli("agenda", "render", "next", "--format", "pdf", "-o", str(target)))
    assert result.stdout == ""  # scripts (cron) see nothing on success; a terminal is told
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    for expected in (
        "12. Stadtteiltisch Schmarl",
        "Dienstag, 8. Dezember 2026, 18:00 Uhr",
        "Begrüßung und Regularien",
        "Stadtteilflohmarkt 2027",
        "Mehmet Yılmaz",
    ):
        assert expected in text
    assert text.index("Begrüßung") < text.index("Stadtteilflohmarkt") < text.index("Termine")


def test_pdf_goes_to_stdout_only_when_piped(cli, register, monkeypatch, schmarl_meetings):
    piped = ok(cli("agenda", "render", "--format", "pdf"))
    assert piped.stdout_bytes.startswith(b"%PDF-")

    import stm.cli.output

    monkeypatch.setattr(stm.cli.output, "stdout_is_terminal", lambda: True)
    result = cli("agenda", "render", "--format", "pdf")
    assert result.exit_code == 2
    assert (
        "--output: a PDF is not shown on a terminal; give a file, e.g. -o tagesordnung.pdf"
        in result.stderr
    )


def test_ics_invitation(cli, register, tmp_path):
    from icalendar import Calendar

    _setup(cli)
    target = tmp_path / "stadtteiltisch.ics"
    ok(cli("agenda", "render", "next", "--format", "ics", "-o", str(target)))
    calendar = Calendar.from_ical(target.read_bytes())
    (event,) = calendar.walk("VEVENT")
    with register.session() as session:
        meeting = session.get(Meeting, 2)
        uid = session.get(Event, meeting.event_id).uid
    assert str(event["UID"]) == uid
    assert str(event["SUMMARY"]) == "12. Stadtteiltisch Schmarl"
    assert str(event["LOCATION"]) == "Begegnungszentrum Haus 12"
    start = event.decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == ("2026-12-08T18:00:00+01:00", "Europe/Berlin")
    assert event.decoded("DTEND").isoformat() == "2026-12-08T19:05:00+01:00"
    assert "TOP 2 18:05 Protokollkontrolle" in str(event["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")


# --------------------------------------------------------------------------- bad input


def _unchanged(register) -> None:
    assert _titles(register) == TOPS_12


def test_top_out_of_range_names_the_range(cli, register, schmarl_meetings):
    for args in (
        ("remove", "next", "7"),
        ("move", "next", "0", "--to", "2"),
        ("edit", "next", "9", "--minutes", "5"),
    ):
        result = cli("agenda", *args)
        assert result.exit_code == 2, args
        assert result.stderr == f"Error: TOP: {args[2]} is out of range; meeting #2 has TOPs 1–6\n"
    result = cli("agenda", "move", "next", "2", "--to", "8")
    assert result.stderr == "Error: --to: 8 is out of range; meeting #2 has TOPs 1–6\n"
    result = cli("agenda", "add", "next", "Neu", "--position", "8")
    assert result.stderr == "Error: --position: 8 is out of range; meeting #2 has TOPs 1–7\n"
    _unchanged(register)


def test_negative_or_huge_minutes_are_exit_2(cli, register, schmarl_meetings):
    result = cli("agenda", "add", "next", "Neu", "--minutes", "-5")
    assert result.exit_code == 2
    assert result.stderr == "Error: --minutes: -5 is negative; use a whole number of 0 or more\n"
    result = cli("agenda", "edit", "next", "1", "--minutes", "-1")
    assert result.exit_code == 2
    result = cli("agenda", "add", "next", "Neu", "--minutes", "9999")
    assert result.exit_code == 2 and "at most 600" in result.stderr
    _unchanged(register)


def test_unknown_kind_presenter_and_empty_title(cli, register, schmarl_meetings):
    result = cli("agenda", "add", "next", "Neu", "--kind", "abstimmung")
    assert result.exit_code == 2 and "--kind: unknown value 'abstimmung'" in result.stderr
    result = cli("agenda", "add", "next", "Neu", "--kind", "decison")
    assert "did you mean 'decision'?" in result.stderr
    result = cli("agenda", "add", "next", "Neu", "--presenter", "Niemand")
    assert result.exit_code == 1 and "no presenter 'Niemand'" in result.stderr
    result = cli("agenda", "add", "next", "   ")
    assert result.exit_code == 2 and result.stderr == "Error: title: must not be empty\n"
    _unchanged(register)


def test_a_top_with_minutes_is_kept(cli, register, schmarl_meetings):
    ok(cli("minutes", "decide", "1", "2", "Protokoll bestätigt", "--yes", "5"))
    result = cli("agenda", "remove", "1", "2")
    assert result.exit_code == 1
    assert (
        "TOP 2 (Protokollkontrolle) holds minutes (1 decision(s), 0 task(s)); it is kept"
        in result.stderr
    )
    assert _titles(register, 1)[1] == "Protokollkontrolle"


def test_approved_meeting_agenda_is_locked(cli, register, schmarl_meetings):
    ok(cli("minutes", "approve", "1"))
    result = cli("agenda", "add", "1", "Nachtrag")
    assert result.exit_code == 1
    assert (
        "the minutes of meeting #1 were approved on 20.11.2026; it cannot be changed"
        in result.stderr
    )
    assert "Nachtrag" not in _titles(register, 1)


@pytest.mark.parametrize("args", [("agenda", "render", "--format", "docx")])
def test_unknown_format_is_exit_2(cli, register, args, schmarl_meetings):
    result = cli(*args)
    assert result.exit_code == 2
    assert "docx" in result.output
