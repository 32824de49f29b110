"""The store's light tables are the models' tables: one schema, described once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_light_tables_match_the_models():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "light_tables.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_light_table_names_the_models_columns():
    from sqlmodel import SQLModel

    from stm.models import load_all
    from stm.store import tables

    load_all()
    for name, model_table in SQLModel.metadata.tables.items():
        light = getattr(tables, name.upper())
        assert light.name == name
        assert [c.name for c in light.columns] == [c.name for c in model_table.columns]


def test_in_chunks_covers_every_value_once():
    from stm.store import in_chunks

    assert list(in_chunks([], 3)) == []
    assert [list(c) for c in in_chunks(list(range(7)), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
