"""Running a read command in a fresh Python process, to see which libraries it loads.

Read commands must not import SQLModel or Pydantic (issue #15): in this process the test
suite has loaded them long ago, so only a new process can tell. The wrapper records who
imported each, so that a failure names the culprit (Typer 0.29 imports Pydantic for every
command's parameters: stm pins Typer below it).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlmodel", "pydantic")

_WRAPPER = """
import json, sys

importers = {{}}


class Witness:
    def find_spec(self, name, path=None, target=None):
        if name in {heavy!r} and name not in importers:
            frame = sys._getframe(1)
            skipped = ("importlib", "_frozen")
            while frame and frame.f_globals.get("__name__", "").startswith(skipped):
                frame = frame.f_back
            importers[name] = frame.f_globals.get("__name__", "?") if frame else "?"
        return None


sys.meta_path.insert(0, Witness())
from stm.cli import main
sys.argv = ["stm", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
loaded = {{name: importers.get(name, "?") for name in {heavy!r} if name in sys.modules}}
print(json.dumps({{"code": code, "loaded": loaded}}), file=sys.stderr)
"""


def run_fresh(*args: str) -> tuple[str, dict[str, str]]:
    """stm's output for `args` run in a new process, and which of HEAVY it loaded, each
    with the module that imported it."""
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return result.stdout, report["loaded"]
