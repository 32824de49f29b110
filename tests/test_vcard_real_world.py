"""vCards as real address books write them: kinds by RFC 6350, Apple groups, escaped URLs,
PROFILE lines, broken lines, and photos or properties far too large to hold."""

from __future__ import annotations

import base64
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from imports_support import actors, write_crlf
from stm.models import Actor

pytestmark = pytest.mark.usefixtures("checking")


def card(*lines: str) -> str:
    return "BEGIN:VCARD\nVERSION:3.0\n" + "\n".join(lines) + "\nEND:VCARD\n"


def write(tmp_path: Path, *cards: str) -> Path:
    return write_crlf(tmp_path / "kontakte.vcf", "".join(cards))


def test_cards_without_kind_are_individuals_even_without_n(cli, register, tmp_path):
    path = write(
        tmp_path,
        card("FN:Anna Weber", "EMAIL:anna@example.org"),
        card("FN:Bert Lang", "ORG:Kita Sonne"),
        card("FN:Kita Sonne", "ORG:Kita Sonne"),  # a card naming only its organisation
    )
    assert cli("actors", "import", str(path)).exit_code == 0
    held = actors(register)
    assert (held["Anna Weber"].kind, held["Anna Weber"].family_name) == ("person", "Weber")
    assert held["Bert Lang"].kind == "person"
    assert held["Bert Lang"].organisation_id == held["Kita Sonne"].id
    assert held["Kita Sonne"].kind == "organisation"


def test_apple_group_cards_are_not_imported_and_the_user_is_told(cli, register, tmp_path):
    path = write(
        tmp_path,
        card("FN:Anna Weber", "N:Weber;Anna;;;"),
        card(
            "N:;;;;",
            "FN:Kollegium",
            "X-ADDRESSBOOKSERVER-KIND:group",
            "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1",
        ),
    )
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "Imported kontakte.vcf: 1 added" in result.stdout
    assert "1 group card(s) not imported" in result.stderr and "'Kollegium'" in result.stderr
    assert set(actors(register)) == {"Anna Weber"}


def test_escaped_colons_in_urls_as_apple_and_gmail_write_them(cli, register, tmp_path):
    path = write(tmp_path, card("FN:Treff 7", "ORG:Treff 7", "URL:http\\://www.example.com"))
    assert cli("actors", "import", str(path)).exit_code == 0
    assert actors(register)["Treff 7"].website == "http://www.example.com"


def test_a_profile_line_is_no_obstacle(cli, register, tmp_path):
    path = write(tmp_path, card("PROFILE:VCard", "FN:Anna Weber", "N:Weber;Anna;;;"))
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert set(actors(register)) == {"Anna Weber"}


def test_a_line_vobject_cannot_read_is_one_error_naming_it(cli, register, tmp_path):
    path = write(tmp_path, card("FN:Anna Weber", "dies ist kaputt"))
    result = cli("actors", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: kontakte.vcf, card 1 (line 1): cannot read the card: line 4: 'dies ist "
        "kaputt' is no property (expected NAME:value)"
    ]
    assert register.count(Actor) == 0


def _big_card(path: Path, photo_bytes: int, note_lines: int) -> Path:
    data = base64.b64encode(os.urandom(photo_bytes)).decode()
    folded = [data[i : i + 74] for i in range(0, len(data), 74)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Weber\r\nN:Weber;Anna;;;\r\n")
        handle.write(f"PHOTO;ENCODING=b;TYPE=JPEG:{folded[0]}\r\n")
        handle.writelines(f" {line}\r\n" for line in folded[1:])
        handle.write("EMAIL:anna@example.org\r\nNOTE:Anfang\r\n")
        handle.writelines(" " + "y" * 74 + "\r\n" for _ in range(note_lines))
        handle.write("TEL:0381 123456\r\nEND:VCARD\r\n")
    return path


def test_a_huge_photo_and_an_overlong_note_are_skipped_without_holding_them(
    cli, register, tmp_path
):
    from stm.formats.vcard import VcardActors

    path = _big_card(tmp_path / "gross.vcf", 15_000_000, 5000)  # 20 MB photo, 375 KB note
    tracemalloc.start()
    began = time.perf_counter()
    source = VcardActors(path)
    try:
        (record,) = list(source.records())
    finally:
        source.close()
    took = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000, f"{peak} bytes held"
    assert took < 10
    assert record.values["email"] == "anna@example.org" and record.values["phone"] == "0381 123456"
    assert "notes" not in record.values
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 photo(s), logo(s) or key(s) not imported" in result.stderr
    assert "1 property(ies) over 256 KB not imported: NOTE in card 1" in result.stderr
    assert actors(register)["Anna Weber"].phone == "0381 123456"


def test_verbose_lists_every_group_card_not_imported(cli, register, tmp_path):
    groups = [card("N:;;;;", f"FN:Gruppe {n}", "X-ADDRESSBOOKSERVER-KIND:group") for n in range(12)]
    path = write(tmp_path, card("FN:Anna Weber", "N:Weber;Anna;;;"), *groups)
    quiet = cli("actors", "import", str(path), "--dry-run")
    assert "12 group card(s) not imported" in quiet.stderr
    assert "'Gruppe 11'" not in quiet.stderr  # the summary names the first ten
    result = cli("actors", "import", str(path), "--verbose")
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stderr.splitlines() if "group card not imported" in line]
    assert len(listed) == 12
    assert "card 13 (line" in listed[-1] and "'Gruppe 11'" in listed[-1]
    assert set(actors(register)) == {"Anna Weber"}
