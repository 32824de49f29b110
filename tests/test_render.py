"""The rendering pipeline: German dates, safe Markdown and HTML, overrides, PDF, errors.

Renderers take plain data, so most tests here hand the templates a dict, as the services
do; a few go through `stm agenda render` to check what the user sees.
"""

from __future__ import annotations

import builtins
import html
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stm.errors import Invalid
from stm.render import (
    RenderError,
    RenderOptions,
    format_date_long,
    format_date_short,
    format_datetime_long,
    format_money,
    format_time,
    html_to_pdf,
    md_block,
    md_escape,
    md_inline,
    render_document,
)

LETTERHEAD = {"name": "Stadtteilmanagement Groß Klein und Schmarl", "phone": "0381 0000 110"}


def agenda_data(
    title: str = "Stadtteilflohmarkt 2027", location: str = "Haus 12"
) -> dict[str, Any]:
    start = datetime(2026, 12, 8, 18, 0)
    return {
        "meeting": {
            "id": 2,
            "number": 12,
            "title": "12. Stadtteiltisch Schmarl",
            "network": {
                "name": "Stadtteiltisch Schmarl",
                "slug": "stadtteiltisch-schmarl",
                "kind": "stadtteiltisch",
            },
            "district": "Schmarl",
            "start": start,
            "end": datetime(2026, 12, 8, 18, 35),
            "location": location,
            "chair": "Anna Müller",
            "minutes_by": None,
            "state": "scheduled",
            "approved_at": None,
            "uid": "meeting-x@stm",
        },
        "items": [
            {
                "number": 1,
                "title": "Begrüßung",
                "presenter": None,
                "minutes": 5,
                "kind": "info",
                "start": start,
            },
            {
                "number": 2,
                "title": title,
                "presenter": "Mehmet Yılmaz",
                "minutes": 30,
                "kind": "decision",
                "start": datetime(2026, 12, 8, 18, 5),
            },
        ],
        "planned_end": datetime(2026, 12, 8, 18, 35),
        "open_tasks": [
            {
                "title": "Standplan erstellen",
                "owner": "Heimatverein",
                "due": date(2026, 11, 12),
                "overdue": True,
                "meeting_title": "11. Stadtteiltisch Schmarl",
                "top": 5,
            },
        ],
        "events": [
            {
                "title": "Adventsmarkt",
                "kind": "markt",
                "start": datetime(2026, 12, 12, 14, 0),
                "all_day": False,
                "location": "Dorfplatz",
                "also": [datetime(2026, 12, 19, 14, 0)],
            },
        ],
    }


def options(**kwargs: Any) -> RenderOptions:
    return RenderOptions(**{"lang": "de", "letterhead": LETTERHEAD, **kwargs})


# --------------------------------------------------------------------------- dates, money


def test_german_dates_via_babel():
    moment = datetime(2026, 12, 8, 18, 0)
    assert format_datetime_long(moment) == "Dienstag, 8. Dezember 2026, 18:00 Uhr"
    assert format_date_long(date(2027, 3, 1)) == "Montag, 1. März 2027"
    assert format_date_short(moment) == "08.12.2026"
    assert format_time(moment) == "18:00 Uhr"
    assert format_money(Decimal("12500.5")) == "12.500,50\xa0€"


def test_english_dates():
    moment = datetime(2026, 12, 8, 18, 0)
    assert format_datetime_long(moment, "en") == "Tuesday, 8 December 2026, 18:00"
    assert format_date_short(moment, "en") == "8 Dec 2026"
    assert format_money("12500.50", "en") == "€12,500.50"


def test_english_document_with_lang_en(cli, register):
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026", "--time", "18:00")
    german = cli("agenda", "render").stdout
    english = cli("agenda", "render", "--lang", "en").stdout
    assert "Dienstag, 8. Dezember 2026, 18:00 Uhr" in german and "Tagesordnung" in german
    assert "Tuesday, 8 December 2026, 18:00" in english and "Agenda" in english


# --------------------------------------------------------------------------- Markdown


