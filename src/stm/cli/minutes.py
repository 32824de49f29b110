"""`stm minutes`: keep a meeting's minutes (Protokoll) during and after it, then approve."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from stm.cli._common import LangOpt, OutputOpt, YesOpt, ask_on_terminal, make_app, state
from stm.cli.agenda import TopArg
from stm.cli.mail import DirOpt, DryRunOpt
from stm.cli.meetings import MeetingArg, NetworkScope
from stm.cli.output import document_format, emit_document

app = make_app(
    "Keep a meeting's minutes (Protokoll): attendance, notes per TOP, decisions with votes, "
    "tasks; render them, and approve them (which locks the meeting)."
)

TextArg = Annotated[str, typer.Argument(help="The text, in quotes.")]


class MinutesFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command("attend")
def attend(
    ctx: typer.Context,
    meeting: MeetingArg,
    actors: Annotated[
        list[str] | None, typer.Argument(help="Actors (ids or names) who attended.")
    ] = None,
    network: NetworkScope = None,
    guest: Annotated[
        list[str] | None, typer.Option("--guest", "-g", help="A guest by name (repeatable).")
    ] = None,
    members: Annotated[
        bool, typer.Option("--members", help="Every current member of the network not yet listed.")
    ] = False,
    excused: Annotated[bool, typer.Option("--excused", help="Excused (entschuldigt).")] = False,
    absent: Annotated[bool, typer.Option("--absent", help="Absent (abwesend).")] = False,
) -> None:
    """Record who was there (present by default), excused or absent.

    Recording an actor again changes their status. An organisation is present when one of
    its people is (`--members --absent` leaves it out); guests are always present.

    \b
    Examples:
      stm minutes attend last "Anna Müller" "Kita Ostseekinder" "Haus 12"
      stm minutes attend last --guest "Frau Beispiel (Anwohnerin)"
      stm minutes attend 3 "Peter Brandt" --excused
      stm minutes attend 3 --members --absent      # everyone else not recorded
    """
    from stm.errors import Invalid
    from stm.services import meetings
    from stm.services.meetings import minutes as svc

    if excused and absent:
        raise Invalid("--excused", "give either --excused or --absent, not both")
    status = "excused" if excused else "absent" if absent else "present"
    with state(ctx).session() as session:
        found = meetings.resolve(session, meeting, network)
        recorded = svc.attend(
            session, found, actors or [], guests=guest or [], status=status, members=members
        )
    counts = {s: sum(1 for r in recorded if r.status == s) for s in (status, "present")}
    said = " and ".join(f"{n} as {s}" for s, n in counts.items() if n or s == status)
    typer.echo(f"Recorded {said} at meeting #{found.id}")


@app.command("note")
def note(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    text: TextArg,
    network: NetworkScope = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the TOP's notes instead of adding.")
    ] = False,
) -> None:
    """Add a paragraph to the notes of a TOP.

    \b
    Examples:
      stm minutes note last 3 "Die Kita berichtet vom Laternenumzug mit 80 Kindern."
      stm minutes note 3 5 "Korrigierter Text" --replace
    """
    from stm.services import meetings
    from stm.services.meetings import minutes as svc

    with state(ctx).session() as session:
        found = meetings.resolve(session, meeting, network)
        item = svc.note(session, found, top, text, replace=replace)
    typer.echo(f"Noted on TOP {item.position} {item.title} of meeting #{found.id}")


@app.command("decide")
def decide(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    text: TextArg,
    network: NetworkScope = None,
    yes: Annotated[int | None, typer.Option("--yes", help="Votes in favour.")] = None,
    no: Annotated[int | None, typer.Option("--no", help="Votes against.")] = None,
    abstain: Annotated[int | None, typer.Option("--abstain", help="Abstentions.")] = None,
    quorate: Annotated[
        bool | None,
        typer.Option(
            "--quorate/--not-quorate",
            help="Quorum (default: computed from attendance and members' voting rights).",
        ),
    ] = None,
) -> None:
    """Record a decision with its votes; adopted when the yes votes outnumber the no votes.

    \b
    Examples:
      stm minutes decide last 5 "Der Stadtteilflohmarkt findet am 24.4.2027 statt." \\
          --yes 9 --no 0 --abstain 1
      stm minutes decide 3 2 "Das Protokoll der 11. Sitzung wird bestätigt." --yes 8
    """
    from stm.services import meetings
    from stm.services.meetings import minutes as svc

    votes = svc.Votes(yes=yes, no=no, abstain=abstain, quorate=quorate)
    with state(ctx).session() as session:
        found = meetings.resolve(session, meeting, network)
        decision = svc.decide(session, found, top, text, votes)
    quorum = {True: "", False: " (not quorate)", None: ""}[decision.quorate]
    typer.echo(
        f"Decision #{decision.id} on TOP {top}: {decision.result} "
        f"({decision.votes_yes} yes, {decision.votes_no} no, "
        f"{decision.votes_abstain} abstaining){quorum}"
    )


@app.command("task")
def task(
    ctx: typer.Context,
    meeting: MeetingArg,
    top: TopArg,
    text: TextArg,
    network: NetworkScope = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Actor who takes it on (id or name).")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date, e.g. 15.1.2027.")] = None,
) -> None:
    """Record a task agreed under a TOP; while open it comes back on the next agenda.

    \b
    Examples:
      stm minutes task last 5 "Plakate für den Flohmarkt entwerfen" --owner "Mehmet Yılmaz" \\
          --due 15.3.2027
      stm minutes task 3 4 "Standorte für Bänke prüfen" --owner "WIRO Wohnen in Rostock"
    """
    from stm.parsing import parse_date
    from stm.services import meetings
    from stm.services.meetings import minutes as svc
    from stm.services.meetings.tasks import TaskFields

    data = TaskFields(title=text, owner=owner, due=parse_date(due, "--due") if due else None)
    with state(ctx).session() as session:
        found = meetings.resolve(session, meeting, network)
        added = svc.add_minutes_task(session, found, top, data)
    typer.echo(f"Added task #{added.id} on TOP {top} of meeting #{found.id}")


@app.command("render")
def render(
    ctx: typer.Context,
    meeting: MeetingArg = "last",
    network: NetworkScope = None,
    format: Annotated[
        MinutesFormat | None,
        typer.Option("--format", "-f", help="md, html or pdf (default: from -o, else md)."),
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Render the minutes (Protokoll): attendance, per TOP notes, decisions, tasks.

    The suffix of -o picks the format (-o protokoll.pdf writes a PDF). Without -o, the
    document goes to stdout (PDF only when piped).

    \b
    Examples:
      stm minutes render
      stm minutes render last --network stadtteiltisch-schmarl --format pdf -o protokoll.pdf
      stm minutes render 3 --format html -o protokoll.html --lang en
    """
    from stm.render import render_document
    from stm.services import meetings

    format = document_format(format, output, MinutesFormat, MinutesFormat.md)
    app_state = state(ctx)
    with app_state.session() as session:
        document = meetings.minutes_document(session, meetings.resolve(session, meeting, network))
    options = app_state.render_options(lang)
    content = render_document("minutes", document, format.value, options)
    emit_document(content, output, "protokoll.pdf")


