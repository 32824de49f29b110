"""The Verwendungsnachweis as a document: Markdown, HTML, PDF (templates
`verwendungsnachweis.*.j2`) or the list of receipts as CSV for Excel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from stm.services.finance.summary import as_json

TITLES = {
    "final": ("Verwendungsnachweis", "Proof of use"),
    "interim": ("Zwischennachweis", "Interim proof of use"),
}


def render_nachweis(data: dict[str, Any], format: str, options: Any) -> str | bytes:
    from stm.render import render_document

    if format == "csv":
        from stm.formats.finance_csv import receipts_csv

        return receipts_csv(data["receipts"], options.lang)
    de, en = TITLES[data["kind"]]
    document = {**data, "title": en if options.lang == "en" else de}
    # The same data gives the same PDF bytes: stamped with the period's end, not today.
    pinned = replace(options, document_date=data["period"]["end"] or options.document_date)
    return render_document("verwendungsnachweis", document, format, pinned)


def nachweis_json(data: dict[str, Any]) -> dict[str, Any]:
    return dict(as_json(data))
