"""Write an Alembic revision by comparing the models with the newest migration.

    python scripts/make_migration.py 0002 "add concern category"

Review the generated file, then add the revision to REVISIONS in
src/stm/migrations/__init__.py. Until the first release, `0001` may be regenerated
from scratch (`python scripts/make_migration.py 0001 "initial register"`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from stm.migrations import HERE, alembic_config


def main() -> None:
    revision, message = sys.argv[1], sys.argv[2]
    if revision == "0001":
        for old in (HERE / "versions").glob("0001_*.py"):
            old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'r.sqlite'}")
        with engine.begin() as connection:
            config = alembic_config(connection)
            if revision != "0001":
                command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=revision)
    for script in (HERE / "versions").glob(f"{revision}_*.py"):
        detach_from_sqlmodel(script)


def detach_from_sqlmodel(script: Path) -> None:
    """Migrations use plain SQLAlchemy types, so they keep working whatever SQLModel does."""
    text = script.read_text()
    text = text.replace("sqlmodel.sql.sqltypes.AutoString()", "sa.String()")
    text = text.replace("import sqlmodel\n", "")
    script.write_text(text)


if __name__ == "__main__":
    main()
