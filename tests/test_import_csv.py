"""Importing actors from CSV as German Excel writes it, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from imports_support import actors, assert_nothing_imported, write_crlf
from stm.models import Activity, Actor, ActorDistrict, ActorSector

HEADER = "Name;Art;Stadtteil;E-Mail;Telefon;Straße;PLZ;Ort;Organisation;Funktion;Bereich;Notizen"

# Every test here runs twice: checked in this process and in a second one (conftest).
pytestmark = pytest.mark.usefixtures("checking")


def write(tmp_path: Path, text: str, name: str = "akteure.csv", encoding: str = "utf-8") -> Path:
    return write_crlf(tmp_path / name, text, encoding)


# --------------------------------------------------------------------------- what Excel writes


def test_german_excel_windows_1252_semicolons_and_line_breaks(cli, register, tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "Haus 12;Sozialer Träger;Schmarl;info@haus12.example;0381 123;Straße der Jugend 12;"
        '18109;Rostock;;;Soziales, Jugend;"Offener Treff\nMo–Fr; 14–20 Uhr"\n'
        "Jürgen Weiß;Person;Groß Klein;;;;;;Haus 12;Leitung;;\n",
        encoding="cp1252",
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported akteure.csv: 2 added, 0 updated, 0 skipped.\n"
    held = actors(register)
    haus = held["Haus 12"]
    assert (haus.kind, haus.street, haus.postcode, haus.city) == (
        "social", "Straße der Jugend 12", "18109", "Rostock",
    )  # fmt: skip
    assert haus.notes == "Offener Treff\r\nMo–Fr; 14–20 Uhr"
    person = held["Jürgen Weiß"]
    assert (person.given_name, person.family_name) == ("Jürgen", "Weiß")
    assert person.organisation_id == haus.id and person.function == "Leitung"
    listed = json.loads(cli("actors", "list", "--json").stdout)
    by_name = {a["name"]: a for a in listed}
    assert by_name["Haus 12"]["districts"] == ["schmarl"]
    assert by_name["Haus 12"]["sectors"] == ["jugend", "soziales"]
    assert by_name["Jürgen Weiß"]["districts"] == ["gross-klein"]


def test_utf8_with_bom_commas_and_english_headers(cli, register, tmp_path):
    text = (
        "Name,Kind,District,E-mail,Phone,Street,Postcode,City,Organisation,Function,Notes\n"
        'Kita Ostseekinder,kita,schmarl,kita@ostsee.example,"0381 44 55",,,,,,"Krippe, Kita"\n'
    )
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    kita = actors(register)["Kita Ostseekinder"]
    assert (kita.kind, kita.email, kita.phone, kita.notes) == (
        "kita", "kita@ostsee.example", "0381 44 55", "Krippe, Kita",
    )  # fmt: skip


def test_excel_sep_line_and_tab_separated(cli, register, tmp_path):
    path = write(tmp_path, "sep=;\nName;E-Mail\nHeimatverein;verein@dorf.example\n")
    assert cli("actors", "import", str(path)).exit_code == 0
    tabs = write(tmp_path, "Name\tTelefon\nBürgerhaus\t0331 1\n", name="tabs.txt")
    assert cli("actors", "import", str(tabs)).exit_code == 0
    held = actors(register)
    assert held["Heimatverein"].email == "verein@dorf.example"
    assert held["Bürgerhaus"].phone == "0331 1"


def test_unknown_column_is_reported_and_kept_in_the_notes(cli, register, tmp_path):
    path = write(tmp_path, "Name;Geburtstag;Fax;ID\nEva Beispiel;1.2.1980;0381 9;17\n")
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0
    assert "unknown column(s) 'Geburtstag', 'Fax'" in result.stderr
    assert "'ID' not imported" in result.stderr
    eva = actors(register)["Eva Beispiel"]
    assert eva.notes == "Geburtstag: 1.2.1980\nFax: 0381 9"
    assert eva.id == 1


def test_given_and_family_name_columns_make_the_name(cli, register, tmp_path):
    path = write(tmp_path, "Vorname;Nachname;Mobil;Einwilligung\nLea;Krüger;0170 1234;ja\n")
    assert cli("actors", "import", str(path)).exit_code == 0
    lea = actors(register)["Lea Krüger"]
    assert (lea.kind, lea.given_name, lea.family_name, lea.phone) == (
        "person", "Lea", "Krüger", "0170 1234",
    )  # fmt: skip
    assert lea.consent_share is True and lea.consent_given_on.isoformat() == "2026-11-20"


def test_a_named_organisation_is_created_and_filled_by_its_own_later_row(cli, register, tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "Anna Müller;;;anna@haus12.example;;;;;Haus 12;Leitung;;\n"
        "Haus 12;social;schmarl;info@haus12.example;;;;;;;;\n"
        "Olga Nowak;;;;;;;;Stadtteilbibliothek;;;\n",
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported akteure.csv: 4 added, 0 updated, 0 skipped.\n"
    held = actors(register)
    assert set(held) == {"Anna Müller", "Haus 12", "Olga Nowak", "Stadtteilbibliothek"}
    assert held["Haus 12"].kind == "social" and held["Haus 12"].email == "info@haus12.example"
    assert held["Anna Müller"].organisation_id == held["Haus 12"].id
    assert held["Stadtteilbibliothek"].kind == "organisation"
    assert "Created 1 organisation(s) that persons named: Stadtteilbibliothek" in result.stderr


def test_dry_run_lists_adds_updates_and_skips_and_writes_nothing(cli, register, tmp_path):
    cli("actors", "add", "Haus 12", "--email", "info@haus12.example")
    cli("actors", "add", "Börse", "--kind", "social")
    path = write(
        tmp_path,
        "Name;E-Mail;Telefon\nHaus 12;info@haus12.example;0381 1\nBörse;;\nNeu e.V.;;\n",
    )
    result = cli("actors", "import", str(path), "--dry-run", "--on-duplicate", "fill")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("line 2" in x and "update" in x and "Haus 12" in x for x in lines)
    assert any("line 3" in x and "skip" in x and "Börse" in x for x in lines)
    assert any("line 4" in x and "add" in x and "Neu e.V." in x for x in lines)
    assert lines[-1] == "Dry run: would add 1, update 1, skip 1, reject 0. Nothing was changed."
    assert register.count(Actor) == 2
    assert actors(register)["Haus 12"].phone is None


def test_on_duplicate_skip_update_and_fill(cli, register, tmp_path):
    cli("actors", "add", "Haus 12", "--email", "info@haus12.example", "--phone", "0381 1")
    path = write(
        tmp_path, "Name;E-Mail;Telefon;Website\nHaus 12;info@haus12.example;0381 2;haus12.example\n"
    )
    skipped = cli("actors", "import", str(path))
    assert "0 added, 0 updated, 1 skipped" in skipped.stdout
    assert actors(register)["Haus 12"].website is None
    filled = cli("actors", "import", str(path), "--on-duplicate", "fill")
    assert "1 updated" in filled.stdout
    haus = actors(register)["Haus 12"]
    assert (haus.phone, haus.website) == ("0381 1", "https://haus12.example")
    updated = cli("actors", "import", str(path), "--on-duplicate", "update")
    assert "1 updated" in updated.stdout
    assert actors(register)["Haus 12"].phone == "0381 2"
    assert register.count(Actor) == 1


def test_same_name_different_email_is_another_person(cli, register, tmp_path):
    cli("actors", "add", "Anna Müller", "--kind", "person", "--email", "anna@a.example")
    path = write(tmp_path, "Name;Art;E-Mail\nAnna Müller;person;anna@b.example\n")
    assert "1 added" in cli("actors", "import", str(path)).stdout
    assert register.count(Actor) == 2


def test_skip_invalid_imports_the_good_rows_and_writes_the_rejected_with_reasons(
    cli, register, tmp_path
):
    path = write(
        tmp_path,
        "Name;E-Mail;Stadtteil\nGut e.V.;gut@verein.example;schmarl\nSchlecht;nicht@@mail;\n"
        ";leer@verein.example;\nAuch gut;;drewitz\nFalscher Ort;;Schmal\n",
    )
    result = cli("actors", "import", str(path), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert set(actors(register)) == {"Gut e.V.", "Auch gut"}
    rejects = tmp_path / "akteure.rejected.csv"
    assert "3 record(s) rejected" in result.stderr and str(rejects) in result.stderr
    text = rejects.read_bytes().decode("utf-8-sig").splitlines()
    assert text[0] == "Name;E-Mail;Stadtteil;Fehler (error)"
    assert text[1].startswith("Schlecht;nicht@@mail;;line 3: E-Mail: 'nicht@@mail' is not a valid")
    assert text[2].startswith(";leer@verein.example;;line 4: Name: must not be empty")
    assert "line 6: Stadtteil: unknown district 'Schmal'; did you mean" in text[3]


def test_import_json_summary_for_scripts(cli, register, tmp_path):
    path = write(tmp_path, "Name\nA-Team\nB-Team\n")
    result = cli("actors", "import", str(path), "--json")
    summary = json.loads(result.stdout)
    assert summary["added"] == 2 and summary["rejected"] == 0 and summary["format"] == "csv"


def test_imported_actors_are_searchable_and_the_import_is_logged(cli, register, tmp_path):
    path = write(tmp_path, "Name;Notizen\nNachbarschaftsgarten Schmarl;Hochbeete am Bach\n")
    cli("actors", "import", str(path))
    hits = json.loads(cli("search", "hochbeete", "--json").stdout)
    assert [h["title"] for h in hits] == ["Nachbarschaftsgarten Schmarl"]
    with register.session() as session:
        entry = session.exec(select(Activity).where(Activity.action == "actors.import")).one()
    assert entry.summary == "import (csv): 1 added, 0 updated, 0 skipped, 0 rejected"


def test_batches_find_duplicates_across_their_boundaries(cli, register, tmp_path, monkeypatch):
    from stm.services.imports import importer

    monkeypatch.setattr(importer, "BATCH", 3)
    rows = [f"Verein {n};v{n}@verein.example;schmarl;bildung" for n in range(10)]
    rows.append("Verein 2;v2@verein.example;;")
    path = write(tmp_path, "Name;E-Mail;Stadtteil;Bereich\n" + "\n".join(rows) + "\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "akteure.csv, line 12: the same actor as line 4 (same name and e-mail)"
    )
    cut = write(tmp_path, "Name;E-Mail;Stadtteil;Bereich\n" + "\n".join(rows[:10]) + "\n")
    assert cli("actors", "import", str(cut)).exit_code == 0
    assert register.count(Actor) == 10
    assert register.count(ActorDistrict) == 10 and register.count(ActorSector) == 10


def test_an_error_while_a_batch_is_written_leaves_nothing_behind(
    cli, register, tmp_path, monkeypatch
):
    from stm.services.imports import importer
    from stm.store.bulk import BulkWriter

    monkeypatch.setattr(importer, "BATCH", 3)
    rows = [f"Verein {n};v{n}@verein.example;schmarl;bildung" for n in range(10)]
    path = write(tmp_path, "Name;E-Mail;Stadtteil;Bereich\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(BulkWriter, "next_id", lambda self, table: 1)  # the same id twice
    result = cli("actors", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the register refused the change: ")
    assert len(result.stderr.splitlines()) == 1
    assert ("UNIQUE constraint failed: actor.id" in result.stderr) == (register.backend == "sqlite")
    assert register.count(Actor) == 0 and register.count(ActorDistrict) == 0


def _spy_on_checker(monkeypatch) -> list:
    from stm.services.imports.parallel import CheckerProcess

    started = []
    enter = CheckerProcess.__enter__

    def spy(self):
        started.append(self)
        return enter(self)

    monkeypatch.setattr(CheckerProcess, "__enter__", spy)
    return started


def test_a_large_file_is_checked_in_a_second_process(cli, register, tmp_path, monkeypatch):
    from stm.services.imports import importer

    started = _spy_on_checker(monkeypatch)
    rows = [f"Person {n};p{n}@verein.example;schmarl" for n in range(3000)]
    path = write(tmp_path, "Name;E-Mail;Stadtteil\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(importer, "PARALLEL_BYTES", path.stat().st_size)
    monkeypatch.setattr(importer, "cores", lambda: 2)
    result = cli("actors", "import", str(path))
    assert result.stdout == "Imported akteure.csv: 3000 added, 0 updated, 0 skipped.\n"
    assert [checker.path for checker in started] == [path]
    assert started[0]._process.returncode == 0
    assert register.count(Actor) == 3000 and register.count(ActorDistrict) == 3000
    with register.session() as session:
        assert session.get(Actor, 3000).name == "Person 2999"

    started.clear()
    monkeypatch.setattr(importer, "cores", lambda: 1)  # no second core: checked here
    other = write(tmp_path, "Name\nVerein Nord\n", name="klein.csv")
    monkeypatch.setattr(importer, "PARALLEL_BYTES", 0)
    assert cli("actors", "import", str(other)).exit_code == 0
    assert started == []


def test_an_import_checks_here_when_no_second_process_can_start(
    cli, register, tmp_path, monkeypatch
):
    import subprocess

    from stm.services.imports import importer

    monkeypatch.setattr(importer, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importer, "cores", lambda: 2)

    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    path = write(tmp_path, "Name;E-Mail\nVerein Nord;info@nord.example\n")
    result = cli("actors", "import", str(path))
    assert result.stdout == "Imported akteure.csv: 1 added, 0 updated, 0 skipped.\n"
    assert [a.email for a in actors(register).values()] == ["info@nord.example"]


def test_the_second_process_ends_when_a_row_stops_the_import(
    cli, register, tmp_path, monkeypatch, checking
):
    started = _spy_on_checker(monkeypatch)
    rows = [f"Person {n};p{n}@verein.example;schmarl" for n in range(5000)]
    rows[10] = "Person X;kein-at-zeichen;schmarl"
    path = write(tmp_path, "Name;E-Mail;Stadtteil\n" + "\n".join(rows) + "\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "akteure.csv, line 12, E-Mail:")
    if checking == "checked-in-second-process":
        assert started and started[0]._process.returncode is not None  # stopped and reaped
    else:
        assert started == []


def test_a_broken_row_after_written_batches_leaves_nothing_behind(cli, register, tmp_path):
    from sqlalchemy import text

    rows = [f"Person {n};p{n}@verein.example;schmarl" for n in range(2500)]
    rows.append("Person X;kein-at-zeichen;schmarl")
    path = write(tmp_path, "Name;E-Mail;Stadtteil\n" + "\n".join(rows) + "\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "akteure.csv, line 2502, E-Mail:")
    with register.session() as session:
        assert session.execute(text("SELECT COUNT(*) FROM search_document")).scalar() == 0


# --------------------------------------------------------------------------- bad input


def test_wrong_delimiter_in_the_header(cli, register, tmp_path):
    path = write(tmp_path, "Name|Art|E-Mail\nHaus 12|social|info@haus12.example\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "akteure.csv: line 1: the header 'Name|Art|E-Mail' is a single column",
        "separate the columns with ';' or ','",
    )  # fmt: skip


def test_wrong_delimiter_in_a_row(cli, register, tmp_path):
    path = write(
        tmp_path,
        "Name;E-Mail;Telefon\nHaus 12;info@haus12.example;0381 1\nKita,kita@k.example,0381 2\n",
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "line 3: one field where the header has 3 columns",
        "separated by ',', the header by ';'",
    )  # fmt: skip


def test_mixed_encodings_utf8_then_windows_1252(cli, register, tmp_path):
    path = tmp_path / "gemischt.csv"
    path.write_bytes(
        "Name;Ort\r\nJürgen Weiß;Rostock\r\n".encode() + "Sören Krüger;Potsdam\r\n".encode("cp1252")
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "gemischt.csv: line 3 is not UTF-8 (byte 0xf6), but line 2 is UTF-8",
        "the file mixes encodings",
    )  # fmt: skip


def test_mixed_encodings_windows_1252_then_utf8(cli, register, tmp_path):
    path = tmp_path / "gemischt.csv"
    path.write_bytes(
        "Name;Ort\r\nJürgen Weiß;Rostock\r\n".encode("cp1252") + "Sören Krüger;Potsdam\r\n".encode()
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "line 3 holds UTF-8 text, but line 2 is Windows-1252")


def test_missing_name_column(cli, register, tmp_path):
    path = write(tmp_path, "Einrichtung;Mail\nHaus 12;info@haus12.example\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "akteure.csv: line 1: no 'Name' column (found 'Einrichtung', 'Mail')",
        "name one column 'Name', or two 'Vorname' and 'Nachname'",
    )  # fmt: skip


def test_invalid_email_in_row_3(cli, register, tmp_path):
    path = write(
        tmp_path,
        "Name;E-Mail\nHaus 12;info@haus12.example\nBörse;boerse@example.org\n"
        "Kita Ostseekinder;kita@@ostsee\nLetzte;l@example.org\n",
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result,
        "Error: akteure.csv, line 4, E-Mail: 'kita@@ostsee' is not a valid e-mail address",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00data\xff" * 20, "akteure.csv: is a binary file"),
        (b"PK\x03\x04" + b"\x00" * 40, "is a ZIP archive or an Excel workbook (.xlsx)"),
        (b"%PDF-1.7\n%\xe2\xe3", "is a PDF document"),
    ],
    ids=["binary", "xlsx", "pdf"],
)
def test_binary_files(cli, register, tmp_path, content, message):
    path = tmp_path / "akteure.csv"
    path.write_bytes(content)
    assert_nothing_imported(register, cli("actors", "import", str(path)), message)


def test_empty_file(cli, register, tmp_path):
    path = tmp_path / "akteure.csv"
    path.write_bytes(b"")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "akteure.csv: is empty (0 bytes); there is nothing to import"
    )


def test_missing_file(cli, register, tmp_path):
    result = cli("actors", "import", str(tmp_path / "fehlt.csv"))
    assert_nothing_imported(register, result, "FILE:", "fehlt.csv does not exist")


def test_same_person_twice_in_one_file(cli, register, tmp_path):
    path = write(
        tmp_path,
        "Name;Art;E-Mail;Organisation\nAnna Müller;person;anna@haus12.example;\n"
        "Bernd Schulz;person;;Haus 12\nANNA MUELLER;person;Anna@Haus12.example;\n",
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result,
        "akteure.csv, line 4: the same actor as line 2 (same name and e-mail)",
    )  # fmt: skip


def test_same_person_twice_by_name_and_organisation(cli, register, tmp_path):
    path = write(tmp_path, "Name;Organisation\nBernd Schulz;Haus 12\nBernd Schulz;haus 12\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "line 3: the same actor as line 2 (same name and organisation)"
    )


def test_unknown_kind_names_the_column_and_suggests(cli, register, tmp_path):
    path = write(tmp_path, "Name;Art\nSchule am Park;Schuhle\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "line 2, Art: unknown value 'Schuhle'; did you mean")


def test_bad_consent_value(cli, register, tmp_path):
    path = write(tmp_path, "Name;Einwilligung\nEva;vielleicht\n")
    result = cli("actors", "import", str(path))
    assert_nothing_imported(register, result, "line 2, Einwilligung: 'vielleicht' is not yes or no")


# --------------------------------------------------------------------------- fast paths


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9_%+.-]{1,20}@[A-Za-z0-9.-]{1,20}\.[A-Za-z]{2,6}", fullmatch=True))
def test_fast_email_check_agrees_with_email_validator(address):
    from stm.errors import Invalid
    from stm.parsing import parse_email
    from stm.services.imports import check_email

    try:
        expected = parse_email(address)
    except Invalid:
        expected = None
    try:
        found = check_email(address)
    except Invalid:
        found = None
    assert found == expected


def test_imported_actors_are_indexed_as_the_search_service_indexes_them(cli, register, tmp_path):
    from sqlalchemy import text

    from stm.services.search import rebuild_index

    long_name = "Verein für " + "sehr " * 35 + "lange Namen"
    path = write(
        tmp_path,
        "Name;Art;Funktion;E-Mail;Ort;Notizen\n"
        'Jürgen Weiß;person;Leitung;jw@haus.example;Rostock;"Café, \nTreff"\n'
        f"{long_name};association;;;;\nÇağrı Öztürk;resident;;;;Straßenfest\n",
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    query = text("SELECT entity, entity_id, title, body, folded FROM search_document ORDER BY 2")
    with register.session() as session:
        imported = session.execute(query).all()
        rebuild_index(session)
        rebuilt = session.execute(query).all()
    assert len(imported) == 3 and imported == rebuilt


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(
                    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1
                ).filter(lambda s: s.strip()),
                "notes": st.text(
                    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
                    max_size=60,
                ),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_csv_written_and_read_back_keeps_every_value(tmp_path_factory, rows):
    from stm.formats.csv_actors import CsvActors
    from stm.formats.csv_columns import CsvLayout, write_actors

    records = [
        {"name": r["name"], "kind": "organisation", "districts": [], "sectors": [],
         "notes": r["notes"], "consent": {"share": False, "given_on": None, "purpose": None},
         "archived": False}
        for r in rows
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("csv") / "roundtrip.csv"
    import io

    buffer = io.StringIO()
    write_actors(records, buffer, CsvLayout())
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())
    source = CsvActors(path)
    try:
        read = [r.values for r in source.records()]
    finally:
        source.close()
    assert [r.get("name", "") for r in read] == [r["name"] for r in rows]
    assert [r.get("notes", "") for r in read] == [r["notes"] for r in rows]


def test_progress_is_reported_to_the_caller_and_scripts_stay_silent(cli, register, tmp_path):
    from stm.services.imports import ImportOptions, import_actors
    from stm.store import open_register

    path = write(tmp_path, "Name\n" + "\n".join(f"Verein {n}" for n in range(2500)) + "\n")
    seen: list[tuple[int, int]] = []
    opened = open_register(register.location)
    try:
        with opened.session() as session:
            options = ImportOptions(progress=lambda done, total: seen.append((done, total)))
            result = import_actors(session, path, options)
    finally:
        opened.close()
    size = path.stat().st_size
    assert result.added == 2500
    assert len(seen) == 3 and seen[-1] == (size, size)
    assert all(done <= total for done, total in seen)
    quiet = cli("actors", "import", str(path), "--on-duplicate", "skip")
    assert quiet.stdout == "Imported akteure.csv: 0 added, 0 updated, 2500 skipped.\n"
    assert quiet.stderr == ""


_FIELD_TEXT = st.none() | st.text(max_size=12) | st.sampled_from(
    ["  Leitung ", "x" * 301, "Verein", "person", "Schuhle", "https://a.example", "a b.c",
     "0381 123", "tel:0381/1", "12a!", "a@b.example", "a@@b", " ", "Bildung"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries(
    {name: _FIELD_TEXT for name in (
        "name", "kind", "given_name", "family_name", "function", "email", "phone", "website",
        "street", "postcode", "city", "notes", "consent_purpose")}
    | {"sectors": st.none() | st.lists(_FIELD_TEXT.filter(bool), max_size=3)}
))  # fmt: skip
def test_the_one_actor_validation_gives_the_same_with_the_imports_fast_email_check(fields):
    """Add, edit and the import share one validation; the import only passes a faster
    e-mail check, which must not change a value or an error (errors name domain fields)."""
    from stm.errors import Invalid
    from stm.services.actors import validate_fields
    from stm.services.imports import check_email

    def outcome(check):
        try:
            return check()
        except Invalid as error:
            assert not error.field.startswith("-")
            return (error.field, error.message)

    expected = outcome(lambda: validate_fields(**fields))
    assert outcome(lambda: validate_fields(**fields, parse_email=check_email)) == expected


def test_phones_as_germans_write_them_are_imported(cli, register, tmp_path):
    path = write(
        tmp_path,
        'Name;Telefon\nHaus 12;(0381) 123456\nBörse;"tel:+49-381-654321;ext=3"\n',
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    held = actors(register)
    assert (held["Haus 12"].phone, held["Börse"].phone) == ("(0381) 123456", "+49-381-654321;ext=3")
