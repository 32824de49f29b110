"""The store knows nothing of the search index: whoever opens a register installs what
follows each write (`stm.store.add_flush_listener`, `open_register(on_flush=…)`)."""

from __future__ import annotations

import subprocess
import sys

_CODE = """
import sys
from pathlib import Path
from stm.store import Location, open_register
from stm.services.actors import ActorFields, add_actor

flushed = []
register = open_register(Location(path=Path(sys.argv[1]), source="test"), create=True,
                         on_flush=[lambda session, context: flushed.append(len(session.new))])
with register.session() as session:
    add_actor(session, ActorFields(name="Kita Sonnenschein", kind="kita"))
register.close()
print("FLUSHED", bool(flushed), "SEARCH", "stm.services.search" in sys.modules)
"""


def test_a_register_runs_the_listeners_it_was_opened_with_and_imports_no_search(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _CODE, str(tmp_path / "register.sqlite")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "FLUSHED True SEARCH False"


def test_the_tests_registers_keep_the_index_in_step(cli, register):
    from sqlmodel import select

    from stm.models.search import SearchDocument

    cli("actors", "add", "Kita Sonnenschein", "--kind", "kita")
    with register.session() as session:
        titles = session.exec(select(SearchDocument.title)).all()
    assert titles == ["Kita Sonnenschein"]
