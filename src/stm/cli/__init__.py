"""The `stm` command: wires one Typer app per noun, singular and plural names alike."""

from __future__ import annotations

from typing import Annotated

import typer

from stm import __version__
from stm.cli import (
    actors,
    config,
    db,
    districts,
    networks,
    setup,
)
from stm.cli._common import StmGroup, state

app = typer.Typer(
    cls=StmGroup,
    name="stm",
    help=(
        "stm: the Stadtteilmanagement toolkit. Keeps a district office's network of actors, "
        "its bodies, events, meetings, projects and residents' concerns in one register, "
        "and renders the documents the office hands out.\n\n"
        "\b\nStart here:\n"
        "  stm demo --dir ./stm-demo          a demo register to explore\n"
        "  stm init --district schmarl        your own register\n"
        "  stm actors list --district schmarl"
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


app.command("init")(setup.init)
app.command("demo")(setup.demo)

# (module, plural name, singular name): both work, the singular one is hidden in help.
_GROUPS = [
    (config.app, "config", None),
    (db.app, "db", None),
    (districts.app, "districts", "district"),
    (actors.app, "actors", "actor"),
    (networks.app, "networks", "network"),
]
for group, plural, singular in _GROUPS:
    app.add_typer(group, name=plural)
    if singular:
        app.add_typer(group, name=singular, hidden=True)


def main() -> None:
    app()