@app.command("approve")
def approve(
    ctx: typer.Context, meeting: MeetingArg, network: NetworkScope = None, yes: YesOpt = False
) -> None:
    """Approve the minutes (usually at the next meeting): they are locked from then on.

    On a terminal it asks first (--yes does not ask); scripts approve without asking.

    \b
    Examples:
      stm minutes approve last --network stadtteiltisch-schmarl
      stm minutes approve 3 --yes
    """
    from stm.services import meetings
    from stm.services.meetings import minutes as svc

    with state(ctx).session() as session:
        found = meetings.resolve(session, meeting, network)
        label = meetings.title_of(meetings.network_of(session, found), found.number)
        ask_on_terminal(
            f"Approve the minutes of meeting #{found.id} {label}? They are locked.", yes
        )
        svc.approve(session, found)
    typer.echo(f"Approved the minutes of meeting #{found.id} {label}; they are locked now")


@app.command("send")
def send(
    ctx: typer.Context,
    meeting: MeetingArg = "last",
    network: NetworkScope = None,
    draft: Annotated[
        bool,
        typer.Option("--draft", help="Before approval: the draft, marked 'Entwurf'."),
    ] = False,
    dry_run: DryRunOpt = False,
    output: DirOpt = None,
    yes: YesOpt = False,
    lang: LangOpt = None,
) -> None:
    """Mail the minutes (PDF) to the network's members and the meeting's attendees.

    After approval ('stm minutes approve'); with --draft before it, marked "Entwurf" in
    the subject, the letter and the document. One recipient per message; a rerun sends
    only to those who have not got it. On a terminal it shows the recipients and asks.

    \b
    Examples:
      stm minutes send last --network stadtteiltisch-schmarl
      stm minutes send last -n stadtteiltisch-schmarl --draft
      stm minutes send 3 --dry-run -o ./protokoll-mails
    """
    from stm.cli.mail import check_dry_run, send_plan_from_cli
    from stm.services import meetings
    from stm.services.mail.minutes import plan_minutes
    from stm.services.mail.settings import mail_settings

    check_dry_run(dry_run, output)
    app_state = state(ctx)
    settings = mail_settings(app_state.config(), sending=not dry_run)
    options = app_state.render_options(lang)
    with app_state.session() as session:
        found = meetings.resolve(session, meeting, network)
        plan = plan_minutes(session, found, options, draft=draft)
    send_plan_from_cli(app_state, plan, settings, yes=yes, dry_run=dry_run, folder=output)
