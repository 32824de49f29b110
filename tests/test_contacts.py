"""Contact sheets: grouped, filtered, in every format, and always respecting consent."""

from __future__ import annotations

import io
import json

import pytest

PRIVATE = ("bernd@privat.example", "0170 999", "carla@privat.example", "Gartenweg 5")


@pytest.fixture
def office(cli, register):
    """Haus 12 with a consenting and a non-consenting person, and people around them."""
    commands = [
        ["Haus 12", "--kind", "social", "-d", "schmarl", "-s", "soziales", "--email",
         "info@haus12.example", "--phone", "0381 100", "--street", "Straße der Jugend 12",
         "--postcode", "18109", "--city", "Rostock"],
        ["Anna Müller", "--kind", "person", "--org", "Haus 12", "--function", "Leitung",
         "--email", "anna@haus12.example", "--phone", "0381 101", "--consent"],
        ["Bernd Schulz", "--kind", "person", "--org", "Haus 12", "--function", "Jugendarbeit",
         "--email", "bernd@privat.example", "--phone", "0170 999"],
        ["Carla Ohneorg", "--kind", "resident", "-d", "schmarl", "--email",
         "carla@privat.example", "--street", "Gartenweg 5"],
        ["Kita Ostseekinder", "--kind", "kita", "-d", "gross-klein", "-s", "bildung",
         "--email", "kita@ostsee.example"],
        ["Alter Jugendclub", "--kind", "association", "-d", "schmarl"],
        ["Eva Gelöscht", "--kind", "person", "--org", "Haus 12", "--consent",
         "--email", "eva@privat.example"],
    ]  # fmt: skip
    for command in commands:
        assert cli("actors", "add", *command).exit_code == 0
    cli("actors", "archive", "Alter Jugendclub")
    cli("privacy", "erase", "Eva Gelöscht", "--yes")
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller", "Kita Ostseekinder")
    return register


