"""`stm concerns`: residents' concerns (Anliegen/Bedarfe) on their way through the city."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, FormatOpt, JsonOpt, OutputOpt, make_app, require, state
from stm.cli.output import emit_created, emit_list, emit_record, note, pick_list_format

app = make_app(
    "Residents' concerns (Anliegen): record them, forward them to the administration, "
    "follow them up and close them with an answer."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("title", "Concern"),
    ("district", "District"),
    ("category", "Category"),
    ("status", "Status"),
    ("forwarded_to", "Forwarded to"),
    ("reported_on", "Reported"),
    ("due", "Follow-up"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("district", "District"),
    ("category", "Category"),
    ("status", "Status"),
    ("reported_on", "Reported"),
    ("reported_by", "Reported by"),
    ("description", "Description"),
    ("forwarded_to", "Forwarded to"),
    ("forwarded_on", "Forwarded on"),
    ("due", "Follow-up"),
    ("overdue", "Overdue"),
    ("answer", "Answer"),
    ("closed_on", "Closed"),
]
HISTORY_COLUMNS = [("at", "When"), ("status", "Status"), ("note", "Note")]
ConcernArg = Annotated[str, typer.Argument(help="Concern id (see 'stm concerns list').")]
DueOpt = Annotated[
    str | None,
    typer.Option("--due", help="Follow-up date, e.g. 2026-12-15, 15.12.2026 or morgen."),
]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Argument(help="What residents need or report, in one line.")
    ] = None,
    district: Annotated[
        str | None, typer.Option("--district", "-d", help="The district it concerns.")
    ] = None,
    reporter: Annotated[
        str | None,
        typer.Option("--from", help="Who reported it: an actor's id or name."),
    ] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Reported anonymously (the default without --from).")
    ] = False,
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help="A topic, e.g. Beleuchtung, Spielplatz, Verkehr."),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Details, in the residents' words.")
    ] = None,
    reported: Annotated[
        str | None, typer.Option("--reported", help="When it was reported (default: today).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a resident's concern (status new) and print its id.

    \b
    Examples:
      stm concerns add "Straßenbeleuchtung Ratzeburger Straße defekt" -d gross-klein \\
          --from "Gisela Hartmann" --category Beleuchtung
      stm concerns add "Mehr Bänke am Schmarler Bach" -d schmarl --anonymous
      id=$(stm concerns add "Spielplatz Sandkasten verschmutzt" -d drewitz --json | jq .id)
    """
    from stm.parsing import parse_date
    from stm.services import concerns as svc

    fields = svc.ConcernFields(
        title=require(title, "title", "Concern"),
        district=district,
        reporter=reporter,
        anonymous=anonymous,
        category=category,
        description=description,
        reported_on=parse_date(reported, "--reported") if reported else None,
    )
    with state(ctx).session() as session:
        concern = svc.add_concern(session, fields)
        record = svc.concern_detail(session, concern)
    emit_created(record, as_json, f"Added concern #{concern.id} {concern.title}")


OnOpt = Annotated[
    str | None,
    typer.Option("--on", help="The day of this step (default today), e.g. 3.11.2026."),
]


