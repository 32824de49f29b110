"""Helpers shared by the CSV and vCard import tests."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from stm.models import Activity, Actor


def write_crlf(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """The text as a file with Windows line ends, as Excel and phones write them."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def actors(register) -> dict[str, Actor]:
    """The register's actors by name."""
    with register.session() as session:
        return {a.name: a for a in session.exec(select(Actor)).all()}


def assert_nothing_imported(register, result, *fragments: str) -> None:
    """Exit 2 with one error line holding the fragments; no actor and no log entry written."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert register.count(Actor) == 0
    assert register.count(Activity, Activity.action.like("actor%")) == 0
