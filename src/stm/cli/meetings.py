"""`stm meeting`: meetings of a network, numbered per network, pre-filled with standard TOPs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stm.cli._common import (
    DistrictOpt,
    FormatOpt,
    JsonOpt,
    LangOpt,
    OutputOpt,
    YesOpt,
    make_app,
    state,
)
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format

app = make_app(
    "Meetings of networks (Stadtteiltisch, Lenkungsgruppe, Ortsbeirat, Arbeitskreise): "
    "plan, list, show, reschedule and cancel. Agendas: 'stm agenda'; minutes: 'stm minutes'."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("title", "Meeting"),
    ("start", "Start"),
    ("location", "Location"),
    ("state", "State"),
    ("open_tasks", "Open tasks"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("network", "Network"),
    ("number", "Number"),
    ("start", "Start"),
    ("end", "Planned end"),
    ("location", "Location"),
    ("chair", "Chair"),
    ("minutes_by", "Minutes by"),
    ("state", "State"),
    ("approved_at", "Minutes approved"),
]
AGENDA_COLUMNS = [
    ("position", "TOP"),
    ("start", "Time"),
    ("title", "Title"),
    ("presenter", "Presenter"),
    ("minutes", "Min."),
    ("kind", "Kind"),
]
TASK_COLUMNS = [
    ("id", "ID"),
    ("top", "TOP"),
    ("title", "Task"),
    ("owner", "Owner"),
    ("due", "Due"),
    ("status", "Status"),
]

MeetingArg = Annotated[
    str,
    typer.Argument(help="Meeting id, 'next' (running or upcoming) or 'last' (the latest begun)."),
]
NetworkScope = Annotated[
    str | None,
    typer.Option("--network", "-n", help="With next/last: the meeting of this network."),
]
DateOpt = Annotated[str | None, typer.Option("--date", help="Day, e.g. 8.12.2026 or 2026-12-08.")]
TimeOpt = Annotated[str | None, typer.Option("--time", help="Start time, e.g. 18:00 or '18 Uhr'.")]
LocationOpt = Annotated[str | None, typer.Option("--location", help="Where it takes place.")]
ChairOpt = Annotated[
    str | None, typer.Option("--chair", help="Actor who chairs it (Sitzungsleitung).")
]
MinutesByOpt = Annotated[
    str | None, typer.Option("--minutes-by", help="Actor who keeps the minutes (Protokoll).")
]
NumberOpt = Annotated[
    int | None,
    typer.Option("--number", help="Meeting number in the network's series (default: next one)."),
]


@app.command("new")
def new(
    ctx: typer.Context,
    network: Annotated[str, typer.Argument(help="Network slug, name or id.")],
    date: DateOpt = None,
    time: TimeOpt = None,
    location: LocationOpt = None,
    chair: ChairOpt = None,
    minutes_by: MinutesByOpt = None,
    number: NumberOpt = None,
    empty: Annotated[
        bool, typer.Option("--empty", help="Start with an empty agenda, not the standard TOPs.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Plan a meeting of a network: numbered, with the standard TOPs of its kind.

    The meeting is also an event in the network's district (it shows in 'stm event
    list' and the calendar). Time and location default to the network's previous
    meeting, the chair to the network's chair.

    \b
    Examples:
      stm meeting new stadtteiltisch-schmarl --date 8.12.2026 --time 18:00 \\
          --location "Begegnungszentrum Haus 12" --minutes-by "Heike Sommerfeld"
      stm meeting new stadtteiltisch-schmarl --date 2027-01-12 --number 13
      id=$(stm meeting new lenkungsgruppe-sozialraum --date 15.1.2027 --time 10:00 --json | jq .id)
    """
    from stm.cli._common import require
    from stm.parsing import parse_date, parse_time
    from stm.services import meetings as svc

    data = svc.MeetingFields(
        network=network,
        day=parse_date(require(date, "--date", "Date"), "--date"),
        start_time=parse_time(time, "--time") if time else None,
        location=location,
        chair=chair,
        minutes_by=minutes_by,
        number=number,
        standard_agenda=not empty,
    )
    with state(ctx).session() as session:
        meeting = svc.new_meeting(session, data)
        record: dict[str, Any] = dict(svc.meeting_detail(session, meeting))
    emit_created(
        record,
        as_json,
        f"Added meeting #{record['id']} {record['title']} on "
        f"{record['start']:%Y-%m-%d %H:%M} with {len(record['agenda'])} TOPs",
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    network: Annotated[
        list[str] | None, typer.Option("--network", "-n", help="Network (repeatable).")
    ] = None,
    district: DistrictOpt = None,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only meetings not yet over.")
    ] = False,
    past: Annotated[bool, typer.Option("--past", help="Only meetings that have begun.")] = False,
    state_: Annotated[
        list[str] | None,
        typer.Option("--state", help="scheduled, invited, held or approved (repeatable)."),
    ] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List meetings by date, with their state and number of open tasks.

    \b
    Examples:
      stm meeting list
      stm meeting list --network stadtteiltisch-schmarl --past
      stm meeting list --district gross-klein --upcoming --json
      stm meeting list --state held      # minutes still to approve
    """
    from stm.services import meetings as svc

    criteria = svc.MeetingFilter(
        networks=network or [],
        districts=district or [],
        upcoming=upcoming,
        past=past,
        states=state_ or [],
    )
    with state(ctx).session() as session:
        found = svc.list_meetings(session, criteria)
        records = [dict(r) for r in svc.meeting_records(session, found)]
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("show")
def show(
    ctx: typer.Context,
    meeting: MeetingArg = "next",
    network: NetworkScope = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a meeting with its agenda (planned times) and the tasks agreed in it.

    \b
    Examples:
      stm meeting show next
      stm meeting show next --network stadtteiltisch-gross-klein
      stm meeting show 3 --json
    """
    from stm.services import meetings as svc

    with state(ctx).session() as session:
        record: dict[str, Any] = dict(
            svc.meeting_detail(session, svc.resolve(session, meeting, network))
        )
    agenda = [{**item, "start": f"{item['start']:%H:%M}"} for item in record["agenda"]]
    emit_record(
        record,
        as_json,
        SHOW_FIELDS,
        title=record["title"],
        sections=[("Agenda", agenda, AGENDA_COLUMNS), ("Tasks", record["tasks"], TASK_COLUMNS)],
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    meeting: MeetingArg,
    network: NetworkScope = None,
    date: DateOpt = None,
    time: TimeOpt = None,
    location: LocationOpt = None,
    chair: ChairOpt = None,
    minutes_by: MinutesByOpt = None,
    number: NumberOpt = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="When it ended, e.g. 19:40 (shown in the minutes)."),
    ] = None,
    invited: Annotated[
        bool, typer.Option("--invited", help="Mark that the invitation has been sent.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Reschedule a meeting or change its place, chair or minute taker; record its end.

    An empty value ("") clears the chair or minute taker. --end records when the meeting
    ended, for the minutes (until then they show the planned end). Approved minutes lock
    the meeting.

    \b
    Examples:
      stm meeting edit next --date 15.12.2026
      stm meeting edit 3 --location "Stadtteil- und Begegnungszentrum Börse" --invited
      stm meeting edit next -n stadtteiltisch-schmarl --minutes-by "Heike Sommerfeld"
      stm meeting edit last -n stadtteiltisch-schmarl --end 19:40
    """
    from stm.parsing import parse_date, parse_time
    from stm.services import meetings as svc

    data = svc.MeetingFields(
        day=parse_date(date, "--date") if date else None,
        start_time=parse_time(time, "--time") if time else None,
        location=location,
        chair=chair,
        minutes_by=minutes_by,
        number=number,
        end_time=parse_time(end, "--end") if end else None,
    )
    with state(ctx).session() as session:
        found = svc.resolve(session, meeting, network)
        svc.edit_meeting(session, found, data, invited=invited)
        record: dict[str, Any] = dict(svc.meeting_detail(session, found))
    emit_created(
        record,
        as_json,
        f"Updated meeting #{record['id']} {record['title']} "
        f"({record['start']:%Y-%m-%d %H:%M}, {record['state']})",
    )


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    meeting: MeetingArg,
    network: NetworkScope = None,
    yes: YesOpt = False,
    lang: LangOpt = None,
) -> None:
    """Cancel a meeting; everyone invited by mail gets the cancellation in their calendar.

    The meeting and its event are kept, marked cancelled. When mail is configured and
    invitations were mailed ('stm agenda send'), each person invited gets a message with
    an iTIP cancel (method CANCEL, the same UID), which removes the entry from their
    calendar. Run it again to send what an interrupted run missed.

    \b
    Examples:
      stm meeting cancel next --network stadtteiltisch-schmarl
      stm meeting cancel 4 --yes
    """
    from stm.cli._common import ask_on_terminal
    from stm.cli.mail import send_plan_from_cli
    from stm.services import events
    from stm.services import meetings as svc
    from stm.services.mail import invitations, log
    from stm.services.mail.settings import mail_configured, mail_settings

    app_state = state(ctx)
    config = app_state.config()
    settings = mail_settings(config) if mail_configured(config) else None
    options = app_state.render_options(lang)
    with app_state.session() as session:
        found = svc.resolve(session, meeting, network)
        svc.refuse_if_approved(found)
        label = svc.title_of(svc.network_of(session, found), found.number)
        event = svc.event_of(session, found)
        already = event.status == "cancelled"
        if not already:
            ask_on_terminal(f"Cancel meeting #{found.id} {label}?", yes)
            events.cancel_event(session, str(event.id))
        invited = log.invited(session, found.id or 0)
        plan = (
            invitations.plan_cancel(session, found, settings, options)
            if settings is not None and invited.sequence is not None
            else None
        )
    if already:
        typer.echo(f"Meeting #{found.id} {label} was cancelled already")
    else:
        typer.echo(f"Cancelled meeting #{found.id} {label}")
    if invited.sequence is None:
        typer.echo("No invitations were mailed for it; nobody to tell by mail")
    elif plan is None:
        typer.echo(
            f"{len(invited.latest)} person(s) were invited by mail, but mail is not configured "
            "(mail.host): nobody was told; configure it and run this command again",
            err=True,
        )
    else:
        assert settings is not None
        send_plan_from_cli(app_state, plan, settings, yes=True)
