"""Running a read command in a fresh Python process, to see which libraries it loads.

Read commands must not import SQLModel or Pydantic (issue #15): in this process the test
suite has loaded them long ago, so only a new process can tell.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlmodel", "pydantic")

_WRAPPER = """
import json, sys
from stm.cli import main
sys.argv = ["stm", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
heavy = [name for name in {heavy!r} if name in sys.modules]
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def run_fresh(*args: str) -> tuple[str, list[str]]:
    """stm's output for `args` run in a new process, and which of HEAVY it imported."""
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return result.stdout, report["heavy"]
