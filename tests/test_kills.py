"""kill -9 in the middle of the commands that change much at once (issue #10, item 8):
import, merge and erase leave the register as it was, `stm db check` passes and the
command then runs through. (Restore, backup, upgrade and init: test_restore.py and
test_upgrade_faults.py.) The child kills itself at a named point (stm.faults)."""

from __future__ import annotations

import pytest

from faults_support import killed, stm
from imports_support import write_crlf
from stm.models import Activity, Actor, Membership

pytestmark = pytest.mark.faults  # the fault suite: pytest -m faults


def _sound(cli):
    checked = cli("db", "check")
    assert checked.exit_code == 0, checked.output


def test_an_import_killed_after_its_first_batch_writes_nothing(cli, register, tmp_path):
    rows = "".join(f"Verein {n};v{n}@example.org\n" for n in range(2500))
    path = write_crlf(tmp_path / "gross.csv", f"Name;E-Mail\n{rows}")
    for point in ("import.batch-written", "session.before-commit"):
        result = stm("actors", "import", str(path), STM_FAULT_KILL=point)
        assert killed(result), result.stderr
        assert register.count(Actor) == 0
        assert register.count(Activity, Activity.action.like("actor%")) == 0
        _sound(cli)
    done = cli("actors", "import", str(path))
    assert done.exit_code == 0, done.output
    assert register.count(Actor) == 2500
    _sound(cli)


def test_a_merge_killed_before_its_commit_changes_nothing(cli, register):
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch")
    for name in ("Kita Sonnenschein", "Kita Sonnenschein e.V."):
        cli("actors", "add", name)
        cli("networks", "join", "stadtteiltisch-schmarl", name)
    result = stm("actors", "merge", "1", "2", "--yes", STM_FAULT_KILL="session.before-commit")
    assert killed(result), result.stderr
    assert register.count(Actor) == 2
    assert register.count(Membership) == 2
    _sound(cli)
    merged = cli("actors", "merge", "1", "2", "--yes")
    assert merged.exit_code == 0, merged.output
    assert register.count(Actor) == 1


def test_an_erasure_killed_before_its_commit_changes_nothing(cli, register):
    cli("actors", "add", "Anna Müller", "--kind", "person", "--email", "anna@example.org")
    result = stm("privacy", "erase", "Anna Müller", "--yes", STM_FAULT_KILL="session.before-commit")
    assert killed(result), result.stderr
    assert '"anna@example.org"' in cli("actors", "show", "1", "--json").stdout
    _sound(cli)
    erased = cli("privacy", "erase", "Anna Müller", "--yes")
    assert erased.exit_code == 0, erased.output
    assert "anna@example.org" not in cli("actors", "show", "1", "--json").stdout
