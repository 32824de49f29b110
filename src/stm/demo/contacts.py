"""Demo step: the Stadtteiltisch Schmarl's contact sheet (Kontaktliste), md/html/pdf.

Demo persons are fictional; some consented to sharing and appear with their own phone
and e-mail, the others with their organisation's details, as on a real sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from stm.render import render_document
from stm.services.contacts import ContactFilter, contact_sheet

if TYPE_CHECKING:
    from stm.demo.documents import DemoContext

NETWORK = "stadtteiltisch-schmarl"


def demo_contacts(session: Session, context: DemoContext) -> None:
    options = context.render_options()
    sheet = contact_sheet(session, ContactFilter(networks=[NETWORK]), options.lang)
    context.write_documents(
        f"kontaktliste-{NETWORK}",
        lambda format: render_document("contacts", sheet, format, options),
    )
