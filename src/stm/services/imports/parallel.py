"""Checking a large file in a second process while the importer writes (two cores).

The process reads the file itself and sends the checked records (`Candidate`s and
`Rejected`s, see `stm.services.imports.checks`) in batches through a pipe; the pipe's
small buffer keeps it at most a batch or two ahead, so memory stays flat. Both ways
give the same records, errors and order (the import tests run both).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from stm.errors import Invalid
from stm.services.imports.checks import Candidate, Checker, Rejected, reason

BATCH = 1000  # records per message of the checking process
_AHEAD = 4  # messages the checking process may be ahead

#: The second interpreter's first line: this process's import path, then `main`. The
#: path is passed as an argument rather than through PYTHONPATH, so that the checker
#: imports this very stm, and the environment of what it starts stays the user's.
_BOOTSTRAP = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    "from stm.services.imports.parallel import main; main(sys.argv[2:])"
)


class CheckerProcess:
    """Checks a file in a second process; iterate it for the records, in file order.

    The process is started by `start()` and stopped on leaving the `with` block, also
    when the importer stops early on an error. It writes pickled messages, each after its
    length, to its standard output: `("batch", items, bytes read)`, then
    `("done", notes, bytes read)`, or `("invalid", (field, reason), …)` for a file it
    cannot read, or `("crash", traceback, …)`. A fresh interpreter rather than a fork:
    safe beside an open database connection and threads, and independent of how the
    importing program was started.
    """

    def __init__(self, path: Path, format: str, today: date) -> None:
        self.path, self.format, self.today = path, format, today
        self.bytes_read = 0
        self.notes: list[str] = []
        self.details: list[str] = []
        self._done = False

    def start(self) -> bool:
        """Start the process; `False` if this Python cannot (then check here instead)."""
        import json
        import subprocess
        import sys

        if not sys.executable:  # an embedded interpreter: nothing to start
            return False
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _BOOTSTRAP, json.dumps(sys.path), str(self.path),
                 self.format, self.today.isoformat()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
            )  # fmt: skip
        except OSError:  # no processes left, say: the import still works, more slowly
            return False
        return True

    def __enter__(self) -> CheckerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        import subprocess
        from contextlib import suppress

        process = self._process
        if self._done:  # it said all it had to: let it end by itself
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        if process.poll() is None:
            process.kill()
        assert process.stdout is not None
        process.stdout.close()
        process.wait()

    def __iter__(self) -> Iterator[Candidate | Rejected]:
        import pickle
        import queue
        import threading

        # A thread reads the pipe, so that the checker runs a few batches ahead instead of
        # waiting for the importer whenever the pipe's small buffer is full. It only reads
        # bytes (letting go of the GIL while it waits); unpickling happens here, so that
        # it never holds the GIL while the importer's database calls want it back.
        frames: queue.Queue[bytes | None] = queue.Queue(maxsize=_AHEAD)
        threading.Thread(target=self._receive, args=(frames,), daemon=True).start()
        while True:
            frame = frames.get()
            if frame is None:
                code = self._process.wait()
                raise RuntimeError(
                    f"the import's checking process stopped unexpectedly (exit code {code})"
                )
            kind, payload, self.bytes_read = pickle.loads(frame)
            if kind == "batch":
                yield from payload
            elif kind == "done":
                self.notes, self.details = payload
                self._done = True
                return
            elif kind == "invalid":
                raise Invalid(*payload)
            else:
                raise RuntimeError(f"the import's checking process failed:\n{payload}")

    def _receive(self, frames: Any) -> None:
        """Each message is its length (8 bytes) and its pickle; `None` marks the end."""
        stream = self._process.stdout
        assert stream is not None
        try:
            while True:
                size = int.from_bytes(stream.read(8), "big")
                frame = stream.read(size) if size else b""
                if not frame or len(frame) < size:
                    break
                frames.put(frame)
        except (OSError, ValueError):  # closed by __exit__: the importer has stopped
            pass
        frames.put(None)


def check_to(stream: BinaryIO, path: Path, format: str, today: date) -> None:
    """The second process's work: check the file, write the results in batches, then
    the notes (see `CheckerProcess`)."""
    import pickle

    from stm.formats.sources import open_source

    def send(*message: Any) -> None:
        frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(len(frame).to_bytes(8, "big") + frame)
        stream.flush()

    bytes_read = 0
    try:
        source = open_source(path, format)
        try:
            batch: list[Candidate | Rejected] = []
            for item in Checker(source, today).items():
                batch.append(item)
                if len(batch) >= BATCH:
                    bytes_read = source.bytes_read
                    send("batch", batch, bytes_read)
                    batch = []
            bytes_read = source.bytes_read
            if batch:
                send("batch", batch, bytes_read)
        finally:
            source.close()  # a vCard source adds its notes on closing
        send("done", (source.notes, source.details), bytes_read)
    except Invalid as error:
        send("invalid", (error.field, reason(error)), bytes_read)
    except BrokenPipeError:  # the importer stopped reading: it has stopped
        pass
    except Exception:
        send("crash", traceback.format_exc(), bytes_read)


def main(argv: list[str]) -> None:
    """`FILE FORMAT DATE`: check the file, writing to standard output."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the importer, which stops us
    path, format, today = argv[:3]
    check_to(sys.stdout.buffer, Path(path), format, date.fromisoformat(today))
