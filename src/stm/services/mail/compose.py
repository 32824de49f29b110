"""The words of each message: `mail.txt.j2` and `mail.html.j2`, subjects in two languages."""

from __future__ import annotations

from typing import Any

from stm.render import RenderOptions, render_text
from stm.services.mail.messages import Attachment, Letter
from stm.services.mail.recipients import Recipient
from stm.wording import format_date_short

#: (German, English) subject of each kind; `{title}` the meeting's, `{day}` its date.
SUBJECTS = {
    "invitation": ("Einladung: {title} am {day}", "Invitation: {title} on {day}"),
    "update": ("Geänderte Einladung: {title} am {day}", "Updated invitation: {title} on {day}"),
    "cancel": ("Abgesagt: {title} am {day}", "Cancelled: {title} on {day}"),
    "minutes": ("Protokoll: {title} vom {day}", "Minutes: {title} of {day}"),
    "draft": ("Entwurf – Protokoll: {title} vom {day}", "Draft minutes: {title} of {day}"),
    "reminder": ("Erinnerung: {count} offene Aufgabe(n)", "Reminder: {count} open task(s)"),
    "test": ("Testnachricht von stm", "Test message from stm"),
}


def subject(kind: str, options: RenderOptions, **values: Any) -> str:
    german, english = SUBJECTS[kind]
    pattern = english if options.lang == "en" else german
    if "start" in values:
        values["day"] = format_date_short(values.pop("start"), options.lang)
    return pattern.format(**values)


def bodies(kind: str, data: dict[str, Any], options: RenderOptions) -> tuple[str, str]:
    """(text, html) of a message of `kind`; `data` holds meeting, items, tasks, name."""
    context = {"meeting": None, "items": [], "tasks": [], "name": "", "subject": "", **data}
    context["kind"] = kind
    return (
        render_text("mail.txt.j2", context, options),
        render_text("mail.html.j2", context, options),
    )


def letter(
    recipient: Recipient,
    subject_line: str,
    text_and_html: tuple[str, str],
    *,
    calendar: bytes | None = None,
    method: str = "REQUEST",
    attachments: list[Attachment] | None = None,
) -> Letter:
    text, html = text_and_html
    return Letter(
        to_name=recipient.name,
        to_address=recipient.address,
        subject=subject_line,
        text=text,
        html=html,
        calendar=calendar,
        calendar_method=method,
        attachments=list(attachments or []),
    )


def pdf_name(stem: str, title: str) -> str:
    from stm.names import slugify

    return f"{stem}-{slugify(title)}.pdf"
