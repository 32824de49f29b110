"""The network as Kumu-style sheets: one of elements, one of connections.

Kumu (and tools that read its import template) take an *Elements* sheet with `Label`,
`Type`, `Description` and `Tags`, and a *Connections* sheet with `From`, `To` and
`Type`, where `From`/`To` name elements by their label. Labels are made unique here (a
second "Kita Sonnenschein" becomes "Kita Sonnenschein (#12)"), so every connection
names exactly one element. Comma-separated, UTF-8, cells formula-safe (a spreadsheet may
open them too).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from stm.formats.people_csv import guard_cell
from stm.services.network_map.graph import ActorNetwork, Node
from stm.vocab import ActorKind, Sector

ELEMENT_COLUMNS = ("Label", "Type", "Description", "Tags", "stm id")
CONNECTION_COLUMNS = ("From", "To", "Type", "Label")

_TYPES = {"network": ("Gremium", "Body"), "project": ("Projekt", "Project")}
_TIES = {
    "membership": ("Mitgliedschaft", "Membership"),
    "lead": ("Träger", "Lead"),
    "partner": ("Partner", "Partner"),
}


def _t(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def unique_labels(network: ActorNetwork) -> dict[str, str]:
    """Each node's label, with its id added where two nodes share one."""
    counts = Counter(node.label.casefold() for node in network.nodes)
    return {
        node.key: f"{node.label} (#{node.id})" if counts[node.label.casefold()] > 1 else node.label
        for node in network.nodes
    }


def _type(node: Node, lang: str) -> str:
    if node.kind in _TYPES:
        return _t(_TYPES[node.kind], lang)
    if node.detail in ActorKind.values():
        return ActorKind(node.detail).label_in(lang)
    return node.detail


def _tags(node: Node, lang: str) -> str:
    return "|".join(Sector(s).label_in(lang) if s in Sector.values() else s for s in node.sectors)


def _description(node: Node, lang: str) -> str:
    if node.folded:
        many = node.folded != 1
        if lang == "en":
            return f"with {node.folded} person{'s' if many else ''} not named (no consent)"
        return f"mit {node.folded} nicht genannten Person{'en' if many else ''} (ohne Einwilligung)"
    return ""


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard_cell(cell) for cell in row])
    return buffer.getvalue()


def elements_csv(network: ActorNetwork, lang: str = "de") -> str:
    labels = unique_labels(network)
    rows = [
        [labels[n.key], _type(n, lang), _description(n, lang), _tags(n, lang), n.key]
        for n in network.nodes
    ]
    return _csv(ELEMENT_COLUMNS, rows)


def connections_csv(network: ActorNetwork, lang: str = "de") -> str:
    labels = unique_labels(network)
    rows = [
        [labels[tie.actor], labels[tie.hub], _t(_TIES[tie.kind], lang), tie.role]
        for tie in network.ties
    ]
    return _csv(CONNECTION_COLUMNS, rows)
