"""`stm map`: the actor map (Akteurslandkarte) and its figures."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from stm.cli._common import DistrictOpt, LangOpt, state
from stm.errors import Invalid


class MapFormat(StrEnum):
    svg = "svg"
    pdf = "pdf"
    png = "png"
    graphml = "graphml"
    csv = "csv"


class Paper(StrEnum):
    a4 = "a4"
    a3 = "a3"


#: Up to this many actors a map is laid out for A4 unless --paper says otherwise.
A4_ACTORS = 60

STATS_COLUMNS = [
    ("id", "ID"),
    ("name", "Actor"),
    ("kind", "Kind"),
    ("sector", "Sector"),
    ("ties", "Ties"),
    ("bodies", "Bodies"),
    ("projects", "Projects"),
    ("betweenness", "Betweenness"),
    ("reached", "Reached"),
]


def map_format(given: MapFormat | None, output: str | None) -> MapFormat:
    """`--format`, else the suffix of `-o`, else svg; a contradiction is refused."""
    name = Path(output).name if output not in (None, "-") else ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = ", ".join(f.value for f in MapFormat)
    if not suffix:
        return given or MapFormat.svg
    if suffix not in MapFormat.__members__:
        raise Invalid("--output", f"{name!r} names a .{suffix} file; stm map writes {accepted}")
    by_suffix = MapFormat(suffix)
    if given is not None and given is not by_suffix:
        raise Invalid(
            "--format",
            f"{given.value} contradicts -o {name!r} ({by_suffix.value}); "
            "give a matching suffix or leave out --format",
        )
    return by_suffix


def draw_map(
    ctx: typer.Context,
    district: DistrictOpt = None,
    network: Annotated[
        list[str] | None,
        typer.Option("--network", "-n", help="Only this body and its members (repeatable)."),
    ] = None,
    project: Annotated[
        list[str] | None,
        typer.Option("--project", "-p", help="Only this project and its actors (repeatable)."),
    ] = None,
    format: Annotated[
        MapFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="svg, pdf, png, graphml or csv (default: from -o FILE, else svg).",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file. csv writes two: FILE-elements.csv and FILE-connections.csv.",
            metavar="FILE",
        ),
    ] = None,
    paper: Annotated[
        Paper | None,
        typer.Option("--paper", help="a4 or a3 (default: a4 up to 60 actors, else a3)."),
    ] = None,
    stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Print the figures instead: ties per actor, betweenness (who bridges groups), "
            "and who is not reached (no body, no project in the past year).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --stats: print JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """Draw the actor map (Akteurslandkarte): who sits in which bodies and works in which
    projects, by sector, from the memberships and project roles of the past twelve months.

    Persons appear with their name only if they consented to be shared; otherwise they are
    counted with their organisation (shown as "+n"). The same register gives the same file.
    --format csv writes Kumu-style sheets (elements and connections) for network tools.

    \b
    Examples:
      stm map -o akteurslandkarte.svg
      stm map --district schmarl --format pdf -o karte-schmarl.pdf
      stm map --network stadtteiltisch-schmarl -o stadtteiltisch.png
      stm map --format csv -o netzwerk.csv
      stm map --stats
      stm map --stats --json | jq .not_reached
    """
    from stm.services import network_map as svc

    if as_json and not stats:
        raise Invalid("--json", "goes with --stats; for the map give --format or -o FILE")
    if stats and (format is not None or output is not None or paper is not None):
        raise Invalid("--stats", "prints figures as a table or JSON; leave out --format/-o/--paper")
    chosen = None if stats else map_format(format, output)
    target = None if output in (None, "-") else Path(output).expanduser()
    if chosen is MapFormat.csv and target is None:
        raise Invalid("--output", "csv writes two files; give -o FILE, e.g. -o netzwerk.csv")
    if chosen in (MapFormat.pdf, MapFormat.png):
        from stm.cli.output import check_document_target

        check_document_target(True, target, f"karte.{chosen.value}")
    app_state = state(ctx)
    scope = svc.MapScope(
        districts=district or [],
        networks=network or [],
        projects=project or [],
        consent_years=app_state.config().consent_years,
    )
    with app_state.session() as session:
        found = svc.actor_network(session, scope)
    if stats:
        _print_stats(svc.network_stats(found), as_json)
        return
    assert chosen is not None
    options = app_state.render_options(lang)
    size = (paper or (Paper.a4 if len(found.actors) <= A4_ACTORS else Paper.a3)).value
    _write(found, chosen, target, options, size)


def _write(found: Any, chosen: MapFormat, target: Path | None, options: Any, paper: str) -> None:
    from stm.cli.output import emit_document, note, stdout_is_terminal
    from stm.services import network_map as svc

    if chosen is MapFormat.csv:
        assert target is not None
        from stm.private_files import write_private

        stem = target.with_suffix("") if target.suffix.lower() == ".csv" else target
        sheets = {
            Path(f"{stem}-elements.csv"): svc.elements_csv(found, options.lang),
            Path(f"{stem}-connections.csv"): svc.connections_csv(found, options.lang),
        }
        for path, text in sheets.items():
            write_private(path, text)
            if stdout_is_terminal():
                note(f"Wrote {path}")
        return
    content: str | bytes
    if chosen is MapFormat.svg:
        content = svc.map_svg(found, options, paper)
    elif chosen is MapFormat.pdf:
        content = svc.map_pdf(found, options, paper)
    elif chosen is MapFormat.png:
        content = svc.map_png(found, options, paper)
    else:
        content = svc.map_graphml(found)
    emit_document(content, target, f"karte.{chosen.value}")


def _print_stats(figures: dict[str, Any], as_json: bool) -> None:
    from stm.cli.output import print_table, to_json

    if as_json:
        typer.echo(to_json(figures))
        return
    counts = figures["counts"]
    print_table(
        figures["actors"],
        STATS_COLUMNS,
        title=f"Actor network as of {figures['as_of'].isoformat()}: {counts['actors']} actors, "
        f"{counts['bodies']} bodies, {counts['projects']} projects, {counts['ties']} ties",
        empty="No actors.",
    )
    names = ", ".join(row["name"] for row in figures["not_reached"]) or "none"
    typer.echo(f"Not reached in the past year ({counts['not_reached']}): {names}")
    bridges = [row["name"] for row in figures["actors"] if row["betweenness"] > 0][:5]
    if bridges:
        typer.echo(f"Bridging most: {', '.join(bridges)}")
    if counts["persons_left_out"]:
        typer.echo(
            f"Left out: {counts['persons_left_out']} persons without consent and without "
            "an organisation."
        )
