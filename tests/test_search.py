"""Search: every kind of record, umlaut-insensitive, ranked, in sync, never an erased person."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import select

from stm.models import (
    Actor,
    AgendaItem,
    Decision,
    Event,
    Meeting,
    Network,
    Project,
    SearchDocument,
    Task,
)

NOW = datetime(2026, 11, 20, 10, 0)


def _find(cli, *args: str) -> list[tuple[str, int, str]]:
    result = cli("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return [(r["entity"], r["id"], r["title"]) for r in json.loads(result.stdout)]


def _meeting_with_minutes(register) -> None:
    """A Stadtteiltisch with a TOP, its notes, a decision and a task (as the meetings
    commands would record them)."""
    with register.session() as session:
        network = Network(
            slug="stadtteiltisch-schmarl",
            key="stadtteiltischschmarl",
            name="Stadtteiltisch Schmarl",
            kind="stadtteiltisch",
            created_at=NOW,
        )
        event = Event(
            uid="m12@stm",
            title="12. Stadtteiltisch Schmarl",
            kind="meeting",
            start=datetime(2026, 12, 8, 18),
            location="Haus 12",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add_all([network, event])
        session.flush()
        meeting = Meeting(network_id=network.id, event_id=event.id, number=12, created_at=NOW)
        session.add(meeting)
        session.flush()
        item = AgendaItem(
            meeting_id=meeting.id,
            position=3,
            title="Verkehrssicherheit",
            notes="Die Straßenbeleuchtung am Bach fällt oft aus.",
        )
        session.add(item)
        session.flush()
        session.add(
            Decision(
                meeting_id=meeting.id,
                agenda_item_id=item.id,
                result="adopted",
                text="Der Stadtteiltisch unterstützt den Frühjahrsputz mit 300 €.",
            )
        )
        session.add(
            Task(title="Fotos vom Frühjahrsputz an die WIR2", meeting_id=meeting.id, created_at=NOW)
        )


def test_umlauts_and_sharp_s_do_not_matter(cli, register):
    cli("concerns", "add", "Straßenbeleuchtung Ratzeburger Straße defekt", "-d", "gross-klein")
    with register.session() as session:
        session.add(
            Event(
                uid="fp@stm",
                title="Frühjahrsputz in Drewitz",
                kind="aktion",
                start=datetime(2027, 3, 20, 10),
                created_at=NOW,
                updated_at=NOW,
            )
        )
    assert _find(cli, "strassenbeleuchtung") == [
        ("concern", 1, "Straßenbeleuchtung Ratzeburger Straße defekt")
    ]
    assert _find(cli, "fruehjahrsputz") == [("event", 1, "Frühjahrsputz in Drewitz")]
    assert _find(cli, "FRÜHJAHRSPUTZ") == [("event", 1, "Frühjahrsputz in Drewitz")]
    assert _find(cli, "Straßenbeleuchtung") == _find(cli, "strassenbeleuchtung")


def test_words_match_from_their_beginning_and_all_must_occur(cli, register):
    cli("concerns", "add", "Frühjahrsputz: Müllsäcke fehlen", "-d", "drewitz")
    cli("concerns", "add", "Frühjahrsputz an der Schule", "-d", "drewitz")
    assert [t for _e, _i, t in _find(cli, "fruehjahr")] == [
        "Frühjahrsputz: Müllsäcke fehlen",
        "Frühjahrsputz an der Schule",
    ]
    assert _find(cli, "fruehjahr", "muell") == [("concern", 1, "Frühjahrsputz: Müllsäcke fehlen")]
    assert _find(cli, "zzz") == []


def test_every_kind_of_record_is_found(cli, register):
    cli(
        "actors",
        "add",
        "Heimatverein Dorf Schmarl",
        "--kind",
        "association",
        "--notes",
        "Organisiert den Frühjahrsputz",
    )
    cli("concerns", "add", "Frühjahrsputz: Müllsäcke fehlen")
    cli(
        "paper",
        "issue",
        "add",
        "1/2027",
        "-p",
        "WIR2",
        "--deadline",
        "2027-01-15",
        "--publish",
        "2027-02-10",
    )
    cli("paper", "article", "add", "--issue", "1/2027", "--title", "Rückblick Frühjahrsputz")
    with register.session() as session:
        session.add(
            Project(
                slug="fun",
                key="fun",
                title="FuN – Familie und Nachbarschaft",
                status="running",
                description="Begleitet den Frühjahrsputz",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    _meeting_with_minutes(register)
    found = {entity for entity, _id, _title in _find(cli, "fruehjahrsputz")}
    assert found == {"actor", "concern", "article", "project", "decision", "task"}
    assert _find(cli, "strassenbeleuchtung") == [("agenda_item", 1, "Verkehrssicherheit")]
    assert _find(cli, "stadtteiltisch", "--in", "meetings")[0] == (
        "meeting",
        1,
        "12. Stadtteiltisch Schmarl",
    )


def test_a_meeting_is_found_once_not_also_as_its_event(cli, register):
    _meeting_with_minutes(register)
    found = _find(cli, "12", "stadtteiltisch")
    assert [(e, i) for e, i, _t in found] == [("meeting", 1)]


def test_results_show_where_a_record_belongs(cli, register):
    _meeting_with_minutes(register)
    result = cli("search", "strassenbeleuchtung", "--json")
    record = json.loads(result.stdout)[0]
    assert set(record) == {"rank", "kind", "entity", "id", "title", "context", "snippet", "score"}
    assert record["kind"] == "agenda item"
    assert record["context"] == "TOP 3 of 12. Stadtteiltisch Schmarl (meeting #1, 2026-12-08)"
    assert "Straßenbeleuchtung" in record["snippet"]
    table = cli("search", "strassenbeleuchtung").stdout
    assert "Verkehrssicherheit" in table and "agenda item" in table


def test_in_limits_the_kinds(cli, register):
    cli("actors", "add", "Frühjahrsputz-Team", "--kind", "initiative")
    cli("concerns", "add", "Frühjahrsputz: Müllsäcke fehlen")
    assert [e for e, _i, _t in _find(cli, "fruehjahrsputz", "--in", "concerns")] == ["concern"]
    assert sorted(e for e, _i, _t in _find(cli, "fruehjahrsputz", "--in", "actors,concern")) == [
        "actor",
        "concern",
    ]


def test_title_matches_rank_first(cli, register):
    cli(
        "actors",
        "add",
        "Kita Sonnenschein",
        "--kind",
        "kita",
        "--notes",
        "Kooperation mit dem Spielplatz-Verein",
    )
    cli("actors", "add", "Spielplatz-Verein Schmarl", "--kind", "association")
    assert [t for _e, _i, t in _find(cli, "spielplatz")] == [
        "Spielplatz-Verein Schmarl",
        "Kita Sonnenschein",
    ]
    result = cli("search", "spielplatz", "--json", "--limit", "1")
    assert [r["title"] for r in json.loads(result.stdout)] == ["Spielplatz-Verein Schmarl"]


def test_the_index_follows_every_change(cli, register):
    cli("concerns", "add", "Bänke am Bach", "-d", "schmarl")
    cli("concerns", "update", "1", "--note", "Straßenbeleuchtung gleich mit prüfen")
    assert _find(cli, "strassenbeleuchtung") == [("concern", 1, "Bänke am Bach")]
    cli("concerns", "close", "1", "--answer", "Drei Bänke aufgestellt")
    assert _find(cli, "aufgestellt") == [("concern", 1, "Bänke am Bach")]
    cli("actors", "add", "Jugendclub Alt", "--kind", "social")
    cli("actors", "edit", "Jugendclub Alt", "--name", "Jugendtreff Neu")
    assert _find(cli, "jugendclub") == []
    assert _find(cli, "jugendtreff") == [("actor", 1, "Jugendtreff Neu")]
    with register.session() as session:
        session.delete(session.get(Actor, 1))
    assert _find(cli, "jugendtreff") == []
    with register.session() as session:
        assert (
            session.exec(select(SearchDocument).where(SearchDocument.entity == "actor")).all() == []
        )


def test_erased_persons_are_never_found(cli, register):
    cli("actors", "add", "Eva Beispiel", "--kind", "person", "--notes", "Fahrradwerkstatt")
    assert _find(cli, "beispiel") == [("actor", 1, "Eva Beispiel")]
    with register.session() as session:  # as `stm privacy erase` does it
        person = session.get(Actor, 1)
        person.erased_at, person.notes = NOW, None
        session.add(person)
    assert _find(cli, "beispiel") == []
    assert _find(cli, "fahrradwerkstatt") == []
    assert register.count(SearchDocument, SearchDocument.entity == "actor") == 0


def test_an_erasure_that_bypasses_the_index_still_hides_the_person(cli, register):
    cli("actors", "add", "Eva Beispiel", "--kind", "person")
    with register.session() as session:  # a bulk statement: no ORM events fire
        session.connection().execute(text("UPDATE actor SET erased_at = '2026-11-20 10:00:00'"))
    assert register.count(SearchDocument, SearchDocument.entity == "actor") == 1
    assert _find(cli, "beispiel") == []


def test_db_check_reports_a_stale_index_and_fix_rebuilds_it(cli, register):
    cli("concerns", "add", "Straßenbeleuchtung defekt")
    cli("actors", "add", "Haus 12", "--kind", "social")
    with register.session() as session:
        session.connection().execute(text("DELETE FROM search_document"))
    assert _find(cli, "strassenbeleuchtung") == []
    result = cli("db", "check")
    assert result.exit_code == 1
    assert (
        "Problem: search index: 0 of 1 concern records indexed (run 'stm db check --fix')"
        in result.stderr
    )
    result = cli("db", "check", "--fix")
    assert result.exit_code == 0, result.output
    assert "Rebuilt the search index: 2 records" in result.stdout
    assert "passed the integrity check" in result.stdout
    assert _find(cli, "strassenbeleuchtung") == [("concern", 1, "Straßenbeleuchtung defekt")]


def test_the_sqlite_full_text_table_is_an_fts5_index(register):
    if register.backend != "sqlite":
        pytest.skip("SQLite only")
    with register.session() as session:
        sql = (
            session.connection()
            .execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'"))
            .scalar()
        )
    assert "fts5" in sql.lower()


def test_the_postgresql_index_is_a_gin_index(register):
    if register.backend != "postgresql":
        pytest.skip("PostgreSQL only")
    with register.session() as session:
        definition = (
            session.connection()
            .execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_document_fts'"
                    " AND schemaname = current_schema()"
                )
            )
            .scalar()
        )
    assert "gin" in definition.lower() and "to_tsvector" in definition


def test_the_demo_is_searchable(cli, demo):
    assert ("concern", "Straßenbeleuchtung am Kleinen Warnowdamm defekt") in [
        (e, t) for e, _i, t in _find(cli, "strassenbeleuchtung")
    ]
    assert any(e == "article" for e, _i, _t in _find(cli, "schmarl", "--in", "articles"))
    assert any(t == "Anna Müller" for _e, _i, t in _find(cli, "anna", "mueller"))


# --------------------------------------------------------------------------- bad input


def test_nothing_to_search_for_is_exit_2(cli, register):
    result = cli("search", "--", "-- !")
    assert result.exit_code == 2
    assert "Error: TEXT: '-- !' has no letters or digits to search for" in result.stderr


def test_unknown_kind_suggests(cli, register):
    result = cli("search", "licht", "--in", "concers")
    assert result.exit_code == 2
    assert "--in: unknown record kind 'concers'; did you mean 'concerns'?" in result.stderr


def test_nothing_found_says_so(cli, register):
    result = cli("search", "nirgendwo")
    assert result.exit_code == 0
    assert "Nothing found for 'nirgendwo'." in result.stdout
    assert json.loads(cli("search", "nirgendwo", "--json").stdout) == []


def test_limit_must_be_positive(cli, register):
    result = cli("search", "licht", "--limit", "0")
    assert result.exit_code == 2 and "--limit" in result.stderr


def test_dates_in_context_are_iso(cli, register):
    with register.session() as session:
        session.add(
            Event(
                uid="e@stm",
                title="Adventsmarkt",
                kind="markt",
                start=datetime(2026, 12, 5, 14),
                location="Dorfplatz",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    record = json.loads(cli("search", "adventsmarkt", "--json").stdout)[0]
    assert record["context"] == f"{date(2026, 12, 5).isoformat()}, Dorfplatz, planned"


# ------------------------------------------------------------------ inside words (compounds)


def test_words_are_found_inside_german_compounds(cli, register):
    """`flohmarkt` finds the Stadtteilflohmarkt as an event, a TOP, a decision and an
    article; `putz` the Frühjahrsputz."""
    cli("event", "add", "Stadtteilflohmarkt Schmarl", "--date", "24.4.2027", "-d", "schmarl")
    cli("paper", "issue", "add", "1/2027", "-p", "WIR2", "--deadline", "2027-01-15",
        "--publish", "2027-02-10")  # fmt: skip
    cli("paper", "article", "add", "--issue", "1/2027", "--title", "Stadtteilflohmarkt im April")
    with register.session() as session:
        network = Network(slug="st", key="st", name="Stadtteiltisch", kind="stadtteiltisch",
                          created_at=NOW)  # fmt: skip
        event = Event(uid="m1@stm", title="1. Stadtteiltisch", kind="meeting",
                      start=datetime(2026, 11, 3, 18), created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add_all([network, event])
        session.flush()
        meeting = Meeting(network_id=network.id, event_id=event.id, number=1, created_at=NOW)
        session.add(meeting)
        session.flush()
        item = AgendaItem(meeting_id=meeting.id, position=5, title="Stadtteilflohmarkt 2027")
        session.add(item)
        session.flush()
        session.add(Decision(meeting_id=meeting.id, agenda_item_id=item.id, result="adopted",
                             text="Der Stadtteilflohmarkt findet am 24.4.2027 statt."))  # fmt: skip
    cli("concerns", "add", "Frühjahrsputz: Müllsäcke fehlen", "-d", "drewitz")
    found = {entity for entity, _id, _title in _find(cli, "flohmarkt")}
    assert found == {"event", "agenda_item", "decision", "article"}
    assert _find(cli, "putz") == [("concern", 1, "Frühjahrsputz: Müllsäcke fehlen")]
    assert _find(cli, "flohmarkt", "2027", "--in", "articles") == [
        ("article", 1, "Stadtteilflohmarkt im April")
    ]


def test_whole_words_rank_ahead_of_words_inside_words(cli, register):
    cli("event", "add", "Stadtteilflohmarkt Schmarl", "--date", "24.4.2027", "-d", "schmarl")
    cli("event", "add", "Flohmarkt im Haus 12", "--date", "25.4.2027")
    cli("event", "add", "Kinderflohmarkt", "--date", "26.4.2027")
    titles = [t for _e, _i, t in _find(cli, "flohmarkt")]
    assert titles[0] == "Flohmarkt im Haus 12"
    assert sorted(titles[1:]) == ["Kinderflohmarkt", "Stadtteilflohmarkt Schmarl"]


def test_the_index_inside_words_follows_changes(cli, register):
    cli("event", "add", "Kinderflohmarkt", "--date", "26.4.2027")
    cli("event", "edit", "Kinderflohmarkt", "--title", "Kindertrödel")
    assert _find(cli, "flohmarkt") == []
    assert [t for _e, _i, t in _find(cli, "troedel")] == ["Kindertrödel"]
    assert [t for _e, _i, t in _find(cli, "rödel")] == ["Kindertrödel"]


def test_the_index_inside_words_is_a_trigram_index(register):
    with register.session() as session:
        connection = session.connection()
        if register.backend == "sqlite":
            sql = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'search_trigram'")
            ).scalar()
            assert "trigram" in sql.lower()
        else:
            available = connection.execute(
                text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            ).scalar()
            if not available:
                pytest.skip("pg_trgm could not be enabled: words inside words are found by LIKE")
            name = "ix_search_document_trigram"
            definition = connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": name}
            ).scalar()
            assert "gin_trgm_ops" in definition
