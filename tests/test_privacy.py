"""Data protection: consent, the Art. 15 export, the Art. 17 erasure, stale persons."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlmodel import select

from helpers import add_actor
from stm.models import (
    Activity,
    Actor,
    ActorDistrict,
    Article,
    Attendance,
    Concern,
    Event,
    EventOrganiser,
    Meeting,
    Membership,
    Network,
    PaperIssue,
    Project,
    ProjectPartner,
    Publication,
    Task,
)

NOW = datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def anna(cli, register) -> int:
    add_actor(cli, "Haus 12", "--kind", "social", "-d", "schmarl")
    return add_actor(cli, "Anna Müller", "--kind", "person", "--org", "Haus 12", "-d", "schmarl",
               "-s", "jugend", "--function", "Leitung", "--email", "anna@privat.example",
               "--phone", "0170 1234567", "--street", "Gartenweg 5",
               "--notes", "Spricht Polnisch")  # fmt: skip


def _world(register, person: int) -> None:
    """The person in a network, at a meeting, owning a task, reporting a concern, …"""
    with register.session() as s:
        network = Network(slug="stadtteiltisch-schmarl", key="stadtteiltischschmarl",
                          name="Stadtteiltisch Schmarl", kind="stadtteiltisch",
                          created_at=NOW)  # fmt: skip
        s.add(network)
        s.flush()
        s.add(Membership(network_id=network.id, actor_id=person, since=date(2025, 1, 1),
                         created_at=NOW))  # fmt: skip
        event = Event(uid="m1@test", title="12. Stadtteiltisch", start=datetime(2026, 5, 4, 18),
                      created_at=NOW, updated_at=NOW)  # fmt: skip
        fest = Event(uid="f1@test", title="Stadtteilfest", start=datetime(2026, 6, 13, 14),
                     created_at=NOW, updated_at=NOW)  # fmt: skip
        s.add_all([event, fest])
        s.flush()
        meeting = Meeting(network_id=network.id, event_id=event.id, number=12, created_at=NOW)
        s.add(meeting)
        s.add(EventOrganiser(event_id=fest.id, actor_id=person))
        s.flush()
        s.add(Attendance(meeting_id=meeting.id, actor_id=person, status="present"))
        s.add(Task(title="Flyer verteilen", owner_id=person, meeting_id=meeting.id,
                   due=date(2026, 12, 1), created_at=NOW))  # fmt: skip
        s.add(Concern(title="Spielplatz: Schaukel kaputt", reporter_id=person,
                      description="Gemeldet von Anna Müller am Telefon",
                      reported_on=date(2026, 10, 2), created_at=NOW, updated_at=NOW))  # fmt: skip
        project = Project(slug="fun", key="fun", title="FuN", created_at=NOW, updated_at=NOW)
        paper = Publication(slug="wir2", key="wir2", name="WIR2")
        s.add_all([project, paper])
        s.flush()
        s.add(ProjectPartner(project_id=project.id, actor_id=person, role="Elterncafé"))
        issue = PaperIssue(publication_id=paper.id, label="4/2026", deadline=date(2026, 11, 1),
                           publish_on=date(2026, 12, 1))  # fmt: skip
        s.add(issue)
        s.flush()
        s.add(Article(issue_id=issue.id, title="Neues vom Spielplatz", author_id=person,
                      created_at=NOW, updated_at=NOW))  # fmt: skip


# --------------------------------------------------------------------------- consent


def test_consent_records_date_purpose_and_sharing(cli, register, anna):
    result = cli("privacy", "consent", "Anna Müller", "--given", "1.3.2026", "--purpose",
                 "Kontaktliste Stadtteiltisch", "--share")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Recorded consent of #{anna} Anna Müller (2026-03-01); may appear with own contact "
        "data on contact sheets\n"
    )
    shown = json.loads(cli("actors", "show", str(anna), "--json").stdout)
    assert shown["consent"] == {
        "given_on": "2026-03-01", "purpose": "Kontaktliste Stadtteiltisch", "share": True,
    }  # fmt: skip
    renewed = cli("privacy", "consent", str(anna), "--given", "heute", "--purpose", "Rundbrief",
                  "--json")  # fmt: skip
    assert json.loads(renewed.stdout)["consent"] == {
        "given_on": "2026-11-20", "purpose": "Rundbrief", "share": True,
    }  # fmt: skip
    with register.session() as s:
        entries = s.exec(select(Activity).where(Activity.action == "privacy.consent")).all()
    assert [e.actor_id for e in entries] == [anna, anna]
    assert all("Anna" not in e.summary for e in entries)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--given", "1.3.2027", "--purpose", "x"], 2, "--given: 2027-03-01 is in the future"),
        (["--given", "31.2.2026", "--purpose", "x"], 2, "--given: '31.2.2026' is not a calendar"),
        (["--given", "heute", "--purpose", "  "], 2, "--purpose: must not be empty"),
    ],
)
def test_consent_bad_input_changes_nothing(cli, register, anna, args, code, message):
    result = cli("privacy", "consent", "Anna Müller", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Error: ") and message in result.stderr
    with register.session() as s:
        person = s.get(Actor, anna)
    assert person.consent_given_on is None and person.consent_share is False


def test_consent_is_for_persons(cli, register, anna):
    result = cli("privacy", "consent", "Haus 12", "--given", "heute", "--purpose", "x")
    assert result.exit_code == 1
    assert "is a social, not a person: consent concerns persons" in result.stderr


# --------------------------------------------------------------------------- Art. 15


def test_export_holds_everything_about_the_person(cli, register, anna):
    _world(register, anna)
    cli("privacy", "consent", str(anna), "--given", "1.3.2026", "--purpose", "Kontaktliste")
    result = cli("privacy", "export", "Anna Müller")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["basis"] == "Art. 15 DSGVO" and data["generated"] == "2026-11-20T10:00"
    person = data["actor"]
    assert (person["name"], person["email"], person["phone"], person["street"]) == (
        "Anna Müller", "anna@privat.example", "0170 1234567", "Gartenweg 5",
    )  # fmt: skip
    assert person["organisation"] == "Haus 12" and person["notes"] == "Spricht Polnisch"
    assert person["consent"]["given_on"] == "2026-03-01"
    assert data["memberships"] == [{
        "network": "stadtteiltisch-schmarl", "network_name": "Stadtteiltisch Schmarl",
        "role": "member", "voting": True, "since": "2025-01-01", "until": None,
    }]  # fmt: skip
    assert data["attendance"] == [{
        "meeting": 1, "network": "stadtteiltisch-schmarl", "number": 12,
        "date": "2026-05-04T18:00", "status": "present",
    }]  # fmt: skip
    assert [t["title"] for t in data["tasks"]] == ["Flyer verteilen"]
    assert data["concerns"][0]["title"] == "Spielplatz: Schaukel kaputt"
    assert data["concerns"][0]["reported_by_them"] is True
    assert data["articles"] == [{"id": 1, "title": "Neues vom Spielplatz",
                                 "status": "submitted", "publication": "WIR2",
                                 "issue": "4/2026"}]  # fmt: skip
    assert [e["title"] for e in data["events_organised"]] == ["Stadtteilfest"]
    assert data["projects"] == [{"id": 1, "title": "FuN", "role": "partner",
                                 "partner_role": "Elterncafé"}]  # fmt: skip
    assert [e["action"] for e in data["log"]] == ["actor.add", "privacy.consent"]


def test_export_to_a_file(cli, register, anna, tmp_path):
    path = tmp_path / "auskunft.json"
    result = cli("privacy", "export", str(anna), "-o", str(path))
    assert result.exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["actor"]["id"] == anna
    assert f"Wrote everything held about #{anna} to {path}" in result.stderr


def test_export_of_an_unknown_person_is_exit_1(cli, register, anna):
    result = cli("privacy", "export", "Anna Schmidt")
    assert result.exit_code == 1 and "no actor 'Anna Schmidt'" in result.stderr


# --------------------------------------------------------------------------- Art. 17


def test_erase_anonymises_and_keeps_counts_and_decisions(cli, register, anna):
    _world(register, anna)
    with register.session() as s:
        s.add(Activity(at=NOW, action="legacy.note", entity="actor", entity_id=anna,
                       actor_id=anna, summary="Anruf von Anna Müller (0170 1234567)"))  # fmt: skip
    result = cli("privacy", "erase", "Anna Müller", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Erased person #{anna}; the record is now 'Gelöschte Person #{anna}'\n"
    assert "The former name still appears in the text of: concern #1" in result.stderr
    with register.session() as s:
        person = s.get(Actor, anna)
        assert person.name == f"Gelöschte Person #{anna}" and person.erased_at == NOW
        for name in ("given_name", "family_name", "organisation_id", "function", "email",
                     "phone", "street", "notes", "consent_given_on",
                     "consent_purpose"):  # fmt: skip
            assert getattr(person, name) is None, name
        assert s.exec(select(ActorDistrict).where(ActorDistrict.actor_id == anna)).all() == []
        membership = s.exec(select(Membership)).one()
        assert membership.until == date(2026, 11, 20)
        assert s.exec(select(Attendance)).one().actor_id == anna
        assert s.exec(select(Task)).one().owner_id == anna
        log = s.exec(select(Activity).where(Activity.actor_id == anna)).all()
    summaries = " ".join(e.summary for e in log)
    assert "Anna" not in summaries and "0170" not in summaries
    assert f"person #{anna} erased (Art. 17 DSGVO)" in summaries
    assert "Anruf von person #" in summaries


def test_an_erased_person_appears_nowhere(cli, register, anna, tmp_path):
    cli("privacy", "erase", str(anna), "--yes")
    listed = cli("actors", "list", "--all", "--json").stdout
    exported = cli("actors", "export", "--all", "--format", "json").stdout
    sheet = cli("contacts", "render").stdout
    for text in (listed, exported, sheet):
        assert "Anna" not in text and "Gelöschte Person" not in text and "privat" not in text
    assert json.loads(cli("search", "anna", "--json").stdout) == []
    assert json.loads(cli("search", "polnisch", "--json").stdout) == []
    assert cli("actors", "show", "Anna Müller").exit_code == 1
    assert cli("actors", "duplicates", "--json", "--threshold", "0").stdout.count("Gelöschte") == 0


def test_erase_needs_yes_in_scripts(cli, register, anna):
    result = cli("privacy", "erase", "Anna Müller")
    assert result.exit_code == 2 and "--yes" in result.stderr
    with register.session() as s:
        assert s.get(Actor, anna).name == "Anna Müller"


def test_erase_refuses_organisations_and_a_second_erasure(cli, register, anna):
    organisation = cli("privacy", "erase", "Haus 12", "--yes")
    assert organisation.exit_code == 1
    assert "is a social, not a person: erasure concerns persons" in organisation.stderr
    cli("privacy", "erase", str(anna), "--yes")
    again = cli("privacy", "erase", str(anna), "--yes")
    assert again.exit_code == 1 and "was erased on 2026-11-20" in again.stderr
    assert cli("privacy", "consent", str(anna), "--given", "heute", "--purpose", "x").exit_code == 1


# --------------------------------------------------------------------------- stale


def test_stale_lists_persons_without_activity_or_renewed_consent(cli, register, monkeypatch):
    monkeypatch.setenv("STM_NOW", "2021-02-01T09:00")
    quiet = add_actor(cli, "Stille Person", "--kind", "person")
    active = add_actor(cli, "Aktive Person", "--kind", "person")
    renewed = add_actor(cli, "Erneuerte Person", "--kind", "person")
    add_actor(cli, "Altes Haus", "--kind", "organisation")
    monkeypatch.setenv("STM_NOW", "2025-06-01T12:00")
    cli("privacy", "consent", str(renewed), "--given", "heute", "--purpose", "Rundbrief")
    monkeypatch.setenv("STM_NOW", "2026-11-20T10:00")
    _world(register, active)
    recent = add_actor(cli, "Neue Person", "--kind", "person")
    records = json.loads(cli("privacy", "stale", "--years", "3", "--json").stdout)
    assert records == [{
        "id": quiet, "name": "Stille Person", "kind": "person", "last_activity": "2021-02-01",
        "consent_given_on": None, "consent_expires_on": None, "reason": "no activity",
        "archived": False,
    }]  # fmt: skip
    assert recent not in [r["id"] for r in records]
    wide = json.loads(cli("privacy", "stale", "--years", "1", "--json").stdout)
    assert [r["id"] for r in wide] == [quiet, renewed]
    table = cli("privacy", "stale", "--years", "10").stdout
    assert "No person without activity for 10 years." in table


def test_stale_years_must_be_positive(cli, register):
    result = cli("privacy", "stale", "--years", "0")
    assert result.exit_code == 2 and "--years: 0 is too small" in result.stderr
