"""Exporting actors as CSV, vCard and JSON; export followed by import loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from stm.models import Activity, Actor, ActorDistrict, ActorSector, SearchDocument

CARD = """BEGIN:VCARD
VERSION:3.0
UID:urn:uuid:0b3e8a52-2c4f-4d6e-9d1a-5b7c8e9f0a1b
FN:Mehmet Yılmaz
N:Yılmaz;Mehmet;;;
EMAIL:mehmet@jugendclub.example
END:VCARD
"""


@pytest.fixture
def varied(cli, register, tmp_path):
    """A register with every kind of field an export must carry."""
    commands = [
        ["Haus 12", "--kind", "social", "-d", "schmarl", "-s", "soziales", "-s", "jugend",
         "--email", "Info@Haus12.Example", "--phone", "0381 123 45", "--website", "haus12.example",
         "--street", "Straße der Jugend 12", "--postcode", "18109", "--city", "Rostock",
         "--notes", 'Offener Treff; "Café" am Freitag,\nab 14 Uhr – auch für Ältere'],
        ["Landeshauptstadt Potsdam, Fachbereich Soziales", "--kind", "administration",
         "-d", "am-stern", "-d", "drewitz", "-s", "verwaltung"],
        ["Anna Müller", "--kind", "person", "--org", "Haus 12", "--function", "Leitung",
         "--email", "anna@haus12.example", "--phone", "0381 123 46", "--consent",
         "--consent-purpose", "Kontaktliste Stadtteiltisch"],
        ["Jürgen Weiß", "--kind", "person", "--function", "Sachgebiet Gemeinwesenarbeit",
         "--org", "Landeshauptstadt Potsdam, Fachbereich Soziales"],
        ["Kita Ostseekinder", "--kind", "kita", "-d", "gross-klein", "-s", "bildung",
         "-s", "kinder"],
        ["Olga Nowak", "--kind", "resident", "-d", "schmarl", "--notes", "Mieterbeirat"],
        ["Alter Jugendclub", "--kind", "association", "-d", "schmarl"],
    ]  # fmt: skip
    for command in commands:
        result = cli("actors", "add", *command)
        assert result.exit_code == 0, result.output
    cli("actors", "archive", "Alter Jugendclub")
    cli("privacy", "consent", "Jürgen Weiß", "--given", "1.3.2026", "--purpose", "Rundbrief",
        "--no-share")  # fmt: skip
    card = tmp_path / "mehmet.vcf"
    card.write_text(CARD, encoding="utf-8")
    assert cli("actors", "import", str(card)).exit_code == 0
    return register


def _records(cli, *args: str) -> list[dict]:
    result = cli("actors", "export", "--format", "json", "--all", *args)
    assert result.exit_code == 0, result.output
    return sorted(
        ({k: v for k, v in r.items() if k != "id"} for r in json.loads(result.stdout)),
        key=lambda r: r["name"],
    )


def _empty(register) -> None:
    with register.session() as session:
        for model in (ActorDistrict, ActorSector, SearchDocument, Activity):
            session.exec(delete(model))
        session.exec(delete(Actor).where(Actor.organisation_id.is_not(None)))
        session.exec(delete(Actor))
    assert register.count(Actor) == 0


@pytest.mark.parametrize("format", ["csv", "vcf"])
def test_export_then_import_loses_nothing(cli, varied, tmp_path, format):
    before = _records(cli)
    assert len(before) == 8
    path = tmp_path / f"akteure.{format}"
    assert cli("actors", "export", "--all", "-o", str(path)).exit_code == 0
    _empty(varied)
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "8 added" in result.stdout
    assert _records(cli) == before


def test_importing_an_export_into_the_same_register_changes_nothing(cli, varied, tmp_path):
    before = _records(cli)
    path = tmp_path / "akteure.csv"
    cli("actors", "export", "--all", "-o", str(path))
    result = cli("actors", "import", str(path), "--on-duplicate", "update")
    assert "0 added, 0 updated, 8 skipped" in result.stdout
    assert _records(cli) == before


def test_csv_export_is_for_german_excel(cli, varied, tmp_path):
    path = tmp_path / "akteure.csv"
    result = cli("actors", "export", "-o", str(path), "--district", "schmarl")
    assert result.exit_code == 0
    assert "Exported 2 actor(s)" in result.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfName;Art;Vorname;Nachname;Organisation;Funktion;Stadtteil;")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith("Haus 12;Sozialer Träger;;;;;schmarl;Jugend, Soziales;")
    assert '"Offener Treff; ""Café"" am Freitag,\nab 14 Uhr – auch für Ältere"' in raw.decode()
    english = cli("actors", "export", "--format", "csv", "--lang", "en", "--kind", "kita")
    assert english.stdout.splitlines()[0].startswith("Name;Kind;Given name;Family name;")
    assert "Kita Ostseekinder;Day-care centre;" in english.stdout


def test_vcard_export_for_phones(cli, varied):
    text = cli("actors", "export", "--format", "vcf", "--kind", "social", "--kind", "person").stdout
    cards = text.split("END:VCARD")
    haus = next(c for c in cards if "FN:Haus 12" in c)
    assert "KIND:org" in haus and "ORG:Haus 12" in haus
    assert "ADR:;;Straße der Jugend 12;Rostock;;18109;" in haus
    anna = next(c for c in cards if "FN:Anna Müller" in c)
    assert "N:Müller;Anna;;;" in anna and "ORG:Haus 12" in anna and "TITLE:Leitung" in anna
    assert "X-STM-CONSENT:yes" in anna


def test_json_export_has_the_stable_keys_and_leaves_out_archived_and_erased(cli, varied):
    cli("privacy", "erase", "Olga Nowak", "--yes")
    records = json.loads(cli("actors", "export", "--format", "json").stdout)
    names = [r["name"] for r in records]
    assert "Alter Jugendclub" not in names and "Olga Nowak" not in names
    assert not any(n.startswith("Gelöschte Person") for n in names)
    anna = next(r for r in records if r["name"] == "Anna Müller")
    assert set(anna) >= {"id", "kind", "name", "districts", "sectors", "email", "phone",
                         "organisation", "archived", "consent", "notes", "uid"}  # fmt: skip
    assert anna["consent"] == {
        "given_on": "2026-11-20", "purpose": "Kontaktliste Stadtteiltisch", "share": True,
    }  # fmt: skip


def test_export_format_follows_the_file_name(cli, varied, tmp_path):
    cli("actors", "export", "-o", str(tmp_path / "a.vcf"))
    cli("actors", "export", "-o", str(tmp_path / "a.json"))
    assert (tmp_path / "a.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))[0]["id"]


def test_export_with_an_unknown_district_is_exit_2_and_writes_no_file(cli, varied, tmp_path):
    path = tmp_path / "a.csv"
    result = cli("actors", "export", "--district", "schmal", "-o", str(path))
    assert result.exit_code == 2
    assert "did you mean 'schmarl'?" in result.stderr
    assert not path.exists()


# --------------------------------------------------------------------------- formats alone

# As the register stores names: one line, whitespace collapsed.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: s and " ".join(s.split()) == s
)


@settings(max_examples=80, deadline=None)
@given(
    name=TEXT,
    organisation=st.none() | TEXT,
    function=st.none() | TEXT,
    notes=st.none()
    | st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
        min_size=1,
        max_size=60,
    ).filter(lambda s: s.strip() == s and s),
)
def test_vcard_written_and_read_back_keeps_every_value(
    tmp_path_factory, name, organisation, function, notes
):
    from stm.formats.vcard import VcardActors
    from stm.formats.vcard_write import write_cards

    record = {
        "kind": "person", "name": name, "given_name": None, "family_name": name,
        "organisation": organisation, "function": function, "email": None, "phone": None,
        "website": None, "notes": notes, "districts": [], "sectors": [], "uid": None,
        "consent": {"share": False, "given_on": None, "purpose": None}, "archived": False,
    }  # fmt: skip
    path: Path = tmp_path_factory.mktemp("vcf") / "one.vcf"
    path.write_text(write_cards([record]), encoding="utf-8", newline="")
    source = VcardActors(path)
    try:
        (read,) = [r.values for r in source.records()]
    finally:
        source.close()
    assert read["name"] == name
    assert read.get("organisation") == organisation
    assert read.get("function") == function
    assert read.get("notes") == notes
