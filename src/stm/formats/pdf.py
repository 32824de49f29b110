"""PDF from print-ready HTML through WeasyPrint, imported only here and only for a PDF.

WeasyPrint loads only `data:` URLs and files inside the template folders (the shipped one
and `templates_dir`), through stm's own URL fetcher; anything else ends the rendering with
one error and no document. The same HTML on the same day gives the same bytes.
"""

from __future__ import annotations

import calendar
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from stm.resources import resource_dir


@contextmanager
def _pinned_timestamps(day: date) -> Iterator[None]:
    """WeasyPrint's font subsetter (fontTools) stamps each embedded font with the current
    time unless SOURCE_DATE_EPOCH is set; pin it, so the same document gives the same PDF."""
    key = "SOURCE_DATE_EPOCH"
    saved = os.environ.get(key)
    if saved is None:
        os.environ[key] = str(calendar.timegm(day.timetuple()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(key, None)


@cache
def _fetcher_classes() -> tuple[type, type[BaseException]]:
    """stm's URL fetcher for WeasyPrint, and the error that stops a refused load."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class RefusedResource(FatalURLFetchingError):
        pass

    class TemplateFetcher(URLFetcher):
        """Loads `data:` URLs and files inside the allowed folders, nothing else."""

        def __init__(self, folders: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("data", "file"))
            self.folders = folders

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not resource_allowed(url, self.folders):
                raise RefusedResource(url)
            return super().fetch(url, headers)

    return TemplateFetcher, RefusedResource


def resource_allowed(url: str, folders: tuple[Path, ...]) -> bool:
    """Whether a document may load `url`: a data: URL, or a file inside one of `folders`."""
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    target = Path(os.path.realpath(url2pathname(unquote(parts.path))))
    return any(target.is_relative_to(os.path.realpath(folder)) for folder in folders)


def html_to_pdf(
    html: str,
    base_url: str | None = None,
    *,
    as_of: date | None = None,
    folders: tuple[Path, ...] | None = None,
) -> bytes:
    """PDF from print-ready HTML via WeasyPrint (needs the Pango library).

    `as_of` (default: today) is the date stamped into the file, for reproducible bytes.
    Only `data:` URLs and files inside `folders` (default: the shipped templates) load.
    """
    from stm.render import RenderError  # here: stm.render imports this module

    try:
        with warnings.catch_warnings():  # e.g. "HarfBuzz-Subset will be required by …"
            warnings.simplefilter("ignore", DeprecationWarning)
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
    from stm import clock

    allowed = folders or (resource_dir("templates"),)
    fetcher, refused = _fetcher_classes()
    document = HTML(
        string=html,
        base_url=base_url or str(resource_dir("templates")),
        url_fetcher=fetcher(tuple(allowed)),
    )
    try:
        with _pinned_timestamps(as_of or clock.today()):
            return bytes(document.write_pdf())
    except refused as error:
        places = " and ".join(str(folder) for folder in allowed)
        raise RenderError(
            f"the document loads {error}; a template may load only data: URLs and files "
            f"inside {places}"
        ) from None
