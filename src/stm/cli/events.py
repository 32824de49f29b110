"""`stm event`: district events, one-off or repeating (their iCalendar files: events_io)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stm.cli._common import (
    DistrictOpt,
    FormatOpt,
    JsonOpt,
    OutputOpt,
    YesOpt,
    confirm,
    make_app,
    require,
    state,
)
from stm.cli.output import (
    ListFormat,
    emit_created,
    emit_list,
    emit_record,
    note,
    pick_list_format,
)

app = make_app(
    "District events: Stadtteilfest, Flohmarkt, Frühjahrsputz, Sprechstunde, … "
    "one-off or repeating, with their iCalendar import and export."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("when", "When"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("districts", "Districts"),
    ("location", "Location"),
    ("status", "Status"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("when", "When"),
    ("repeats", "Repeats"),
    ("until", "Last date"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("districts", "Districts"),
    ("location", "Location"),
    ("organisers", "Organisers"),
    ("project", "Project"),
    ("expected", "Expected"),
    ("attendance", "Attendance"),
    ("description", "Description"),
    ("uid", "UID"),
]
DATE_COLUMNS = [
    ("occurrence", "Date"),
    ("start", "Start"),
    ("end", "End"),
    ("title", "Title"),
    ("location", "Location"),
    ("status", "Status"),
    ("attendance", "Attendance"),
]

Title = Annotated[str | None, typer.Argument(help="Title, e.g. '750 Jahre Dorf Schmarl'.")]
EventArg = Annotated[str, typer.Argument(help="Event id or title.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="Date: 2026-12-08, 8.12.2026, 8.12.26, heute, morgen."),
]
TimeOpt = Annotated[str | None, typer.Option("--time", help="Start time: 14:00 or '14 Uhr'.")]
EndOpt = Annotated[
    str | None,
    typer.Option("--end", help="End: a time (18:00), a last day (19.06.2022) or both."),
]
LocationOpt = Annotated[str | None, typer.Option("--location", help="Where, e.g. 'Haus 12'.")]
OrganiserOpt = Annotated[
    list[str] | None,
    typer.Option("--organiser", "--organizer", help="Organising actor, id or name (repeatable)."),
]
ProjectOpt = Annotated[str | None, typer.Option("--project", help="The project, slug or title.")]
KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        help="fest, markt, aktion, workshop, sprechstunde, meeting, kurs, ausstellung, sport, "
        "kultur, beteiligung or sonstiges.",
    ),
]
ExpectedOpt = Annotated[int | None, typer.Option("--expected", help="Expected participants.")]
RepeatOpt = Annotated[
    str | None,
    typer.Option(
        "--repeat",
        help="Repeat: an RRULE (FREQ=MONTHLY;BYDAY=2TU;COUNT=12) or weekly, monthly, "
        "'every 2nd tuesday', 'jeden 2. Dienstag', 'alle 2 Wochen bis 31.12.2027'.",
    ),
]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="Free text.")]
StatusOpt = Annotated[str | None, typer.Option("--status", help="planned, held or cancelled.")]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", help="Only this date of a repeating event, e.g. 8.12.2026."),
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day (default: today).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day (default: eight weeks on).")]


def _default_state(ctx: typer.Context) -> str:
    return str(state(ctx).config().get("state") or "")


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        note(f"Warning: {warning}")


def _when(record: dict[str, Any]) -> str:
    from datetime import datetime

    from stm.services.events import when_text

    all_day = bool(record["all_day"])
    start = datetime.fromisoformat(record["start"])
    end = None
    if record["end"]:
        end = datetime.fromisoformat(record["end"])
        if all_day:
            from datetime import timedelta

            end += timedelta(days=1)
    return when_text(start, end, all_day)


@app.command("add")
def add(
    ctx: typer.Context,
    title: Title = None,
    date: DateOpt = None,
    time: TimeOpt = None,
    end: EndOpt = None,
    all_day: Annotated[
        bool, typer.Option("--all-day", help="Lasts all day (the default without --time).")
    ] = False,
    district: DistrictOpt = None,
    location: LocationOpt = None,
    organiser: OrganiserOpt = None,
    project: ProjectOpt = None,
    kind: KindOpt = None,
    expected: ExpectedOpt = None,
    repeat: RepeatOpt = None,
    description: DescriptionOpt = None,
    status: StatusOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an event and print its id (the whole record with --json).

    Without --time the event lasts all day. A public holiday in the district's federal
    state, or another event at the same place and time, is reported as a warning; the
    event is added all the same.

    \b
    Examples:
      stm event add "750 Jahre Dorf Schmarl" --date 18.06.2022 --district schmarl --kind fest
      stm event add "Stadtteilfest Am Stern" --date 13.6.2026 --time "14 Uhr" --end 20:00 \\
          --district am-stern --location "Stern-Center" --organiser "Bürgerhaus Stern*Zeichen"
      stm event add "Mieterberatung" --date 8.12.2026 --time 16:00 --end 18:00 \\
          --repeat "jeden 2. Dienstag" --kind sprechstunde --location "Haus 12"
      id=$(stm event add "Frühjahrsputz" --date 21.3.2027 --json | jq .id)
    """
    from stm.recurrence import describe_rule
    from stm.services import events as svc

    fields = svc.EventFields(
        title=require(title, "title", "Title"),
        date=require(date, "--date", "Date (e.g. 18.06.2022)"),
        time=time,
        end=end,
        all_day=True if all_day else None,
        districts=district,
        location=location,
        organisers=organiser,
        project=project,
        kind=kind,
        expected=expected,
        repeat=repeat,
        description=description,
        status=status,
    )
    with state(ctx).session() as session:
        event, warnings = svc.add_event(session, fields, default_state=_default_state(ctx))
        record: dict[str, Any] = dict(svc.event_record(session, event))
    _warn(warnings)
    message = f"Added event #{event.id} {event.title}: {_when(record)}"
    if event.rrule:
        message += f"\nRepeats {describe_rule(event.rrule, event.start)}"
    emit_created(record, as_json, message)


