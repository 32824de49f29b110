"""Everything on the page (issue #13 item 3).

The demo's documents and a stress version of each (e-mail addresses of 60 characters,
names of 80, 40 TOPs, 200 attendees) are rendered as PDF and read back with pdfplumber:

- every character lies inside the printable area of A4 (the page footer in the bottom
  margin is the only text outside the body);
- phone numbers, times and e-mail addresses are never broken across lines;
- no word of a table cell is hyphenated by the layout;
- no page holds only a line or two (a lone table row or box).
"""

from __future__ import annotations

import io
import itertools
import re

import pytest

from documents_support import Document, demo_documents, visible_text

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber (test extra) reads positions")

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 25 * MM, PAGE_W - 20 * MM, 22 * MM, PAGE_H - 22 * MM
SLACK = 0.6  # points: rounding of glyph boxes

LONG_NAME = "Förderverein für Kinder- und Jugendarbeit im Stadtteil Groß Klein und Schmarl e.V."
LONG_EMAIL = "vorstand.kinder-und-jugendarbeit.grossklein@foerderverein.de"
LONG_TITLE = "Stadtteilflohmarkt 2027 auf dem Dorfplatz: Termin, Standorte, Helferinnen und Helfer"
assert len(LONG_NAME) >= 80 and len(LONG_EMAIL) == 60 and len(LONG_TITLE) >= 80


def _stress(name: str, document: Document) -> dict:
    data = document.copy()
    if name == "agenda":
        template = data["items"][0]
        data["items"] = [
            dict(template, number=n, title=LONG_TITLE if n % 3 == 0 else f"Bericht {n}",
                 presenter=LONG_NAME if n % 4 == 0 else "Anna Müller", kind="decision")
            for n in range(1, 41)
        ]  # fmt: skip
        data["open_tasks"] = [
            dict(t, owner=LONG_NAME, title=LONG_TITLE) for t in data["open_tasks"]
        ]
    elif name == "minutes":
        names = [
            LONG_NAME if n % 10 == 0 else f"Person {n} (Verein Nummer {n})" for n in range(200)
        ]
        data["attendance"]["present"] = names
        template = next(i for i in data["items"] if i["tasks"] and i["decisions"])
        data["items"] = [
            dict(template, number=n, title=LONG_TITLE, presenter=LONG_NAME) for n in range(1, 41)
        ]
        data["tasks"] = [dict(data["tasks"][0], id=n, title=LONG_TITLE, owner=LONG_NAME)
                         for n in range(1, 41)]  # fmt: skip
    elif name.startswith("contacts"):
        for group in data["groups"]:
            for row in group["entries"]:
                row.update(name=LONG_NAME, email=LONG_EMAIL, organisation=LONG_NAME)
                row["address"] = "Kleiner Warnowdamm 12, 18109 Rostock-Groß Klein"
            if group.get("organisation"):
                group["organisation"].update(email=LONG_EMAIL)
    elif name == "report":
        for event in data["events"]:
            event.update(title=LONG_TITLE, location=LONG_NAME)
        for concern in data["concerns"]["records"]:
            concern.update(title=LONG_TITLE, forwarded_to=LONG_NAME)
        for project in data["projects"]["active"]:
            project.update(title=LONG_TITLE, lead=LONG_NAME)
    elif name == "verwendungsnachweis":
        data["receipts"] = [dict(r, payee=LONG_NAME, position=LONG_TITLE[:40], number=n)
                            for n in range(1, 301) for r in data["receipts"][:1]]  # fmt: skip
        data["costs"] = [dict(c, name=LONG_TITLE) for c in data["costs"]]
    elif name == "paper":
        data["articles"] = [dict(a, title=LONG_TITLE, author=LONG_NAME) for a in data["articles"]]
    return data


