"""Small helpers the CLI tests share: run a command and insist it worked.

Import them in a test module (`from helpers import ok, json_of, add_actor`); tests/ is on
the import path, as for the other `*_support.py` modules. Each asserts exit code 0 and
shows the command's output when it is not, so a failing step names its reason.
"""

from __future__ import annotations

import json
from typing import Any

from typer.testing import Result


def ok(result: Result) -> Result:
    """The result of a command that must have succeeded."""
    assert result.exit_code == 0, result.output
    return result


def json_of(result: Result) -> Any:
    """What a command that must have succeeded printed, read as JSON."""
    return json.loads(ok(result).stdout)


def add_actor(cli: Any, *args: str) -> int:
    """Add an actor (`stm actors add ARGS --json`) and return its id."""
    return int(json_of(cli("actors", "add", *args, "--json"))["id"])