@app.command("list")
def list_(
    ctx: typer.Context,
    from_: FromOpt = None,
    to: ToOpt = None,
    district: DistrictOpt = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="Event kind.")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", help="Project.")] = None,
    organiser: Annotated[
        list[str] | None, typer.Option("--organiser", "--organizer", help="Organising actor.")
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="planned, held or cancelled.")
    ] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List events from --from to --to (default: today and the next eight weeks).

    Repeating events appear once per date inside the window (never beyond it), with
    the date of the series in `occurrence`; a series lists at most 1000 dates, with a
    warning when it has more. Meetings are events too and are listed.

    \b
    Examples:
      stm event list
      stm event list --from 1.6.2022 --to 30.6.2022 --district schmarl
      stm event list --kind sprechstunde --json
      stm event list --from 2026-01-01 --to 2026-12-31 --format csv -o events-2026.csv
    """
    from stm.parsing import parse_date
    from stm.services import events as svc

    criteria = svc.EventFilter(
        start=parse_date(from_, "--from") if from_ else None,
        end=parse_date(to, "--to") if to else None,
        districts=district or (),
        kinds=kind or (),
        projects=project or (),
        organisers=organiser or (),
        statuses=status or (),
    )
    cuts: list[svc.Cut] = []
    with state(ctx).connect() as connection:
        found = svc.list_occurrences(connection, criteria, cuts)
        records: list[dict[str, Any]] = [dict(r) for r in svc.occurrence_records(connection, found)]
    for cut in cuts:
        typer.echo(f"Warning: {cut.message()}", err=True)
    chosen = pick_list_format(format, as_json)
    if chosen is ListFormat.table:
        for record, occurrence in zip(records, found, strict=True):
            record["when"] = svc.when_text(occurrence.start, occurrence.end, record["all_day"])
    emit_list(records, LIST_COLUMNS, chosen, output=output, empty="No events in this window.")


@app.command("show")
def show(ctx: typer.Context, event: EventArg, as_json: JsonOpt = False) -> None:
    """Show an event: when, where, who, its rule in words, next and changed dates.

    \b
    Examples:
      stm event show 12
      stm event show "750 Jahre Dorf Schmarl"
      stm event show Mieterberatung --json
    """
    from stm.services import events as svc

    with state(ctx).session() as session:
        record: dict[str, Any] = dict(svc.event_detail(session, svc.find_event(session, event)))
    if not as_json:
        record["when"] = _when(record)
    sections = []
    if record["next"]:
        sections.append(("Next dates", record["next"], DATE_COLUMNS))
    if record["changes"]:
        sections.append(("Changed or cancelled dates", record["changes"], DATE_COLUMNS))
    emit_record(record, as_json, SHOW_FIELDS, title=record["title"], sections=sections)


@app.command("edit")
def edit(
    ctx: typer.Context,
    event: EventArg,
    on: OnOpt = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    date: DateOpt = None,
    time: TimeOpt = None,
    end: EndOpt = None,
    all_day: Annotated[
        bool | None, typer.Option("--all-day/--timed", help="All day, or with a time.")
    ] = None,
    district: Annotated[
        list[str] | None, typer.Option("--district", "-d", help="Replace the districts.")
    ] = None,
    location: LocationOpt = None,
    organiser: Annotated[
        list[str] | None,
        typer.Option("--organiser", "--organizer", help="Replace the organisers (repeatable)."),
    ] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="The project; '' takes it away.")
    ] = None,
    kind: KindOpt = None,
    expected: ExpectedOpt = None,
    repeat: Annotated[
        str | None, typer.Option("--repeat", help="A new rule; 'none' makes it one-off.")
    ] = None,
    description: DescriptionOpt = None,
    status: StatusOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an event, or with --on one date of a repeating event; the rest stays.

    Moving an event keeps its length. For one date (--on) the title, date, time, end,
    location and status can change.

    \b
    Examples:
      stm event edit 12 --time 15:00 --end 19:00
      stm event edit "Stadtteilfest Am Stern" --location "Sternplatz" --expected 800
      stm event edit Mieterberatung --on 8.12.2026 --date 10.12.2026 --location "Börse"
      stm event edit Mieterberatung --repeat "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231"
    """
    from stm.parsing import parse_date
    from stm.services import events as svc

    fields = svc.EventFields(
        title=title,
        date=date,
        time=time,
        end=end,
        all_day=all_day,
        districts=district,
        location=location,
        organisers=organiser,
        project=project,
        kind=kind,
        expected=expected,
        repeat=repeat,
        description=description,
        status=status,
    )
    day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        changed, warnings = svc.edit_event(
            session, event, fields, on=day, default_state=_default_state(ctx)
        )
        record: dict[str, Any] = dict(svc.event_record(session, changed))
    _warn(warnings)
    where = f" on {day:%a %d.%m.%Y}" if day else ""
    emit_created(record, as_json, f"Updated event #{changed.id} {changed.title}{where}")


