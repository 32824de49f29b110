"""The one rendering pipeline every document uses (agenda, minutes, contacts, reports).

Templates live in the shipped `templates/` folder; a file of the same name in the
user's `templates_dir` (config) overrides the shipped one, file by file. Renderers get
plain data (dicts) from services, never a session.

- Markdown: `<name>.md.j2`; every user-typed value goes through the `md` filters, so
  the output stays valid CommonMark whatever was typed (`*`, `|`, `#`, `<`, …): `md` where
  a value may start a block (a line, a list item), `md_inline` inside a line (after text,
  in a heading or a table cell), `md_block` for multi-line text (`stm.formats.markdown`).
- HTML: `<name>.html.j2`, autoescaped, extending `base.html.j2` (A4 print CSS, page
  numbers, the office's letterhead).
- PDF: the HTML through WeasyPrint (`stm.formats.pdf`), imported only for a PDF.

Templates run sandboxed (SPEC §2.7): a user's override may come from anywhere, so
every template renders in Jinja2's `SandboxedEnvironment` (no `__globals__`, no
`os.popen` through `cycler.__init__`), and WeasyPrint loads only `data:` URLs and files
inside the template folders (the shipped one and `templates_dir`), through stm's own
URL fetcher; anything else ends the rendering with one error and no document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stm.errors import Invalid, StmError
from stm.formats.markdown import md_block, md_escape, md_inline, paragraphs
from stm.formats.pdf import html_to_pdf
from stm.formats.pdf import resource_allowed as resource_allowed
from stm.resources import resource_dir
from stm.wording import (
    format_count,
    format_date_long,
    format_date_short,
    format_datetime_long,
    format_money,
    format_time,
    plural,
    plural_word,
)

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
    #: The date a PDF is stamped with (default: today), so the same data gives the same bytes.
    document_date: date | None = None

    @classmethod
    def from_config(cls, config: Any, lang: str | None = None) -> RenderOptions:
        return cls(
            lang=lang or config.language,
            letterhead=dict(config.letterhead),
            templates_dir=config.templates_dir,
        )


def css_string(value: Any) -> Any:
    """A value as a quoted CSS string, e.g. for `content:` in the page footer.

    CSS escapes (`\\22 `) instead of HTML entities, which CSS would show literally; `<` is
    escaped too, so the text can never close the `<style>` element.
    """
    from markupsafe import Markup

    text = " ".join(str(value or "").split())
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 32 else c for c in text)
    return Markup(f'"{escaped}"')


def _label(value: Any, vocabulary: str, lang: str = "de") -> str:
    from stm import vocab

    cls = getattr(vocab, vocabulary)
    try:
        return str(cls(value).label_in(lang))
    except ValueError:
        return str(value)


# ----------------------------------------------------------------------------- environment


def template_folders(templates_dir: Path | None) -> list[Path]:
    """The user's override folder first (if configured), then the shipped templates."""
    folders = [templates_dir.expanduser()] if templates_dir else []
    return [*folders, resource_dir("templates")]


def environment(options: RenderOptions) -> Environment:
    """The Jinja2 environment for one language, letterhead and override folder."""
    letterhead = tuple(sorted(options.letterhead.items()))
    return _environment(options.lang, letterhead, options.templates_dir)


@cache
def _environment(
    lang: str, letterhead: tuple[tuple[str, str], ...], templates_dir: Path | None
) -> Environment:
    # Cached: an environment keeps its compiled templates, and its loaders notice when a
    # template file changes, so reuse is safe and saves recompiling on every document.
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    folders = template_folders(templates_dir)
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2", "svg.j2"), default=False
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        date_long=_whole("date", lambda v: format_date_long(v, lang)),
        datetime_long=_datetime_filter(lang),
        date_short=_whole("date", lambda v: format_date_short(v, lang)),
        time=_whole("time", lambda v: format_time(v, lang)),
        money=lambda v: format_money(v, lang),
        md=md_escape,
        md_inline=md_inline,
        md_block=md_block,
        paragraphs=paragraphs,
        css_string=css_string,
        label=lambda v, vocabulary: _label(v, vocabulary, lang),
        plural=lambda v, word, other=None: plural(v, word, other, lang),
        plural_word=lambda v, word, other=None: plural_word(v or 0, word, other, lang),
        number=lambda v: format_count(v, lang),
    )
    env.globals.update(
        lang=lang,
        letterhead=dict(letterhead),
        t=lambda de, en: en if lang == "en" else de,
    )
    return env


def _bytecode_cache() -> Any:
    """Compiled templates kept between runs, in the user's cache folder (Jinja's own cache:
    a template's source checksum is part of its key, so an edited override is compiled
    anew). Saves a tenth of a second per document; none where the folder cannot be made
    or written, or with STM_NO_TEMPLATE_CACHE set."""
    import os

    if os.environ.get("STM_NO_TEMPLATE_CACHE"):
        return None
    from jinja2 import FileSystemBytecodeCache
    from platformdirs import user_cache_path

    from stm.private_files import private_folder

    class Cache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            from contextlib import suppress

            with suppress(OSError):  # a full disk or a read-only cache: it still renders
                super().dump_bytecode(bucket)

    folder = user_cache_path("stm") / "templates"
    try:
        private_folder(folder)
    except OSError:
        return None
    return Cache(str(folder)) if os.access(folder, os.W_OK) else None


