"""Terminal tables (issue #13 item 9): at 80 columns no word of 12 letters or fewer breaks,
nor a time, date, phone number or e-mail address; less important columns go first; piped
output honours COLUMNS; a closed pipe ends quietly."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stm.cli.table_fit import fit_columns, least_width


def _wrapped_cells(output: str) -> list[list[str]]:
    """Each table cell as the list of its lines (a cell wraps onto the next table line)."""
    cells: list[list[str]] = []
    row: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("│"):
            row = []
            continue
        parts = [p.strip() for p in line.strip("│").split("│")]
        if not row or parts[0]:  # a new row starts with its first column (the id)
            row = [[p] for p in parts]
            cells.extend(row)
        else:
            for cell, part in zip(row, parts, strict=True):
                if part:
                    cell.append(part)
    return cells


WHOLE_VALUE = re.compile(r"\d{1,2}:\d{2}(?:–\d{1,2}:\d{2})?|\d{2}\.\d{2}\.\d{4}|\S+@\S+\.\w+")


@pytest.mark.parametrize(
    "command",
    [["actors", "list"], ["event", "list"], ["tasks", "list"], ["concerns", "list"]],
    ids=lambda c: " ".join(c),
)
def test_eighty_columns_break_no_short_word_nor_whole_values(cli, demo, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    source = cli(*command, "--format", "json").stdout
    words = set(re.findall(r"\w+", source))
    result = cli(*command)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), max(lines, key=len)
    for cell in _wrapped_cells(result.stdout):
        for above, below in itertools.pairwise(cell):
            head, tail = above.split()[-1], below.split()[0]
            joined = head + tail
            word = re.match(r"\w+", tail)
            glued = re.search(r"\w+$", head)
            if word and glued and glued.group(0) + word.group(0) in words:
                assert len(glued.group(0) + word.group(0)) > 12, f"{head!r} / {tail!r}"
            assert not WHOLE_VALUE.fullmatch(joined) or joined not in source, f"{head} / {tail}"


def test_times_and_emails_keep_whole_at_eighty_columns(cli, demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = cli("event", "list").stdout
    times = re.findall(r"\d{2}:\d{2}–\d{2}:\d{2}", text)
    assert times, text
    assert "14:00–17:00" in text
    assert not re.search(r"\d{1,2}:\d{1,2}\s*│\s*$", text, re.M)


def test_less_important_columns_are_dropped_before_words_break():
    headers = ["ID", "Name", "Organisation", "E-Mail", "Phone"]
    rows = [
        ["1", "Anna Müller", "Stadtteilmanagement", "anna.mueller@rostock.example", "0381 0000 111"]
    ]
    fit = fit_columns(headers, rows, 60)
    assert fit.kept == [0, 1, 2]
    assert all(w >= least_width(rows[0][i]) for i, w in zip(fit.kept, fit.widths, strict=True))
    wide = fit_columns(headers, rows, 200)
    assert wide.kept == [0, 1, 2, 3, 4]
    assert least_width("0381 0000 111") == len("0381 0000 111")
    assert least_width("Tue 24.11.2026 14:00–17:00") == len("24.11.2026 14:00")
    assert least_width("Smartphone-Sprechstunde") == len("Sprechstunde")
    assert least_width("Stadtteilmanagements") == 12


def test_piped_output_honours_columns(cli, demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    lines = cli("actors", "list").stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    monkeypatch.delenv("COLUMNS")
    lines = cli("actors", "list").stdout.splitlines()
    assert max(len(line) for line in lines) > 100  # without COLUMNS a script gets it all


def test_a_closed_pipe_ends_quietly(demo, tmp_path):
    """`stm actors list | head -1`: no 'Broken pipe' message, exit 0."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"), COLUMNS="200")
    process = subprocess.Popen(
        [sys.executable, "-m", "stm", "actors", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before stm writes a line
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert error == ""
