"""`stm event import|export`: events in and out as iCalendar files.

These commands are the `stm event` group's too: the root command (`stm.cli`) joins this
module's app to `stm.cli.events.app`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, JsonOpt, OutputOpt, make_app, state
from stm.cli.events import KindOpt, ProjectOpt
from stm.cli.output import document_format, note, to_json, write_bytes

app = make_app("Events in and out as iCalendar files.")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An iCalendar file (.ics).", dir_okay=False)],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the readable events, skip the others.")
    ] = False,
    district: DistrictOpt = None,
    kind: KindOpt = None,
    project: ProjectOpt = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List each thing not taken as it stood."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import events from an .ics file of another calendar program.

    Importing the same file again updates its events (by UID) instead of adding them
    twice. A file with an unreadable event (an unknown TZID, a broken date) imports
    nothing and names the event, unless --skip-invalid. What is not taken as it stood
    (extra dates, a changed date without its series, properties stm has no field for,
    a title cut to 200 characters) is counted on stderr by kind; --verbose lists each.
    Series keep their own time zone: they repeat in it and are listed in the office's.

    \b
    Examples:
      stm event import termine.ics --district schmarl
      stm event import kollegin.ics --kind workshop --project "FuN – Familie und Nachbarschaft"
      stm event import export.ics --skip-invalid --json
    """
    from stm.errors import Invalid
    from stm.services import events as svc

    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise Invalid("FILE", f"{file} does not exist") from None
    except OSError as error:
        raise Invalid("FILE", f"{file} cannot be read ({error.strerror})") from None
    options = svc.ImportOptions(
        skip_invalid=skip_invalid,
        districts=district or (),
        kind=kind,
        project=project,
        source=file.name,
    )
    with state(ctx).session() as session:
        result = svc.import_calendar(session, data, options)
        records = [dict(svc.event_record(session, e)) for e in result.events]
    for kind_of_notice, count in result.notice_counts().items():
        note(f"Noted: {count} × {kind_of_notice}")
    if verbose:
        for kind_of_notice, where in result.notices:
            note(f"  {where}: {kind_of_notice}")
    if as_json:
        summary = {"added": result.added, "updated": result.updated, "skipped": result.skipped}
        notices = [{"kind": k, "where": w} for k, w in result.notices]
        typer.echo(to_json({**summary, "notices": notices, "events": records}))
        return
    for problem in result.skipped:
        note(f"Skipped {problem}")
    typer.echo(
        f"Imported {len(records)} events from {file.name}: "
        f"{result.added} added, {result.updated} updated"
    )


class ExportFormat(StrEnum):
    ics = "ics"


@app.command("export")
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="File format: ics (iCalendar).")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Events from this day.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Events until this day.")] = None,
    district: DistrictOpt = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="Event kind.")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", help="Project.")] = None,
    organiser: Annotated[
        list[str] | None, typer.Option("--organiser", "--organizer", help="Organising actor.")
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Export events as iCalendar for any calendar program; without filters, all of them.

    Repeating events keep their rule; cancelled dates become EXDATE, changed dates
    their own entry (RECURRENCE-ID). Times carry the office's time zone.

    \b
    Examples:
      stm event export -o stadtteil.ics
      stm event export --format ics --district schmarl --from 1.1.2027 -o schmarl-2027.ics
      stm event export --kind sprechstunde > sprechstunden.ics
    """
    from stm.parsing import parse_date
    from stm.services import events as svc

    document_format(format, output, ExportFormat, ExportFormat.ics)
    filtered = any((from_, to, district, kind, project, organiser))
    criteria = (
        svc.EventFilter(
            start=parse_date(from_, "--from") if from_ else None,
            end=parse_date(to, "--to") if to else None,
            districts=district or (),
            kinds=kind or (),
            projects=project or (),
            organisers=organiser or (),
        )
        if filtered
        else None
    )
    with state(ctx).connect() as connection:
        data, count = svc.export_calendar(connection, criteria)
    write_bytes(data, output)
    if output is not None and str(output) != "-":
        note(f"Exported {count} events to {output}")
