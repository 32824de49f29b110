"""Alembic migrations, shipped in the wheel.

Append-only: a released migration is never edited. `HEAD` names the newest revision so
that opening a register can compare revisions without importing Alembic; a test checks
that it matches the scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

#: Every revision this stm knows, oldest first.
REVISIONS = (
    "0001",
    "0002",
    "dailyuse",
    "dailyuse_search",
    "dailyuse_paper",
    "calendars",
    "erasure",
    "oparl",
    "mail",
    "finance",
)
HEAD = REVISIONS[-1]

HERE = Path(__file__).parent


#: Tables a migration creates outside the models (full-text index): not compared.
UNMODELLED_PREFIXES = ("search_fts", "search_trigram")
#: Indexes a migration creates outside the models (PostgreSQL's trigram index).
UNMODELLED_INDEXES = ("ix_search_document_trigram",)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: leave the full-text index tables out of autogenerate."""
    if type_ == "index" and name in UNMODELLED_INDEXES:
        return False
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIXES))


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def run_upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
