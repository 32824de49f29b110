"""Named points where the fault tests kill or pause stm (test-only, off unless asked).

`STM_FAULT_KILL=restore.before-replace` makes the process kill itself with SIGKILL when
it reaches that point, exactly as `kill -9` would; `STM_FAULT_PAUSE=name` makes it write
`<name>` to the file `STM_FAULT_PAUSE_FILE` and sleep there until killed (for tests that
act while a command is in the middle of its work). Unset, a point costs one lookup.
"""

from __future__ import annotations

import os
import signal
import time


def point(name: str) -> None:
    """A place in a command where a kill must leave the register sound."""
    if os.environ.get("STM_FAULT_KILL") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("STM_FAULT_PAUSE") == name:
        marker = os.environ.get("STM_FAULT_PAUSE_FILE")
        if marker:
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write(name)
        while True:
            time.sleep(0.05)
