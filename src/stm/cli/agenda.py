"""`stm agenda`: a meeting's TOPs, and the invitation with its Tagesordnung."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from stm.cli._common import LangOpt, OutputOpt, YesOpt, make_app, state
from stm.cli.mail import DirOpt, DryRunOpt
from stm.cli.meetings import MeetingArg, NetworkScope
from stm.cli.output import document_format, emit_document

app = make_app(
    "A meeting's agenda (TOPs): add, edit, move, remove, and render the invitation with "
    "the Tagesordnung as Markdown, HTML, PDF or an iCalendar invitation; mail it (send)."
)

TopArg = Annotated[int, typer.Argument(help="TOP number, as on the agenda (1, 2, …).")]
PresenterOpt = Annotated[str | None, typer.Option("--presenter", help="Actor who presents it.")]
MinutesOpt = Annotated[
    int | None, typer.Option("--minutes", "-m", help="Planned duration in minutes.")
]
KindOpt = Annotated[str | None, typer.Option("--kind", "-k", help="info, discussion or decision.")]


class AgendaFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    ics = "ics"


@app.command("add")
def add(
    ctx: typer.Context,
    meeting: MeetingArg,
    title: Annotated[str, typer.Argument(help="What the TOP is about.")],
    network: NetworkScope = None,
    presenter: PresenterOpt = None,
    minutes: MinutesOpt = None,
    kind: KindOpt = None,
    position: Annotated[
        int | None,
        typer.Option("--position", "-p", help="Insert as TOP N (default: before Verschiedenes)."),
    ] = None,
    non_public: Annotated[
        bool,
        typer.Option(
            "--non-public",
            help="A non-public TOP (nicht öffentlich): marked in the minutes, left out of "
            "the OParl export.",
        ),
    ] = False,
) -> None:
    """Add a TOP to a meeting's agenda.

    Without --position the TOP goes before the closing TOPs (Verschiedenes, Termine).
    Without --minutes it gets 15 minutes. A --non-public TOP is marked "nicht öffentlich"
    in the minutes and left out of 'stm oparl export'.

    \b
    Examples:
      stm agenda add next "Stadtteilflohmarkt 2027" --presenter "Heimatverein Dorf Schmarl e.V." \\
          --minutes 20 --kind decision
      stm agenda add next "Neues Bildungsangebot" -n stadtteiltisch-schmarl --position 3
      stm agenda add 4 "Bericht der WIRO" --minutes 10
      stm agenda add next "Personalangelegenheiten" --non-public
    """
    from stm.services import meetings as svc

    data = svc.AgendaFields(
        title=title,
        presenter=presenter,
        minutes=minutes,
        kind=kind,
        position=position,
        public=not non_public,
    )
    with state(ctx).session() as session:
        found = svc.resolve(session, meeting, network)
        item = svc.add_item(session, found, data)
        label = svc.title_of(svc.network_of(session, found), found.number)
    marked = " (non-public)" if not item.public else ""
    typer.echo(f"Added TOP {item.position} {item.title}{marked} to meeting #{found.id} {label}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    network: NetworkScope = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    presenter: PresenterOpt = None,
    minutes: MinutesOpt = None,
    kind: KindOpt = None,
    public: Annotated[
        bool | None,
        typer.Option(
            "--public/--non-public",
            help="Make the TOP public again, or non-public (nicht öffentlich): marked in the "
            "minutes, left out of the OParl export.",
        ),
    ] = None,
) -> None:
    """Change a TOP's title, presenter, duration, kind or whether it is public.
    --presenter "" clears the presenter.

    \b
    Examples:
      stm agenda edit next 3 --minutes 45
      stm agenda edit 4 2 --presenter "Anna Müller" --kind discussion
      stm agenda edit next 4 --non-public
    """
    from stm.services import meetings as svc

    data = svc.AgendaFields(
        title=title, presenter=presenter, minutes=minutes, kind=kind, public=public
    )
    with state(ctx).session() as session:
        found = svc.resolve(session, meeting, network)
        item = svc.edit_item(session, found, top, data)
    marked = " (non-public)" if not item.public else ""
    typer.echo(f"Updated TOP {item.position} {item.title}{marked} of meeting #{found.id}")


@app.command("move")
def move(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    to: Annotated[int, typer.Option("--to", help="The TOP's new number.")],
    network: NetworkScope = None,
) -> None:
    """Move a TOP to another place on the agenda; the others are renumbered.

    \b
    Examples:
      stm agenda move next 5 --to 3
      stm agenda move 4 2 --to 6
    """
    from stm.services import meetings as svc

    with state(ctx).session() as session:
        found = svc.resolve(session, meeting, network)
        item = svc.move_item(session, found, top, to)
    typer.echo(f"Moved {item.title} to TOP {item.position} of meeting #{found.id}")


@app.command("remove")
def remove(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    network: NetworkScope = None,
) -> None:
    """Remove a TOP; the others are renumbered. A TOP that holds minutes is kept.

    \b
    Examples:
      stm agenda remove next 4
      stm agenda remove 4 2
    """
    from stm.services import meetings as svc

    with state(ctx).session() as session:
        found = svc.resolve(session, meeting, network)
        item = svc.remove_item(session, found, top)
    typer.echo(f"Removed TOP {top} {item.title} from meeting #{found.id}")


@app.command("render")
def render(
    ctx: typer.Context,
    meeting: MeetingArg = "next",
    network: NetworkScope = None,
    format: Annotated[
        AgendaFormat | None,
        typer.Option("--format", "-f", help="md, html, pdf or ics (default: from -o, else md)."),
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Render the invitation with the Tagesordnung (agenda).

    It shows the letterhead (config), the meeting, date and time, place, the TOPs with
    their planned start times and presenters, the open tasks of the network's earlier
    meetings and the district's events of the next six weeks. 'ics' is a calendar
    invitation. The suffix of -o picks the format (-o einladung.pdf writes a PDF). Without -o,
    the document goes to stdout (PDF only when piped).

    \b
    Examples:
      stm agenda render
      stm agenda render next --network stadtteiltisch-schmarl --format pdf -o einladung.pdf
      stm agenda render 4 --format html -o tagesordnung.html
      stm agenda render next --format ics -o stadtteiltisch.ics
      stm agenda render next --lang en
    """
    from stm.render import render_document
    from stm.services import meetings as svc

    format = document_format(format, output, AgendaFormat, AgendaFormat.md)
    app_state = state(ctx)
    with app_state.session() as session:
        document = svc.agenda_document(session, svc.resolve(session, meeting, network))
    options = app_state.render_options(lang)
    content: str | bytes
    if format is AgendaFormat.ics:
        from stm import clock
        from stm.formats.ics import write_invitation

        content = write_invitation(
            document,
            clock.timezone(),
            stamp=clock.now(),
            organiser_email=options.letterhead.get("email") or None,
            lang=options.lang,
        ).decode("utf-8")
    else:
        content = render_document("agenda", document, format.value, options)
    emit_document(content, output, "tagesordnung.pdf")


