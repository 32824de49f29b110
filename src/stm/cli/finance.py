"""`stm finance`: a project's money, from the financing plan to the Verwendungsnachweis."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from stm.cli._common import FormatOpt, JsonOpt, LangOpt, OutputOpt, make_app, state
from stm.cli.output import (
    ListFormat,
    check_document_target,
    document_format,
    emit_document,
    emit_list,
    note,
    pick_list_format,
    to_json,
    write_bytes,
    write_text,
)

app = make_app(
    "A project's money: financing plan (costs, income), bookings with receipts (corrected "
    "by reversal only), planned against spent, and the Verwendungsnachweis."
)

ProjectArg = Annotated[str, typer.Argument(help="Project id, slug or title.")]
AMOUNT_HELP = "Euros as typed: 450, 450,00, 1.500 or '1.500,50 €'; at most two decimals."
LateOpt = Annotated[
    bool, typer.Option("--late", help="Confirm a booking on a finished or cancelled project.")
]
LIST_COLUMNS = [
    ("id", "ID"),
    ("date", "Date"),
    ("position", "Position"),
    ("amount", "Amount €"),
    ("payee", "Payee"),
    ("receipt", "Receipt"),
    ("note", "Note"),
    ("flags", "Flags"),
]
LINE_COLUMNS = [
    ("name", "Position"),
    ("planned", "Planned €"),
    ("spent", "Spent €"),
    ("remaining", "Remaining €"),
    ("percent", "%"),
    ("flag", "Flag"),
]


def _threshold(ctx: typer.Context) -> int:
    return int(state(ctx).config().get("finance.over_plan_percent"))


@app.command("plan")
def plan(
    ctx: typer.Context,
    project: ProjectArg,
    cost: Annotated[
        list[str] | None,
        typer.Option("--cost", help="A cost position and its planned amount: 'Honorare=12.000'."),
    ] = None,
    income: Annotated[
        list[str] | None,
        typer.Option("--income", help="A source of income and its amount: 'ESF=30.000'."),
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Take a position without bookings out.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set the financing plan: cost positions and income by source with planned amounts.

    Named positions are added or get the new amount; others stay. A plan whose income
    does not cover its costs is shown so.

    \b
    Examples:
      stm finance plan digitale-teilhabe --cost "Personal=18.000" --cost "Honorare=7.500" \\
          --income "ESF=28.640" --income "Eigenmittel=3.580"
      stm finance plan digitale-teilhabe --cost "Sachkosten=6.300,00"
      stm finance plan digitale-teilhabe --remove Miete
    """
    from stm.services import finance

    change = finance.PlanChange(costs=cost or [], income=income or [], remove=remove or [])
    with state(ctx).session() as session:
        found, result = finance.set_plan(session, project, change)
        summary = finance.finance_summary(session.connection(), found, _threshold(ctx))
    if as_json:
        typer.echo(to_json(finance.as_json(summary)))
        return
    done = [f"{len(result.added)} added", f"{len(result.changed)} changed"]
    if result.removed:
        done.append(f"{len(result.removed)} removed")
    typer.echo(f"Plan of {found.title}: {', '.join(done)}")
    _print_plan_balance(summary)


def _euro(value: Any) -> str:
    from stm.wording import format_money

    return format_money(value)


def _print_plan_balance(summary: dict[str, Any]) -> None:
    costs, income = summary["total_costs"]["planned"], summary["total_income"]["planned"]
    line = f"Planned costs {_euro(costs)}, planned income {_euro(income)}"
    if summary["covered"]:
        typer.echo(f"{line}: covered")
    else:
        typer.echo(f"{line}: NOT COVERED, {_euro(summary['shortfall'])} missing")


