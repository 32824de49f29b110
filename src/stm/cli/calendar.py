"""`stm calendar`: a month on the terminal, with events and public holidays."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stm.cli._common import DistrictOpt, JsonOpt, state

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
CELL_WIDTH = 18


def calendar(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", "-m", help="The month: 2022-06, 6.2022, this or last (default: this)."
        ),
    ] = None,
    district: DistrictOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a month as a grid: events and public holidays per day, today highlighted.

    Holidays are those of the districts' federal states (BB and MV differ), else of the
    config's `state`.

    \b
    Examples:
      stm calendar
      stm calendar --month 2022-06 --district schmarl
      stm calendar --month 2026-12 --json
    """
    from stm.parsing import parse_month
    from stm.services import calendar as svc

    first = parse_month(month or "this", "--month")
    default_state = str(state(ctx).config().get("state") or "")
    with state(ctx).connect() as connection:
        data = svc.month_calendar(
            connection, first, districts=district or (), default_state=default_state
        )
    if as_json:
        from stm.cli.output import to_json

        typer.echo(to_json(data))
        return
    _print_grid(dict(data))


def _print_grid(data: dict[str, Any]) -> None:
    import sys

    from rich.console import Console
    from rich.table import Table

    year, number = (int(part) for part in data["month"].split("-"))
    heading = f"{MONTHS[number - 1]} {year}"
    if data["districts"]:
        heading += " · " + ", ".join(data["districts"])
    if data["states"]:
        heading += f" · holidays: {', '.join(data['states'])}"
    table = Table(title=heading, title_justify="left", show_lines=True, header_style="bold")
    for name in WEEKDAYS:
        table.add_column(name, width=CELL_WIDTH, overflow="fold", vertical="top")
    for week in data["weeks"]:
        table.add_row(*[_cell(day) for day in week])
    console = Console() if sys.stdout.isatty() else Console(width=7 * (CELL_WIDTH + 3) + 1)
    console.print(table)
    count = data["events"]
    console.print(f"{count} event{'s' if count != 1 else ''} · today is marked ▶", style="dim")


def _cell(day: dict[str, Any]) -> Any:
    from rich.text import Text

    cell = Text()
    number = f"{day['day']:2d}"
    if day["today"]:
        cell.append(f"▶{number} today", style="bold reverse")
    elif not day["in_month"]:
        cell.append(number, style="dim")
    else:
        cell.append(number, style="bold")
    for name in day["holidays"]:
        cell.append("\n" + name, style="red" if day["in_month"] else "dim red")
    for event in day["events"]:
        line = (f"{event['time']} " if event["time"] else "") + event["title"]
        style = (
            "strike dim" if event["status"] == "cancelled" else ("" if day["in_month"] else "dim")
        )
        cell.append("\n" + _shorten(line), style=style)
    return cell


def _shorten(text: str, width: int = CELL_WIDTH * 2) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
