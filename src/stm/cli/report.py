"""`stm report monthly`: the month's report for the Träger, the city and funders."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, LangOpt, make_app, state
from stm.cli.output import (
    check_document_target,
    document_format,
    document_json,
    emit_document,
    write_text,
)

app = make_app("Reports for the Träger, the city and funders; built to run from cron.")


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: Annotated[
        str,
        typer.Option(
            "--month",
            "-m",
            help="The month: YYYY-MM, 'last' (default) or 'this'.",
            metavar="YYYY-MM",
        ),
    ] = "last",
    district: DistrictOpt = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format", "-f", help="md, html, pdf or json (default: from -o FILE, else md)."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file, or into this folder as monatsbericht-YYYY-MM.<format> "
            "(a folder must exist or end with /).",
            metavar="FILE|FOLDER/",
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """The monthly report: events held with attendance, meetings with decisions and tasks,
    projects, residents' concerns, new actors and memberships, newspaper issues, per
    district, and an outlook on next month. HTML and PDF include charts.

    Made for scripts: it never asks, the same register gives the same bytes (no time
    stamp), and it exits non-zero when it cannot write the report. With -o it prints
    nothing in a script, so cron mails only failures.

    \b
    Examples:
      stm report monthly
      stm report monthly --month 2026-10 --format pdf -o bericht-oktober.pdf
      stm report monthly --district schmarl --district gross-klein --format html -o berichte/
      stm report monthly --month last --format json | jq .concerns
    \b
    Cron, on the 1st of every month at 06:00, last month's PDF into a folder:
      0 6 1 * * stm report monthly --format pdf -o "$HOME/Berichte/"
    """
    from stm.parsing import parse_month
    from stm.services import report as svc

    first = parse_month(month, "--month")
    folder = output is not None and _is_folder(output)
    format = document_format(format, None if folder else output, ReportFormat, ReportFormat.md)
    target = _target(output, first.strftime("%Y-%m"), district or [], format)
    check_document_target(format is ReportFormat.pdf, target, "berichte/")
    app_state = state(ctx)
    with app_state.session() as session:
        data = svc.monthly_report(session, first, district or [],
                                  state(ctx).config().consent_years)  # fmt: skip
    if format is ReportFormat.json:
        write_text(document_json(data) + "\n", target)
    else:
        from stm.render import render_report

        options = app_state.render_options(lang)
        emit_document(render_report(data, format.value, options), target)


def _target(
    output: str | None, month: str, districts: list[str], format: ReportFormat
) -> Path | None:
    """`-o FILE`, or a file named after the month inside `-o FOLDER/`."""
    if output is None or output == "-":
        return None
    path = Path(output).expanduser()
    if _is_folder(output):
        from stm.names import slugify

        suffix = "".join(f"-{slugify(d)}" for d in districts)
        return path / f"monatsbericht-{month}{suffix}.{format.value}"
    return path


def _is_folder(output: str) -> bool:
    return Path(output).expanduser().is_dir() or output.endswith(("/", "\\"))
