"""The `stm` command: wires one Typer app per noun, singular and plural names alike.

Command modules are imported only when their command runs (`stm actors list` imports
`stm.cli.actors` and nothing else), so `stm --help` and every command start fast. Each
entry of `COMMANDS` names the module and a one-line summary for the root help; a noun
whose commands live in several modules names the others and their commands (`parts`),
each module with a Typer app of its own: the root joins them, no module adds commands to
another's app.
"""

# No `from __future__ import annotations`: Typer reads the root callback's annotations on
# each run, and would have to eval() each one if they were strings.

import importlib
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from stm import __version__
from stm.cli._common import StmGroup, refuse_repeated_single_options, state


@dataclass(frozen=True)
class Entry:
    """A top-level command: a Typer app (a noun's group) or a single command function."""

    name: str
    module: str
    attribute: str
    summary: str
    aliases: tuple[str, ...] = ()
    #: More modules of this group, each with its own Typer `app`, and the commands in each.
    parts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def module_of(self, subcommand: str | None) -> str | None:
        """The part that holds `subcommand`; None for the main module's or an unknown one."""
        return next((module for module, names in self.parts if subcommand in names), None)


COMMANDS: list[Entry] = [
    Entry("init", "stm.cli.setup", "init", "Create the register and the config file."),
    Entry("demo", "stm.cli.setup", "demo", "Build a demo register and sample documents."),
    Entry("config", "stm.cli.config", "app", "Show and change the configuration."),
    Entry("db", "stm.cli.db", "app", "Locate, back up, restore, check and upgrade the register."),
    Entry("districts", "stm.cli.districts", "app", "List and add districts (Stadtteile).",
          aliases=("district",)),
    Entry("actors", "stm.cli.actors", "app", "The network's actors: organisations and persons.",
          aliases=("actor",),
          parts=(("stm.cli.actors_io", ("import", "export", "duplicates", "merge")),)),
    Entry("networks", "stm.cli.networks", "app",
          "Networks (Gremien) such as the Stadtteiltisch, and their members.",
          aliases=("network",)),
    Entry("contacts", "stm.cli.contacts", "app",
          "Contact sheets (Kontaktlisten) that respect consent.", aliases=("contact",)),
    Entry("privacy", "stm.cli.privacy", "app",
          "Data protection (DSGVO): consent, access, erasure, stale records."),
    Entry("projects", "stm.cli.projects", "app",
          "Projects: Träger, partners, funding, budget, IEK goals, and their events.",
          aliases=("project",)),
    Entry("finance", "stm.cli.finance", "app",
          "A project's money: plan, bookings, planned against spent, Verwendungsnachweis.",
          aliases=("finances",)),
    Entry("fund", "stm.cli.funds", "app",
          "The Verfügungsfonds: budget, cap, applications, decisions, payments.",
          aliases=("funds",)),
    Entry("event", "stm.cli.events", "app",
          "District events, one-off or repeating; iCalendar import and export.",
          aliases=("events",), parts=(("stm.cli.events_io", ("import", "export")),)),
    Entry("calendar", "stm.cli.calendar", "calendar",
          "A month as a grid: events and public holidays, today highlighted."),
    Entry("meetings", "stm.cli.meetings", "app",
          "Meetings of networks: plan, list, show, reschedule.", aliases=("meeting",)),
    Entry("agenda", "stm.cli.agenda", "app",
          "A meeting's TOPs, and the invitation with its Tagesordnung (md, html, pdf, ics)."),
    Entry("minutes", "stm.cli.minutes", "app",
          "Minutes (Protokoll): attendance, notes, decisions, tasks; render and approve."),
    Entry("tasks", "stm.cli.tasks", "app", "Tasks from meetings and free ones; follow them up.",
          aliases=("task",)),
    Entry("concerns", "stm.cli.concerns", "app",
          "Residents' concerns (Anliegen) and their path through the administration.",
          aliases=("concern",)),
    Entry("paper", "stm.cli.paper", "app",
          "The district newspaper (SternDrewitz, WIR2): issues, articles, the issue plan."),
    Entry("report", "stm.cli.report", "app",
          "The monthly report for the Träger, the city and funders (cron-ready).",
          aliases=("reports",)),
    Entry("search", "stm.cli.search", "search", "Find anything in the register by a word."),
    Entry("map", "stm.cli.map", "draw_map",
          "The actor map (Akteurslandkarte): SVG, PDF, PNG, GraphML, Kumu CSV; --stats."),
    Entry("oparl", "stm.cli.oparl", "app",
          "The bodies' sittings as OParl 1.1 JSON, for council information systems."),
    Entry("mail", "stm.cli.mail", "app",
          "Mail through the office's server: test it, the send log, who is never mailed."),
]  # fmt: skip
_BY_NAME = {name: entry for entry in COMMANDS for name in (entry.name, *entry.aliases)}