NAMES = ["agenda", "minutes", "contacts", "contacts-by-sector", "report", "paper",
         "verwendungsnachweis"]  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each document, demo and stress, as (PDF bytes, HTML) — rendered once per module."""
    import os
    import shutil

    from conftest import PINNED_NOW, run
    from stm.store import Location, open_register

    folder = tmp_path_factory.mktemp("layout-demo")
    saved = {k: os.environ.get(k) for k in ("STM_NOW", "STM_CONFIG", "STM_DB")}
    os.environ.update(STM_NOW=PINNED_NOW, STM_CONFIG=str(folder / "config.toml"))
    os.environ.pop("STM_DB", None)
    try:
        assert run("demo", "--dir", str(folder)).exit_code == 0
        register = open_register(Location(path=folder / "register.sqlite", source="test"))
        with register.session() as session:
            documents = demo_documents(session)
        register.close()
        result = {}
        for name in NAMES:
            document = documents[name]
            for variant, data in (("demo", document.data), ("stress", _stress(name, document))):
                html = document.text("html", data=data)
                result[name, variant] = (document.text("pdf", data=data), html)
        yield result
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)


CASES = [(n, v) for n in NAMES for v in ("demo", "stress")]
IDS = [f"{n}-{v}" for n, v in CASES]


def _pages(pdf: bytes):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            yield page.chars, [line["text"] for line in page.extract_text_lines()]


@pytest.mark.parametrize(("name", "variant"), CASES, ids=IDS)
def test_every_character_is_inside_the_printable_area(rendered, name, variant):
    pdf, _html = rendered[name, variant]
    for number, (chars, _lines) in enumerate(_pages(pdf), start=1):
        assert chars, f"page {number} is empty"
        for char in chars:
            where = f"page {number}: {char['text']!r} at x {char['x0']:.1f}–{char['x1']:.1f}"
            assert char["x0"] >= LEFT - SLACK and char["x1"] <= RIGHT + SLACK, where
            assert char["top"] >= TOP - SLACK, where
            if char["bottom"] > BOTTOM + SLACK:  # only the footer lives in the bottom margin,
                # clear of the 5 mm a printer cannot print on
                assert char["size"] < 9 and char["bottom"] < PAGE_H - 5 * MM, where


@pytest.mark.parametrize(("name", "variant"), CASES, ids=IDS)
def test_no_page_holds_only_a_line_or_two(rendered, name, variant):
    pdf, _html = rendered[name, variant]
    for number, (chars, _lines) in enumerate(_pages(pdf), start=1):
        body = {round(c["top"]) for c in chars if c["bottom"] <= BOTTOM + SLACK}
        assert len(body) >= 4, f"page {number} holds only {len(body)} line(s)"


PHONE = re.compile(r"\b0\d{2,4}(?: \d{2,8}){1,3}\b")
TIME = re.compile(r"\b\d{1,2}:\d{2}(?: Uhr)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.parametrize(("name", "variant"), CASES, ids=IDS)
def test_phones_times_and_emails_are_never_broken(rendered, name, variant):
    pdf, html = rendered[name, variant]
    lines = [line for _chars, page in _pages(pdf) for line in page]
    text = "\n".join(lines)
    wanted = set()
    for pattern in (PHONE, TIME, EMAIL):
        wanted |= set(pattern.findall(visible_text(html)))
    assert wanted or name == "paper"
    for value in wanted:
        assert value in text, f"{value!r} is broken across lines"


@pytest.mark.parametrize(("name", "variant"), CASES, ids=IDS)
def test_no_word_is_hyphenated_by_the_layout(rendered, name, variant):
    pdf, html = rendered[name, variant]
    words = set(re.findall(r"\w+", visible_text(html)))
    for _chars, lines in _pages(pdf):
        for line, following in itertools.pairwise(lines):
            head = re.search(r"(\w+)-$", line)
            tail = re.match(r"(\w+)", following)
            if head and tail:
                joined = head.group(1) + tail.group(1)
                assert joined not in words, f"{joined!r} hyphenated: {line!r} / {following!r}"


def test_the_contact_sheet_by_sector_fits_a4_in_two_line_entries(rendered):
    pdf, html = rendered["contacts-by-sector", "stress"]
    assert 'class="entry"' in html and "<table>" not in html.split("<main>")[1]
    lines = [line for _chars, page in _pages(pdf) for line in page]
    assert sum(LONG_EMAIL in line for line in lines) >= 5


def test_the_call_for_articles_stays_with_the_plan(rendered):
    pdf, _html = rendered["paper", "demo"]
    pages = ["\n".join(lines) for _chars, lines in _pages(pdf)]
    with_call = next(p for p in pages if "Aufruf: Beiträge gesucht" in p)
    assert "Summe" in with_call and "Noch frei" in with_call


def test_the_minutes_last_page_holds_more_than_one_task(rendered):
    pdf, _html = rendered["minutes", "stress"]
    *_, (_chars, last) = _pages(pdf)
    assert sum(LONG_TITLE[:20] in line for line in last) >= 2


# ------------------------------------------------------------------ HTML on screen (item 10)


@pytest.mark.parametrize("name", NAMES)
def test_html_has_a_screen_sheet_and_the_a4_print_layout(rendered, name):
    _pdf, html = rendered[name, "demo"]
    style = html.split("<style>")[1].split("</style>")[0]
    screen = style.split("@media screen {")[1].split("}\n")[1]
    assert "max-width: 170mm" in screen and "margin: 24px auto" in screen
    assert "@media print { body { margin: 0; } }" in style
    assert "size: A4" in style


def test_a_browser_shows_the_text_away_from_the_window_edge(rendered, tmp_path):
    """Headless Chromium: the window's edge shows the background, the text sits on a sheet."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium on this machine (apt install chromium) to look at the HTML")
    from PIL import Image

    page = tmp_path / "agenda.html"
    page.write_text(rendered["agenda", "demo"][1], encoding="utf-8")
    shot = tmp_path / "agenda.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = Image.open(shot).convert("RGB")
    edge = {image.getpixel((x, y)) for x in range(0, 60, 5) for y in range(0, 1600, 20)}
    assert edge == {(236, 234, 230)}, edge  # only the background at the window's edge
    sheet = {image.getpixel((x, y)) for x in range(250, 950, 3) for y in range(200, 1400, 9)}
    assert (255, 255, 255) in sheet and len(sheet) > 3  # dark text on a white sheet
