"""`stm mail`: the office's mail server (test it), the send log, and who is never mailed.

`send_plan_from_cli` is what every sending command shares (`stm agenda send`, `stm minutes
send`, `stm tasks remind`, `stm meeting cancel`): it names who is left out, shows the
recipients and asks on a terminal, writes `.eml` files for `--dry-run`, sends, and says
what was sent and what was not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stm.cli._common import FormatOpt, JsonOpt, OutputOpt, is_terminal, make_app, state
from stm.cli.output import emit_list, pick_list_format

if TYPE_CHECKING:
    from stm.cli._common import State
    from stm.services.mail.sending import Plan
    from stm.services.mail.settings import MailSettings

app = make_app(
    "Mail through the office's SMTP server (config mail.*): test it, list the send log, "
    "and record who withdrew consent to be mailed."
)

LOG_COLUMNS = [
    ("sent_at", "Sent"),
    ("kind", "Kind"),
    ("to", "To"),
    ("address", "Address"),
    ("meeting_title", "Meeting"),
    ("sequence", "Seq."),
    ("message_id", "Message-ID"),
]

DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Write the messages as .eml files to -o DIR; send nothing."),
]
DirOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="With --dry-run: the folder for the .eml files.",
                 file_okay=False),
]  # fmt: skip


@app.command("test")
def test(ctx: typer.Context, address: Annotated[str, typer.Argument(help="Send it here.")]) -> None:
    """Send one test message and report what the mail server said.

    The server comes from the config (mail.host, mail.port, mail.security, mail.user,
    mail.from); the password from $STM_SMTP_PASSWORD or the system keyring
    ('keyring set stm LOGIN').

    \b
    Examples:
      stm config set mail.host smtp.example.org
      stm config set mail.user buero@stadtteil.example
      STM_SMTP_PASSWORD=… stm mail test anna.mueller@example.org
    """
    from stm.parsing import parse_email
    from stm.render import RenderOptions
    from stm.services.mail import compose, log, sending
    from stm.services.mail.recipients import Recipient
    from stm.services.mail.settings import mail_settings

    to = parse_email(address, "ADDRESS")
    app_state = state(ctx)
    settings = mail_settings(app_state.config())
    options: RenderOptions = app_state.render_options()
    person = Recipient(0, to, to)
    letter = compose.letter(
        person, compose.subject("test", options), compose.bodies("test", {"name": to}, options)
    )
    message_id, reply = sending.send_one(settings, letter)
    with app_state.session() as session:
        log.record(session, kind="test", address=to, message_id=message_id)
    typer.echo(
        f"Sent a test message to {to} through {settings.host}:{settings.port} "
        f"({settings.security}); the server said: {reply}"
    )


@app.command("log")
def log_(
    ctx: typer.Context,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", help="Only messages about this meeting (id, next, last)."),
    ] = None,
    network: Annotated[
        str | None,
        typer.Option("--network", "-n", help="With --meeting next/last: of this network."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="invitation, update, cancel, minutes, draft, reminder, test."),
    ] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List the send log, newest first: what went to whom, when, Message-ID and SEQUENCE.

    \b
    Examples:
      stm mail log
      stm mail log --meeting next --network stadtteiltisch-schmarl
      stm mail log --kind reminder --json
    """
    from stm.parsing import unknown
    from stm.services import meetings
    from stm.services.mail import log as svc

    for given in kind or []:
        if given not in svc.KINDS:
            raise unknown("--kind", given, svc.KINDS, what="kind of message")
    kinds = list(kind or [])
    with state(ctx).session() as session:
        meeting_id = meetings.resolve(session, meeting, network).id if meeting else None
        records = svc.log_records(session, svc.LogFilter(meeting_id=meeting_id, kinds=kinds))
    emit_list(records, LOG_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="Nothing was sent yet.")  # fmt: skip


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="The actor (id or name).")],
    undo: Annotated[
        bool, typer.Option("--undo", help="They consented again: they may be mailed again.")
    ] = False,
) -> None:
    """Record that someone withdrew consent to be mailed: stm never mails them again.

    \b
    Examples:
      stm mail withdraw "Mehmet Yılmaz"
      stm mail withdraw 14 --undo
    """
    from stm.services.mail import withdrawals

    with state(ctx).session() as session:
        found = (withdrawals.allow if undo else withdrawals.withdraw)(session, actor)
    if undo:
        typer.echo(f"#{found.id} {found.name} may be mailed again")
    else:
        typer.echo(f"#{found.id} {found.name} is not mailed any more (withdrawn consent)")


# ----------------------------------------------------------------------------- shared


def check_dry_run(dry_run: bool, folder: Path | None) -> None:
    from stm.errors import Invalid

    if dry_run and folder is None:
        raise Invalid("--output", "--dry-run needs -o DIR, the folder for the .eml files")
    if folder is not None and not dry_run:
        raise Invalid("--output", "-o DIR is for --dry-run; without it the messages are sent")


def send_plan_from_cli(
    app_state: State,
    plan: Plan,
    settings: MailSettings,
    *,
    yes: bool,
    dry_run: bool = False,
    folder: Path | None = None,
    on_sent: Callable[[], None] | None = None,
    quiet: bool = False,
) -> int:
    """Name who is left out, ask, send (or write .eml files); the number sent.

    `on_sent` runs when at least one message went out (a meeting becomes `invited`);
    `quiet` leaves out the summary of a run that went well (cron mails only failures).
    Raises `typer.Exit(1)` when a message could not be sent, after naming each recipient.
    """
    from stm.services.mail.sending import send_plan, write_drafts

    for name in plan.without_address:
        typer.echo(f"Not mailed (no e-mail address, nor an organisation's): {name}", err=True)
    for name in plan.withdrawn:
        typer.echo(f"Not mailed (withdrew consent to be mailed): {name}", err=True)
    if not plan.outgoing:
        have = f"; {len(plan.already)} have it already" if plan.already else ""
        if not quiet:
            typer.echo(f"Nothing to send for {plan.what}{have}")
        return 0
    if dry_run:
        assert folder is not None
        written = write_drafts(plan, settings, folder)
        typer.echo(f"Wrote {len(written)} message(s) of {plan.what} to {folder}; nothing was sent")
        return 0
    if is_terminal() and not yes:
        for item in plan.outgoing:
            via = " (organisation)" if item.recipient.via == "organisation" else ""
            typer.echo(f"  {item.recipient.name} <{item.recipient.address}>{via}")
        if not typer.confirm(f"Send {plan.what} to these {len(plan.outgoing)}?", default=False):
            raise typer.Abort()

    def progress(item: object, error: str | None) -> None:
        from stm.services.mail.sending import Outgoing

        assert isinstance(item, Outgoing)
        if error:
            typer.echo(f"Not sent to {item.recipient.name}: {error}", err=True)

    outcome = send_plan(plan, settings, app_state.session, progress=progress)
    if outcome.interrupted:
        for item, reason in outcome.failed:
            if reason.endswith("interrupted"):
                typer.echo(f"Not sent to {item.recipient.name}: {reason}", err=True)
    if outcome.sent and on_sent is not None:
        on_sent()
    already = f" ({len(plan.already)} had it already)" if plan.already else ""
    if not quiet or outcome.failed:
        typer.echo(f"Sent {plan.what} to {len(outcome.sent)} recipient(s){already}")
    if outcome.failed:
        typer.echo(
            f"Error: {len(outcome.failed)} message(s) not sent; run the command again to send "
            "only those",
            err=True,
        )
        raise typer.Exit(1)
    return len(outcome.sent)
