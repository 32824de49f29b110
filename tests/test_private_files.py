"""Files for their owner only (#11, item 4): every writer of personal data, umask 022."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def lax_umask() -> Iterator[None]:
    """The umask most desktops have: without care, files would be 0644, folders 0755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _person(cli) -> None:
    cli("actors", "add", "Haus 12", "--kind", "social", "-d", "schmarl")
    result = cli("actors", "add", "Anna Müller", "--kind", "person", "--org", "Haus 12",
                 "-d", "schmarl", "--email", "anna@privat.example")  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["actors", "export"], "akteure.csv"),
        (["actors", "export", "--format", "vcf"], "akteure.vcf"),
        (["actors", "export", "--format", "json"], "akteure.json"),
        (["actors", "list", "--format", "csv"], "liste.csv"),
        (["actors", "list"], "liste.txt"),
        (["contacts", "render"], "kontakte.md"),
        (["contacts", "render"], "kontakte.html"),
        (["contacts", "render"], "kontakte.csv"),
        (["contacts", "render"], "kontakte.vcf"),
        (["contacts", "render"], "kontakte.pdf"),
        (["privacy", "export", "Anna Müller"], "auskunft.json"),
        (["privacy", "export", "Anna Müller"], "auskunft.md"),
        (["event", "export"], "termine.ics"),
        (["report", "monthly"], "bericht.md"),
        (["db", "backup"], "sicherung.sqlite"),
    ],
)
def test_each_writer_makes_a_private_file_in_private_folders(cli, register, tmp_path, args, name):
    if args[0] == "db" and register.backend != "sqlite":
        name = "sicherung.json"
    _person(cli)
    target = tmp_path / "neu" / "tiefer" / name
    result = cli(*args, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    assert oct(mode(target)) == oct(0o600), name
    assert oct(mode(target.parent)) == oct(0o700)
    assert oct(mode(target.parent.parent)) == oct(0o700)


def test_overwriting_a_readable_file_makes_it_private(cli, register, tmp_path):
    _person(cli)
    target = tmp_path / "akteure.csv"
    target.write_text("alt", encoding="utf-8")
    os.chmod(target, 0o644)
    assert cli("actors", "export", "-o", str(target)).exit_code == 0
    assert mode(target) == 0o600 and "Anna" in target.read_text(encoding="utf-8-sig")


def test_rejected_rows_are_private(cli, register, tmp_path):
    source = tmp_path / "kontakte.csv"
    source.write_text("Name;E-Mail\nAnna Müller;anna@privat.example\nBernd;nicht-gültig\n",
                      encoding="utf-8")  # fmt: skip
    result = cli("actors", "import", str(source), "--skip-invalid")
    assert result.exit_code == 0, result.output
    rejected = tmp_path / "kontakte.rejected.csv"
    assert "nicht-gültig" in rejected.read_text(encoding="utf-8-sig")
    assert mode(rejected) == 0o600


def test_rejected_cards_are_private(cli, register, tmp_path):
    source = tmp_path / "karten.vcf"
    source.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Müller\r\nEMAIL:kaputt\r\n"
                      "END:VCARD\r\n", encoding="utf-8")  # fmt: skip
    result = cli("actors", "import", str(source), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "karten.rejected.vcf") == 0o600


def test_the_register_folder_is_private(cli, tmp_path):
    result = cli("init", "--district", "schmarl")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "xdg-data" / "stm"
    registers = list(folder.glob("*.sqlite"))
    assert registers and mode(registers[0]) == 0o600
    assert mode(folder) == 0o700


def test_config_is_created_private_and_set_keeps_the_owners_mode(cli, tmp_path):
    config = tmp_path / "config.toml"
    assert cli("config", "set", "letterhead.name", "Stadtteilbüro").exit_code == 0
    assert mode(config) == 0o600
    os.chmod(config, 0o640)  # the owner shares it with their group on purpose
    assert cli("config", "set", "letterhead.phone", "0381 000000").exit_code == 0
    assert mode(config) == 0o640 and "0381 000000" in config.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.tmp"))


def test_demo_documents_and_folders_are_private(tmp_path):
    from stm.demo import DEMO_LETTERHEAD, DemoContext
    from stm.private_files import private_folder

    folder = tmp_path / "demo" / "dokumente"
    private_folder(folder)
    context = DemoContext(folder=folder, letterhead=DEMO_LETTERHEAD)
    context.write_documents("kontakte", lambda f: b"%PDF-1.7" if f == "pdf" else f"# {f}")
    assert [mode(p) for p in context.documents] == [0o600, 0o600, 0o600]
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
