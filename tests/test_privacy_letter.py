"""Art. 15 as a letter (#11, item 8): the answer a person can read, on the letterhead."""

from __future__ import annotations

import io
import json

import pytest


@pytest.fixture
def anna(cli, register) -> int:
    cli("config", "set", "letterhead.name", "Stadtteilmanagement Schmarl")
    cli("actors", "add", "Haus 12", "--kind", "social", "-d", "schmarl")
    result = cli("actors", "add", "Anna Müller", "--kind", "person", "--org", "Haus 12",
                 "--email", "anna@privat.example", "--phone", "0170 1234567", "--street",
                 "Gartenweg 5", "--postcode", "18109", "--city", "Rostock", "--consent",
                 "--consent-purpose", "Kontaktliste Stadtteiltisch", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller")
    return json.loads(result.stdout)["id"]


def _letter(cli, *args: str) -> str:
    result = cli("privacy", "export", "Anna Müller", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_german_letter_answers_every_point_of_art_15(cli, anna):
    text = _letter(cli, "--format", "md")
    order = [
        "**Stadtteilmanagement Schmarl**", "Anna Müller  \nGartenweg 5  \n18109 Rostock",
        "# Auskunft über Ihre gespeicherten Daten (Art. 15 DSGVO)", "## Verantwortliche Stelle",
        "| E-Mail | anna@privat.example |", "| Telefon | 0170 1234567 |",
        "| Einwilligung | 20.11.2026, Kontaktliste Stadtteiltisch |",
        "- Stadtteiltisch Schmarl", "## Herkunft der Daten", "am 20.11.2026 erfasst",
        "## Zwecke und Rechtsgrundlage", "Art. 6 Abs. 1 lit. a DSGVO",
        "## Empfänger", "Kontaktlisten dieser Gremien: Stadtteiltisch Schmarl.",
        "## Wie lange wir die Daten speichern", "bis zum 20.11.2029",
        "## Ihre Rechte", "- Art. 15 DSGVO: Auskunft", "- Art. 21 DSGVO: Widerspruch",
        "zuständig für uns in Mecklenburg-Vorpommern ist:",
        "Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern, "
        "Werderstraße 74a, 19055 Schwerin",
        "Mit freundlichen Grüßen",
    ]  # fmt: skip
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "\n\n## Ihre Rechte" in text


def test_english_letter_and_html(cli, anna):
    text = _letter(cli, "--format", "md", "--lang", "en")
    assert "# Your personal data: our answer to your request for access (Art. 15 GDPR)" in text
    assert "- Art. 17 GDPR: erasure" in text and "ours, in Mecklenburg-Vorpommern, is:" in text
    page = _letter(cli, "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and '<header class="letterhead">' in page
    assert "<td>anna@privat.example</td>" in page and "Werderstraße 74a" in page


def test_pdf_letter_from_the_file_name(cli, anna, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "auskunft.pdf"
    result = cli("privacy", "export", str(anna), "-o", str(target))
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Auskunft über Ihre gespeicherten Daten" in text and "anna@privat.example" in text
    assert (target.stat().st_mode & 0o777) == 0o600


def test_the_configured_state_names_its_authority(cli, anna):
    assert cli("config", "set", "state", "BB").exit_code == 0
    text = _letter(cli, "--format", "md")
    assert "in Brandenburg ist:" in text and "Stahnsdorfer Damm 77, 14532 Kleinmachnow" in text


def test_a_withheld_person_is_told_nothing_is_passed_on(cli, anna):
    cli("actors", "add", "Bernd Schulz", "--kind", "person", "--org", "Haus 12")
    result = cli("privacy", "export", "Bernd Schulz", "--format", "md")
    assert "Ihre eigenen Kontaktdaten geben wir nicht weiter" in result.stdout
    assert "| Einwilligung | keine |" in result.stdout


def test_json_stays_for_machines(cli, anna):
    data = json.loads(_letter(cli))
    assert data["basis"] == "Art. 15 DSGVO" and data["actor"]["email"] == "anna@privat.example"


def test_unknown_state_and_contradicting_format_are_exit_2(cli, anna, tmp_path):
    assert cli("actors", "edit", "Anna Müller", "-d", "drewitz").exit_code == 0
    two = cli("privacy", "export", "Anna Müller", "--format", "md")
    assert two.exit_code == 2 and "Error: state: the office's federal state is not known" in (
        two.stderr
    )
    target = tmp_path / "a.md"
    clash = cli("privacy", "export", "Anna Müller", "--format", "pdf", "-o", str(target))
    assert clash.exit_code == 2 and "--format: pdf contradicts the file name" in clash.stderr
    assert not target.exists()


def test_every_federal_state_has_an_authority():
    from stm.resources import load_data_toml
    from stm.vocab import FEDERAL_STATES

    table = load_data_toml("supervisory_authorities.toml")
    assert set(table) == set(FEDERAL_STATES)
    assert all(entry["name"] and entry["address"] and entry["website"] for entry in table.values())
