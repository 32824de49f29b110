"""Markdown that parses as meant (issue #13 item 4).

Every Markdown document of the demo goes through a CommonMark parser (markdown-it-py, with
GFM tables as GitHub and Pandoc read them), in German and English. Each source line must be
the block the template means: `#` lines headings, `- ` lines list items of their own,
`|` lines table rows, other text paragraphs; a heading has a blank line before it, and the
items the data holds (tasks, TOPs, articles) are one block each.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from documents_support import demo_documents

NAMES = ["agenda", "minutes", "contacts", "contacts-by-sector", "report", "paper",
         "verwendungsnachweis"]  # fmt: skip


def parse(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def block_of_each_line(text: str) -> dict[int, str]:
    """Line number → the innermost block that starts there (heading, item, row, …)."""
    starts: dict[int, str] = {}
    for token in parse(text):
        if token.map and token.nesting >= 0 and token.type != "inline":
            start, _end = token.map
            kind = token.type.removesuffix("_open")
            starts[start] = starts.get(start, "") + " " + kind
    return starts


def check_structure(text: str) -> None:
    lines = text.splitlines()
    starts = block_of_each_line(text)
    for number, line in enumerate(lines):
        kinds = starts.get(number, "")
        where = f"line {number + 1}: {line!r} is {kinds.strip() or 'a continuation'}"
        if re.match(r"#{1,6} ", line):
            assert "heading" in kinds, where
            assert number == 0 or lines[number - 1] == "", f"no blank line before {where}"
        elif line.startswith("- "):
            assert "list_item" in kinds, where
        elif re.fullmatch(r"\|[-:| ]+\|", line):  # a table's delimiter row
            assert "thead" in starts.get(number - 1, ""), where
        elif line.startswith("|"):
            assert "tr" in kinds, where
        elif line == "---":
            assert "hr" in kinds, where
        elif line.strip():
            previous = lines[number - 1] if number else ""
            if not previous.strip() or re.match(r"#{1,6} ", previous):
                assert "paragraph" in kinds, where


@pytest.fixture
def documents(demo):
    with demo.session() as session:
        yield {lang: demo_documents(session, lang) for lang in ("de", "en")}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_every_demo_document_parses_as_meant(documents, name, lang):
    check_structure(documents[lang][name].text("md", lang))


def _items(tokens) -> list[str]:
    """The text of each list item."""
    texts, depth, current = [], 0, []
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            current = []
        elif token.type == "list_item_close":
            depth -= 1
            texts.append(" ".join(current))
        elif depth and token.type == "inline":
            current.append(token.content)
    return texts


def test_each_task_of_the_minutes_is_a_list_item_of_its_own(documents):
    document = documents["de"]["minutes"]
    data = document.copy()
    item = next(i for i in data["items"] if i["tasks"])
    item["tasks"] = [dict(item["tasks"][0], id=n, title=f"Aufgabe {n}") for n in (1, 2, 3)]
    tokens = parse(document.text("md", "de", data))
    items = [t for t in _items(tokens) if t.startswith("Aufgabe ")]
    assert [t.split(" – ")[0] for t in items] == ["Aufgabe 1", "Aufgabe 2", "Aufgabe 3"]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert [h for h in headings if h.startswith("TOP ")] == [
        f"TOP {i['number']}: {i['title']}" for i in data["items"]
    ]


def test_the_call_for_articles_is_two_paragraphs(documents):
    tokens = parse(documents["de"]["paper"].text("md", "de"))
    paragraphs = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    call = next(p for p in paragraphs if p.startswith("Vereine, Initiativen"))
    assert call.endswith("Redaktionsschluss ist **Freitag, 4. Dezember 2026**.")
    assert any(p.startswith("Beiträge und Fragen an: ") for p in paragraphs)


def test_agenda_tops_are_table_rows(documents):
    document = documents["de"]["agenda"]
    tokens = parse(document.text("md", "de"))
    cells = [t.content for t in tokens if t.type == "inline"]
    for item in document.data["items"]:
        assert any(c.startswith(item["title"]) for c in cells), item["title"]


def test_the_check_catches_what_went_wrong_before():
    broken = "## TOP 5\n\n- eins bis 15.01.2027- zwei\n## TOP 6\n"
    with pytest.raises(AssertionError, match="no blank line"):
        check_structure(broken)
    run_on = "Der Aufruf.\nBeiträge an: x\n| a | b |\n"
    check_structure("Der Aufruf.\n\nBeiträge an: x\n")
    with pytest.raises(AssertionError):
        check_structure(run_on + "\n- item\n# Heading\n")
