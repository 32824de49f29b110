"""What every command shares: the app factory, the error mapping, state, common options.

`--format/--json/--output/--district/--yes/--lang` are defined once here as `Annotated`
aliases; commands reuse them. Services raise `stm.errors`; `StmGroup` turns those into
one `Error: …` line on stderr and the exit code of SPEC §3.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from stm.cli.output import ListFormat
from stm.errors import Invalid, StmError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from stm.config import Config
    from stm.render import RenderOptions
    from stm.store import Register


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


class StmGroup(TyperGroup):
    """Maps stm's errors to one line on stderr and the exit codes of SPEC §3."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        refuse_repeated_single_options(command, rest)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, where it is handled, not at exit
            return result
        except StmError as error:
            if os.environ.get("STM_DEBUG") == "1":
                raise
            raise fail(_shown(error, self, ctx), error.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`stm actors list | head -1`): end quietly, as cat does.
            _silence_stdout()
            raise typer.Exit(0) from None
        except OverflowError as error:  # a number no field checked reached the database
            if os.environ.get("STM_DEBUG") == "1":
                raise
            raise fail(f"a number given is too large ({error}); use a smaller one", 2) from None
        except Exception as error:
            if os.environ.get("STM_DEBUG") == "1" or _is_cli_error(error):
                raise
            raise fail(_describe(error), _exit_code(error)) from None


#: Domain fields whose option is not named after them in every command that reads them.
FIELD_OPTIONS: dict[str, str] = {
    # concerns, networks, projects, paper, privacy, districts, refs (15c)
    "anonymous": "--anonymous",
    "answer": "--answer",
    "author": "--author",
    "category": "--category",
    "deadline": "--deadline",
    "description": "--description",
    "district": "--district",
    "due": "--due",
    "federal_state": "--state",
    "given": "--given",
    "goal": "--goal",
    "keep": "--keep",
    "level": "--level",
    "note": "--note",
    "older_than": "--older-than",
    "on": "--on",
    "pages": "--pages",
    "partner": "--partner",
    "print_run": "--print-run",
    "programme": "--programme",
    "purpose": "--purpose",
    "remove_partner": "--remove-partner",
    "reported": "--reported",
    "role": "--role",
    "slug": "--slug",
    "start": "--start",
    "until": "--until",
    "years": "--years",
    "sectors": "--sector",
}


def option_for(field_name: str, command: Any) -> str:
    """The name the user knows a field by: the running command's option of that name
    (`district` → `--district`), else `FIELD_OPTIONS`, else the field itself."""
    if not field_name or field_name.startswith("-"):
        return field_name
    for param in getattr(command, "params", ()):
        if param.name == field_name and param.param_type_name == "option":
            return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
    return FIELD_OPTIONS.get(field_name, field_name)


def _shown(error: StmError, group: Any, ctx: Any) -> str:
    """The error's one line, naming the option of the command that ran."""
    if not isinstance(error, Invalid):
        return error.message
    command = None
    if ctx.invoked_subcommand:
        command = group.get_command(ctx, ctx.invoked_subcommand)
    return error.naming(option_for(error.field, command))


def refuse_repeated_single_options(command: Any, args: list[str]) -> None:
    """An option that takes one value, given twice with different values, is refused:
    Click would keep the last one silently (`-d gross-klein -d schmarl` → schmarl)."""
    if command is None or hasattr(command, "commands"):
        return  # a group: its command checks its own arguments
    single = {
        opt: param
        for param in command.params
        if param.param_type_name == "option"
        and not param.multiple
        and not getattr(param, "is_flag", False)
        and param.nargs == 1
        for opt in param.opts
    }
    seen: dict[str, list[str]] = {}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        name, has_value, value = token.partition("=")
        param = single.get(name if token.startswith("--") else token)
        if param is None:
            continue
        if not has_value:
            value = next(tokens, "")
        values = seen.setdefault(param.opts[0], [])
        values.append(value)
        if len(set(values)) > 1:
            listed = ", ".join(repr(v) for v in values)
            raise fail(
                f"{param.opts[0]}: given {len(values)} times ({listed}); it takes one value", 2
            )


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    from contextlib import suppress

    with suppress(OSError, ValueError):  # no real file descriptor (e.g. a test runner's buffer)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _is_cli_error(error: Exception) -> bool:
    # Click's own usage errors (vendored by Typer) print their usage and exit 2 themselves.
    return type(error).__module__.startswith("typer")


def _exit_code(error: Exception) -> int:
    """2 where the database refused the input (a number out of its range), else 1."""
    if type(error).__module__.startswith(("sqlalchemy", "sqlite3")):
        from stm.store import explain_database_error

        return explain_database_error(error).exit_code
    return 1


def _describe(error: Exception) -> str:
    module = type(error).__module__
    if module.startswith(("sqlalchemy", "sqlite3")):
        from stm.store import explain_database_error

        return explain_database_error(error).message
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        where = f" writing {error.filename}" if error.filename else ""
        return f"the disk is full{where}; nothing was changed; free some space and try again"
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"cannot use{where}: {error.strerror or error}"
    return f"{type(error).__name__}: {error} (set STM_DEBUG=1 for a traceback)"


