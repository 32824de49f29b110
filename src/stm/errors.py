"""The errors services raise; the CLI maps them to exit codes (SPEC §3).

Exit 1: the register as it is does not allow it (not found, ambiguous, conflict).
Exit 2: the input is wrong (malformed date, invalid e-mail, unknown district).
"""

from __future__ import annotations

from collections.abc import Iterable


class StmError(Exception):
    """Base of every error stm reports to the user as one line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(StmError):
    """A referenced record does not exist."""

    exit_code = 1


class Ambiguous(StmError):
    """A name matches more than one record."""

    exit_code = 1

    def __init__(self, what: str, ref: str, candidates: Iterable[str]) -> None:
        self.candidates = list(candidates)
        listed = "; ".join(self.candidates)
        super().__init__(f"{what} {ref!r} is ambiguous: {listed}. Use the id.")


class Conflict(StmError):
    """The change collides with what the register holds, or would lose data."""

    exit_code = 1


class Invalid(StmError):
    """The user's input is malformed: names the field and the accepted form.

    Services name domain fields (`Invalid("district", …)`); the CLI shows the option the
    user typed for it (`--district: …`, see `stm.cli._common.option_for`).
    """

    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}" if field else message)

    def naming(self, name: str) -> str:
        """The message with the field called `name` (the CLI's option for it)."""
        return f"{name}: {self.detail}" if name else self.detail


class RegisterError(StmError):
    """The register cannot be opened or used (missing, corrupt, too new)."""

    exit_code = 1
