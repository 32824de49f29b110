"""`stm search TEXT`: find anything in the register by a word."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import FormatOpt, JsonOpt, OutputOpt, state
from stm.cli.output import emit_list, pick_list_format

COLUMNS = [
    ("rank", "#"),
    ("kind", "Kind"),
    ("id", "ID"),
    ("title", "Title"),
    ("context", "Where"),
    ("snippet", "Text"),
]


def search(
    ctx: typer.Context,
    text: Annotated[
        list[str], typer.Argument(help="Words to find; every word must match.", metavar="TEXT")
    ],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--in",
            help="Only these kinds of records, comma-separated or repeated: actors, projects, "
            "events, meetings (incl. TOPs and decisions), tasks, concerns, articles.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many results.")] = 20,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """Search actors, projects, events, meetings (TOPs, notes, decisions), tasks, concerns
    and newspaper articles; best matches first.

    Spelling of umlauts and ß does not matter (strassenbeleuchtung finds
    Straßenbeleuchtung), nor does case. Every word must occur. Words matched at their
    beginning come first (fruehjahr finds Frühjahrsputz), then words found inside longer
    ones (flohmarkt finds Stadtteilflohmarkt, putz Frühjahrsputz). Erased persons are never
    found. The index follows every change; 'stm db check --fix' rebuilds it.

    \b
    Examples:
      stm search strassenbeleuchtung
      stm search fruehjahrsputz --in events,tasks
      stm search flohmarkt                      # also Stadtteilflohmarkt
      stm search "haus 12" --in meetings --json
      stm search wir2 --in articles --format csv -o artikel.csv
    """
    from stm.services import search as svc

    entities = svc.parse_scopes(scope)
    with state(ctx).connect() as connection:
        hits = svc.search(connection, " ".join(text), entities=entities, limit=limit)
    emit_list(
        svc.hit_records(hits),
        COLUMNS,
        pick_list_format(format, as_json),
        output=output,
        empty=f"Nothing found for {' '.join(text)!r}.",
    )