def render(cli, *args: str) -> str:
    result = cli("contacts", "render", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_private_data_absent(text: str) -> None:
    for value in (*PRIVATE, "eva@privat.example", "Eva Gelöscht", "Alter Jugendclub"):
        assert value not in text


def test_markdown_sheet_groups_by_organisation_and_respects_consent(cli, office):
    text = render(cli)
    assert text.splitlines()[:3] == ["**Stadtteilmanagement**", "", "# Kontaktliste"]
    assert "Stand: Freitag, 20. November 2026 · 4 Einträge" in text
    haus = text.index("## Haus 12")
    assert "Sozialer Träger, Soziales" in text[haus:]
    assert "Straße der Jugend 12, 18109 Rostock · 0381 100 · info@haus12.example" in text[haus:]
    assert "| Anna Müller | Leitung | 0381 101 | anna@haus12.example |" in text
    assert "| Bernd Schulz\\* | Jugendarbeit | 0381 100 | info@haus12.example |" in text
    # #11: a person without consent and without an organisation is left out, and counted
    assert "## Einzelpersonen" not in text and "Carla Ohneorg" not in text
    assert text.index("## Haus 12") < text.index("## Kita Ostseekinder")
    assert text.rstrip().endswith(
        "\\* Personen stehen mit eigener Telefonnummer und E-Mail-Adresse nur in dieser Liste, "
        "wenn sie der Weitergabe zugestimmt haben. Bei allen anderen (mit \\* markiert) stehen "
        "die Kontaktdaten ihrer Organisation. 1 weitere Person ohne Einwilligung ist nicht "
        "aufgeführt."
    )
    assert_private_data_absent(text)


def test_html_sheet_is_print_ready_and_marks_the_withheld(cli, office):
    text = render(cli, "--format", "html", "--group-by", "sector")
    assert text.startswith("<!DOCTYPE html>") and "<h1>Kontaktliste</h1>" in text
    assert '<span class="name">Bernd Schulz<span class="mark">*</span></span>' in text
    assert "<h2>Soziales</h2>" in text and "<h2>Bildung</h2>" in text
    assert "<h2>Ohne Bereich</h2>" not in text  # #11: its only member, Carla, is left out
    assert '<footer class="note"><span class="mark">*</span> Personen stehen' in text
    assert_private_data_absent(text)


def test_pdf_sheet(cli, office, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "kontaktliste.pdf"
    result = cli("contacts", "render", "--district", "schmarl", "-o", str(path))
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Kontaktliste" in text and "Bernd Schulz" in text and "info@haus12.example" in text
    assert "Stadtteil: Schmarl" in text
    assert_private_data_absent(text)


def test_csv_rows_carry_the_same_rule(cli, office):
    # #11: a CSV for people: ';', German headers and labels (was: the list CSV for scripts)
    lines = render(cli, "--format", "csv").splitlines()
    assert lines[0] == (
        "Gruppe;Name;Art;Funktion;Organisation;E-Mail;Telefon;Adresse;Website;"
        "Kontakt über Organisation"
    )
    assert (
        "Haus 12;Bernd Schulz;Person;Jugendarbeit;Haus 12;info@haus12.example;0381 100;"
        in "\n".join(lines)
    )
    assert any(line.startswith("Haus 12;Anna Müller;") and line.endswith(";nein") for line in lines)
    assert_private_data_absent("\n".join(lines))


def test_vcard_sheet_never_files_the_organisations_details_under_a_withheld_person(cli, office):
    # #11 (c): was: Bernd's card carried Haus 12's e-mail and phone as his own
    text = render(cli, "--format", "vcf")
    bernd = next(card for card in text.split("END:VCARD") if "FN:Bernd Schulz" in card)
    assert "ORG:Haus 12" in bernd and "TITLE:Jugendarbeit" in bernd
    assert "EMAIL" not in bernd and "TEL" not in bernd and "ADR" not in bernd
    haus = next(card for card in text.split("END:VCARD") if "FN:Haus 12" in card)
    assert "EMAIL;TYPE=INTERNET:info@haus12.example" in haus and "TEL:0381 100" in haus
    assert "X-STM" not in text and "NOTE" not in text
    assert_private_data_absent(text)


def test_filters_choose_the_actors(cli, office):
    def names(*args: str) -> list[str]:
        text = render(cli, "--format", "csv", *args)
        return sorted({line.split(";")[1] for line in text.splitlines()[1:]})

    assert names("--district", "gross-klein") == ["Kita Ostseekinder"]
    assert names("--district", "schmarl") == ["Anna Müller", "Bernd Schulz", "Haus 12"]
    assert names("--network", "stadtteiltisch-schmarl") == [
        "Anna Müller",
        "Haus 12",
        "Kita Ostseekinder",
    ]
    assert names("--kind", "person") == ["Anna Müller", "Bernd Schulz", "Haus 12"]
    assert names("--sector", "bildung", "--group-by", "sector") == ["Kita Ostseekinder"]


def test_network_sheet_lists_a_person_under_their_organisation(cli, office):
    text = render(cli, "--network", "stadtteiltisch-schmarl")
    assert "Gremium: Stadtteiltisch Schmarl" in text
    assert "## Haus 12" in text and "| Anna Müller | Leitung |" in text
    assert "Bernd Schulz" not in text


def test_english_sheet(cli, office):
    text = render(cli, "--lang", "en")
    assert "\n# Contact list\n" in text  # #11: "## Individuals" held only Carla, left out
    assert "1 more person without consent is not listed." in text
    assert "People appear with their own phone number and e-mail address only if" in text


def test_format_follows_the_output_file(cli, office, tmp_path):
    path = tmp_path / "kontakte.html"
    assert cli("contacts", "render", "-o", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_consent_given_later_shows_the_persons_own_data(cli, office):
    cli("privacy", "consent", "Bernd Schulz", "--given", "heute", "--purpose", "Kontaktliste",
        "--share")  # fmt: skip
    text = render(cli)
    assert "| Bernd Schulz | Jugendarbeit | 0170 999 | bernd@privat.example |" in text


def test_an_empty_selection_says_so(cli, office):
    text = render(cli, "--kind", "school")
    assert "Keine Einträge für diese Auswahl." in text


def test_unknown_district_is_exit_2_and_writes_nothing(cli, office, tmp_path):
    path = tmp_path / "k.md"
    result = cli("contacts", "render", "--district", "schmal", "-o", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --district: unknown district 'schmal'; did you mean")
    assert not path.exists()


def test_unknown_network_is_exit_1(cli, office):
    result = cli("contacts", "render", "--network", "lenkungsgruppe")
    assert result.exit_code == 1
    assert "Error: no network 'lenkungsgruppe'" in result.stderr


def test_unknown_grouping_is_exit_2(cli, office):
    result = cli("contacts", "render", "--group-by", "stadtteil")
    assert result.exit_code == 2
    assert "stadtteil" in result.stderr


def test_sheet_data_for_scripts(cli, office):
    from stm.services.contacts import ContactFilter, contact_sheet
    from stm.store import open_register

    register = open_register(office.location)
    try:
        with register.session() as session:
            sheet = contact_sheet(session, ContactFilter())
    finally:
        register.close()
    assert sheet["count"] == 4 and sheet["withheld"] == 1 and sheet["left_out"] == 1
    rows = [r for g in sheet["groups"] for r in g["entries"]]
    bernd = next(r for r in rows if r["name"] == "Bernd Schulz")
    assert bernd["via_organisation"] and bernd["email"] == "info@haus12.example"
    json.dumps(sheet, default=str)


def test_demo_stadtteiltisch_sheet(cli, demo):
    text = render(cli, "--network", "stadtteiltisch-schmarl")
    assert "Gremium: Stadtteiltisch Schmarl" in text
    assert (
        "| Anna Müller | Stadtteilmanagerin Schmarl | 0381 0000 111 | a.mueller@rostock.example |"
        in text
    )
    assert (
        "| Heike Sommerfeld\\* | Vorsitzende |  | vorstand@heimatverein-schmarl.example |" in text
    )
    assert "h.sommerfeld@mail.example" not in text and "0172 0000 002" not in text


def test_persons_without_consent_or_organisation_are_left_out_and_counted(cli, office):
    for name in ("Dora Allein", "Emil Allein"):
        assert cli("actors", "add", name, "--kind", "resident", "-d", "schmarl").exit_code == 0
    assert cli("actors", "add", "Frieda Offen", "--kind", "resident", "-d", "schmarl",
               "--email", "frieda@offen.example", "--consent").exit_code == 0  # fmt: skip
    text = render(cli, "--district", "schmarl")
    assert "Dora Allein" not in text and "Emil Allein" not in text and "Carla" not in text
    loose = text.index("## Einzelpersonen")
    assert "| Frieda Offen |  |  | frieda@offen.example |" in text[loose:]
    assert text.rstrip().endswith("3 weitere Personen ohne Einwilligung sind nicht aufgeführt.")
    english = render(cli, "--district", "schmarl", "--lang", "en")
    assert english.rstrip().endswith("3 more persons without consent are not listed.")
    for fmt in ("csv", "vcf", "html"):
        other = render(cli, "--district", "schmarl", "--format", fmt)
        assert "Dora Allein" not in other and "Frieda Offen" in other
    assert "3 weitere Personen ohne Einwilligung" in render(cli, "--format", "html")


def test_vcard_sheet_by_sector_adds_the_organisations_card(cli, office):
    text = render(cli, "--format", "vcf", "--kind", "person", "--group-by", "sector")
    cards = text.split("END:VCARD")
    bernd = next(card for card in cards if "FN:Bernd Schulz" in card)
    assert "TEL" not in bernd and "EMAIL" not in bernd
    haus = [card for card in cards if "FN:Haus 12" in card]
    assert len(haus) == 1 and "TEL:0381 100" in haus[0]
