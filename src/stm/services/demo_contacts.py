"""Demo step: the Stadtteiltisch Schmarl's contact sheet (Kontaktliste), md/html/pdf.

Demo persons are fictional; some consented to sharing and appear with their own phone
and e-mail, the others with their organisation's details, as on a real sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from stm.render import RenderOptions, html_to_pdf, render_document
from stm.services.contacts import ContactFilter, contact_sheet

if TYPE_CHECKING:
    from stm.services.demo import DemoContext

NETWORK = "stadtteiltisch-schmarl"


def demo_contacts(session: Session, context: DemoContext) -> None:
    options = RenderOptions(lang="de", letterhead=context.letterhead)
    sheet = contact_sheet(session, ContactFilter(networks=[NETWORK]), options.lang)
    markdown = render_document("contacts", sheet, "md", options)
    html = render_document("contacts", sheet, "html", options)
    assert isinstance(markdown, str) and isinstance(html, str)
    written = {
        "md": markdown.encode("utf-8"),
        "html": html.encode("utf-8"),
        "pdf": html_to_pdf(html),
    }
    for suffix, content in written.items():
        path: Path = context.folder / f"kontaktliste-{NETWORK}.{suffix}"
        path.write_bytes(content)
        context.documents.append(path)