@app.command("cancel")
def cancel(ctx: typer.Context, event: EventArg, on: OnOpt = None) -> None:
    """Cancel an event, or with --on one date of a repeating one. Kept, not deleted.

    \b
    Examples:
      stm event cancel "Stadtteilflohmarkt Schmarl"
      stm event cancel Mieterberatung --on 8.12.2026
    """
    from stm.parsing import parse_date
    from stm.services import events as svc

    day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        cancelled, date = svc.cancel_event(session, event, on=day)
    what = f"on {date:%a %d.%m.%Y}" if date else "(every date)" if cancelled.rrule else ""
    typer.echo(f"Cancelled event #{cancelled.id} {cancelled.title} {what}".rstrip())


@app.command("delete")
def delete(ctx: typer.Context, event: EventArg, yes: YesOpt = False) -> None:
    """Delete a wrongly entered event, with all its dates (asks on a terminal; --yes in
    scripts). A meeting's event goes with its meeting and TOPs; a meeting with minutes is
    kept (exit 1): cancel it instead.

    \b
    Examples:
      stm event delete "Stadtteilfest Schmarl (doppelt)"
      stm event delete 42 --yes
    """
    from stm.services import events as svc

    with state(ctx).session() as session:
        found = svc.find_event(session, event)
        every = " and all its dates" if found.rrule else ""
        confirm(f"Delete event #{found.id} {found.title}{every}?", yes)
        deleted = svc.delete_event(session, found)
    typer.echo(f"Deleted {deleted}")


@app.command("attendance")
def attendance(
    ctx: typer.Context,
    event: EventArg,
    count: Annotated[int, typer.Argument(help="How many took part.")],
    on: OnOpt = None,
) -> None:
    """Record how many took part (for reports); the event counts as held.

    \b
    Examples:
      stm event attendance "750 Jahre Dorf Schmarl" 1200
      stm event attendance Mieterberatung 9 --on 10.11.2026
    """
    from stm.parsing import parse_date
    from stm.services import events as svc

    day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        changed, date = svc.record_attendance(session, event, count, on=day)
    where = f" on {date:%a %d.%m.%Y}" if date else ""
    typer.echo(f"Recorded {count} participants for event #{changed.id} {changed.title}{where}")
