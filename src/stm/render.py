"""The one rendering pipeline every document uses (agenda, minutes, contacts, reports).

Templates live in the shipped `templates/` folder; a file of the same name in the
user's `templates_dir` (config) overrides the shipped one, file by file. Renderers get
plain data (dicts) from services, never a session.

- Markdown: `<name>.md.j2`; every user-typed value goes through the `md` filters, so
  the output stays valid CommonMark whatever was typed (`*`, `|`, `#`, `<`, …).
- HTML: `<name>.html.j2`, autoescaped, extending `base.html.j2` (A4 print CSS, page
  numbers, the office's letterhead).
- PDF: the HTML through WeasyPrint, imported only here and only for PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stm.errors import Invalid, StmError
from stm.resources import resource_dir

if TYPE_CHECKING:
    from jinja2 import Environment


class DocumentFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


class RenderError(StmError):
    """A document could not be made (a broken template, a missing system library)."""

    exit_code = 1


@dataclass
class RenderOptions:
    lang: str = "de"
    letterhead: dict[str, str] = field(default_factory=dict)
    templates_dir: Path | None = None

    @classmethod
    def from_config(cls, config: Any, lang: str | None = None) -> RenderOptions:
        return cls(
            lang=lang or config.language,
            letterhead=dict(config.letterhead),
            templates_dir=config.templates_dir,
        )


# ----------------------------------------------------------------------------- filters

_LOCALES = {"de": "de_DE", "en": "en_GB"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "de_DE")


def format_date_long(value: date | datetime | None, lang: str = "de") -> str:
    """`Dienstag, 8. Dezember 2026` (en: `Tuesday, 8 December 2026`)."""
    if value is None:
        return ""
    from babel.dates import format_date

    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="full", locale=_locale(lang))


def format_time(value: time | datetime | None, lang: str = "de") -> str:
    """`18:00 Uhr` (en: `18:00`)."""
    if value is None:
        return ""
    moment = value.time() if isinstance(value, datetime) else value
    text = f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{text} Uhr" if lang == "de" else text


def format_datetime_long(value: datetime | None, lang: str = "de") -> str:
    """`Dienstag, 8. Dezember 2026, 18:00 Uhr` (en: `Tuesday, 8 December 2026, 18:00`)."""
    if value is None:
        return ""
    return f"{format_date_long(value, lang)}, {format_time(value, lang)}"


def format_date_short(value: date | datetime | None, lang: str = "de") -> str:
    """`08.12.2026` (en: `8 Dec 2026`)."""
    if value is None:
        return ""
    from babel.dates import format_date

    day = value.date() if isinstance(value, datetime) else value
    if lang == "de":
        return day.strftime("%d.%m.%Y")
    return format_date(day, format="medium", locale=_locale(lang))


def format_money(value: Decimal | str | float | None, lang: str = "de") -> str:
    """`12.500,50 €` (en: `€12,500.50`)."""
    if value is None or value == "":
        return ""
    from babel.numbers import format_currency

    return format_currency(Decimal(str(value)), "EUR", locale=_locale(lang))


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_escape(value: Any) -> str:
    """One line of user text, safe inside Markdown (incl. table cells)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def md_block(value: Any) -> str:
    """Multi-line user text (notes) as Markdown paragraphs, each line escaped."""
    if value is None:
        return ""
    lines = [md_escape(line) for line in str(value).splitlines()]
    return "  \n".join(line for line in lines)


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _label(value: Any, vocabulary: str, lang: str = "de") -> str:
    from stm import vocab

    cls = getattr(vocab, vocabulary)
    try:
        return str(cls(value).label_in(lang))
    except ValueError:
        return str(value)


# ----------------------------------------------------------------------------- environment


def template_folders(templates_dir: Path | None) -> list[Path]:
    folders = [templates_dir.expanduser()] if templates_dir else []
    return [*folders, resource_dir("templates")]


def environment(options: RenderOptions) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape

    from jinja2 import Environment as JinjaEnvironment

    env = JinjaEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in template_folders(options.templates_dir)]),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    lang = options.lang
    env.filters.update(
        date_long=lambda v: format_date_long(v, lang),
        datetime_long=lambda v: format_datetime_long(v, lang),
        date_short=lambda v: format_date_short(v, lang),
        time=lambda v: format_time(v, lang),
        money=lambda v: format_money(v, lang),
        md=md_escape,
        md_block=md_block,
        label=lambda v, vocabulary: _label(v, vocabulary, lang),
    )
    env.globals.update(
        lang=lang,
        letterhead=options.letterhead,
        t=lambda de, en: en if lang == "en" else de,
    )
    return env


def render_text(template: str, data: Mapping[str, Any], options: RenderOptions) -> str:
    """Render one template (e.g. `agenda.md.j2`) with `data`; errors name file and line."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError

    env = environment(options)
    try:
        return env.get_template(template).render(**data)
    except TemplateSyntaxError as error:
        where = error.filename or error.name or template
        raise Invalid("template", f"{where}, line {error.lineno}: {error.message}") from None
    except TemplateNotFound as error:
        raise RenderError(f"template {error.name!r} not found in {template_folders(options.templates_dir)}") from None
    except UndefinedError as error:
        raise RenderError(f"template {template}: {error.message}") from None
    except TemplateError as error:
        raise RenderError(f"template {template}: {error}") from None


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """PDF from print-ready HTML via WeasyPrint (needs the Pango library)."""
    try:
        from weasyprint import HTML
    except OSError as error:
        raise RenderError(
            "PDF needs the Pango library, which WeasyPrint could not load "
            f"({error}); install it, e.g. 'apt install libpango-1.0-0 libpangoft2-1.0-0'"
        ) from None
    except ImportError as error:
        raise RenderError(f"PDF needs WeasyPrint: {error}") from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=base_url or str(resource_dir("templates")))
    return bytes(document.write_pdf())


def render_document(
    name: str, data: Mapping[str, Any], format: DocumentFormat | str, options: RenderOptions
) -> str | bytes:
    """`name` is the template stem (`agenda`): md, html or pdf as text or bytes."""
    kind = DocumentFormat(format)
    if kind is DocumentFormat.md:
        return render_text(f"{name}.md.j2", data, options)
    html = render_text(f"{name}.html.j2", data, options)
    if kind is DocumentFormat.html:
        return html
    return html_to_pdf(html)
