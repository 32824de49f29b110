"""`stm init` and `stm demo`: creating a register."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import state
from stm.errors import Conflict, Invalid


def init(
    ctx: typer.Context,
    district: Annotated[
        list[str] | None,
        typer.Option(
            "--district",
            "-d",
            help="A district the office works in (repeatable). Seed districts (Am Stern, "
            "Drewitz, Groß Klein, Schmarl) are taken from data/; others are added new. "
            "Default: the four seed districts.",
        ),
    ] = None,
    federal_state: Annotated[
        str | None,
        typer.Option(
            "--state", help="Federal state code for new districts and holidays, e.g. MV or BB."
        ),
    ] = None,
) -> None:
    """Create the register and the config file.

    The register is a SQLite file in your user data folder (or --db PATH, $STM_DB, or
    PostgreSQL via $STM_DATABASE_URL); it is readable by you alone. Running init again
    adds missing districts and changes nothing else.

    \b
    Examples:
      stm init
      stm init --district schmarl --district "Groß Klein"
      stm init --district Evershagen --state MV
      stm --db ~/stm/team.sqlite init
    """
    from stm.config import config_path, default_values, write_config
    from stm.services import districts as svc
    from stm.vocab import FEDERAL_STATES

    if federal_state and federal_state.upper() not in FEDERAL_STATES:
        from stm.parsing import unknown

        raise unknown("--state", federal_state, FEDERAL_STATES, what="federal state code")
    app_state = state(ctx)
    config_file = config_path()
    config_created = not config_file.exists()
    app_state.config()  # a broken existing config is reported before anything is written
    from stm.store import locate

    location = locate(app_state.db)
    new_file = location.path is not None and not location.path.exists()
    register = app_state.register(create=True)
    try:
        with register.session() as session:
            added = svc.initial_districts(session, district or [], (federal_state or "").upper())
            all_districts = svc.list_districts(session)
    except BaseException:
        if new_file and location.path is not None:
            app_state.close()  # a failed init leaves no half-made register behind
            for suffix in ("", "-wal", "-shm"):
                Path(f"{location.path}{suffix}").unlink(missing_ok=True)
        raise
    if config_created:
        values = default_values(state=(federal_state or "").upper())
        write_config(values, config_file)
    typer.echo(f"Register: {register.location.display()}")
    typer.echo(f"Config:   {config_file}" + (" (created)" if config_created else ""))
    names = ", ".join(d.name for d in all_districts) or "none"
    typer.echo(f"Districts: {names}" + (f" ({len(added)} added)" if added else ""))
    typer.echo('Next: stm actors add "Kita Sonnenschein" --kind kita --district schmarl')


def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Option(
            "--dir",
            help="Folder for the demo register and its sample documents.",
            file_okay=False,
        ),
    ] = Path("stm-demo"),
) -> None:
    """Build a demo register and sample documents from the shipped demo data.

    The demo is made from the two offices in Potsdam (Am Stern, Drewitz) and Rostock
    (Groß Klein, Schmarl): their actors, bodies, projects, events and meetings. Persons
    in it are fictional. It never touches your own register.

    \b
    Examples:
      stm demo
      stm demo --dir /tmp/stm-demo
      STM_DB=stm-demo/register.sqlite stm actors list --district schmarl
    """
    from stm import clock
    from stm.config import default_values, load_config, write_config
    from stm.demo import DEMO_LETTERHEAD, DemoContext, build_demo
    from stm.store import Location, open_register

    folder = folder.expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise Invalid("--dir", f"{folder} is not a folder")
    target = folder / "register.sqlite"
    if target.exists() and not _is_demo_register(target):
        raise Conflict(f"{target} exists and is not a demo register; choose another --dir")
    from stm.private_files import private_folder

    private_folder(folder)
    clock.configure(state(ctx).config().timezone)
    letterhead = {f"letterhead.{k}": v for k, v in DEMO_LETTERHEAD.items()}
    config_file = folder / "config.toml"
    write_config(default_values(**letterhead), config_file)
    context = DemoContext(folder=folder, letterhead=DEMO_LETTERHEAD)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".building-") as scratch:
        building = Path(scratch) / "register.sqlite"
        register = open_register(Location(path=building, source="--dir"), create=True)
        try:
            context.config = load_config(config_file)
            with register.session() as session:
                build_demo(session, context)
        finally:
            register.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.move(str(building), target)
    typer.echo(f"Demo register: {target}")
    counts = ", ".join(f"{n} {what}" for what, n in context.counts.items())
    if counts:
        typer.echo(f"It holds: {counts}.")
    for document in context.documents:
        typer.echo(f"Document: {document}")
    typer.echo("\nTry:")
    typer.echo(f"  export STM_DB={target} STM_CONFIG={config_file}")
    for example in (
        "stm actors list --district schmarl",
        "stm actors list --district schmarl --json",
        "stm networks show stadtteiltisch-schmarl",
        "stm event list",
        "stm calendar --month 2022-06 --district schmarl",
        "stm agenda render next --network stadtteiltisch-schmarl",
        "stm tasks list --open",
        "stm concerns list",
        "stm contacts render --network stadtteiltisch-schmarl",
        "stm report monthly",
        "stm search fruehjahrsputz",
    ):
        typer.echo(f"  {example}")


def _is_demo_register(path: Path) -> bool:
    import sqlite3

    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT 1 FROM activity WHERE action = 'demo.build' LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return row is not None
