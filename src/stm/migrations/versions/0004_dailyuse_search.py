"""search inside words: a trigram index over search_document

Revision ID: dailyuse_search
Revises: dailyuse
Create Date: 2026-12-01

German is a language of compounds: `flohmarkt` should find "Stadtteilflohmarkt", `putz`
"Frühjahrsputz". Word starts (migration 0002) cannot; a trigram index can.

- SQLite: an FTS5 table `search_trigram` (tokenizer `trigram`) with `search_document` as
  its external content, kept in step by three triggers like `search_fts`.
- PostgreSQL: the `pg_trgm` extension and a GIN trigram index on `folded`, where the
  extension can be enabled; without it, the same `LIKE` queries run without the index.
"""

from __future__ import annotations

from alembic import op

revision = "dailyuse_search"
down_revision = "dailyuse"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE search_trigram USING fts5("
    "folded, content='search_document', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_document_trigram_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_trigram(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_document_trigram_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_trigram(search_trigram, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_document_trigram_au AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_trigram(search_trigram, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_trigram(rowid, folded) VALUES (new.id, new.folded); END",
    "INSERT INTO search_trigram(search_trigram) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS search_document_trigram_au",
    "DROP TRIGGER IF EXISTS search_document_trigram_ad",
    "DROP TRIGGER IF EXISTS search_document_trigram_ai",
    "DROP TABLE IF EXISTS search_trigram",
)
POSTGRESQL_INDEX = (
    "CREATE INDEX ix_search_document_trigram ON search_document USING gin (folded gin_trgm_ops)"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        _postgresql_trigram_index()


def _postgresql_trigram_index() -> None:
    """pg_trgm where this role may enable it (it is a trusted extension from PostgreSQL
    13 on); a savepoint keeps a refusal from spoiling the migration's transaction."""
    from sqlalchemy.exc import DBAPIError

    connection = op.get_bind()
    try:
        with connection.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute(POSTGRESQL_INDEX)
    except DBAPIError:
        pass  # searching inside words still works, by LIKE without the index


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_document_trigram")
