"""Spreadsheet-safe CSV (#11, item 5): one writer for CSV meant for people."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete

from stm.formats.people_csv import guard_cell, unguard_cell
from stm.models import Activity, Actor, ActorDistrict, ActorSector, SearchDocument

LINK = '=HYPERLINK("http://x","klick")'


def _add(cli, *args: str) -> None:
    result = cli("actors", "add", *args)
    assert result.exit_code == 0, result.output


def _dangerous(cli) -> None:
    _add(
        cli,
        LINK,
        "--kind",
        "association",
        "-d",
        "schmarl",
        "--phone",
        "+49 381 1234567",
        "--notes",
        "-- wichtig --\n@alle: bitte melden",
        "--website",
        "haus.example",
    )
    _add(cli, "@Treff Schmarl", "--kind", "initiative", "-d", "schmarl", "--notes", "+1 für alle")
    _add(cli, "Ruth Plus", "--kind", "person", "--org", LINK, "--function", "-Leitung-",
         "--phone", "+49 381 7654321", "--email", "ruth@verein.example", "--consent",
         "--consent-purpose", "Kontaktliste")  # fmt: skip


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def _records(cli) -> list[dict]:
    found = json.loads(cli("actors", "export", "--format", "json", "--all").stdout)
    return sorted(({k: v for k, v in r.items() if k != "id"} for r in found),
                  key=lambda r: r["name"])  # fmt: skip


def test_actors_export_guards_every_formula_cell(cli, register, tmp_path):
    _dangerous(cli)
    path = tmp_path / "akteure.csv"
    assert cli("actors", "export", "-o", str(path)).exit_code == 0
    rows = _cells(path.read_bytes().decode("utf-8"))
    header, body = rows[0], rows[1:]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {"'" + LINK, "'@Treff Schmarl", "Ruth Plus"}
    link = by_name["'" + LINK]
    assert link["Telefon"] == "'+49 381 1234567"
    assert link["Notizen"] == "'-- wichtig --\n@alle: bitte melden"
    assert by_name["'@Treff Schmarl"]["Notizen"] == "'+1 für alle"
    assert by_name["Ruth Plus"]["Organisation"] == "'" + LINK
    assert by_name["Ruth Plus"]["Funktion"] == "'-Leitung-"
    for row in body:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_export_then_import_is_lossless_with_guarded_cells(cli, register, tmp_path):
    _dangerous(cli)
    before = _records(cli)
    path = tmp_path / "akteure.csv"
    assert cli("actors", "export", "--all", "-o", str(path)).exit_code == 0
    with register.session() as session:
        for model in (ActorDistrict, ActorSector, SearchDocument, Activity):
            session.exec(delete(model))
        session.exec(delete(Actor).where(Actor.organisation_id.is_not(None)))
        session.exec(delete(Actor))
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    after = _records(cli)
    assert after == before
    assert {r["phone"] for r in after} == {"+49 381 1234567", None, "+49 381 7654321"}


def test_contact_sheet_csv_is_for_people(cli, register, tmp_path):
    _dangerous(cli)
    path = tmp_path / "kontakte.csv"
    result = cli("contacts", "render", "--district", "schmarl", "-o", str(path))
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfGruppe;Name;Art;Funktion;Organisation;E-Mail;Telefon;")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = _cells(text)
    assert rows[1][:3] == ["'" + LINK, "'" + LINK, "Verein"]
    assert any(row[1] == "Ruth Plus" and row[6] == "'+49 381 7654321" for row in rows)
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    english = cli("contacts", "render", "--district", "schmarl", "--format", "csv",
                  "--lang", "en").stdout  # fmt: skip
    assert english.startswith("Group;Name;Kind;Function;Organisation;E-mail;Phone;")


def test_rejected_rows_are_formula_safe_and_read_back(cli, register, tmp_path):
    source = tmp_path / "liste.csv"
    source.write_text(f'Name,E-Mail,Telefon\n"{LINK.replace(chr(34), chr(34) * 2)}",kaputt,'
                      "+49 381 1\nGute Zeile,gut@verein.example,+49 381 2\n",
                      encoding="utf-8")  # fmt: skip
    assert cli("actors", "import", str(source), "--skip-invalid").exit_code == 0
    rejected = tmp_path / "liste.rejected.csv"
    raw = rejected.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfName;E-Mail;Telefon;Fehler (error)\r\n")
    rows = _cells(raw.decode("utf-8"))
    assert rows[1][:3] == ["'" + LINK, "kaputt", "'+49 381 1"]


def test_list_csv_for_scripts_stays_verbatim_and_says_where_excel_goes(cli, register):
    _dangerous(cli)
    listed = cli("actors", "list", "--format", "csv").stdout
    assert LINK.replace('"', '""') in listed and "+49 381 1234567" in listed
    assert "'=" not in listed
    help_text = " ".join(cli("actors", "list", "--help").stdout.split())
    assert "csv is verbatim, for scripts; for Excel use 'stm actors export'" in help_text


@given(st.text(alphabet="'=+-@\t\rab1 ", max_size=8) | st.text(max_size=12))
def test_guarding_is_undone_by_reading(value):
    assert unguard_cell(guard_cell(value)) == value
    assert not guard_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))
