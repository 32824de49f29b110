"""Write `src/stm/store/tables.py`: the light SQLAlchemy Core tables, derived from the models.

    python scripts/light_tables.py          # rewrite the file
    python scripts/light_tables.py --check  # exit 1 when the file is out of step

The read paths import these instead of the SQLModel classes (building the ORM classes costs
more than most reads). `tests/test_store_tables.py` runs the check.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src" / "stm" / "store" / "tables.py"

HEADER = '''"""The register's tables as light SQLAlchemy Core descriptions, for the fast read paths.

Generated from the models by `scripts/light_tables.py`; do not edit by hand (a test checks
that this file matches the models). A read imports this module instead of `stm.models`:
building the SQLModel classes costs more than most queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, column, table
from sqlalchemy.sql.expression import TableClause


def _table(name: str, /, **columns: Any) -> TableClause:
    return table(name, *(column(key, kind) for key, kind in columns.items()))


'''


def _kind(sql_type: object) -> str:
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String
    from sqlmodel.sql.sqltypes import AutoString

    if isinstance(sql_type, AutoString):
        return "String"
    if isinstance(sql_type, Numeric) and not isinstance(sql_type, Float) and sql_type.scale:
        return f"Numeric({sql_type.precision}, {sql_type.scale})"  # exact: money
    for kind in (Boolean, DateTime, Date, Float, Numeric, Integer, String, JSON):
        if isinstance(sql_type, kind):
            return kind.__name__
    raise SystemExit(f"no light type for {sql_type!r}")


def render() -> str:
    from sqlmodel import SQLModel

    from stm.models import load_all

    load_all()
    lines = [HEADER]
    for name in sorted(SQLModel.metadata.tables):
        model_table = SQLModel.metadata.tables[name]
        columns = "".join(f"    {c.name}={_kind(c.type)},\n" for c in model_table.columns)
        lines.append(f'{name.upper()} = _table(\n    "{name}",\n{columns})\n')
    return "".join(lines)


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of step with the models: run python scripts/light_tables.py")
            raise SystemExit(1)
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
