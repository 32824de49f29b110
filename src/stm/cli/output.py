"""Output: one place renders records as a Rich table, JSON, NDJSON or CSV (SPEC §2.2).

Commands hand over plain records (dicts with the stable keys of SPEC §7) and the
columns a table shows; the format was picked once from `--format/--json`. JSON is UTF-8,
without colour, dates ISO 8601.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar

import typer

F = TypeVar("F", bound=StrEnum)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ndjson = "ndjson"


class RecordFormat(StrEnum):
    text = "text"
    json = "json"


#: A table column: (record key, header). Keys may be dotted for nested values.
Column = tuple[str, str]


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(value: Any, *, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_default)


def json_lines_array(records: Sequence[Mapping[str, Any]]) -> str:
    """A JSON array with one record per line: readable, diffable and fast to write."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(map(_line_encoder(), records)) + "\n]\n"


def _line_encoder() -> Callable[[Any], str]:
    """`to_json(value, indent=None)` for many values: one encoder, not one per value."""
    return json.JSONEncoder(ensure_ascii=False, default=_default).encode


def pick_list_format(format: ListFormat | None, as_json: bool) -> ListFormat:
    if as_json:
        return ListFormat.json
    return format or ListFormat.table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return to_json(value, indent=None)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | Decimal):
        return _default(value)
    return str(value)


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    value: Any = record
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _open_target(output: Path | None) -> tuple[IO[str], bool]:
    if output is None or str(output) == "-":
        return sys.stdout, False
    from stm.private_files import open_private

    return open_private(output), True


def write_text(text: str, output: Path | None) -> None:
    """Write a whole document to `-o FILE` or stdout."""
    handle, close = _open_target(output)
    try:
        handle.write(text)
        if not text.endswith("\n") and not close:
            handle.write("\n")
    finally:
        if close:
            handle.close()