def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _plain(tokens: list[Any]) -> str:
    """The text a reader sees in inline tokens (line breaks as spaces)."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _paragraph_text(markdown: str) -> tuple[list[str], str]:
    tokens = _markdown().parse(markdown)
    blocks = [t.type for t in tokens if t.block and t.nesting >= 0 and t.type != "inline"]
    inline = [t for t in tokens if t.type == "inline"]
    return blocks, _plain(inline[0].children or []) if inline else ""


def _cells(markdown: str) -> list[list[str]]:
    rows, row = [], None
    for token in _markdown().parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(_plain(token.children or []))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


TYPED = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(TYPED)
def test_escaped_text_is_one_paragraph_with_the_same_text(typed):
    normalised = " ".join(typed.split())
    blocks, text = _paragraph_text(md_escape(typed))
    if normalised:
        assert blocks == ["paragraph_open"]
        assert text == normalised


@settings(max_examples=300, deadline=None)
@given(TYPED, TYPED)
def test_escaped_text_keeps_a_table_cell(first, second):
    table = f"| A | B |\n|---|---|\n| {md_escape(first)} | {md_escape(second)} |\n"
    rows = _cells(table)
    assert rows == [["A", "B"], [" ".join(first.split()), " ".join(second.split())]]


@settings(max_examples=300, deadline=None)
@given(TYPED, TYPED)
def test_inline_escaped_text_stays_text_after_words_in_cells_and_headings(first, second):
    first_text, second_text = " ".join(first.split()), " ".join(second.split())
    blocks, text = _paragraph_text(f"Ort: {md_inline(first)}")
    assert blocks == ["paragraph_open"] and text == f"Ort: {first_text}".rstrip()
    table = f"| A | B |\n|---|---|\n| {md_inline(first)} | {md_inline(second)} |\n"
    assert _cells(table) == [["A", "B"], [first_text, second_text]]
    heading = [t for t in _markdown().parse(f"## TOP 1: {md_inline(first)}") if t.type == "inline"]
    assert _plain(heading[0].children or []) == f"TOP 1: {first_text}".rstrip()


def test_inline_escaping_leaves_numbers_and_dashes_as_typed():
    assert md_inline("11. Stadtteiltisch - Schmarl") == "11. Stadtteiltisch - Schmarl"
    assert md_escape("11. Stadtteiltisch") == "11\\. Stadtteiltisch"  # at a line's start


@pytest.mark.parametrize(
    "typed",
    [
        "*fett*",
        "a | b",
        "# Überschrift",
        "<script>alert(1)</script>",
        "1. Mai",
        "- Liste",
        "> Zitat",
        "[Link](http://x.example)",
        "`code`",
        "_x_",
        "&amp;",
        "\\",
        "===",
        "---",
        "+ plus",
        "~~durch~~",
        "![bild](x.png)",
    ],
)
def test_markdown_specials_are_escaped(typed):
    blocks, text = _paragraph_text(md_escape(typed))
    assert blocks == ["paragraph_open"]
    assert text == typed
    assert "<" not in _markdown().render(md_escape(typed)).replace("<p>", "").replace("</p>", "")


def test_md_block_keeps_paragraphs_and_lines():
    assert md_block("Erste Zeile\n- keine Liste\n\n\n# kein Titel") == (
        "Erste Zeile  \n\\- keine Liste\n\n\\# kein Titel"
    )
    assert md_block(None) == "" and md_block("   \n  ") == ""


def test_pipe_in_a_title_does_not_break_the_agenda_table():
    text = render_document("agenda", agenda_data(title="Kosten | Nutzen"), "md", options())
    rows = [r for r in _cells(text) if len(r) == 5]
    assert rows[2] == ["2", "18:05 Uhr", "Kosten | Nutzen (Beschluss)", "Mehmet Yılmaz", "30 min"]


# --------------------------------------------------------------------------- HTML


def test_script_in_a_title_is_escaped_in_html():
    page = render_document(
        "agenda", agenda_data(title="<script>alert('x')</script>"), "html", options()
    )
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_names_in_html_minutes_are_escaped():
    data = minutes_data()
    data["attendance"]["guests"] = ["<script>alert(1)</script>"]
    data["items"][0]["notes"] = "<b>fett</b>\n<i>kursiv</i>"
    page = render_document("minutes", data, "html", options())
    assert "<script>" not in page and "<b>fett" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>&lt;b&gt;fett&lt;/b&gt;<br>&lt;i&gt;kursiv&lt;/i&gt;</p>" in page


def test_letterhead_in_the_css_footer_cannot_break_out():
    head = {"name": 'Büro "Nord" & Co </style><script>x</script>'}
    page = render_document("agenda", agenda_data(), "html", options(letterhead=head))
    style = page[page.index("<style>") : page.index("</style>")]
    assert "<" not in style.replace("<style>", "")
    assert 'content: "B\u00fcro \\22 Nord\\22  \\26  Co \\3c /style\\3e ' in style
    assert "<script>x</script>" not in page


def test_html_is_a4_with_page_numbers():
    page = render_document("minutes", minutes_data(), "html", options())
    assert "size: A4" in page and "counter(page)" in page and "counter(pages)" in page


# --------------------------------------------------------------------------- overrides


def test_override_by_a_same_named_file(tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "agenda.md.j2").write_text(
        "Eigene Vorlage: {{ meeting.network.name|md }} am {{ meeting.start|datetime_long }}\n",
        encoding="utf-8",
    )
    text = render_document("agenda", agenda_data(), "md", options(templates_dir=folder))
    assert (
        text == "Eigene Vorlage: Stadtteiltisch Schmarl am Dienstag, 8. Dezember 2026, 18:00 Uhr\n"
    )
    # File by file: the HTML agenda is still the shipped one.
    page = render_document("agenda", agenda_data(), "html", options(templates_dir=folder))
    assert "Eigene Vorlage" not in page and "<h1>12. Stadtteiltisch Schmarl</h1>" in page


def test_override_of_the_base_layout_applies_to_every_html_document(tmp_path):
    (tmp_path / "base.html.j2").write_text(
        "<html><body><p>BRIEFKOPF</p>{% block content %}{% endblock %}</body></html>",
        encoding="utf-8",
    )
    page = render_document("agenda", agenda_data(), "html", options(templates_dir=tmp_path))
    assert page.startswith("<html><body><p>BRIEFKOPF</p>") and "Adventsmarkt" in page


def test_a_changed_override_is_used_at_once(tmp_path):
    import os

    template = tmp_path / "agenda.md.j2"
    template.write_text("eins\n", encoding="utf-8")
    assert (
        render_document("agenda", agenda_data(), "md", options(templates_dir=tmp_path)) == "eins\n"
    )
    template.write_text("zwei\n", encoding="utf-8")
    os.utime(template, (template.stat().st_atime, template.stat().st_mtime + 5))
    assert (
        render_document("agenda", agenda_data(), "md", options(templates_dir=tmp_path)) == "zwei\n"
    )


def _register_with_meeting(cli, tmp_path: Path, folder: Path) -> None:
    (tmp_path / "config.toml").write_text(f'templates_dir = "{folder}"\n', encoding="utf-8")
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026", "--time", "18:00")


def test_override_from_config_templates_dir(cli, register, tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "agenda.md.j2").write_text(
        "Einladung zur {{ meeting.number }}. Sitzung\n", encoding="utf-8"
    )
    _register_with_meeting(cli, tmp_path, folder)
    result = cli("agenda", "render")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Einladung zur 1. Sitzung\n"


def test_override_with_a_syntax_error_names_file_and_line(cli, register, tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    broken = folder / "agenda.md.j2"
    broken.write_text(
        "# Tagesordnung\n\n{% for item in items %}\n{{ item.title }\n", encoding="utf-8"
    )
    _register_with_meeting(cli, tmp_path, folder)
    result = cli("agenda", "render")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: template: {broken}, line 4: unexpected '}}'")
    assert len(result.stderr.splitlines()) == 1
    with pytest.raises(Invalid, match=r"agenda\.md\.j2, line 4"):
        render_document("agenda", agenda_data(), "md", options(templates_dir=folder))


def test_override_with_an_unknown_name_names_file_and_line(cli, register, tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "agenda.md.j2").write_text("Titel\n{{ meeting.untertitel|md }}\n", encoding="utf-8")
    _register_with_meeting(cli, tmp_path, folder)
    result = cli("agenda", "render")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: template {folder / 'agenda.md.j2'}, line 2: "
        "'dict object' has no attribute 'untertitel'\n"
    )


def test_unknown_format_is_an_input_error():
    with pytest.raises(Invalid, match="unknown document format 'docx'; use md, html, pdf"):
        render_document("agenda", agenda_data(), "docx", options())


# --------------------------------------------------------------------------- PDF


def minutes_data() -> dict[str, Any]:
    meeting = agenda_data()["meeting"] | {
        "number": 11,
        "title": "11. Stadtteiltisch Schmarl",
        "state": "held",
    }
    decision = {
        "text": "Der Adventsmarkt wird mit 300 € unterstützt.",
        "yes": 7,
        "no": 0,
        "abstain": 1,
        "result": "adopted",
        "adopted": True,
        "unanimous": False,
        "quorate": True,
    }
    task = {
        "id": 3,
        "title": "Standplan erstellen",
        "owner": "Heimatverein Dorf Schmarl e.V.",
        "due": date(2026, 12, 1),
        "status": "open",
        "top": 2,
    }
    return {
        "meeting": meeting,
        "attendance": {
            "present": ["Anna Müller", "Jörg Weißenfels"],
            "excused": ["Ayşe Demir"],
            "absent": [],
            "guests": ["Gerda Beispiel"],
        },
        "quorum": {"voting": 4, "present": 2, "quorate": False},
        "items": [
            {
                "number": 1,
                "title": "Begrüßung",
                "presenter": None,
                "kind": "info",
                "public": True,
                "notes": "Straßenfest geplant.",
                "decisions": [],
                "tasks": [],
            },
            {
                "number": 2,
                "title": "Adventsmarkt",
                "presenter": "Heimatverein",
                "kind": "decision",
                "public": True,
                "notes": None,
                "decisions": [decision],
                "tasks": [task],
            },
        ],
        "tasks": [task],
        "approved": False,
    }


def test_pdf_text_checked_with_pypdf():
    import io

    from pypdf import PdfReader

    pdf = render_document("minutes", minutes_data(), "pdf", options())
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Stadtteilmanagement Groß Klein und Schmarl",
        "Protokoll",
        "11. Stadtteiltisch Schmarl",
        "Dienstag, 8. Dezember 2026, 18:00 Uhr",
        "Jörg Weißenfels",
        "Ayşe Demir",
        "Straßenfest geplant.",
        "Der Adventsmarkt wird mit 300 € unterstützt.",
        "7 Ja-Stimmen, 0 Gegenstimmen, 1 Enthaltung",
        "Standplan erstellen",
        "Seite 1 von",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Protokoll: 11. Stadtteiltisch Schmarl"


def test_same_data_gives_the_same_pdf_bytes():
    first = render_document("agenda", agenda_data(), "pdf", options())
    second = render_document("agenda", agenda_data(), "pdf", options())
    assert first == second


def _without_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `import weasyprint` fail as it does when the Pango library is missing."""
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError(
                "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                "object file: No such file or directory"
            )
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_missing_pango_gives_a_clear_error(monkeypatch):
    _without_pango(monkeypatch)
    with pytest.raises(RenderError) as caught:
        html_to_pdf("<p>Test</p>")
    message = str(caught.value)
    assert message.startswith("PDF needs the Pango library, which WeasyPrint could not load")
    assert "apt install libpango-1.0-0" in message


