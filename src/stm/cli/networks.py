"""`stm networks`: Gremien such as the Stadtteiltisch, and who belongs to them."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, FormatOpt, JsonOpt, OutputOpt, make_app, state
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format

app = make_app(
    "Networks (Gremien): Stadtteiltisch, Lenkungsgruppe, Ortsbeirat, Arbeitskreise, "
    "Bündnisse, and their members."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("slug", "Slug"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("level", "Level"),
    ("districts", "District"),
    ("members", "Members"),
]
MEMBER_COLUMNS = [
    ("actor_id", "ID"),
    ("name", "Member"),
    ("role", "Role"),
    ("voting", "Vote"),
    ("since", "Since"),
    ("until", "Until"),
]
NetworkArg = Annotated[str, typer.Argument(help="Network slug, name or id.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name, e.g. 'Stadtteiltisch Schmarl'.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="stadtteiltisch, lenkungsgruppe, ortsbeirat, arbeitskreis, buendnis, "
            "begleitausschuss or netzwerk.",
        ),
    ],
    level: Annotated[
        str, typer.Option("--level", help="district, city, state, national or international.")
    ] = "district",
    district: Annotated[
        list[str] | None,
        typer.Option("--district", "-d", help="A district it serves (repeatable)."),
    ] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Short name (default: from the name).")
    ] = None,
    description: Annotated[str | None, typer.Option("--description", help="What it does.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a network (Gremium).

    \b
    Examples:
      stm networks add "Stadtteiltisch Schmarl" --kind stadtteiltisch --district schmarl
      stm networks add "Lenkungsgruppe" -k lenkungsgruppe -d gross-klein -d schmarl
      stm networks add "AK Jugend" --kind arbeitskreis --level city --json
    """
    from stm.services import networks as svc

    data = svc.NetworkFields(
        name=name,
        kind=kind,
        level=level,
        districts=district or [],
        slug=slug,
        description=description,
    )
    with state(ctx).session() as session:
        network = svc.add_network(session, data)
        record = svc.network_records(session, [network])[0]
    emit_created(record, as_json, f"Added network #{network.id} {network.name} ({network.slug})")


@app.command("edit")
def edit(
    ctx: typer.Context,
    network: NetworkArg,
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="A new kind.")] = None,
    level: Annotated[str | None, typer.Option("--level", help="A new level.")] = None,
    district: Annotated[
        list[str] | None,
        typer.Option("--district", "-d", help="Replace the districts (repeatable)."),
    ] = None,
    description: Annotated[str | None, typer.Option("--description", help="What it does.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a network's name, kind, level, districts or description (the slug stays).

    \b
    Examples:
      stm networks edit lenkungsgruppe -d gross-klein -d schmarl
      stm networks edit ak-jugend --name "AK Jugend Schmarl" --level district
    """
    from stm.services import networks as svc
    from stm.services import refs

    changes = svc.NetworkChanges(
        name=name, kind=kind, level=level, districts=district, description=description
    )
    with state(ctx).session() as session:
        found = svc.edit_network(session, refs.network(session, network), changes)
        record = svc.network_records(session, [found])[0]
    if as_json:
        emit_record(record, True, [])
    else:
        districts = ", ".join(record["districts"]) or "no district"
        typer.echo(f"Changed network #{found.id} {found.name} ({districts})")


@app.command("list")
def list_(
    ctx: typer.Context,
    district: DistrictOpt = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="Network kind.")] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List networks with their number of current members.

    \b
    Examples:
      stm networks list
      stm networks list --district schmarl --json
      stm networks list --kind stadtteiltisch
    """
    from stm.services import networks as svc

    criteria = svc.NetworkFilter(districts=district or [], kinds=kind or [])
    with state(ctx).register().engine.connect() as connection:
        records = svc.network_list(connection, criteria)
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("show")
def show(ctx: typer.Context, network: NetworkArg, as_json: JsonOpt = False) -> None:
    """Show a network and its members, past and present.

    \b
    Examples:
      stm networks show stadtteiltisch-schmarl
      stm networks show "Lokales Bündnis für Familie" --json
    """
    from stm.services import networks as svc
    from stm.services import refs

    with state(ctx).session() as session:
        record = svc.network_detail(session, refs.network(session, network))
    emit_record(
        record,
        as_json,
        [
            ("id", "ID"),
            ("slug", "Slug"),
            ("kind", "Kind"),
            ("level", "Level"),
            ("districts", "District"),
            ("members", "Current members"),
            ("description", "About"),
        ],
        title=record["name"],
        sections=[("Members", record["memberships"], MEMBER_COLUMNS)],
    )


@app.command("join")
def join(
    ctx: typer.Context,
    network: NetworkArg,
    actors: Annotated[list[str], typer.Argument(help="Actor ids or names.")],
    role: Annotated[str, typer.Option("--role", help="member, chair, office or guest.")] = "member",
    voting: Annotated[
        bool | None,
        typer.Option("--voting/--no-voting", help="Voting right (default: members and chairs)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Member since (default: today), e.g. 1.3.2024.")
    ] = None,
) -> None:
    """Make actors members of a network.

    \b
    Examples:
      stm networks join stadtteiltisch-schmarl "Kita Ostseekinder" "Haus 12"
      stm networks join stadtteiltisch-schmarl "Anna Müller" --role chair --since 1.1.2025
      stm networks join ortsbeirat-schmarl 14 --role guest --no-voting
    """
    from stm.parsing import parse_date
    from stm.services import networks as svc

    start = parse_date(since, "--since") if since else None
    with state(ctx).session() as session:
        joined = svc.join(session, network, actors, role=role, voting=voting, since=start)
    typer.echo(f"{len(joined)} member(s) joined {network}")


@app.command("leave")
def leave(
    ctx: typer.Context,
    network: NetworkArg,
    actors: Annotated[list[str], typer.Argument(help="Actor ids or names.")],
    until: Annotated[
        str | None, typer.Option("--until", help="Last day of membership (default: today).")
    ] = None,
) -> None:
    """End memberships (kept with their end date, so history stays).

    \b
    Examples:
      stm networks leave stadtteiltisch-schmarl "Jugendclub Schmarl"
      stm networks leave stadtteiltisch-schmarl 14 --until 31.12.2026
    """
    from stm.parsing import parse_date
    from stm.services import networks as svc

    end = parse_date(until, "--until") if until else None
    with state(ctx).session() as session:
        left = svc.leave(session, network, actors, until=end)
    typer.echo(f"{len(left)} member(s) left {network}")
