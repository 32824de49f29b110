"""`stm districts`: the districts (Stadtteile) the office works in."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import FormatOpt, JsonOpt, OutputOpt, make_app, state
from stm.cli.output import emit_created, emit_list, pick_list_format

app = make_app("List and add districts (Stadtteile).")

COLUMNS = [
    ("id", "ID"),
    ("slug", "Slug"),
    ("name", "Name"),
    ("city", "City"),
    ("state", "State"),
    ("actors", "Actors"),
]


@app.command("list")
def list_(
    ctx: typer.Context, format: FormatOpt = None, as_json: JsonOpt = False, output: OutputOpt = None
) -> None:
    """List the districts with their slug, city, federal state and number of actors.

    \b
    Examples:
      stm districts list
      stm districts list --json
    """
    from stm.services import districts as svc

    with state(ctx).session() as session:
        records = svc.district_records(session, svc.list_districts(session))
    emit_list(records, COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="District name, e.g. 'Lütten Klein'.")],
    city: Annotated[str, typer.Option("--city", help="City, e.g. Rostock.")] = "",
    federal_state: Annotated[
        str, typer.Option("--state", help="Federal state code for holidays, e.g. MV.")
    ] = "",
    slug: Annotated[
        str | None, typer.Option("--slug", help="Short name (default: from name).")
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name it is known by (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a district.

    \b
    Examples:
      stm districts add "Lütten Klein" --city Rostock --state MV
      stm districts add Evershagen --city Rostock --state MV --json
    """
    from stm.services import districts as svc

    with state(ctx).session() as session:
        district = svc.add_district(
            session, name, city=city, state=federal_state, slug=slug, aliases=alias
        )
        record = svc.district_records(session, [district])[0]
    emit_created(
        record, as_json, f"Added district {district.name} ({district.slug}), id {district.id}"
    )
