"""The demo's documents as data and as rendered text, shared by the document tests.

Each document is a `Document`: the template stem and the plain data its service hands the
renderer, so tests can render it in any format and language, or change a count first.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any

from stm.render import RenderOptions, render_document, render_report

LETTERHEAD = {
    "name": "Stadtteilmanagement Groß Klein und Schmarl",
    "traeger": "Hanse- und Universitätsstadt Rostock, Amt für Stadtentwicklung",
    "address": "Musterweg 1, 18109 Rostock",
    "phone": "0381 0000 110",
    "email": "stadtteilmanagement@rostock.example",
}


@dataclass
class Document:
    name: str  # agenda, minutes, contacts, contacts-by-sector, report, paper
    data: dict[str, Any]
    render: Callable[[dict[str, Any], str, RenderOptions], str | bytes]

    def text(self, format: str = "md", lang: str = "de", data: dict[str, Any] | None = None) -> Any:
        options = RenderOptions(lang=lang, letterhead=dict(LETTERHEAD), document_date=DAY)
        return self.render(data if data is not None else self.data, format, options)

    def copy(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)


DAY = date(2026, 11, 20)


def _template(stem: str) -> Callable[[dict[str, Any], str, RenderOptions], str | bytes]:
    return lambda data, format, options: render_document(stem, data, format, options)


def demo_documents(session: Any, lang: str = "de") -> dict[str, Document]:
    """The documents the demo hands out: agenda, minutes, both contact sheets, report, plan."""
    from stm.services import contacts, finance, meetings, paper, refs, report

    network = "stadtteiltisch-schmarl"
    agenda = meetings.agenda_document(session, meetings.resolve(session, "next", network))
    held = meetings.resolve(session, "last", network)
    sheet = contacts.contact_sheet(session, contacts.ContactFilter(networks=[network]), lang)
    by_sector = contacts.contact_sheet(
        session, contacts.ContactFilter(districts=["gross-klein"], group_by="sector"), lang
    )
    issue = paper.issue(session, "WIR2 Dezember 2026")
    return {
        "agenda": Document("agenda", agenda, _template("agenda")),
        "minutes": Document(
            "minutes", meetings.minutes_document(session, held), _template("minutes")
        ),
        "contacts": Document("contacts", sheet, _template("contacts")),
        "contacts-by-sector": Document("contacts", by_sector, _template("contacts")),
        "report": Document(
            "report", report.monthly_report(session, date(2026, 10, 1)), render_report
        ),
        "paper": Document("paper_plan", paper.plan_data(session, issue), _template("paper_plan")),
        "verwendungsnachweis": Document(
            "verwendungsnachweis",
            finance.nachweis_data(
                session.connection(),
                refs.project(session, "digitale-teilhabe"),
                finance.NachweisRequest(),
            ),
            finance.render_nachweis,
        ),
    }


def visible_text(html: str) -> str:
    """What a reader sees of an HTML document: no style, no tags, spaces collapsed."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
