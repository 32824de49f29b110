"""Mentions found (#11, item 3): erase finds and (with --redact) removes free-text mentions."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import select

from stm.models import (
    Activity,
    AgendaItem,
    Article,
    Concern,
    ConcernHistory,
    Decision,
    Event,
    Meeting,
    Network,
    PaperIssue,
    Publication,
    Task,
)

NOW = datetime(2026, 11, 20, 10, 0)


def _person(cli) -> int:
    result = cli("actors", "add", "Zenobia Quirrenbach", "--kind", "person", "--email",
                 "zq@quirlmail.example", "--phone", "0170 9876543", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def _mentions(register) -> None:
    """Records by others naming her: full name, family name only, e-mail, phone."""
    with register.session() as s:
        network = Network(
            slug="ak-spiel",
            key="akspiel",
            name="AK Spielplatz",
            kind="arbeitskreis",
            description="Ansprechpartnerin: Frau Quirrenbach",
            created_at=NOW,
        )
        event = Event(
            uid="e@t",
            title="Treffen 12. Stadtteiltisch",
            start=datetime(2026, 5, 4, 18),
            created_at=NOW,
            updated_at=NOW,
        )
        fest = Event(
            uid="f@t",
            title="Flohmarkt",
            start=datetime(2026, 6, 1, 10),
            description="Stand von QUIRRENBACH, Anmeldung 0170-987 65 43",
            created_at=NOW,
            updated_at=NOW,
        )
        s.add_all([network, event, fest])
        s.flush()
        meeting = Meeting(network_id=network.id, event_id=event.id, number=12, created_at=NOW)
        s.add(meeting)
        s.flush()
        s.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=1,
                title="Spielplatz",
                notes="Bericht von Zenobia Quirrenbach",
            )
        )
        s.add(
            Decision(
                meeting_id=meeting.id,
                text="Frau Quirrenbach übernimmt die Leitung",
                yes=5,
                no=0,
                abstain=0,
                result="adopted",
            )
        )
        s.add(Task(title="Quirrenbach anrufen", created_at=NOW))
        s.add(Task(title="Flyer drucken", created_at=NOW))
        concern = Concern(
            title="Schaukel kaputt",
            description="Meldung per zq@quirlmail.example",
            reported_on=date(2026, 10, 2),
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(concern)
        s.flush()
        s.add(
            ConcernHistory(
                concern_id=concern.id, at=NOW, status="forwarded", note="Rückruf an +49 170 9876543"
            )
        )
        paper = Publication(slug="wir2", key="wir2", name="WIR2")
        s.add(paper)
        s.flush()
        issue = PaperIssue(
            publication_id=paper.id,
            label="4/2026",
            deadline=date(2026, 11, 1),
            publish_on=date(2026, 12, 1),
        )
        s.add(issue)
        s.flush()
        s.add(
            Article(
                issue_id=issue.id,
                title="Interview mit Zenobia Quirrenbach",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        s.add(Activity(at=NOW, action="note", entity="network", entity_id=network.id,
                       summary="Quirrenbach im AK begrüßt"))  # fmt: skip


EXPECTED = [
    "network #1 (description)",
    "event #2 (description)",
    "agenda item #1 (notes)",
    "decision #1 (text)",
    "task #1 (title)",
    "concern #1 (description)",
    "concern #1 (concern history note)",
    "article #1 (title)",
    "activity #",
]


def test_erase_lists_every_mention(cli, register):
    person = _person(cli)
    _mentions(register)
    result = cli("privacy", "erase", str(person), "--yes")
    assert result.exit_code == 0, result.output
    line = result.stderr.strip()
    assert line.startswith("The former name still appears in the text of: ")
    for described in EXPECTED:
        assert described in line, described
    assert "task #2" not in line and "event #1" not in line
    with register.session() as s:  # listed, not changed
        assert s.exec(select(Task).where(Task.id == 1)).one().title == "Quirrenbach anrufen"


def test_redact_replaces_every_mention_in_the_same_transaction(cli, register):
    person = _person(cli)
    _mentions(register)
    result = cli("privacy", "erase", str(person), "--redact", "--yes")
    assert result.exit_code == 0, result.output
    assert "Replaced 9 mention(s) with [gelöscht] in: concern #1 (description), " in result.stdout
    assert result.stderr == ""
    with register.session() as s:
        assert s.get(Network, 1).description == "Ansprechpartnerin: Frau [gelöscht]"
        assert s.get(Event, 2).description == "Stand von [gelöscht], Anmeldung [gelöscht]"
        assert s.get(AgendaItem, 1).notes == "Bericht von [gelöscht]"
        assert s.get(Decision, 1).text == "Frau [gelöscht] übernimmt die Leitung"
        assert s.get(Task, 1).title == "[gelöscht] anrufen"
        assert s.get(Task, 2).title == "Flyer drucken"
        assert s.get(Concern, 1).description == "Meldung per [gelöscht]"
        assert s.get(ConcernHistory, 1).note == "Rückruf an [gelöscht]"
        assert s.get(Article, 1).title == "Interview mit [gelöscht]"
        summaries = [a.summary for a in s.exec(select(Activity)).all()]
    assert "[gelöscht] im AK begrüßt" in summaries
    assert not any("Quirrenbach" in text for text in summaries)
    for word in ("quirrenbach", "quirlmail", "zenobia"):
        assert json.loads(cli("search", word, "--json").stdout) == [], word
    assert json.loads(cli("search", "anrufen", "--json").stdout)[0]["title"] == "[gelöscht] anrufen"


def test_a_redacted_erasure_leaves_no_byte_in_the_file(cli, register):
    if register.backend != "sqlite":
        return
    person = _person(cli)
    _mentions(register)
    assert cli("privacy", "erase", str(person), "--redact", "--yes").exit_code == 0
    data = register.location.path.read_bytes().lower()
    assert data.count(b"quirrenbach") == data.count(b"quirlmail") == 0
    assert data.count(b"9876543") == data.count(b"987 65 43") == 0


def test_the_phone_is_found_in_any_spelling():
    from stm.services.privacy.mentions import REDACTED, Identity

    pattern = Identity("Zenobia Quirrenbach", None, None, "0170 9876543").pattern()
    assert pattern is not None
    for text in ("0170 9876543", "01709876543", "0170/987 65 43", "+49 170 9876543",
                 "0049-170-9876543"):  # fmt: skip
        assert pattern.sub(REDACTED, f"Tel. {text}.") == f"Tel. {REDACTED}.", text
    assert pattern.sub(REDACTED, "Vorgang 901709876543") == "Vorgang 901709876543"
    assert pattern.sub(REDACTED, "Quirrenbachstraße") == "Quirrenbachstraße"


def test_a_family_name_inside_a_place_name_is_not_a_mention():
    from stm.services.privacy.mentions import Identity, redact_text

    pattern = Identity("Maria Klein", "Klein", None, None).pattern()
    assert pattern is not None
    text = "Treffen in Groß Klein mit Frau Klein"
    assert redact_text(pattern, text, ["Groß Klein"]) == "Treffen in Groß Klein mit Frau [gelöscht]"


def test_the_district_groß_klein_is_no_mention_of_a_person_named_klein(cli, register):
    result = cli("actors", "add", "Maria Klein", "--kind", "person", "--json")
    person = json.loads(result.stdout)["id"]
    with register.session() as s:
        s.add(Task(title="Spielplatz in Groß Klein prüfen", created_at=NOW))
        s.add(Task(title="Frau Klein anrufen", created_at=NOW))
    erased = cli("privacy", "erase", str(person), "--redact", "--yes")
    assert "Replaced 1 mention(s) with [gelöscht] in: task #2 (title)" in erased.stdout
    with register.session() as s:
        assert s.get(Task, 1).title == "Spielplatz in Groß Klein prüfen"


def test_the_question_on_a_terminal_names_the_mentions_first(cli, register, monkeypatch):
    import stm.cli._common

    person = _person(cli)
    _mentions(register)
    monkeypatch.setattr(stm.cli._common, "is_terminal", lambda: True)
    result = cli("privacy", "erase", str(person), input="n\n")
    assert result.exit_code == 1
    assert "9 other text(s) name the person: concern #1 (description), " in result.output
    assert "(--redact replaces those mentions). Erase all personal data of #1" in result.output
    with register.session() as s:
        assert s.get(Task, 1).title == "Quirrenbach anrufen"
