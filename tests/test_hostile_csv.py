"""Strict CSV (issue #10, item 4): a quote never closed and an over-long cell are errors
naming the line (and the column), in this process and in the second checking process."""

from __future__ import annotations

import pytest

from imports_support import assert_nothing_imported, write_crlf

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults


def test_an_unclosed_quote_names_the_line_where_the_cell_began(cli, register, tmp_path, checking):
    path = write_crlf(
        tmp_path / "liste.csv",
        'Name;E-Mail\nAnna;anna@example.org\nBert;"b@example.org\nCarla;c@example.org\n'
        "Dora;d@example.org\n",
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register,
        result,
        "liste.csv: line 3, column 2 ('E-Mail'): the quote that opens this cell is never "
        "closed, so every later line would be read into it",
    )


def test_text_after_a_closing_quote_is_an_error(cli, register, tmp_path, checking):
    path = write_crlf(tmp_path / "liste.csv", 'Name;E-Mail\n"Kita" Sonne;k@example.org\n')
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register, result, "liste.csv: line 2, column 1 ('Name'): text after the closing quote"
    )


def test_a_quote_inside_an_unquoted_cell_is_still_taken(cli, register, tmp_path, checking):
    path = write_crlf(tmp_path / "liste.csv", 'Name;E-Mail\nKita "Sonne";k@example.org\n')
    result = cli("actors", "import", str(path))
    assert result.exit_code == 0, result.output
    assert '"Kita \\"Sonne\\""' in cli("actors", "list", "--json").stdout


def test_an_over_long_cell_names_line_and_column(cli, register, tmp_path, checking):
    notes = "x" * (128 * 1024 + 1)
    path = write_crlf(
        tmp_path / "liste.csv", f"Name;Notizen\nAnna;kurz\nBert;{notes}\nCarla;kurz\n"
    )
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register,
        result,
        "liste.csv: line 3, column 2 ('Notizen'): a cell longer than 128 KiB "
        "(131,072 characters), the most stm reads in one cell",
    )
    assert "Traceback" not in result.output and "Error: Error" not in result.stderr


def test_a_large_file_with_an_unclosed_quote_says_which_cell(cli, register, tmp_path, checking):
    """Past 128 KiB an unclosed quote reads as one over-long cell: it is named, with
    the likely cause."""
    rows = "".join(f"Person {n};p{n}@example.org\n" for n in range(12_000))
    path = write_crlf(tmp_path / "gross.csv", f'Name;E-Mail\nAnna;"anna@example.org\n{rows}')
    result = cli("actors", "import", str(path))
    assert_nothing_imported(
        register,
        result,
        "gross.csv: line 2, column 2 ('E-Mail'): a cell longer than 128 KiB",
        "is its closing quote missing?",
    )
