"""Every document command takes its format from `-o`'s suffix (SPEC §6, issue #13 item 1).

`-o x.pdf` writes a PDF, `-o x.html` HTML, …; `--format` wins only where it agrees; a
suffix that contradicts `--format`, or names a format the command cannot write, is exit 2
and writes nothing.
"""

from __future__ import annotations

import json

import pytest

#: Each document command with the formats it writes (the first is its default).
DOCUMENTS = {
    "agenda": (["agenda", "render", "next", "-n", "stadtteiltisch-schmarl"], "md html pdf ics"),
    "minutes": (["minutes", "render", "last", "-n", "stadtteiltisch-schmarl"], "md html pdf"),
    "contacts": (["contacts", "render", "-d", "schmarl"], "md html pdf csv vcf"),
    "report": (["report", "monthly", "--month", "2026-10"], "md html pdf json"),
    "paper": (["paper", "plan", "render", "WIR2 Dezember 2026"], "md html pdf"),
    "actors": (["actors", "export", "-d", "schmarl"], "csv vcf json"),
    "events": (["event", "export", "-d", "schmarl"], "ics"),
}


def _looks_like(data: bytes, fmt: str) -> bool:
    text = data.decode("utf-8-sig", errors="replace").lstrip()
    return {
        "pdf": data.startswith(b"%PDF-"),
        "html": text.startswith("<!DOCTYPE html>"),
        "md": text.startswith(("**", "#")) and "<html" not in text,
        "ics": text.startswith("BEGIN:VCALENDAR"),
        "vcf": text.startswith("BEGIN:VCARD"),
        "json": text.startswith(("{", "[")),
        "csv": ";" in text.splitlines()[0] or "," in text.splitlines()[0],
    }[fmt]


CASES = [(name, fmt) for name, (_, formats) in DOCUMENTS.items() for fmt in formats.split()]


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_the_suffix_decides_the_format(cli, demo, tmp_path, name, fmt):
    args, _ = DOCUMENTS[name]
    target = tmp_path / f"dokument.{fmt}"
    result = cli(*args, "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert _looks_like(data, fmt), data[:80]
    if fmt == "json":
        json.loads(data)


@pytest.mark.parametrize("name", ["agenda", "minutes", "report", "paper", "contacts"])
def test_a_pdf_suffix_writes_a_pdf_not_markdown(cli, demo, tmp_path, name):
    args, _ = DOCUMENTS[name]
    target = tmp_path / "x.PDF"
    assert cli(*args, "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["agenda", "minutes", "report", "paper", "contacts"])
def test_a_suffix_contradicting_format_is_exit_2_and_writes_nothing(cli, demo, tmp_path, name):
    args, _ = DOCUMENTS[name]
    target = tmp_path / "x.pdf"
    result = cli(*args, "--format", "md", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --format: md contradicts -o 'x.pdf' (pdf); "
        "give a matching suffix or leave out --format"
    )
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "suffix", "accepted"),
    [
        ("agenda", "csv", "md, html, pdf, ics"),
        ("paper", "ics", "md, html, pdf"),
        ("events", "pdf", "ics"),
        ("actors", "html", "csv, vcf, json"),
    ],
)
def test_a_suffix_the_command_cannot_write_is_exit_2(cli, demo, tmp_path, name, suffix, accepted):
    args, _ = DOCUMENTS[name]
    target = tmp_path / f"x.{suffix}"
    result = cli(*args, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: --output: 'x.{suffix}' names a .{suffix} file; this command writes {accepted}"
    )
    assert not target.exists()


def test_an_agreeing_format_and_an_unknown_suffix_still_work(cli, demo, tmp_path):
    args, _ = DOCUMENTS["agenda"]
    agreeing = tmp_path / "a.html"
    assert cli(*args, "--format", "html", "-o", str(agreeing)).exit_code == 0
    assert agreeing.read_text().startswith("<!DOCTYPE html>")
    unknown = tmp_path / "einladung.txt"
    assert cli(*args, "--format", "html", "-o", str(unknown)).exit_code == 0
    assert unknown.read_text().startswith("<!DOCTYPE html>")
    plain = tmp_path / "einladung"
    assert cli(*args, "-o", str(plain)).exit_code == 0
    assert plain.read_text().startswith("**")


def test_the_report_into_a_folder_takes_format_from_the_option(cli, demo, tmp_path):
    folder = tmp_path / "berichte"
    folder.mkdir()
    result = cli("report", "monthly", "--month", "2026-10", "--format", "html", "-o", f"{folder}/")
    assert result.exit_code == 0, result.output
    assert (folder / "monatsbericht-2026-10.html").read_text().startswith("<!DOCTYPE html>")