@app.command("forward")
def forward(
    ctx: typer.Context,
    concern: ConcernArg,
    to: Annotated[
        str, typer.Option("--to", help="The addressee, normally an administration actor.")
    ],
    due: DueOpt = None,
    note_text: Annotated[str | None, typer.Option("--note", help="What was asked for.")] = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Forward a concern to the administration (status forwarded), with a follow-up date.

    `--on` dates a step taken earlier (last month's paper notes typed in now); the
    follow-up may not lie before it, and a follow-up already past is accepted with a warning.

    The addressee is normally an actor of kind administration (or a person working for
    one). Forwarding to any other actor, e.g. a housing company, is done but prints a
    warning on stderr, so that a typo does not go unnoticed.

    \b
    Examples:
      stm concerns forward 3 --to "Amt für Stadtentwicklung" --due 2026-12-15
      stm concerns forward 4 --to "WIRO Wohnen in Rostock" --note "Hausmeister informiert"
      stm concerns forward 5 --to "Amt für Stadtentwicklung" --on 3.11.2026 --due 17.11.2026
    """
    from stm.parsing import parse_date
    from stm.services import concerns as svc

    due_date = parse_date(due, "--due") if due else None
    step_day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        result = svc.forward_concern(
            session, concern, to, due=due_date, note=note_text, on=step_day
        )
        record = svc.concern_detail(session, result.concern)
    for warning in (result.warning, svc.past_follow_up(due_date)):
        if warning:
            note(f"Warning: {warning}")
    emit_created(
        record,
        as_json,
        f"Forwarded concern #{record['id']} to {record['forwarded_to']}"
        + (f" (follow-up {record['due']})" if record["due"] else ""),
    )


@app.command("update")
def update(
    ctx: typer.Context,
    concern: ConcernArg,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", "-s", help="new, forwarded or in-progress (reopens a closed one)."
        ),
    ] = None,
    note_text: Annotated[
        str | None,
        typer.Option("--note", "-n", help="What happened, e.g. the administration's reply."),
    ] = None,
    due: DueOpt = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a step: a new status, a note for the history, or a new follow-up date.

    `--on` dates a step taken earlier; a follow-up date in the past gets a warning.

    To close a concern with an answer use 'stm concerns close'.

    \b
    Examples:
      stm concerns update 3 --status in-progress --note "Amt prüft, Rückmeldung bis Dezember"
      stm concerns update 3 --note "Nachgefragt per Telefon" --due 2027-01-10
      stm concerns update 3 --note "Amt hat angerufen" --on 12.11.2026
    """
    from stm.parsing import parse_date
    from stm.services import concerns as svc

    change = svc.ConcernChange(
        status=status,
        note=note_text,
        due=parse_date(due, "--due") if due else None,
        on=parse_date(on, "--on") if on else None,
    )
    with state(ctx).session() as session:
        item = svc.update_concern(session, concern, change)
        record = svc.concern_detail(session, item)
    warning = svc.past_follow_up(change.due)
    if warning:
        note(f"Warning: {warning}")
    emit_created(record, as_json, f"Updated concern #{item.id}: {item.status}")


@app.command("close")
def close(
    ctx: typer.Context,
    concern: ConcernArg,
    answer: Annotated[str, typer.Option("--answer", "-a", help="The answer residents get.")],
    rejected: Annotated[
        bool, typer.Option("--rejected", help="Close as rejected instead of resolved.")
    ] = False,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close a concern with its answer: resolved, or rejected with --rejected (--on: the
    day it was closed, default today).

    Closing a closed concern is refused (exit 1); reopen it with
    'stm concerns update ID --status in-progress' first.

    \b
    Examples:
      stm concerns close 3 --answer "Leuchten am 12.12. repariert"
      stm concerns close 5 --answer "Keine Fläche verfügbar" --rejected
      stm concerns close 6 --answer "Bank aufgestellt" --on 28.10.2026
    """
    from stm.parsing import parse_date
    from stm.services import concerns as svc

    step_day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        item = svc.close_concern(session, concern, answer, rejected=rejected, on=step_day)
        record = svc.concern_detail(session, item)
    emit_created(record, as_json, f"Closed concern #{item.id} as {item.status}")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="new, forwarded, in-progress, resolved or rejected (repeatable).",
        ),
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only concerns not closed yet.")
    ] = False,
    district: DistrictOpt = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Only those forwarded to this actor.")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this topic.")
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option("--overdue", help="Forwarded or in progress, follow-up date before today."),
    ] = False,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List concerns, oldest first, filtered by status, district, addressee or topic.

    \b
    Examples:
      stm concerns list --open
      stm concerns list --district schmarl --status forwarded
      stm concerns list --overdue --to "Amt für Stadtentwicklung"
      stm concerns list --format csv -o anliegen.csv
    """
    from stm.services import concerns as svc

    criteria = svc.ConcernFilter(
        statuses=status or [],
        districts=district or [],
        forwarded_to=to,
        category=category,
        overdue=overdue,
        open_only=open_only,
    )
    with state(ctx).register().engine.connect() as connection:
        records = svc.concern_list(connection, criteria)
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="No concerns found.")  # fmt: skip


@app.command("show")
def show(ctx: typer.Context, concern: ConcernArg, as_json: JsonOpt = False) -> None:
    """Show one concern with its answer and full history.

    \b
    Examples:
      stm concerns show 3
      stm concerns show 3 --json
    """
    from stm.services import concerns as svc

    with state(ctx).session() as session:
        record = svc.concern_detail(session, svc.concern(session, concern))
    emit_record(
        record,
        as_json,
        SHOW_FIELDS,
        title=f"#{record['id']} {record['title']}",
        sections=[("History", record["history"], HISTORY_COLUMNS)],
    )
