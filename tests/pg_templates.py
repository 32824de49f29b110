"""PostgreSQL test schemas cloned from a template instead of migrated one by one.

Running stm's migrations into a fresh schema takes most of a second, and building the
demo several: for hundreds of PostgreSQL tests that is many minutes. So each kind of
register (the seeded one, the demo) is built once per test session, the stm way, in a
template schema; `pg_dump` writes it as SQL (schema and rows, sequences included), and
each test's schema is that SQL with the template's name replaced by its own: the same
tables, indexes, rows and sequence positions, in a fraction of the time.

The template schemas live until the session ends: pg_trgm's operator class, where the
migration could enable the extension, lives in the first of them, and every clone's
trigram index refers to it there. Where `pg_dump` is missing or refuses (another major
version than the server's), the fixtures migrate each schema as before.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from typing import Any

#: Objects of extensions that a dump names by the template's schema, and that stay there.
EXTENSION_OBJECTS = ("gin_trgm_ops", "gist_trgm_ops")


class Templates:
    """Template schemas on one server, built on first use, dropped by `close`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sql: dict[str, tuple[str, str] | None] = {}
        self.schemas: list[str] = []

    def clone_sql(self, kind: str, build: Callable[[Any], None]) -> tuple[str, str] | None:
        """(the template's name, its dump) for `kind`, built by `build(location)` the first
        time; None where pg_dump cannot be used."""
        if kind not in self.sql:
            self.sql[kind] = self._make(build)
        return self.sql[kind]

    def _make(self, build: Callable[[Any], None]) -> tuple[str, str] | None:
        from stm.store import Location

        tool = shutil.which("pg_dump")
        if tool is None or os.environ.get("STM_TEST_PG_MIGRATE_EACH"):
            return None
        name = f"stm_tpl_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE SCHEMA "{name}"')
        self.schemas.append(name)
        build(Location(url=search_path_url(self.url, name), source="STM_DATABASE_URL"))
        done = subprocess.run(
            [tool, "--no-owner", "--no-privileges", "--inserts", "--rows-per-insert=500",
             f"--schema={name}", libpq_url(self.url)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return None
        # psql's meta-commands (`\restrict`, from pg_dump 15.14 on) are not SQL.
        sql = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("\\"))
        return name, sql

    def create(self, schema: str, template: tuple[str, str]) -> None:
        """Schema `schema` as a copy of `template` (from `clone_sql`)."""
        name, sql = template
        kept = {f"{name}.{obj}": f"\0{number}\0" for number, obj in enumerate(EXTENSION_OBJECTS)}
        for reference, mark in kept.items():
            sql = sql.replace(reference, mark)
        sql = sql.replace(name, schema)
        for reference, mark in kept.items():
            sql = sql.replace(mark, reference)
        self._execute(sql)

    def close(self) -> None:
        for name in self.schemas:
            self._execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def _execute(self, sql: str) -> None:
        import psycopg

        with (
            psycopg.connect(libpq_url(self.url), autocommit=True) as connection,
            connection.transaction(),
        ):
            connection.execute(sql.encode())


def libpq_url(url: str) -> str:
    """A URL libpq and pg_dump understand (no SQLAlchemy driver suffix)."""
    return re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url)


def search_path_url(url: str, schema: str) -> str:
    from urllib.parse import quote

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
