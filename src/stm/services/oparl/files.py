"""A meeting's documents (invitation, minutes) as OParl *File*s, written next to the JSON."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from stm.services.oparl.records import HTML, SCHEMA, Collector


def add_file(
    out: Collector, name: str, title: str, html: str, meeting_url: str, day: date
) -> dict[str, Any]:
    data = html.encode("utf-8")
    document = f"files/{name}"
    out.export.documents[document] = html
    return out.add(f"file/{name.removesuffix('.html')}.json", {
        "type": f"{SCHEMA}File",
        "name": title,
        "fileName": name,
        "mimeType": HTML,
        "date": day.isoformat(),
        "size": len(data),
        "sha1Checksum": hashlib.sha1(data).hexdigest(),
        "accessUrl": out.url(document),
        "meeting": [meeting_url],
    }, "files")  # fmt: skip


def public_agenda(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "items": [i for i in document["items"] if i.get("public", True)]}


def public_minutes(document: dict[str, Any]) -> dict[str, Any]:
    """The minutes without their non-public TOPs (nor those TOPs' tasks)."""
    hidden = [i for i in document["items"] if not i.get("public", True)]
    hidden_tasks = [t for i in hidden for t in i["tasks"]]
    return {
        **document,
        "items": [i for i in document["items"] if i.get("public", True)],
        "tasks": [t for t in document["tasks"] if t not in hidden_tasks],
    }
