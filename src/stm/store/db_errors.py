"""What a database error means for the user, as the one line SPEC §3 asks for."""

from __future__ import annotations

from stm.errors import Invalid, RegisterError, StmError

BUSY_MESSAGE = "the register is busy (another stm is writing); try again"


def explain_database_error(error: BaseException) -> StmError:
    """What the database's error means for the user, as one line (SPEC §3)."""
    original = getattr(error, "orig", None) or error
    text = (str(original).strip().splitlines() or [""])[0]
    name = getattr(original, "sqlite_errorname", "") or ""
    lowered = text.lower()
    if "locked" in lowered or name.startswith("SQLITE_BUSY"):
        return RegisterError(BUSY_MESSAGE)
    if name == "SQLITE_READONLY_DBMOVED":
        return RegisterError(
            "the register file was replaced while this command waited (stm db restore); "
            "nothing was written; try again"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return RegisterError("the register file is read-only: this command cannot change it")
    if "disk is full" in lowered or "no space left" in lowered:
        return RegisterError(f"the disk is full ({text}); nothing was written; free some space")
    if "malformed" in lowered or "not a database" in lowered or name == "SQLITE_CORRUPT":
        return RegisterError(
            f"the register file is damaged: {text}; "
            "restore a backup with 'stm db restore BACKUP --yes'"
        )
    if "disk i/o error" in lowered:
        return RegisterError(
            f"the register file cannot be read or written ({text}): "
            "check the disk and the file's permissions"
        )
    if "out of range" in lowered or ("too large" in lowered and "integer" in lowered):
        return Invalid("number", f"a number given is too large for the register ({text})")
    return RegisterError(f"the register refused the change: {text}")
