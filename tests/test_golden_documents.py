"""Golden files (issue #13 item 11): the demo's documents, Markdown and HTML, as committed
under tests/golden/, so that every change of layout or wording shows in review.

The clock is pinned (STM_NOW 2026-11-20T10:00) and the letterhead is the demo's. After an
intended change, regenerate them and review the diff:

    STM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_documents.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from documents_support import demo_documents

GOLDEN = Path(__file__).parent / "golden"
DOCUMENTS = {
    "agenda": "tagesordnung",
    "minutes": "protokoll",
    "contacts": "kontaktliste",
    "contacts-by-sector": "kontaktliste-nach-bereich",
    "report": "monatsbericht",
    "paper": "heftplanung",
}
CASES = [(name, fmt) for name in DOCUMENTS for fmt in ("md", "html")]


@pytest.fixture
def documents(demo):
    with demo.session() as session:
        yield demo_documents(session)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_the_demo_document_matches_its_golden_file(documents, name, fmt):
    text = documents[name].text(fmt)
    path = GOLDEN / f"{DOCUMENTS[name]}.{fmt}"
    if os.environ.get("STM_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; make it with STM_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True),
                str(path), "rendered now", n=1,
            )
        )  # fmt: skip
        pytest.fail(
            f"{path.name} changed (STM_UPDATE_GOLDEN=1 rewrites it):\n{diff[:4000]}",
            pytrace=False,
        )
