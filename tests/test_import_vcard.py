"""Importing actors from vCards: 2.1 (quoted-printable), 3.0, 4.0, and real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports_support import actors, assert_nothing_imported, write_crlf
from stm.models import Actor

EXTERNAL = Path(__file__).parents[2] / "shared" / "fixtures" / "external" / "vcard"
FIXTURES = sorted(EXTERNAL.glob("*.vcf")) if EXTERNAL.is_dir() else []
needs_fixtures = pytest.mark.skipif(
    not FIXTURES, reason=f"external vCard fixtures not found at {EXTERNAL} (clone shared/ beside)"
)

# Every test here runs twice: checked in this process and in a second one (conftest).
pytestmark = pytest.mark.usefixtures("checking")


def write(tmp_path: Path, text: str, name: str = "kontakte.vcf", encoding: str = "utf-8") -> Path:
    return write_crlf(tmp_path / name, text, encoding)


# --------------------------------------------------------------------------- real files


@needs_fixtures
@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_external_fixture_imports(cli, register, path):
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Imported {path.name}: ")
    assert register.count(Actor) >= 1


@needs_fixtures
def test_vcard_21_with_bare_types_keeps_every_address_and_number(cli, register):
    cli("actors", "import", str(EXTERNAL / "evolution_3_vcard21.vcf"))
    nat = actors(register)["Nat"]
    assert (nat.kind, nat.given_name, nat.family_name) == ("person", "Nat D", "Friedman")
    assert (nat.email, nat.phone) == ("nat@nat.org", "617 679 1984")
    assert (nat.street, nat.postcode, nat.city) == ("P.O. Box 101", "91921-1234", "Any Town")
    assert nat.uid == "pas-id-3E65886900000002"
    assert nat.notes.splitlines() == [
        "E-Mail: nat@ximian.com",
        "Telefon (cell): 123 456 7890",
        "Region/Land (postal, work): CA",
        "Geburtstag: 1977-08-06",
    ]


@needs_fixtures
def test_vcard_30_grouped_properties_umlauts_and_several_values(cli, register):
    result = cli("actors", "import", str(EXTERNAL / "khard_contact_with_multiple_values.vcf"))
    assert "Created 1 organisation(s) that persons named: Company1, Sub-Company1" in result.stderr
    held = actors(register)
    mark = held["Dr. Mark Schröder II"]
    assert mark.family_name == "Schröder" and mark.function == "Manager"
    assert mark.organisation_id == held["Company1, Sub-Company1"].id
    assert (mark.email, mark.phone, mark.website) == (
        "mark@example.com", "0161 99999999", "http://example.com",
    )  # fmt: skip
    assert (mark.street, mark.postcode, mark.city) == ("Riverlane 1", "99A99", "A City")
    notes = mark.notes.splitlines()
    for line in (
        "multi-line", "single line note", "Organisation: Company2", "Funktion: research scientist",
        "E-Mail (work): mark@example.org", "Telefon (work): 090 11122200",
        "Telefon (work): 090 33344400", "Telefon (work): 090 55566600",
        "Website: https://example.org", "Region/Land (Custom): Region, Country",
        "Kategorien: cat1, cat2, cät3, one more", "Jabber: jabber2", "Twitter: twitter3",
    ):  # fmt: skip
        assert line in notes


@needs_fixtures
def test_vcard_40_preferred_values_fill_the_fields(cli, register):
    cli("actors", "import", str(EXTERNAL / "vobject_vcard40_full.vcf"))
    john = actors(register)["Dr. John Q. Public, III"]
    assert john.kind == "person"
    assert (john.email, john.phone) == ("johnny@personal.example.org", "+1-555-555-5555")
    assert (john.street, john.city) == ("456 Oak Lane", "Somewhere")
    assert john.uid == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    assert "E-Mail (work): john.public@example.com" in john.notes
    assert "Telefon (cell): +1-555-123-4567" in john.notes
    assert "Adresse (work): 123 Main Street, 91921-1234 Any Town, CA, U.S.A." in john.notes


@needs_fixtures
def test_vcard_40_kind_org_is_an_organisation(cli, register):
    cli("actors", "import", str(EXTERNAL / "vobject_vcard40_org.vcf"))
    org = actors(register)["ABC Marketing"]
    assert org.kind == "organisation" and org.organisation_id is None
    assert (org.email, org.phone) == ("marketing@abc.example.com", "+1-555-000-0000")
    assert (
        org.notes.splitlines()[0] == "Organisation: ABC, Inc., North American Division, Marketing"
    )


@needs_fixtures
def test_importing_the_same_cards_again_skips_them(cli, register):
    path = EXTERNAL / "vobject_vcard40_full.vcf"
    cli("actors", "import", str(path))
    again = cli("actors", "import", str(path))
    assert "0 added, 0 updated, 1 skipped" in again.stdout


# --------------------------------------------------------------------------- phones' exports

QP_CARDS = """BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller
ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:B=C3=BCrgerhaus Stern*Zeichen
TEL;CELL;PREF:0171 1234567
TEL;HOME:0331 998877
EMAIL;PREF;INTERNET:juergen@buergerhaus.example
ADR;WORK;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Galileistra=DFe 37;Potsdam;;14480;
NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sprechzeit Di 10=E2=80=9312 Uhr,=0D=0A=
Raum 2 im Erdgeschoss, Zugang =C3=BCber den Hof
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Kita Ostseekinder
ORG:Kita Ostseekinder
X-ABShowAs:COMPANY
item1.EMAIL;type=INTERNET;type=pref:leitung@ostsee.example
item1.X-ABLabel:Leitung
item2.EMAIL;type=INTERNET:info@ostsee.example
item2.X-ABLabel:_$!<Other>!$_
CATEGORIES:Bildung,Kinder,Eltern
END:VCARD
"""


def test_quoted_printable_soft_line_breaks_and_apple_labels(cli, register, tmp_path):
    result = cli("actors", "import", str(write(tmp_path, QP_CARDS)))
    assert result.exit_code == 0, result.output
    held = actors(register)
    juergen = held["Jürgen Müller"]
    assert (juergen.given_name, juergen.family_name) == ("Jürgen", "Müller")
    assert juergen.organisation_id == held["Bürgerhaus Stern*Zeichen"].id
    assert (juergen.phone, juergen.email) == ("0171 1234567", "juergen@buergerhaus.example")
    assert (juergen.street, juergen.postcode, juergen.city) == (
        "Galileistraße 37",
        "14480",
        "Potsdam",
    )
    assert juergen.notes.splitlines() == [
        "Sprechzeit Di 10–12 Uhr,",
        "Raum 2 im Erdgeschoss, Zugang über den Hof",
        "Telefon (home): 0331 998877",
    ]
    kita = held["Kita Ostseekinder"]
    assert kita.kind == "organisation" and kita.email == "leitung@ostsee.example"
    assert "E-Mail (Other): info@ostsee.example" in kita.notes
    assert "Kategorien: Eltern" in kita.notes


def test_categories_that_are_sectors_become_sectors(cli, register, tmp_path):
    cli("actors", "import", str(write(tmp_path, QP_CARDS)))
    shown = cli("actors", "show", "Kita Ostseekinder", "--json").stdout
    assert '"sectors": [\n    "bildung",\n    "kinder"\n  ]' in shown


def test_format_is_found_from_the_content(cli, register, tmp_path):
    path = write(tmp_path, QP_CARDS, name="kontakte-export")
    assert cli("actors", "import", str(path)).exit_code == 0
    assert register.count(Actor) == 3


def test_skip_invalid_writes_rejected_cards_with_the_reason(cli, register, tmp_path):
    text = QP_CARDS + "BEGIN:VCARD\nVERSION:3.0\nFN:Kaputt\nEMAIL:kaputt@@mail\nEND:VCARD\n"
    result = cli("actors", "import", str(write(tmp_path, text)), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Kaputt" not in actors(register)
    rejected = (tmp_path / "kontakte.rejected.vcf").read_text(encoding="utf-8")
    assert rejected.startswith(
        "BEGIN:VCARD\nX-STM-REJECTED:card 3 (line 24): EMAIL: 'kaputt@@mail'"
    )
    assert "FN:Kaputt" in rejected and rejected.rstrip().endswith("END:VCARD")
    again = cli("actors", "import", str(tmp_path / "kontakte.rejected.vcf"))
    assert "EMAIL: 'kaputt@@mail' is not a valid e-mail address" in again.stderr


# --------------------------------------------------------------------------- bad input


def test_truncated_vcard(cli, register, tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Erste\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Zweite\n"
    result = cli("actors", "import", str(write(tmp_path, text)))
    assert_nothing_imported(
        register, result,
        "kontakte.vcf, card 2 (line 5): no END:VCARD: the file ends inside this card (cut off?)",
    )  # fmt: skip


def test_text_outside_a_card(cli, register, tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Erste\nEND:VCARD\nHallo Welt\n"
    result = cli("actors", "import", str(write(tmp_path, text)))
    assert_nothing_imported(
        register, result, "kontakte.vcf: line 5: 'Hallo Welt' is outside a vCard"
    )


def test_unreadable_card_names_the_card(cli, register, tmp_path):
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Erste\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nkein doppelpunkt\nEND:VCARD\n"
    )
    result = cli("actors", "import", str(write(tmp_path, text)))
    assert_nothing_imported(register, result, "card 2 (line 5): cannot read the card")


def test_invalid_email_in_a_card(cli, register, tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Erste\nEMAIL:erste@@example\nEND:VCARD\n"
    result = cli("actors", "import", str(write(tmp_path, text)))
    assert_nothing_imported(
        register, result, "kontakte.vcf, card 1 (line 1), EMAIL: 'erste@@example' is not a valid"
    )


def test_same_person_twice_in_one_vcard_file(cli, register, tmp_path):
    card = "BEGIN:VCARD\nVERSION:3.0\nUID:abc-1\nFN:Anna Müller\nN:Müller;Anna;;;\nEND:VCARD\n"
    result = cli("actors", "import", str(write(tmp_path, card + card)))
    assert_nothing_imported(
        register, result, "card 2 (line 7): the same actor as card 1 (line 1) (same UID)"
    )


def test_binary_and_empty_vcard_files(cli, register, tmp_path):
    binary = tmp_path / "foto.vcf"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    assert_nothing_imported(register, cli("actors", "import", str(binary)), "is a JPEG image")
    empty = tmp_path / "leer.vcf"
    empty.write_bytes(b"")
    assert_nothing_imported(register, cli("actors", "import", str(empty)), "leer.vcf: is empty")


def test_phones_as_germans_write_them_are_imported(cli, register, tmp_path):
    cards = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Haus 12\nORG:Haus 12\nTEL;TYPE=WORK:(0381) 123456\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Börse\nKIND:org\n"
        "TEL;VALUE=uri;TYPE=work:tel:+49-381-654321;ext=3\nEND:VCARD\n"
    )
    result = cli("actors", "import", str(write(tmp_path, cards)))
    assert result.exit_code == 0, result.output
    held = actors(register)
    assert (held["Haus 12"].phone, held["Börse"].phone) == ("(0381) 123456", "+49-381-654321;ext=3")
