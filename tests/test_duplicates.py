"""Likely duplicates, and merging two actors without losing anything."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlmodel import select

from helpers import add_actor
from stm.models import (
    Activity,
    Actor,
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


def test_duplicates_are_proposed_by_name_email_and_phone(cli, register):
    anna = add_actor(cli, "Anna Müller", "--kind", "person", "--email", "anna@haus12.example")
    reversed_name = add_actor(cli, "Müller, Anna", "--kind", "person")
    spelled = add_actor(cli, "Anna Mueller", "--kind", "person", "--email", "ANNA@haus12.example")
    kita = add_actor(cli, "Kita Sonnenschein", "--kind", "kita", "--phone", "+49 381 123456")
    long_name = add_actor(
        cli, "Kindertagesstätte Sonnenschein", "--kind", "kita", "--phone", "0381 123456"
    )
    add_actor(cli, "Bernd Schulz", "--kind", "person", "--email", "info@haus12.example")
    add_actor(cli, "Haus 12", "--email", "info@haus12.example")
    records = json.loads(cli("actors", "duplicates", "--json").stdout)
    pairs = {(r["a"]["id"], r["b"]["id"]): r for r in records}
    assert set(pairs) == {(anna, reversed_name), (anna, spelled), (reversed_name, spelled),
                          (kita, long_name)}  # fmt: skip
    assert pairs[(anna, spelled)]["score"] == 100
    assert pairs[(anna, spelled)]["reasons"] == ["name 100%", "same e-mail"]
    assert "same phone" in pairs[(kita, long_name)]["reasons"]
    assert records[-1]["a"]["id"] == kita
    table = cli("actors", "duplicates")
    assert "Anna Mueller" in table.stdout
    assert f"stm actors merge {anna} {reversed_name}" in table.stderr


def test_threshold_narrows_and_widens(cli, register):
    add_actor(cli, "Stadtteilbibliothek Schmarl", "--kind", "organisation")
    add_actor(cli, "Stadtteilbibliothek Groß Klein", "--kind", "organisation")
    assert json.loads(cli("actors", "duplicates", "--json").stdout) == []
    loose = json.loads(cli("actors", "duplicates", "--threshold", "60", "--json").stdout)
    assert len(loose) == 1
    bad = cli("actors", "duplicates", "--threshold", "120")
    assert bad.exit_code == 2 and "--threshold: 120 is outside 0-100" in bad.stderr


def test_no_duplicates_says_so(cli, register):
    add_actor(cli, "Haus 12")
    result = cli("actors", "duplicates")
    assert "No likely duplicates." in result.stdout


# --------------------------------------------------------------------------- merging


def _world(register, keep: int, other: int) -> dict[str, int]:
    """Links of every kind to OTHER, and some that KEEP already has too."""
    with register.session() as s:
        first = Network(slug="stadtteiltisch", key="stadtteiltisch", name="Stadtteiltisch",
                        kind="stadtteiltisch", created_at=NOW)  # fmt: skip
        second = Network(slug="ak-jugend", key="akjugend", name="AK Jugend", kind="arbeitskreis",
                         created_at=NOW)  # fmt: skip
        s.add_all([first, second])
        s.flush()
        s.add_all([
            Membership(network_id=first.id, actor_id=keep, since=date(2025, 3, 1), created_at=NOW),
            Membership(network_id=first.id, actor_id=other, since=date(2024, 1, 1),
                       role="chair", created_at=NOW),
            Membership(network_id=second.id, actor_id=other, since=date(2024, 5, 1),
                       created_at=NOW),
        ])  # fmt: skip
        events = [Event(uid=f"e{n}@test", title=f"Fest {n}", start=NOW, created_at=NOW,
                        updated_at=NOW) for n in range(3)]  # fmt: skip
        s.add_all(events)
        s.flush()
        s.add_all([
            EventOrganiser(event_id=events[0].id, actor_id=other),
            EventOrganiser(event_id=events[1].id, actor_id=other),
            EventOrganiser(event_id=events[1].id, actor_id=keep),
        ])  # fmt: skip
        meetings = [Meeting(network_id=first.id, event_id=events[2].id, number=1,
                            chair_id=other, created_at=NOW)]  # fmt: skip
        s.add_all(meetings)
        s.flush()
        s.add_all([
            Attendance(meeting_id=meetings[0].id, actor_id=keep, status="excused"),
            Attendance(meeting_id=meetings[0].id, actor_id=other, status="present"),
            Task(title="Flyer drucken", owner_id=other, created_at=NOW),
            Task(title="Raum buchen", owner_id=other, created_at=NOW),
        ])  # fmt: skip
        led = Project(slug="fun", key="fun", title="FuN", lead_id=other, created_at=NOW,
                      updated_at=NOW)  # fmt: skip
        shared = Project(slug="fest", key="fest", title="Fest", created_at=NOW, updated_at=NOW)
        s.add_all([led, shared])
        s.flush()
        s.add_all([
            ProjectPartner(project_id=shared.id, actor_id=keep, role="Werbung"),
            ProjectPartner(project_id=shared.id, actor_id=other, role="Raum"),
            Concern(title="Laterne defekt", reporter_id=other, forwarded_to_id=other,
                    reported_on=date(2026, 10, 1), created_at=NOW, updated_at=NOW),
        ])  # fmt: skip
        paper = Publication(slug="wir2", key="wir2", name="WIR2")
        s.add(paper)
        s.flush()
        issue = PaperIssue(publication_id=paper.id, label="1/2027", deadline=date(2027, 1, 5),
                           publish_on=date(2027, 2, 1))  # fmt: skip
        s.add(issue)
        s.flush()
        s.add(Article(issue_id=issue.id, title="Neues vom Treff", author_id=other,
                      created_at=NOW, updated_at=NOW))  # fmt: skip
        return {"meeting": meetings[0].id, "shared": shared.id, "first": first.id}


def test_merge_moves_every_link_fills_gaps_and_loses_nothing(cli, register):
    keep = add_actor(cli, "Anna Müller", "--kind", "person", "--email", "anna@haus12.example")
    other = add_actor(cli, "Anna Mueller", "--kind", "person", "--email", "anna.m@privat.example",
                "--phone", "0381 555", "--notes", "Aus der Liste 2024", "--consent")  # fmt: skip
    ids = _world(register, keep, other)
    result = cli("actors", "merge", str(keep), str(other), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Merged #{other} into #{keep} Anna Müller: ")
    with register.session() as s:
        assert s.get(Actor, other) is None
        anna = s.get(Actor, keep)
        assert anna.email == "anna@haus12.example" and anna.phone == "0381 555"
        assert anna.consent_share is True
        assert anna.notes == (
            "Aus der Liste 2024\n"
            f"Aus #{other} übernommen: Name: Anna Mueller; E-Mail: anna.m@privat.example"
        )
        memberships = s.exec(select(Membership).order_by(Membership.network_id)).all()
        assert [(m.actor_id, m.role, m.since) for m in memberships] == [
            (keep, "chair", date(2024, 1, 1)), (keep, "member", date(2024, 5, 1)),
        ]  # fmt: skip
        organisers = s.exec(select(EventOrganiser)).all()
        assert sorted((o.event_id, o.actor_id) for o in organisers) == [(1, keep), (2, keep)]
        attendance = s.exec(select(Attendance)).all()
        assert [(a.actor_id, a.status) for a in attendance] == [(keep, "present")]
        assert {t.owner_id for t in s.exec(select(Task)).all()} == {keep}
        assert s.exec(select(Meeting)).one().chair_id == keep
        assert s.exec(select(Project).where(Project.slug == "fun")).one().lead_id == keep
        partners = s.exec(select(ProjectPartner)).all()
        assert [(p.actor_id, p.role) for p in partners] == [(keep, "Werbung / Raum")]
        concern = s.exec(select(Concern)).one()
        assert (concern.reporter_id, concern.forwarded_to_id) == (keep, keep)
        assert s.exec(select(Article)).one().author_id == keep
        assert s.exec(select(Activity).where(Activity.actor_id == other)).all() == []
        entry = s.exec(select(Activity).where(Activity.action == "actor.merge")).one()
    assert entry.entity_id == keep and entry.actor_id == keep
    assert f"#{other} merged into #{keep}" in entry.summary
    assert "Anna" not in entry.summary and "privat" not in entry.summary
    assert ids["meeting"] == 1


def test_merging_organisations_moves_their_people(cli, register):
    add_actor(cli, "Haus 12", "--kind", "social", "-d", "schmarl")
    other = add_actor(
        cli, "Haus 12 e.V.", "--kind", "association", "-d", "gross-klein", "-s", "jugend"
    )
    person = add_actor(cli, "Bernd Schulz", "--kind", "person", "--org", str(other))
    result = cli("actors", "merge", "Haus 12", str(other), "--yes", "--json")
    record = json.loads(result.stdout)
    assert record["merged"] == other and record["moved"]["people"] == 1
    assert record["keep"]["districts"] == ["gross-klein", "schmarl"]
    assert record["keep"]["sectors"] == ["jugend"]
    shown = json.loads(cli("actors", "show", str(person), "--json").stdout)
    assert shown["organisation"] == "Haus 12"


def test_merge_needs_yes_in_scripts_and_changes_nothing_without(cli, register):
    keep = add_actor(cli, "Anna Müller", "--kind", "person")
    other = add_actor(cli, "Anna Mueller", "--kind", "person", "--phone", "0381 1")
    result = cli("actors", "merge", str(keep), str(other))
    assert result.exit_code == 2
    assert "--yes: this changes data irreversibly" in result.stderr
    assert register.count(Actor) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1", "1"], 2, "OTHER: #1 is KEEP itself"),
        (["1", "3"], 1, "#1 is a person and #3 a social: a person and an organisation"),
        (["1", "99"], 1, "no OTHER '99'"),
    ],
)
def test_merge_refuses_what_is_not_a_duplicate(cli, register, args, code, message):
    add_actor(cli, "Anna Müller", "--kind", "person")
    add_actor(cli, "Anna Mueller", "--kind", "person")
    add_actor(cli, "Haus 12", "--kind", "social")
    result = cli("actors", "merge", *args, "--yes")
    assert result.exit_code == code
    assert message in result.stderr
    assert register.count(Actor) == 3


def test_merge_refuses_an_erased_person(cli, register):
    add_actor(cli, "Anna Müller", "--kind", "person")
    add_actor(cli, "Anna Mueller", "--kind", "person")
    cli("privacy", "erase", "2", "--yes")
    result = cli("actors", "merge", "1", "2", "--yes")
    assert result.exit_code == 1 and "actor #2 was erased" in result.stderr


def test_phones_are_compared_in_a_normal_form(cli, register):
    """`(0381) 123456` and `tel:+49-381-123456` are one number; an extension tells apart."""
    first = add_actor(cli, "Kita Sonnenschein", "--kind", "kita", "--phone", "(0381) 123456")
    second = add_actor(
        cli, "Kinderhaus Sonnenschein", "--kind", "kita", "--phone", "tel:+49-381-123456"
    )
    other = add_actor(cli, "Kinderhaus Sonne", "--kind", "kita", "--phone", "0381 123456 ext. 7")
    pairs = {
        (p["a"]["id"], p["b"]["id"]): p
        for p in json.loads(cli("actors", "duplicates", "--threshold", "0", "--json").stdout)
    }
    assert "same phone" in pairs[(first, second)]["reasons"]
    assert "same phone" not in pairs.get((first, other), {"reasons": []})["reasons"]


def test_merge_keeps_one_mail_withdrawal_when_both_withdrew(cli, register):
    from stm.models import MailWithdrawal

    keep = add_actor(cli, "Anna Müller", "--kind", "person")
    other = add_actor(cli, "Anna Mueller", "--kind", "person")
    only_other = add_actor(cli, "Ben Schulz", "--kind", "person")
    also = add_actor(cli, "Ben Schultz", "--kind", "person")
    for actor in (keep, other, also):
        assert cli("mail", "withdraw", str(actor)).exit_code == 0
    merged = cli("actors", "merge", str(keep), str(other), "--yes")
    assert merged.exit_code == 0, merged.output
    moved = cli("actors", "merge", str(only_other), str(also), "--yes")
    assert moved.exit_code == 0, moved.output
    with register.session() as s:
        withdrawn = sorted(row.actor_id for row in s.exec(select(MailWithdrawal)).all())
    assert withdrawn == sorted([keep, only_other])  # one each: kept, and moved over