@app.command("book")
def book(
    ctx: typer.Context,
    project: ProjectArg,
    position: Annotated[
        str, typer.Option("--position", "-p", help="The plan's position, e.g. Honorare.")
    ],
    amount: Annotated[str, typer.Option("--amount", "-a", help=AMOUNT_HELP)],
    date: Annotated[
        str | None,
        typer.Option("--date", help="The receipt's date, e.g. 3.2.2026 (default today)."),
    ] = None,
    payee: Annotated[str | None, typer.Option("--payee", help="Who was paid.")] = None,
    receipt: Annotated[
        str | None, typer.Option("--receipt", help="Receipt number, e.g. R-2026-014.")
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", help="A remark.")] = None,
    late: LateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Book an amount on a position of the plan, with its receipt.

    A booking is never edited: correct it with 'stm finance reverse' and a new booking.
    One dated before the project's start or after its end is kept and flagged.

    \b
    Examples:
      stm finance book digitale-teilhabe --position Honorare --amount "450,00" \\
          --date 3.2.2026 --payee "Medienpädagogin K. Beispiel" --receipt R-2026-014
      stm finance book 750-jahre-dorf-schmarl -p Sachkosten -a 120 --late --json
    """
    from stm.services import finance

    fields = finance.BookingFields(project=project, position=position, amount=amount, date=date,
                                   payee=payee, receipt=receipt, note=note_text,
                                   late=late)  # fmt: skip
    with state(ctx).session() as session:
        booking, warnings = finance.book(session, fields)
        found = finance.booking_records(
            session.connection(), _project_of(session, booking.project_id),
            finance.BookingFilter(start=booking.day, end=booking.day),
        )  # fmt: skip
    record = next(r for r in found if r["id"] == booking.id)
    for warning in warnings:
        note(f"Warning: {warning}")
    if as_json:
        typer.echo(to_json(record))
    else:
        typer.echo(f"Booked #{booking.id}: {record['position']} {_euro(booking.amount)}")


def _project_of(session: Any, project_id: int) -> Any:
    from stm.services import refs

    return refs.project(session, str(project_id))


@app.command("reverse")
def reverse(
    ctx: typer.Context,
    booking: Annotated[str, typer.Argument(help="The booking's id (see 'stm finance list').")],
    date: Annotated[
        str | None, typer.Option("--date", help="The reversal's date (default today).")
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", help="Why it is reversed.")] = None,
    late: LateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Reverse a booking (Storno): a booking of the opposite amount that names it.

    \b
    Examples:
      stm finance reverse 17 --note "falsche Position"
      stm finance reverse 17 --date 10.2.2026 --json
    """
    from stm.services import finance

    with state(ctx).session() as session:
        reversal = finance.reverse(session, booking, date, note_text, late)
        project = _project_of(session, reversal.project_id)
        found = finance.booking_records(
            session.connection(), project,
            finance.BookingFilter(start=reversal.day, end=reversal.day),
        )  # fmt: skip
    record = next(r for r in found if r["id"] == reversal.id)
    if as_json:
        typer.echo(to_json(record))
    else:
        typer.echo(f"Reversed #{reversal.reverses_id} by #{reversal.id}: {_euro(reversal.amount)}")


@app.command("list")
def list_(
    ctx: typer.Context,
    project: ProjectArg,
    start: Annotated[str | None, typer.Option("--from", help="From this date on.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date.")] = None,
    position: Annotated[str | None, typer.Option("--position", "-p", help="One position.")] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """List a project's bookings in date order; reversals name what they reverse.

    --format csv is for Excel: ';'-separated, decimal comma, German headers (--lang en:
    English), formula-safe, with a BOM in a file. JSON amounts are strings ("450.00").

    \b
    Examples:
      stm finance list digitale-teilhabe
      stm finance list digitale-teilhabe --from 1.1.2026 --to 31.3.2026 --position Honorare
      stm finance list digitale-teilhabe --format csv -o buchungen.csv
      stm finance list digitale-teilhabe --json | jq '.[].amount'
    """
    from stm.parsing import parse_date
    from stm.services import finance, refs

    chosen = pick_list_format(format, as_json)
    with state(ctx).session() as session:
        found = refs.project(session, project)
        criteria = finance.BookingFilter(
            start=parse_date(start, "--from") if start else None,
            end=parse_date(end, "--to") if end else None,
            position_id=finance.position_named(session, found, position, "--position").id
            if position
            else None,
        )
        records = finance.booking_records(session.connection(), found, criteria)
    if chosen is ListFormat.csv:
        from stm.formats.finance_csv import bookings_csv

        text = bookings_csv(records, (lang.value if lang else None) or state(ctx).config().language)
        _write_excel(text, output)
        return
    if chosen is ListFormat.table:
        for record in records:
            record["flags"] = _flags(record)
    emit_list(records, LIST_COLUMNS, chosen, output=output, title=found.title,
              empty="No bookings.")  # fmt: skip


def _flags(record: dict[str, Any]) -> str:
    flags = []
    if record["reverses"]:
        flags.append(f"Storno zu #{record['reverses']}")
    if record["reversed_by"]:
        flags.append(f"storniert durch #{record['reversed_by']}")
    if record["outside_period"]:
        flags.append("outside running time")
    if record["late"]:
        flags.append("late")
    return "; ".join(flags)


def _write_excel(text: str, output: Path | None) -> None:
    from stm.formats.people_csv import file_bytes

    if output is None or str(output) == "-":
        write_text(text, None)
    else:
        write_bytes(file_bytes(text), output)


@app.command("show")
def show(ctx: typer.Context, project: ProjectArg, as_json: JsonOpt = False) -> None:
    """Planned, spent, remaining and percentage per position and in total.

    Positions spent more than 20 % over plan are flagged (config finance.over_plan_percent),
    as are bookings dated before the project's start or after its end.

    \b
    Examples:
      stm finance show digitale-teilhabe
      stm finance show digitale-teilhabe --json | jq .total_costs
    """
    from stm.services import finance, refs

    with state(ctx).connect() as connection:
        found = refs.project_row(connection, project)
        summary = finance.finance_summary(connection, found, _threshold(ctx))
    if as_json:
        typer.echo(to_json(finance.as_json(summary)))
        return
    _print_summary(summary)


def _line_rows(lines: list[dict[str, Any]], threshold: int) -> list[dict[str, Any]]:
    return [
        {**line, "percent": f"{line['percent']} %" if line["percent"] is not None else "",
         "flag": f"over plan by more than {threshold} %" if line["over_plan"] else ""}
        for line in lines
    ]  # fmt: skip


def _print_summary(summary: dict[str, Any]) -> None:
    from stm.cli.output import print_table

    project, threshold = summary["project"], summary["threshold"]
    typer.echo(f"{project['title']} ({project['status']}), {summary['bookings']} bookings")
    for kind, title in (("costs", "Costs"), ("income", "Income")):
        lines = _line_rows(summary[kind], threshold)
        key = "total_costs" if kind == "costs" else "total_income"
        tot = summary[key]
        lines.append({"name": "Total", "planned": tot["planned"], "spent": tot["spent"],
                      "remaining": tot["remaining"],
                      "percent": f"{tot['percent']} %" if tot["percent"] is not None else "",
                      "flag": ""})  # fmt: skip
        columns = LINE_COLUMNS if kind == "costs" else [
            (k, "Received €" if k == "spent" else h) for k, h in LINE_COLUMNS]  # fmt: skip
        print_table(lines, columns, title=title, empty=f"{title}: none planned")
    _print_plan_balance(summary)
    for name in summary["over_plan"]:
        typer.echo(f"Flagged: {name} is spent more than {threshold} % over plan")
    for booking in summary["outside_period"]:
        typer.echo(f"Flagged: booking #{booking['id']} of {booking['date']:%d.%m.%Y} is dated "
                   f"{booking['why']}")  # fmt: skip


class NachweisFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    json = "json"


@app.command("report")
def report(
    ctx: typer.Context,
    project: ProjectArg,
    start: Annotated[
        str | None, typer.Option("--from", help="Period start (default: the project's start).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Period end (default: the project's end).")
    ] = None,
    interim: Annotated[
        int | None,
        typer.Option("--interim", help="The Zwischennachweis of this year.", metavar="YEAR"),
    ] = None,
    format: Annotated[
        NachweisFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, pdf, csv (receipts, for Excel) or json "
            "(default: from -o FILE, else md).",
        ),
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """The Verwendungsnachweis: planned and actual per position, income by source, the
    receipts in date order, and a Sachbericht to complete, prefilled from the project's
    description, goals, events with attendance and the decisions that concern it.

    \b
    Examples:
      stm finance report digitale-teilhabe --format pdf -o verwendungsnachweis.pdf
      stm finance report digitale-teilhabe --interim 2026 -o zwischennachweis-2026.md
      stm finance report digitale-teilhabe --from 1.1.2026 --to 30.6.2026 --format csv -o belege.csv
    """
    from stm.parsing import parse_date
    from stm.services import finance, refs

    chosen = document_format(format, output, NachweisFormat, NachweisFormat.md)
    check_document_target(chosen is NachweisFormat.pdf, output, "verwendungsnachweis.pdf")
    request = finance.NachweisRequest(
        start=parse_date(start, "--from") if start else None,
        end=parse_date(end, "--to") if end else None,
        interim=interim,
        threshold=_threshold(ctx),
    )
    with state(ctx).connect() as connection:
        data = finance.nachweis_data(connection, refs.project_row(connection, project), request)
    if chosen is NachweisFormat.json:
        write_text(to_json(finance.nachweis_json(data)) + "\n", output)
        return
    content = finance.render_nachweis(data, chosen.value, state(ctx).render_options(lang))
    if chosen is NachweisFormat.csv:
        assert isinstance(content, str)
        _write_excel(content, output)
        return
    emit_document(content, output, "verwendungsnachweis.pdf")
