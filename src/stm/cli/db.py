"""`stm db`: where the register is, backups, integrity checks, schema upgrades."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import YesOpt, confirm, make_app, state
from stm.errors import Conflict, Invalid

app = make_app("Locate, back up, restore, check and upgrade the register.")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the register is (file path, or database URL without password).

    \b
    Example:
      stm db path
    """
    from stm.store import locate

    typer.echo(locate(state(ctx).db).display())


@app.command("backup")
def backup(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Backup file. Default: next to the register."),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Then remove old backups next to the register (see --keep and --older-than).",
        ),
    ] = False,
    keep: Annotated[
        int | None, typer.Option("--keep", help="With --prune: keep this many newest backups.")
    ] = None,
    older_than: Annotated[
        int | None,
        typer.Option("--older-than", help="With --prune: remove backups older than DAYS days."),
    ] = None,
) -> None:
    """Write a consistent copy of the register (safe while others use it).

    The copy is written to a new file, flushed to disk and only then given its name, so
    a backup is whole or absent. SQLite registers are copied with SQLite's backup API; a
    PostgreSQL register is written as a SQLite register file (default: in the current
    folder) that 'stm db restore' reads back. -o may replace an earlier backup, never a
    file of another kind. The copy is readable by you alone.

    \b
    Examples:
      stm db backup
      stm db backup -o ~/Sicherung/stm-2026-11.sqlite
      stm db backup --prune --keep 10 --older-than 180

    Old backups hold persons erased since: --prune removes the backups next to the
    register beyond the --keep newest (default 10) and those older than --older-than days.
    """
    from stm.store import backup_register

    if (keep is not None or older_than is not None) and not prune:
        raise Invalid("--prune", "--keep and --older-than go with --prune")
    register = state(ctx).register()
    target = backup_register(register, output.expanduser() if output else None)
    typer.echo(f"Backup written: {target}")
    if prune and register.location.path is not None:
        from stm import clock
        from stm.services.privacy.ledger import prune_backups

        limit = 10 if keep is None and older_than is None else keep
        removed = prune_backups(register.location.path, keep=limit, older_than_days=older_than,
                                now=clock.now())  # fmt: skip
        typer.echo(f"Removed {len(removed)} old backup(s)"
                   + "".join(f"\n  {path.name}" for path in removed))  # fmt: skip


@app.command("restore")
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A backup file made by 'stm db backup'.")],
    yes: YesOpt = False,
) -> None:
    """Replace the register with a backup copy.

    The backup is checked first (an stm register that passes SQLite's integrity check);
    a damaged or foreign file is refused and the register stays as it is. The current
    register is kept as a safety copy next to it, so a restore can itself be undone,
    and it is replaced in one step while no other stm uses it. This works when the
    current register is damaged. On PostgreSQL every table is replaced in one
    transaction (an empty database gets the schema first).

    \b
    Examples:
      stm db restore register.sqlite.20261101-120000.bak --yes
      STM_DATABASE_URL=postgresql://… stm db restore stm-register-20261101-120000.sqlite --yes
    """
    from stm.backups import check_source, restore_register
    from stm.store import locate

    state(ctx).config()
    location = locate(state(ctx).db)
    check_source(source.expanduser().absolute(), location)
    confirm(f"Replace {location.display()} with {source}?", yes)
    restored = restore_register(location, source)
    kept = f" (previous state kept in {restored.safety})" if restored.safety else ""
    typer.echo(f"Restored {location.display()} from {source}{kept}")
    for note in restored.notes:
        typer.echo(note)


@app.command("check")
def check(
    ctx: typer.Context,
    fix: Annotated[
        bool, typer.Option("--fix", help="Rebuild the search index first (see 'stm search').")
    ] = False,
) -> None:
    """Run the integrity check: database pages, references, schema revision, search index.

    Exits 1 when a problem is found, so scripts can alert on it. --fix rebuilds the
    search index from the register before checking.

    \b
    Examples:
      stm db check
      stm db check --fix
    """
    from sqlalchemy.exc import DBAPIError

    from stm.services import search
    from stm.store import explain_database_error, integrity_check

    register = state(ctx).register()
    try:
        problems = integrity_check(register)
        if not problems or fix:
            with register.session(write=fix) as session:
                if fix:
                    rebuilt = search.rebuild_index(session)
                    typer.echo(f"Rebuilt the search index: {rebuilt} records")
                problems += search.index_problems(session)
    except DBAPIError as error:
        raise explain_database_error(error) from None
    if problems:
        for problem in problems:
            typer.echo(f"Problem: {problem}", err=True)
        raise Conflict(f"{len(problems)} problem(s) in {register.location.display()}")
    typer.echo(f"OK: {register.location.display()} passed the integrity check")


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the register's schema up to this stm's version (after a backup).

    Opening an older register upgrades it automatically; this command does it
    explicitly and reports the revision.

    \b
    Example:
      stm db upgrade
    """
    from stm.migrations import HEAD

    register = state(ctx).register()
    typer.echo(f"{register.location.display()} is at schema {HEAD} (current)")
