"""The monthly report: what it counts, per district, its documents, and that cron can rely on it.

The clock is pinned to 20 November 2026, so `--month last` is October 2026. The register
below holds an October with events (one a weekly series with a cancelled and a changed
occurrence), a Stadtteiltisch with a decision and tasks, projects, concerns worked on
over the month, new actors and memberships, and WIR2 issues.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest
from sqlmodel import select

from stm.demo.dates import on_day
from stm.models import (
    Activity,
    Actor,
    ActorDistrict,
    Attendance,
    Decision,
    District,
    Event,
    EventDistrict,
    EventOccurrence,
    Meeting,
    Membership,
    Network,
    Project,
    ProjectDistrict,
)
from stm.names import fold
from stm.services import concerns, paper
from stm.services.meetings import tasks

SPEC_KEYS = {"month", "districts", "events", "meetings", "decisions", "tasks_open", "tasks_done",
             "projects", "concerns", "actors", "newspaper"}  # fmt: skip


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour)


def _event(session, title, start, districts, **fields) -> Event:
    event = Event(uid=f"{title}@test", title=title, start=start, created_at=start,
                  updated_at=start, **fields)  # fmt: skip
    session.add(event)
    session.flush()
    for slug in districts:
        district = session.exec(select(District).where(District.slug == slug)).one()
        session.add(EventDistrict(event_id=event.id, district_id=district.id))
    return event


def _actor(session, name, kind, created, districts=(), **fields) -> Actor:
    actor = Actor(name=name, kind=kind, key=fold(name), created_at=_at(created),
                  updated_at=_at(created), **fields)  # fmt: skip
    session.add(actor)
    session.flush()
    for slug in districts:
        district = session.exec(select(District).where(District.slug == slug)).one()
        session.add(ActorDistrict(actor_id=actor.id, district_id=district.id))
    return actor


def _district_id(session, slug: str) -> int:
    return session.exec(select(District).where(District.slug == slug)).one().id


def _october(register) -> None:
    with register.session() as session:
        amt = _actor(session, "Amt für Stadtentwicklung", "administration", "2026-09-01")
        verein = _actor(session, "Heimatverein Dorf Schmarl", "association", "2026-10-05",
                        ["schmarl"])  # fmt: skip
        eva = _actor(session, "Eva Beispiel", "person", "2026-10-10", ["schmarl"])
        _actor(session, "Altverein", "association", "2025-01-01", archived_at=_at("2026-09-15"))
        _actor(session, "Erika Gelöscht", "person", "2026-10-11", erased_at=_at("2026-11-01"))

        _event(
            session,
            "Stadtteilfest Schmarl",
            _at("2026-10-03", 14),
            ["schmarl"],
            kind="fest",
            status="held",
            attendance=600,
            location="Dorfplatz",
        )
        _event(
            session,
            "Campusfest Am Stern",
            _at("2026-10-10", 11),
            ["am-stern", "drewitz"],
            kind="fest",
            status="held",
            attendance=250,
        )
        _event(session, "Flohmarkt", _at("2026-10-17", 9), ["schmarl"], status="cancelled")
        _event(session, "Sommerkino", _at("2026-09-12", 20), ["schmarl"], attendance=80)
        series = _event(
            session,
            "Digitale Sprechstunde",
            _at("2026-09-01", 10),
            ["gross-klein"],
            kind="sprechstunde",
            rrule="FREQ=WEEKLY",
        )
        session.add(
            EventOccurrence(event_id=series.id, recurrence_id=_at("2026-10-13"), status="cancelled")
        )
        session.add(
            EventOccurrence(
                event_id=series.id, recurrence_id=_at("2026-10-20"), status="held", attendance=12
            )
        )
        _event(
            session,
            "Adventsmarkt",
            _at("2026-11-28", 14),
            ["schmarl"],
            kind="markt",
            location="Dorfplatz",
        )

        network = Network(
            slug="stadtteiltisch-schmarl",
            key="stadtteiltischschmarl",
            name="Stadtteiltisch Schmarl",
            kind="stadtteiltisch",
            district_id=_district_id(session, "schmarl"),
            created_at=_at("2025-01-01"),
        )
        session.add(network)
        session.flush()
        meeting_event = _event(
            session,
            "11. Stadtteiltisch Schmarl",
            _at("2026-10-06", 18),
            ["schmarl"],
            kind="meeting",
            status="held",
            location="Haus 12",
        )
        meeting = Meeting(
            network_id=network.id,
            event_id=meeting_event.id,
            number=11,
            state="approved",
            created_at=_at("2026-09-20"),
        )
        session.add(meeting)
        session.flush()
        session.add_all([
            Attendance(meeting_id=meeting.id, actor_id=verein.id, status="present"),
            Attendance(meeting_id=meeting.id, actor_id=eva.id, status="present"),
            Decision(meeting_id=meeting.id, text="Der Stadtteiltisch unterstützt den Adventsmarkt.",
                     votes_yes=6, votes_abstain=1, result="adopted"),
            Membership(network_id=network.id, actor_id=verein.id, since=date(2026, 10, 6),
                       created_at=_at("2026-10-06")),
            Membership(network_id=network.id, actor_id=eva.id, created_at=_at("2026-10-06")),
        ])  # fmt: skip
        for title, owner, due, done in (
            ("Standplan für den Adventsmarkt erstellen", verein.id, "2026-10-20", None),
            ("Aushang in der Kita", None, "2026-10-15", "2026-10-15"),
            ("Flyer gestalten", eva.id, "2026-11-10", None),
            ("Fotos an die WIR2", None, None, "2026-11-05"),
        ):
            task = tasks.Task(title=title, owner_id=owner, meeting_id=meeting.id,
                              due=date.fromisoformat(due) if due else None,
                              status="done" if done else "open",
                              done_on=date.fromisoformat(done) if done else None,
                              created_at=_at("2026-11-01"))  # fmt: skip
            session.add(task)

        for slug, title, status, start, end, district in (
            ("fun", "FuN – Familie und Nachbarschaft", "running", "2026-01-01", "2027-12-31",
             "am-stern"),
            ("spielplatz", "Spielplatz Galileistraße", "running", "2026-10-01", None, "am-stern"),
            ("digital", "Digitale Teilhabe", "finished", "2025-01-01", "2026-10-31",
             "gross-klein"),
            ("idee", "Stadtteilgarten", "idea", None, None, "schmarl"),
        ):  # fmt: skip
            project = Project(
                slug=slug,
                key=slug,
                title=title,
                status=status,
                lead_id=amt.id,
                programme="sozialer-zusammenhalt",
                start=date.fromisoformat(start) if start else None,
                end=date.fromisoformat(end) if end else None,
                created_at=_at("2025-01-01"),
                updated_at=_at("2025-01-01"),
            )
            session.add(project)
            session.flush()
            session.add(
                ProjectDistrict(project_id=project.id, district_id=_district_id(session, district))
            )
        session.flush()
        _concerns(session)
        wir2 = paper.add_publication(session, "WIR2")
        october = paper.add_issue(
            session,
            paper.IssueFields(
                "Oktober 2026", "WIR2", date(2026, 9, 20), date(2026, 10, 12), 9000, 12
            ),
        ).issue
        paper.add_issue(
            session,
            paper.IssueFields(
                "Dezember 2026", "WIR2", date(2026, 11, 15), date(2026, 12, 10), 9000, 12
            ),
        )
        for title, status in (("Chronik", "accepted"), ("Anzeige", "rejected")):
            paper.add_article(session, paper.ArticleFields(str(october.id), title, status=status))
        del wir2


def _concerns(session) -> None:
    def replay(district, title, reported, forward=None, close=None, rejected=False):
        with on_day(date.fromisoformat(reported)):
            item = concerns.add_concern(session, concerns.ConcernFields(title, district=district))
        if forward:
            day, due = forward
            with on_day(date.fromisoformat(day)):
                concerns.forward_concern(
                    session, str(item.id), "Amt für Stadtentwicklung", due=date.fromisoformat(due)
                )
        if close:
            with on_day(date.fromisoformat(close)):
                concerns.close_concern(session, str(item.id), "Antwort", rejected=rejected)

    replay(
        "gross-klein",
        "Straßenbeleuchtung defekt",
        "2026-10-03",
        ("2026-10-04", "2026-10-25"),
        "2026-10-24",
    )
    replay("schmarl", "Querungshilfe fehlt", "2026-10-10", ("2026-10-12", "2026-10-26"))
    replay("am-stern", "Sandkasten verschmutzt", "2026-10-14", close="2026-10-27", rejected=True)
    replay("schmarl", "Bänke am Bach", "2026-09-20", ("2026-10-01", "2026-10-30"), "2026-11-05")
    replay("drewitz", "Müllsäcke für den Frühjahrsputz", "2026-11-02")


def _report(cli, *args: str) -> dict:
    result = cli("report", "monthly", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- what it counts


def test_json_has_the_spec_keys_and_last_month_by_default(cli, register):
    report = _report(cli)
    assert set(report) >= SPEC_KEYS
    assert report["month"] == "2026-10"
    assert report["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert set(report["concerns"]) >= {"opened", "resolved", "open"}
    assert set(report["actors"]) >= {"total", "new"}
    assert [d["slug"] for d in report["districts"]] == [
        "am-stern",
        "drewitz",
        "gross-klein",
        "schmarl",
    ]


def test_events_held_with_attendance_and_series_expanded(cli, register):
    _october(register)
    report = _report(cli, "--month", "2026-10")
    held = [(e["title"], e["start"], e["attendance"]) for e in report["events"]]
    assert held == [
        ("Stadtteilfest Schmarl", "2026-10-03T14:00", 600),
        ("Digitale Sprechstunde", "2026-10-06T10:00", None),
        ("Campusfest Am Stern", "2026-10-10T11:00", 250),
        ("Digitale Sprechstunde", "2026-10-20T10:00", 12),
        ("Digitale Sprechstunde", "2026-10-27T10:00", None),
    ]
    assert report["attendance"] == 862
    assert report["events"][0]["districts"] == ["schmarl"]
    assert report["events"][2]["districts"] == ["am-stern", "drewitz"]


def test_a_date_moved_into_the_month_counts_and_one_moved_out_does_not(cli, register):
    with register.session() as session:
        series = _event(session, "Sprechstunde", _at("2026-09-01", 10), ["schmarl"],
                        rrule="FREQ=WEEKLY;BYDAY=TU")  # fmt: skip
        moved = [("2026-09-29", "2026-10-01"), ("2026-10-27", "2026-11-02")]
        for recurrence_id, start in moved:
            change = EventOccurrence(
                event_id=series.id, recurrence_id=_at(recurrence_id), status="held",
                start=_at(start, 16), attendance=9,
            )  # fmt: skip
            session.add(change)
        session.commit()
    october = [(e["start"], e["attendance"]) for e in _report(cli, "--month", "2026-10")["events"]]
    assert october == [
        ("2026-10-01T16:00", 9),
        ("2026-10-06T10:00", None),
        ("2026-10-13T10:00", None),
        ("2026-10-20T10:00", None),
    ]
    november = _report(cli, "--month", "2026-11")["events"]
    assert [e["start"] for e in november][:2] == ["2026-11-02T16:00", "2026-11-03T10:00"]


def test_meetings_with_decisions_and_tasks(cli, register):
    _october(register)
    report = _report(cli)
    [meeting] = report["meetings"]
    assert (meeting["title"], meeting["start"], meeting["present"]) == (
        "11. Stadtteiltisch Schmarl",
        "2026-10-06T18:00",
        2,
    )
    assert [d["text"] for d in report["decisions"]] == [
        "Der Stadtteiltisch unterstützt den Adventsmarkt."
    ]
    assert report["decisions"][0]["votes"] == {"yes": 6, "no": 0, "abstain": 1}
    assert [(t["title"], t["status"]) for t in meeting["tasks"]] == [
        ("Standplan für den Adventsmarkt erstellen", "open"),
        ("Aushang in der Kita", "done"),
        ("Flyer gestalten", "open"),
        ("Fotos an die WIR2", "open"),  # done in November: open at the end of October
    ]
    assert meeting["tasks"][0]["owner"] == "Heimatverein Dorf Schmarl"
    assert (report["tasks_open"], report["tasks_done"]) == (3, 1)


def test_projects_active_started_finished(cli, register):
    _october(register)
    projects = _report(cli)["projects"]
    assert [p["title"] for p in projects["active"]] == [
        "Digitale Teilhabe",
        "FuN – Familie und Nachbarschaft",
        "Spielplatz Galileistraße",
    ]
    assert [p["title"] for p in projects["started"]] == ["Spielplatz Galileistraße"]
    assert [p["title"] for p in projects["finished"]] == ["Digitale Teilhabe"]
    assert projects["active"][1]["lead"] == "Amt für Stadtentwicklung"


def test_concerns_opened_forwarded_resolved_open_and_median(cli, register):
    _october(register)
    summary = _report(cli)["concerns"]
    assert {k: summary[k] for k in ("opened", "forwarded", "resolved", "rejected", "open",
                                    "overdue", "median_days_to_answer")} == {
        "opened": 3, "forwarded": 3, "resolved": 1, "rejected": 1, "open": 2, "overdue": 1,
        "median_days_to_answer": 17,  # 21 and 13 days
    }  # fmt: skip
    statuses = {c["title"]: c["status"] for c in summary["records"]}
    assert statuses == {
        "Bänke am Bach": "forwarded",  # resolved only in November
        "Straßenbeleuchtung defekt": "resolved",
        "Querungshilfe fehlt": "forwarded",
        "Sandkasten verschmutzt": "rejected",
    }


def test_actors_and_memberships(cli, register):
    _october(register)
    actors = _report(cli)["actors"]
    assert (actors["total"], actors["new"], actors["new_persons"]) == (3, 2, 1)
    assert actors["new_organisations"] == [
        {"id": 2, "name": "Heimatverein Dorf Schmarl", "kind": "association"}
    ]
    assert [(m["actor"], m["person"]) for m in actors["memberships"]] == [
        ("Heimatverein Dorf Schmarl", False),
        (None, True),
    ]


def test_newspaper_and_outlook(cli, register):
    _october(register)
    report = _report(cli)
    assert [(i["publication"], i["label"], i["articles"], i["accepted"])
            for i in report["newspaper"]] == [("WIR2", "Oktober 2026", 2, 1)]  # fmt: skip
    outlook = report["outlook"]
    assert outlook["month"] == "2026-11"
    assert [e["title"] for e in outlook["events"]][:1] == ["Digitale Sprechstunde"]
    assert "Adventsmarkt" in [e["title"] for e in outlook["events"]]
    assert [(d["date"], d["kind"], d["title"]) for d in outlook["deadlines"]] == [
        ("2026-11-10", "task", "Flyer gestalten"),
        ("2026-11-15", "paper_deadline", "WIR2 Dezember 2026"),
    ]
    assert [t["title"] for t in outlook["overdue_tasks"]] == [
        "Standplan für den Adventsmarkt erstellen"
    ]


def test_per_district_rows(cli, register):
    _october(register)
    rows = {r["slug"]: r for r in _report(cli)["districts"]}
    assert (
        rows["schmarl"]["events"],
        rows["schmarl"]["attendance"],
        rows["schmarl"]["meetings"],
    ) == (1, 600, 1)
    assert (rows["drewitz"]["events"], rows["drewitz"]["attendance"]) == (1, 250)
    assert (rows["gross-klein"]["events"], rows["gross-klein"]["attendance"]) == (3, 12)
    assert (rows["am-stern"]["projects_active"], rows["am-stern"]["concerns_closed"]) == (2, 1)
    assert rows["schmarl"]["concerns_open"] == 2


def test_district_filter(cli, register):
    _october(register)
    report = _report(cli, "--district", "Schmarl")
    assert [d["slug"] for d in report["districts"]] == ["schmarl"]
    assert [e["title"] for e in report["events"]] == ["Stadtteilfest Schmarl"]
    assert len(report["meetings"]) == 1
    assert report["projects"]["active"] == []
    assert (report["concerns"]["opened"], report["concerns"]["open"]) == (1, 2)
    assert report["actors"]["total"] == 2
    assert (report["tasks_open"], report["tasks_done"]) == (3, 1)
    both = _report(cli, "-d", "schmarl", "-d", "gross-klein")
    assert [d["slug"] for d in both["districts"]] == ["gross-klein", "schmarl"]


def test_outlook_meetings_follow_the_district_filter(cli, register):
    _october(register)
    with register.session() as session:
        network = session.exec(select(Network)).one()
        city = Network(
            slug="lenkungsgruppe",
            key="lenkungsgruppe",
            name="Lenkungsgruppe",
            kind="lenkungsgruppe",
            level="city",
            created_at=_at("2025-01-01"),
        )
        session.add(city)
        session.flush()
        for number, body, districts in ((12, network, ["schmarl"]), (4, city, [])):
            event = _event(
                session, f"{number}. {body.name}", _at("2026-11-17", 18), districts, kind="meeting"
            )
            session.add(Meeting(network_id=body.id, event_id=event.id, number=number,
                                created_at=_at("2026-10-20")))  # fmt: skip

    def meetings(*args: str) -> list[str]:
        events = _report(cli, *args)["outlook"]["events"]
        return [e["title"] for e in events if e["kind"] == "meeting"]

    assert meetings() == ["12. Stadtteiltisch Schmarl", "4. Lenkungsgruppe"]
    assert meetings("-d", "schmarl") == ["12. Stadtteiltisch Schmarl", "4. Lenkungsgruppe"]
    assert meetings("-d", "gross-klein") == ["4. Lenkungsgruppe"]


# --------------------------------------------------------------------------- documents


def test_markdown_report_reads_like_a_report(cli, register):
    _october(register)
    result = cli("report", "monthly")
    assert result.exit_code == 0, result.output
    text = result.stdout
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[:9] == [
        "# Monatsbericht Oktober 2026",
        "## Der Monat in Zahlen",
        "## Veranstaltungen",
        "## Sitzungen, Beschlüsse und Aufgaben",
        "### 11. Stadtteiltisch Schmarl",
        "## Projekte",
        "## Finanzen",
        "## Anliegen der Bewohnerschaft",
        "## Netzwerk",
    ]
    assert "- Veranstaltungen: 5, Teilnehmende: 862" in text
    assert "Median bis zur Antwort: 17 Tage" in text
    assert "| Schmarl | 1 | 600 | 1 | 1 | 0 | 2 | 0 |" in text
    assert "## Ausblick: November 2026" in text
    assert "- 15.11.2026: Redaktionsschluss: WIR2 Dezember 2026" in text
    assert "Eva Beispiel" not in text.split("## Netzwerk")[1]  # persons are counted, not named
    english = cli("report", "monthly", "--lang", "en").stdout
    assert (
        english.startswith("# Monthly report October 2026")
        or "# Monthly report October 2026" in english
    )


def test_html_has_svg_charts_and_no_javascript(cli, register):
    _october(register)
    html = cli("report", "monthly", "--format", "html").stdout
    assert html.count("<svg") == 3
    assert "Veranstaltungen nach Stadtteil" in html and "Teilnehmende nach Stadtteil" in html
    assert "<script" not in html.lower() and "javascript" not in html.lower()
    chart = html.split("Teilnehmende nach Stadtteil</figcaption>")[1].split("</svg>")[0]
    assert 'width="330.0"' in chart  # Schmarl's 600 is the longest bar
    assert ">Groß Klein</text>" in chart and ">12</text>" in chart


def test_pdf_is_a_real_pdf_and_the_same_bytes_every_time(cli, register, tmp_path):
    _october(register)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert cli("report", "monthly", "--format", "pdf", "-o", str(first)).exit_code == 0
    assert cli("report", "monthly", "--format", "pdf", "-o", str(second)).exit_code == 0
    data = first.read_bytes()
    assert data.startswith(b"%PDF") and data == second.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    for hyphen in ("\xad", "\u2010\n", "-\n"):  # words hyphenated at a line end
        raw = raw.replace(hyphen, "")
    text = " ".join(raw.split())
    assert "Monatsbericht" in text and "Oktober 2026" in text
    assert "Stadtteilfest Schmarl" in text and "Straßenbeleuchtung defekt" in text


def test_the_same_register_gives_the_same_bytes(cli, register, monkeypatch):
    _october(register)
    for format in ("json", "md", "html"):
        first = cli("report", "monthly", "--month", "2026-10", "--format", format).stdout
        monkeypatch.setenv("STM_NOW", "2027-03-01T06:00")  # made later, from cron
        later = cli("report", "monthly", "--month", "2026-10", "--format", format).stdout
        monkeypatch.setenv("STM_NOW", "2026-11-20T10:00")
        assert first == later, format


def test_output_into_a_folder_names_the_file_after_the_month(cli, register, tmp_path):
    folder = tmp_path / "Berichte"
    result = cli("report", "monthly", "--format", "md", "-o", f"{folder}/")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # silent in scripts: cron mails only failures
    assert (folder / "monatsbericht-2026-10.md").read_text().startswith("**Stadtteilmanagement**")
    folder.joinpath("x").mkdir()
    cli("report", "monthly", "--format", "json", "-d", "schmarl", "-o", str(folder / "x"))
    assert (
        json.loads((folder / "x" / "monatsbericht-2026-10-schmarl.json").read_text())["month"]
        == "2026-10"
    )


def test_the_report_writes_nothing_to_the_register(cli, register):
    _october(register)
    before = register.count(Activity)
    cli("report", "monthly", "--format", "json")
    assert register.count(Activity) == before


# --------------------------------------------------------------------------- failures


def test_month_13_is_exit_2_and_writes_nothing(cli, register, tmp_path):
    target = tmp_path / "bericht.pdf"
    result = cli("report", "monthly", "--month", "2026-13", "--format", "pdf", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --month: '2026-13' is not a month; use YYYY-MM (e.g. 2026-11) or 'last'"
    )
    assert not target.exists()


def test_unknown_district_is_exit_2(cli, register):
    result = cli("report", "monthly", "--district", "schmal")
    assert result.exit_code == 2 and "did you mean 'schmarl'?" in result.stderr


def test_an_unwritable_target_is_a_non_zero_exit(cli, register, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("report", "monthly", "--format", "md", "-o", str(blocker / "bericht.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot use")


def test_a_missing_register_is_a_non_zero_exit(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("STM_DB", str(tmp_path / "none.sqlite"))
    result = cli("report", "monthly", "--format", "json")
    assert result.exit_code == 1 and "no register at" in result.stderr


# --------------------------------------------------------------------------- the demo


def test_demo_report_shows_the_demo_concerns_and_wir2(cli, demo):
    report = _report(cli)
    titles = [c["title"] for c in report["concerns"]["records"]]
    assert "Straßenbeleuchtung am Kleinen Warnowdamm defekt" in titles
    assert report["concerns"]["median_days_to_answer"] == 13
    assert [i["publication"] for i in report["newspaper"]] == ["WIR2"]


def test_the_demo_writes_last_months_report(_demo_template: Path):
    for suffix in ("md", "html", "pdf"):
        document = _demo_template / f"monatsbericht-2026-10.{suffix}"
        assert document.exists(), document
    assert (
        "# Monatsbericht Oktober 2026" in (_demo_template / "monatsbericht-2026-10.md").read_text()
    )
    assert (_demo_template / "monatsbericht-2026-10.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("month", ["2026-10", "10.2026", "last"])
def test_month_forms(cli, register, month):
    assert _report(cli, "--month", month)["month"] == "2026-10"