def test_missing_pango_through_the_cli(cli, register, monkeypatch, tmp_path):
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026", "--time", "18:00")
    _without_pango(monkeypatch)
    target = tmp_path / "agenda.pdf"
    result = cli("agenda", "render", "--format", "pdf", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: PDF needs the Pango library")
    assert len(result.stderr.splitlines()) == 1
    assert not target.exists()
    # Markdown and HTML need no Pango.
    assert cli("agenda", "render", "--format", "html").exit_code == 0


def test_html_escaping_matches_the_standard_library():
    title = 'Grün & Blau <Kita> "Sonnenschein"'
    page = render_document("agenda", agenda_data(title=title), "html", options())
    assert html.escape(title, quote=True).replace("&quot;", "&#34;") in page


def test_compiled_templates_are_kept_privately_and_follow_an_edit(tmp_path, monkeypatch):
    """Jinja's bytecode cache in the user's cache folder: a new process (here: a new
    environment) loads the compiled template, and an edited override is compiled anew."""
    import os

    from stm.render import _environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = tmp_path / "agenda.md.j2"
    template.write_text("eins\n", encoding="utf-8")
    _environment.cache_clear()
    assert render_document("agenda", agenda_data(), "md", options(templates_dir=tmp_path)) == (
        "eins\n"
    )
    folder = tmp_path / "cache" / "stm" / "templates"
    kept = list(folder.glob("__jinja2_*.cache"))
    assert kept and all(path.stat().st_mode & 0o777 == 0o600 for path in kept)
    assert folder.stat().st_mode & 0o777 == 0o700
    template.write_text("zwei\n", encoding="utf-8")
    _environment.cache_clear()
    assert render_document("agenda", agenda_data(), "md", options(templates_dir=tmp_path)) == (
        "zwei\n"
    )
    os.chmod(folder, 0o500)  # a cache that cannot be written: the document still renders
    try:
        if not os.access(folder, os.W_OK):
            template.write_text("drei\n", encoding="utf-8")
            _environment.cache_clear()
            assert render_document(
                "agenda", agenda_data(), "md", options(templates_dir=tmp_path)
            ) == ("drei\n")
    finally:
        os.chmod(folder, 0o700)
        _environment.cache_clear()
