"""CSV lists as offices keep them: a title above the header, one column for both names,
kinds named as people name them."""

from __future__ import annotations

import pytest

from imports_support import actors, write_crlf

pytestmark = pytest.mark.usefixtures("checking")


def test_a_title_row_above_the_header_is_skipped_and_told(cli, register, tmp_path):
    path = write_crlf(
        tmp_path / "liste.csv",
        "Partnerliste Schmarl, Stand 3/2026;;;\n;;;\nName;Art;E-Mail;Ort\n"
        "Kita Ostseekinder;Kita;kita@example.org;Rostock\n",
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "line(s) above the header skipped ('Partnerliste Schmarl, Stand 3/2026;;;')" in (
        result.stderr
    )
    kita = actors(register)["Kita Ostseekinder"]
    assert (kita.kind, kita.email, kita.city) == ("kita", "kita@example.org", "Rostock")


def test_a_wrong_header_below_a_title_still_names_the_first_line(cli, register, tmp_path):
    path = write_crlf(tmp_path / "liste.csv", "Partnerliste;;\nFoo;Bar;Baz\na;b;c\n")
    result = cli("actors", "import", str(path))
    assert result.exit_code == 2
    assert "line 1: no 'Name' column" in result.stderr


def test_one_column_name_comma_given_name(cli, register, tmp_path):
    path = write_crlf(
        tmp_path / "liste.csv",
        'Name, Vorname;E-Mail\n"Müller, Anna";anna@example.org\nWeber, Bert;\n',
    )
    assert cli("actors", "import", str(path)).exit_code == 0
    held = actors(register)
    anna = held["Anna Müller"]
    assert (anna.kind, anna.given_name, anna.family_name) == ("person", "Anna", "Müller")
    assert anna.email == "anna@example.org"
    assert (held["Bert Weber"].given_name, held["Bert Weber"].family_name) == ("Bert", "Weber")


def test_one_column_given_and_family_name(cli, register, tmp_path):
    path = write_crlf(tmp_path / "liste.csv", "Vorname Nachname;Ort\nKarl-Heinz Meier;Rostock\n")
    assert cli("actors", "import", str(path)).exit_code == 0
    meier = actors(register)["Karl-Heinz Meier"]
    assert (meier.kind, meier.given_name, meier.family_name) == ("person", "Karl-Heinz", "Meier")


@pytest.mark.parametrize("word", ["Unternehmen", "Firma", "unternehmen"])
def test_companies_by_the_words_offices_use(cli, register, tmp_path, word):
    path = write_crlf(tmp_path / "liste.csv", f"Name;Art\nBäckerei Schulz;{word}\n")
    assert cli("actors", "import", str(path)).exit_code == 0
    assert actors(register)["Bäckerei Schulz"].kind == "business"
