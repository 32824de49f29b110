"""Alembic environment: runs on the connection stm hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

from stm.migrations import include_object
from stm.models import load_all

config = context.config
load_all()
target_metadata = SQLModel.metadata


def _stamped(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    """After a step's DDL and stamp, before its commit: where the fault tests kill."""
    from stm import faults

    backend = "" if ctx.connection.dialect.name == "sqlite" else f".{ctx.connection.dialect.name}"
    faults.point(f"migration.{getattr(step, 'up_revision_id', '')}.before-commit{backend}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("stm runs migrations on an open connection only")
    # One transaction per step, holding the step's DDL and its revision stamp: SQLite has
    # transactional DDL too (stm's engine begins every transaction itself), so a kill
    # leaves the register at the step before or after, never between.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
        transaction_per_migration=True,
        transactional_ddl=True,
        on_version_apply=_stamped,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