@app.command("send")
def send(
    ctx: typer.Context,
    meeting: MeetingArg = "next",
    network: NetworkScope = None,
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Only to this actor (repeatable); default: all members."),
    ] = None,
    guests: Annotated[
        bool, typer.Option("--guests", help="Also to the network's guest members.")
    ] = False,
    dry_run: DryRunOpt = False,
    output: DirOpt = None,
    yes: YesOpt = False,
    lang: LangOpt = None,
) -> None:
    """Mail the invitation: one message per member, with the agenda PDF and a calendar
    invitation (Accept/Decline in Outlook, Thunderbird, Apple Mail).

    Each member gets the letter as text and HTML, the Tagesordnung as PDF and an iTIP
    invitation (method REQUEST) with the meeting's UID and SEQUENCE; one recipient per
    message. A person without an address gets it at their organisation's. After the
    meeting's time or place changed, the next run sends an update (SEQUENCE raised) to
    everyone invited before; a rerun sends only what is missing (see 'stm mail log').
    On a terminal it shows the recipients and asks.

    \b
    Examples:
      stm agenda send next --network stadtteiltisch-schmarl
      stm agenda send 4 --to "Heimatverein Dorf Schmarl e.V." --yes
      stm agenda send next -n stadtteiltisch-schmarl --guests
      stm agenda send next --dry-run -o ./einladungen
    """
    from stm.cli.mail import check_dry_run, send_plan_from_cli
    from stm.services import meetings as svc
    from stm.services.mail import invitations
    from stm.services.mail.settings import mail_settings

    check_dry_run(dry_run, output)
    app_state = state(ctx)
    settings = mail_settings(app_state.config(), sending=not dry_run)
    options = app_state.render_options(lang)
    audience = invitations.Audience(to=to or [], guests=guests)
    with app_state.session() as session:
        found = svc.resolve(session, meeting, network)
        plan = invitations.plan_invitation(session, found, audience, settings, options)
        meeting_id = found.id

    def mark_invited() -> None:
        from stm.models import Meeting

        with app_state.session() as session:
            sent_for = session.get(Meeting, meeting_id)
            assert sent_for is not None
            invitations.mark_invited(session, sent_for)

    send_plan_from_cli(app_state, plan, settings, yes=yes, dry_run=dry_run, folder=output,
                       on_sent=mark_invited)  # fmt: skip
