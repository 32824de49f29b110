"""The read commands of actors and search build no ORM: neither SQLModel nor Pydantic
is imported (issue 15: SQLAlchemy Core over `stm.store.tables`), and they say the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("sqlmodel", "pydantic", "stm.models")

_PROBE = (
    "import sys\n"
    "sys.argv = ['stm', *sys.argv[1:]]\n"
    "from stm.cli import main\n"
    "code = 0\n"
    "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
    "loaded = sorted(m for m in {heavy!r} if m in sys.modules)\n"
    "print('LOADED', loaded, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_fresh(*args: str) -> subprocess.CompletedProcess[str]:
    """`stm ARGS` in a fresh interpreter, reporting which heavy modules it loaded."""
    code = _PROBE.format(heavy=HEAVY)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )


@pytest.fixture
def office(cli, register):
    cli("actors", "add", "Kita Sonnenschein", "--kind", "kita", "--district", "schmarl",
        "--sector", "bildung", "--email", "kita@example.org")  # fmt: skip
    cli("actors", "add", "Anna Müller", "--kind", "person", "--org", "Kita Sonnenschein",
        "--function", "Leitung", "--district", "schmarl")  # fmt: skip
    cli("actors", "add", "Heimatverein", "--kind", "association", "--district", "gross-klein")
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch",
        "--district", "schmarl")  # fmt: skip
    cli("networks", "join", "stadtteiltisch-schmarl", "Kita Sonnenschein")
    return register


def _loaded(result: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))


@pytest.mark.parametrize(
    "args",
    [
        ["actors", "list", "--district", "schmarl", "--json"],
        ["actors", "list", "--network", "stadtteiltisch-schmarl", "--sector", "bildung", "--json"],
        ["actors", "list", "--kind", "person", "--search", "leitung", "--json"],
        ["actors", "show", "Kita Sonnenschein", "--json"],
        ["actors", "show", "anna", "--json"],
        ["search", "sonnenschein", "--json"],
        ["search", "kita", "--in", "actors", "--json"],
    ],
)
def test_read_commands_import_neither_sqlmodel_nor_pydantic(office, cli, args):
    fresh = run_fresh(*args)
    assert _loaded(fresh) == "LOADED []", fresh.stderr
    in_process = cli(*args)
    assert in_process.exit_code == 0, in_process.output
    assert json.loads(fresh.stdout) == json.loads(in_process.stdout)
    assert json.loads(fresh.stdout)  # something was found


def test_the_list_says_what_the_register_holds(office):
    listed = json.loads(run_fresh("actors", "list", "--district", "schmarl", "--json").stdout)
    assert [(a["name"], a["organisation"], a["districts"]) for a in listed] == [
        ("Anna Müller", "Kita Sonnenschein", ["schmarl"]),
        ("Kita Sonnenschein", None, ["schmarl"]),
    ]
    members = json.loads(run_fresh("actors", "list", "--network", "stadtteiltisch-sch",
                                   "--json").stdout)  # fmt: skip
    assert [a["name"] for a in members] == ["Kita Sonnenschein"]
    shown = json.loads(run_fresh("actors", "show", "Kita Sonnenschein", "--json").stdout)
    assert [p["name"] for p in shown["people"]] == ["Anna Müller"]
    assert [n["slug"] for n in shown["networks"]] == ["stadtteiltisch-schmarl"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actors", "list", "--district", "nowhere"], "Error: --district: unknown district"),
        (["actors", "list", "--kind", "nix"], "Error: --kind: unknown value 'nix'"),
        (["actors", "list", "--sector", "nix"], "Error: --sector: unknown value 'nix'"),
        (["search", "kita", "--in", "nix"], "Error: --in: unknown record kind 'nix'"),
        (["search", "kita", "--limit", "0"], "Error: --limit: 0 is too small"),
    ],
)
def test_bad_input_to_a_read_is_one_line_naming_the_option(office, args, message):
    result = run_fresh(*args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("LOADED")]
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actors", "show", "nobody"], "Error: no actor 'nobody'"),
        (["actors", "list", "--network", "nowhere"], "Error: no network 'nowhere'"),
    ],
)
def test_a_read_of_what_is_not_there_is_exit_1(office, args, message):
    result = run_fresh(*args)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
