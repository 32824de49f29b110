"""`stm config`: show, set and locate the configuration."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import JsonOpt, make_app, state
from stm.cli.output import to_json

app = make_app("Show and change the configuration (time zone, language, letterhead, templates).")


@app.command("show")
def show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show every configuration key with its value.

    \b
    Examples:
      stm config show
      stm config show --json
    """
    from stm.config import KEYS

    config = state(ctx).config()
    if as_json:
        typer.echo(to_json(config.values))
        return
    typer.echo(f"# {config.path}")
    width = max(len(name) for name in KEYS)
    for name, key in KEYS.items():
        typer.echo(f"{name.ljust(width)} = {config.values[name]!r:<40} # {key.help}")


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Key, e.g. letterhead.name or timezone.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Set one configuration key (checked before it is written).

    \b
    Examples:
      stm config set letterhead.name "Stadtteilmanagement Schmarl"
      stm config set letterhead.phone "0381 000000"
      stm config set language en
      stm config set templates_dir ~/stm-vorlagen
    """
    from stm.config import set_value

    config = set_value(key, value)
    typer.echo(f"{key} = {config.values[key]!r}  ({config.path})")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the path of the configuration file.

    \b
    Example:
      stm config path
    """
    from stm.config import config_path

    typer.echo(str(config_path()))