def load_command(entry: Entry, subcommand: str | None = None) -> Any:
    """The Click command behind an entry, importing its module now.

    Given the subcommand about to run, the group is built with that command only: Typer
    reads the signature of every command it builds (`stm actors list` needs one of nine),
    and the group's other modules are imported only for their own commands. A typo, an
    option such as --help or a nested group gets the whole group.
    """
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(entry.name)(target)
        command = typer.main.get_command(single)
        command.name = entry.name
        return command
    part = entry.module_of(subcommand)
    holder = _app_of(part) if part else target
    chosen = _built_command(holder, subcommand)
    if chosen is not None:
        group = _group_of(target)
        group.add_command(chosen)
    else:
        group = typer.main.get_group(target)
        for module, _names in entry.parts:
            for command in typer.main.get_group(_app_of(module)).commands.values():
                group.add_command(command)
    group.name = entry.name
    return group


def _app_of(module: str) -> typer.Typer:
    app: typer.Typer = importlib.import_module(module).app
    return app


def _built_command(app: typer.Typer, name: str | None) -> Any:
    """The Click command `name` of a Typer app, built alone; None if it has no such command."""
    for info in app.registered_commands:
        if info.name == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    return None


def _group_of(app: typer.Typer) -> Any:
    """A Click group as `app` makes it (its help, class, settings), without its commands."""
    shell = typer.Typer(
        rich_markup_mode=app.rich_markup_mode,
        pretty_exceptions_short=app.pretty_exceptions_short,
        suggest_commands=app.suggest_commands,
    )
    shell.info = app.info
    return typer.main.get_group(shell)


def _is_text(value: str) -> bool:
    """False for bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class LazyRoot(StmGroup):
    """The root group: lists every entry, imports one only when it is run or asked for."""

    def main(self, args: Any = None, *pos: Any, **kwargs: Any) -> Any:
        """Refuse an argument that is not valid text before anything runs."""
        import sys

        given = list(sys.argv[1:] if args is None else args)
        for position, value in enumerate(given, start=1):
            if isinstance(value, str) and not _is_text(value):
                typer.echo(
                    f"Error: argument {position} is not valid UTF-8 text; "
                    "give names and values as UTF-8 (the terminal's usual encoding)",
                    err=True,
                )
                sys.exit(2)
        return super().main(given, *pos, **kwargs)

    def list_commands(self, ctx: Any) -> list[str]:
        return [entry.name for entry in COMMANDS]

    def get_command(self, ctx: Any, name: str) -> Any:
        entry = _BY_NAME.get(name)
        return load_command(entry) if entry else None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command to run, built knowing its subcommand (`args`: ["actors", "list", …])."""
        entry = _BY_NAME.get(args[0]) if args else None
        if entry is None and args and not args[0].startswith("-"):
            import difflib

            close = difflib.get_close_matches(args[0].lower(), list(_BY_NAME), n=1, cutoff=0.6)
            hint = f" Did you mean {_BY_NAME[close[0]].name!r}?" if close else ""
            ctx.fail(f"No such command {args[0]!r}.{hint}")
        if entry is None:
            return super().resolve_command(ctx, args)
        command = load_command(entry, args[1] if len(args) > 1 else None)
        refuse_repeated_single_options(command, args[1:])
        return args[0], command, args[1:]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(entry.name, entry.summary) for entry in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    cls=LazyRoot,
    name="stm",
    help=(
        "stm: the Stadtteilmanagement toolkit. Keeps a district office's network of actors, "
        "its bodies, events, meetings, projects and residents' concerns in one register, "
        "and renders the documents the office hands out.\n\n"
        "\b\nStart here:\n"
        "  stm demo --dir ./stm-demo          a demo register to explore\n"
        "  stm init --district schmarl        your own register\n"
        "  stm actors list --district schmarl\n\n"
        "Group names work singular and plural: 'stm actor list' is 'stm actors list'."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_path: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Register file (SQLite) or database URL. Default: $STM_DB, "
            "$STM_DATABASE_URL, or the user data folder.",
            metavar="PATH",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    state(ctx).db = db_path


def main() -> None:
    app()