def make_app(help: str, **kwargs: Any) -> typer.Typer:
    """A command group as every noun of stm has it."""
    return typer.Typer(
        cls=StmGroup,
        help=help,
        no_args_is_help=True,
        rich_markup_mode=None,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
        **kwargs,
    )


#: Commands that only read: they do not take the write lock, and open a register file
#: the user may not write read-only. Every other command is a writer.
READ_COMMANDS = frozenset(
    {"list", "show", "export", "render", "duplicates", "stale", "calendar", "search",
     "monthly", "check", "path", "backup", "map", "log", "report"}
)  # fmt: skip


@dataclass
class State:
    """Per-invocation state: the register location, config and an open register."""

    db: str | None = None
    #: The command being run writes (takes the write lock first); see READ_COMMANDS.
    writing: bool = True
    _config: Config | None = None
    _register: Register | None = None
    _cleanups: list[Any] = field(default_factory=list)

    def config(self) -> Config:
        if self._config is None:
            from stm import clock
            from stm.config import load_config

            self._config = load_config()
            clock.configure(self._config.timezone)
        return self._config

    def register(self, *, create: bool = False) -> Register:
        if self._register is None:
            from stm.store import locate, open_register

            self.config()
            self._register = open_register(
                locate(self.db), create=create, writing=self.writing or create
            )
            if self._register.upgraded:
                old, backup = self._register.upgraded
                typer.echo(f"Upgraded the register from schema {old}; backup: {backup}", err=True)
                self._index_what_came_before_the_index(old)
        return self._register

    def _index_what_came_before_the_index(self, old: str) -> None:
        """A register from before the search index (schema 0001) holds records the index
        never saw: index them once, right after the upgrade, so that search finds them."""
        from stm.migrations import REVISIONS
        from stm.services.search import rebuild_index

        if REVISIONS.index(old) >= REVISIONS.index("0002") or self._register is None:
            return
        with self._register.session() as session:
            count = rebuild_index(session)
        if count:
            typer.echo(f"Indexed {count} records for search", err=True)

    def render_options(self, lang: Lang | None = None) -> RenderOptions:
        """Document options from the config; `--lang` wins over the configured language."""
        from stm.render import RenderOptions

        return RenderOptions.from_config(self.config(), lang.value if lang else None)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One command, one transaction (SPEC §2.5)."""
        if self.writing:  # loaded before the write lock is taken, not while it is held
            import stm.services.search  # noqa: F401
        with self.register().session(write=self.writing) as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read command's Core connection (no ORM; see `Register.connect`)."""
        with self.register().connect() as connection:
            yield connection

    def close(self) -> None:
        if self._register is not None:
            self._register.close()
            self._register = None


def _keep_the_index_in_step() -> None:
    """The one place the CLI installs what follows every write: the search index."""
    from stm.store import add_flush_listener

    add_flush_listener(_index_after_flush)


def _index_after_flush(session: Any, flush_context: Any) -> None:
    # Imported at the first flush: reads never flush, and pay nothing for the index.
    from stm.services.search import index_after_flush

    index_after_flush(session, flush_context)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
        root.call_on_close(root.obj.close)
        _keep_the_index_in_step()
    if ctx is not root and ctx.info_name:
        root.obj.writing = ctx.info_name not in READ_COMMANDS
    return root.obj


def is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm(question: str, yes: bool) -> None:
    """Destructive commands ask on a terminal and need `--yes` in scripts."""
    if yes:
        return
    if not is_terminal():
        raise Invalid("--yes", "this changes data irreversibly; confirm with --yes in scripts")
    if not typer.confirm(question, default=False):
        raise typer.Abort()


def ask_on_terminal(question: str, yes: bool) -> None:
    """A step that cannot be taken back but loses nothing (approving minutes): asked on a
    terminal unless `--yes`; scripts go ahead."""
    if not yes and is_terminal() and not typer.confirm(question, default=False):
        raise typer.Abort()


def require(value: str | None, field_name: str, prompt: str) -> str:
    """A value the user must give: prompted for on a terminal, exit 2 in scripts."""
    if value is not None:
        return value
    if is_terminal():
        return str(typer.prompt(prompt))
    raise Invalid(field_name, "is required")


class Lang(StrEnum):
    de = "de"
    en = "en"


FormatOpt = Annotated[
    ListFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (default), json, csv or ndjson. csv is verbatim, for "
        "scripts; for Excel use 'stm actors export' (formula-safe, ';', German headers).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=False),
]
DistrictOpt = Annotated[
    list[str] | None,
    typer.Option("--district", "-d", help="District by slug or name, e.g. schmarl (repeatable)."),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
LangOpt = Annotated[
    Lang | None, typer.Option("--lang", help="Document language (default: config, de).")
]
