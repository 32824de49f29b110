"""`stm tasks`: tasks from meetings' minutes, and free ones; follow them up."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stm.cli._common import FormatOpt, JsonOpt, LangOpt, OutputOpt, YesOpt, make_app, state
from stm.cli.mail import DirOpt, DryRunOpt
from stm.cli.output import emit_created, emit_list, pick_list_format

app = make_app(
    "Tasks: agreed in meetings (stm minutes task) or free (stm tasks add); list and close them."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("title", "Task"),
    ("owner", "Owner"),
    ("due", "Due"),
    ("status", "Status"),
    ("meeting_title", "Meeting"),
    ("top", "TOP"),
]
TaskArg = Annotated[str, typer.Argument(help="Task id (see 'stm tasks list').")]


@app.command("list")
def list_(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help="Only open tasks.")] = False,
    done: Annotated[bool, typer.Option("--done", help="Only done tasks.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open tasks past their due date.")
    ] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="Tasks of this actor.")] = None,
    network: Annotated[
        str | None, typer.Option("--network", "-n", help="Tasks from this network's meetings.")
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", help="Tasks from this meeting (id, next, last).")
    ] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List tasks by due date, with owner, status and the meeting they come from.

    \b
    Examples:
      stm tasks list --open
      stm tasks list --overdue
      stm tasks list --owner "Mehmet Yılmaz" --network stadtteiltisch-schmarl
      stm tasks list --meeting last --json
    """
    from stm.errors import Invalid
    from stm.services.meetings import task_list as svc

    if open_ and done:
        raise Invalid("--open", "give either --open or --done, not both")
    criteria = svc.TaskFilter(
        open_only=open_,
        done_only=done,
        overdue=overdue,
        owner=owner,
        network=network,
        meeting=meeting,
    )
    with state(ctx).connect() as connection:
        records = svc.task_records(connection, svc.list_tasks(connection, criteria))
    rows: list[dict[str, Any]] = [dict(r) for r in records]
    emit_list(rows, LIST_COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What is to be done.")],
    owner: Annotated[
        str | None, typer.Option("--owner", help="Actor who takes it on (id or name).")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date, e.g. 15.1.2027.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a task that comes from no meeting.

    Tasks agreed in a meeting are recorded with 'stm minutes task'.

    \b
    Examples:
      stm tasks add "Fotos für die WIR2 sammeln" --owner "Heike Sommerfeld" --due 1.12.2026
      id=$(stm tasks add "Raum für Januar buchen" --json | jq .id)
    """
    from stm.parsing import parse_date
    from stm.services.meetings import tasks as svc

    data = svc.TaskFields(title=title, owner=owner, due=parse_date(due, "--due") if due else None)
    with state(ctx).session() as session:
        added = svc.add_task(session, data)
        record: dict[str, Any] = dict(svc.task_records(session.connection(), [added])[0])
    emit_created(record, as_json, f"Added task #{added.id} {added.title}")


@app.command("done")
def done(
    ctx: typer.Context,
    task: TaskArg,
    on: Annotated[str | None, typer.Option("--on", help="Done on (default: today).")] = None,
) -> None:
    """Mark a task as done.

    \b
    Examples:
      stm tasks done 12
      stm tasks done 12 --on 18.11.2026
    """
    from stm.parsing import parse_date
    from stm.services.meetings import tasks as svc

    day = parse_date(on, "--on") if on else None
    with state(ctx).session() as session:
        closed = svc.mark_done(session, task, day)
    typer.echo(f"Task #{closed.id} done ({closed.done_on}): {closed.title}")


@app.command("reopen")
def reopen(ctx: typer.Context, task: TaskArg) -> None:
    """Open a task again that was marked done by mistake.

    \b
    Examples:
      stm tasks reopen 12
    """
    from stm.services.meetings import tasks as svc

    with state(ctx).session() as session:
        opened = svc.reopen(session, task)
    typer.echo(f"Task #{opened.id} is open again: {opened.title}")


@app.command("remind")
def remind(
    ctx: typer.Context,
    within: Annotated[
        int, typer.Option("--within", help="Tasks due within this many days (and overdue ones).")
    ] = 7,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue tasks.")] = False,
    dry_run: DryRunOpt = False,
    output: DirOpt = None,
    yes: YesOpt = False,
    lang: LangOpt = None,
) -> None:
    """Mail each task owner one reminder listing their open tasks, meetings and due dates.

    Built for cron, like the monthly report: it asks only on a terminal, prints only what
    went wrong when run from a script, and each owner gets at most one reminder a day (a
    rerun sends only what is missing).

    \b
    Examples:
      stm tasks remind
      stm tasks remind --within 14
      stm tasks remind --overdue --yes
      # crontab: Mondays at 7:00
      0 7 * * 1  stm tasks remind --within 7
    """
    from stm.cli.mail import check_dry_run, send_plan_from_cli
    from stm.services.mail.reminders import plan_reminders
    from stm.services.mail.settings import mail_settings

    check_dry_run(dry_run, output)
    app_state = state(ctx)
    settings = mail_settings(app_state.config(), sending=not dry_run)
    options = app_state.render_options(lang)
    with app_state.session() as session:
        plan = plan_reminders(session, options, within=within, overdue_only=overdue)
    from stm.cli._common import is_terminal

    send_plan_from_cli(app_state, plan, settings, yes=yes, dry_run=dry_run, folder=output,
                       quiet=not is_terminal())  # fmt: skip