def write_bytes(data: bytes, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from stm.private_files import write_private

    write_private(output, data)


#: File name suffixes that name a document format (`-o plan.pdf` means PDF).
DOCUMENT_SUFFIXES = {
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "pdf": "pdf",
    "ics": "ics",
    "csv": "csv",
    "vcf": "vcf",
    "vcard": "vcf",
    "json": "json",
}


def document_format(given: F | None, output: Path | str | None, choices: type[F], default: F) -> F:
    """The format of a document command: `--format`, else the suffix of `-o`, else `default`.

    Every document command decides through this one function, so `-o x.pdf` writes a PDF
    everywhere. A suffix that names a format this command cannot write, or one that
    contradicts `--format`, is refused (exit 2) before any work is done.
    """
    from stm.errors import Invalid

    name = Path(str(output)).name if output not in (None, "-") else ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    meant = DOCUMENT_SUFFIXES.get(suffix)
    accepted = ", ".join(f.value for f in choices)
    if meant is None:
        return given or default
    if meant not in {f.value for f in choices}:
        raise Invalid(
            "--output", f"{name!r} names a .{suffix} file; this command writes {accepted}"
        )
    by_suffix = choices(meant)
    if given is not None and given is not by_suffix:
        raise Invalid(
            "--format",
            f"{given.value} contradicts -o {name!r} ({by_suffix.value}); "
            "give a matching suffix or leave out --format",
        )
    return by_suffix


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def check_document_target(binary: bool, output: Path | None, example: str) -> None:
    """Refuse, before any work, to print a PDF onto a terminal."""
    if binary and output is None and stdout_is_terminal():
        from stm.errors import Invalid

        raise Invalid(
            "--output", f"a PDF is not shown on a terminal; give a file, e.g. -o {example}"
        )


def emit_document(content: str | bytes, output: Path | None, example: str = "dokument.pdf") -> None:
    """A rendered document to `-o FILE`, or stdout; binary output never to a terminal."""
    check_document_target(isinstance(content, bytes), output, example)
    if isinstance(content, bytes):
        write_bytes(content, output)
    else:
        write_text(content, output)
    if output is not None and stdout_is_terminal():
        note(f"Wrote {output}")


def emit_list(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    format: ListFormat,
    *,
    output: Path | None = None,
    title: str | None = None,
    empty: str = "Nothing found.",
) -> None:
    """Print records in the chosen format; the only place list output is made."""
    if format is ListFormat.table:
        print_table(records, columns, title=title, empty=empty, output=output)
        return
    handle, close = _open_target(output)
    try:
        if format is ListFormat.json:
            handle.write(json_lines_array(records))
        elif format is ListFormat.ndjson:
            line = _line_encoder()
            for record in records:
                handle.write(line(record) + "\n")
        else:
            write_csv(records, handle)
    finally:
        if close:
            handle.close()


def write_csv(
    records: Iterable[Mapping[str, Any]], handle: IO[str], keys: Sequence[str] = ()
) -> None:
    writer: csv.writer | None = None  # type: ignore[valid-type]
    for record in records:
        if writer is None:
            keys = keys or list(record)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(keys)
        writer.writerow([_cell(record.get(k)) for k in keys])
    if writer is None and keys:
        csv.writer(handle, lineterminator="\n").writerow(keys)


def print_table(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str = "Nothing found.",
    output: Path | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    if output is not None:
        handle, close = _open_target(output)
        console = Console(file=handle, width=200, no_color=True)
    else:
        close = False
        console = _console()
    if not records:
        console.print(empty, style="dim", highlight=False)
    else:
        from stm.cli.table_fit import break_after_hyphens, fit_columns

        headers = [header for _key, header in columns]
        rows = [[_cell(_lookup(record, key)) for key, _ in columns] for record in records]
        fit = fit_columns(headers, rows, console.width)
        table = Table(title=title, title_justify="left", header_style="bold")
        for index, width in zip(fit.kept, fit.widths, strict=True):
            table.add_column(headers[index], overflow="fold", width=width)
        for row in rows:
            cells = zip(fit.kept, fit.widths, strict=True)
            table.add_row(*[_escape(break_after_hyphens(row[i], width)) for i, width in cells])
        console.print(table)
        if len(fit.kept) < len(columns) and output is None and stdout_is_terminal():
            hidden = ", ".join(headers[i] for i in range(len(columns)) if i not in fit.kept)
            note(f"Not shown for lack of width: {hidden} (widen the window or use --format csv)")
    if close:
        handle.close()


def _console() -> Any:
    """A terminal console. Piped output is as wide as COLUMNS says, else wide (200), so
    tables are not folded in scripts."""
    import os

    from rich.console import Console

    columns = os.environ.get("COLUMNS", "")
    if sys.stdout.isatty():
        console = Console()
    else:
        console = Console(width=int(columns) if columns.isdigit() and int(columns) > 0 else 200)
    console.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
    return console


def _closed_pipe() -> None:
    """The reader has seen enough (`stm actors list | head -1`): stop quietly with exit 0,
    where Rich would exit 1. stdout goes to /dev/null so the last flush cannot fail."""
    import os
    from contextlib import suppress

    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(0)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def emit_record(
    record: Mapping[str, Any],
    as_json: bool,
    fields: Sequence[Column],
    *,
    title: str | None = None,
    sections: Sequence[tuple[str, Sequence[Mapping[str, Any]], Sequence[Column]]] = (),
) -> None:
    """One record: JSON, or a two-column key/value view plus optional sub-tables."""
    if as_json:
        typer.echo(to_json(record))
        return
    from rich.table import Table

    console = _console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, label in fields:
        value = _lookup(record, key)
        if value in (None, "", []):
            continue
        grid.add_row(label, _escape(_cell(value)))
    if title:
        console.print(f"[bold]{_escape(title)}[/bold]")
    console.print(grid)
    for heading, rows, columns in sections:
        console.print()
        print_table(rows, columns, title=heading, empty=f"{heading}: none")


def emit_created(record: Mapping[str, Any], as_json: bool, message: str) -> None:
    """What every add/new command prints: the id and a line, or the whole record."""
    if as_json:
        typer.echo(to_json(record))
    else:
        typer.echo(message)


def note(message: str) -> None:
    """A remark for the user (warnings, hints): stderr, so stdout stays data."""
    typer.echo(message, err=True)
