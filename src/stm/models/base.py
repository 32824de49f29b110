"""The base of every table."""

from __future__ import annotations

from pydantic import ConfigDict
from sqlmodel import SQLModel


class Table(SQLModel):
    """A register table. Pydantic's validators are built on first use only: tables are
    written through SQLAlchemy, so most commands never need them (faster start-up)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]
