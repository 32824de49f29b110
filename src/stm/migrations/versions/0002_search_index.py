"""search index: full text over search_document

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written by hand: what it creates is backend-specific and not part of the models.

- SQLite: an FTS5 table `search_fts` with `search_document` as its external content,
  kept in step by three triggers (insert, delete, update).
- PostgreSQL: a GIN index on `to_tsvector('simple', folded)`.

`search_document.folded` holds text folded by `stm.names.fold_words`, so the simple
tokenizers of both backends suffice. Existing rows are indexed; records that were never
indexed are added by `stm db check --fix`.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "folded, content='search_document', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts",
)
POSTGRESQL_UP = (
    "CREATE INDEX ix_search_document_fts ON search_document "
    "USING gin (to_tsvector('simple', folded))",
)
POSTGRESQL_DOWN = ("DROP INDEX IF EXISTS ix_search_document_fts",)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWN)
