"""What a command imports: run it in a fresh interpreter (the test's environment, so the
same register) and report which heavy modules it loaded."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlmodel", "pydantic", "stm.models")


def loaded_after(*args: str, watched: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    """(stdout, the `watched` modules in sys.modules) after `stm ARGS` in a new process."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['stm', *{list(args)!r}]\n"
        "from stm.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"loaded = [m for m in {list(watched)!r} if m in sys.modules]\n"
        "print('LOADED', json.dumps(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    marker = [line for line in result.stderr.splitlines() if line.startswith("LOADED ")]
    assert marker, result.stderr
    return result.stdout, json.loads(marker[-1].removeprefix("LOADED "))