def _whole(css: str, format: Any) -> Any:
    """A filter whose text is read whole: in HTML it comes in a `nowrap` span of class
    `css`, so a date or time never breaks across lines; Markdown gets the plain text."""
    from jinja2 import pass_eval_context
    from markupsafe import Markup, escape

    @pass_eval_context
    def whole(context: Any, value: Any) -> Any:
        text = format(value)
        if not context.autoescape or not text:
            return text
        return Markup(f'<span class="{css}">{escape(text)}</span>')

    return whole


def _datetime_filter(lang: str) -> Any:
    """`Dienstag, 8. Dezember 2026, 18:00 Uhr`; in HTML the date and the time each whole."""
    from jinja2 import pass_eval_context
    from markupsafe import Markup

    date_part = _whole("date", lambda v: format_date_long(v, lang))
    time_part = _whole("time", lambda v: format_time(v, lang))

    @pass_eval_context
    def datetime_long(context: Any, value: Any) -> Any:
        if not context.autoescape or value is None:
            return format_datetime_long(value, lang)
        return Markup(f"{date_part(context, value)}, {time_part(context, value)}")

    return datetime_long


def render_text(template: str, data: Mapping[str, Any], options: RenderOptions) -> str:
    """Render one template (e.g. `agenda.md.j2`) with `data`; errors name file and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    env = environment(options)
    try:
        return env.get_template(template).render(**data)
    except SecurityError as error:
        where = _template_position(error) or template
        raise RenderError(f"template {where}: not allowed in a template: {error}") from None
    except TemplateSyntaxError as error:
        where = error.filename or error.name or template
        raise Invalid("template", f"{where}, line {error.lineno}: {error.message}") from None
    except TemplateNotFound as error:
        folders = ", ".join(str(f) for f in template_folders(options.templates_dir))
        raise RenderError(f"template {error.name!r} not found in {folders}") from None
    except StmError:
        raise
    except Exception as error:  # a broken override: undefined names, wrong types, …
        where = _template_position(error) or template
        message = getattr(error, "message", None) or str(error)
        raise RenderError(f"template {where}: {message}") from None


def _template_position(error: BaseException) -> str | None:
    """`file, line N` of the innermost template frame of a rendering error, if any."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return None
    return f"{frames[-1].filename}, line {frames[-1].lineno}"


def document_format(value: DocumentFormat | str, field: str = "--format") -> DocumentFormat:
    try:
        return DocumentFormat(value)
    except ValueError:
        accepted = ", ".join(f.value for f in DocumentFormat)
        raise Invalid(field, f"unknown document format {value!r}; use {accepted}") from None


def render_document(
    name: str, data: Mapping[str, Any], format: DocumentFormat | str, options: RenderOptions
) -> str | bytes:
    """`name` is the template stem (`agenda`): md, html or pdf as text or bytes."""
    kind = document_format(format)
    if kind is DocumentFormat.md:
        return render_text(f"{name}.md.j2", data, options)
    html = render_text(f"{name}.html.j2", data, options)
    if kind is DocumentFormat.html:
        return html
    # Relative links in an override (a logo next to the template) resolve in its folder.
    folders = template_folders(options.templates_dir)
    return html_to_pdf(
        html, base_url=str(folders[0]), as_of=options.document_date, folders=tuple(folders)
    )


# ----------------------------------------------------------------------------- the report

REPORT_DEADLINE_LABELS = {
    "paper_deadline": ("Redaktionsschluss", "Newspaper deadline"),
    "paper_publish": ("Erscheinungstermin", "Newspaper out"),
    "task": ("Aufgabe fällig", "Task due"),
    "concern_follow_up": ("Rückmeldung zum Anliegen", "Concern follow-up"),
}
#: Whom concerns went to (`stm.services.report`'s addressees), as the report says it.
REPORT_ADDRESSEE_LABELS = {
    "administration": ("an die Verwaltung", "to the administration"),
    "housing": ("an Wohnungsunternehmen", "to housing companies"),
    "politics": ("an die Politik", "to local politics"),
    "social": ("an soziale Träger", "to social organisations"),
    "education": ("an Schulen und Kitas", "to schools and day-care centres"),
    "associations": ("an Vereine und Initiativen", "to associations and initiatives"),
    "business": ("an Gewerbe und Medien", "to businesses and media"),
    "other": ("an andere Stellen", "to others"),
}


def _month_title(first: date, lang: str) -> str:
    from babel.dates import format_date

    return str(format_date(first, "LLLL y", locale="en_GB" if lang == "en" else "de_DE"))


def render_report(
    data: Mapping[str, Any], format: DocumentFormat | str, options: RenderOptions
) -> str | bytes:
    """The monthly report (`stm.services.report.monthly_report`) as Markdown, HTML (with
    inline SVG charts) or a PDF stamped with the month's last day, so the same register
    gives the same bytes."""
    from dataclasses import replace

    lang = options.lang
    start: date = data["period"]["start"]
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)

    def labels(table: dict[str, tuple[str, str]]) -> dict[str, str]:
        return {key: en if lang == "en" else de for key, (de, en) in table.items()}

    document = {
        **data,
        "month_title": _month_title(start, lang),
        "next_month_title": _month_title(following, lang),
        "district_names": {row["slug"]: row["name"] for row in data["districts"]},
        "deadline_labels": labels(REPORT_DEADLINE_LABELS),
        "addressee_labels": labels(REPORT_ADDRESSEE_LABELS),
    }
    pinned = replace(options, document_date=data["period"]["end"])
    return render_document("report", document, format, pinned)
