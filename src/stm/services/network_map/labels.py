"""The map's texts: actor labels pushed apart along each side of the circle, hub labels
wrapped to a grid cell, the title and the legend."""

from __future__ import annotations

import math

from stm.services.network_map.fonts import fit_text, text_width, wrap_text
from stm.services.network_map.graph import NO_SECTOR, ActorNetwork, Node
from stm.services.network_map.shapes import (
    AIR,
    BODY_COLOUR,
    FONT,
    HUB_LABEL_WIDTH,
    HUB_LINES,
    LABEL_GAP,
    LEGEND_FONT,
    LINE,
    MAX_LABEL_WIDTH,
    PROJECT_COLOUR,
    SUBTITLE_FONT,
    TITLE_FONT,
    TITLE_GAP,
    Box,
    Label,
    LegendItem,
    PlacedNode,
    sector_colour,
    t,
)
from stm.vocab import ActorKind, NetworkKind, Sector


def actor_text(node: Node) -> str:
    text = f"{node.label} (+{node.folded})" if node.folded else node.label
    return fit_text(text, FONT, MAX_LABEL_WIDTH)


def spread_apart(wanted: list[float], low: float, high: float) -> list[float]:
    """Positions near `wanted` (sorted), at least one line apart, kept in [low, high]
    where there is room (the classic two-pass label sweep)."""
    placed: list[float] = []
    for value in wanted:
        placed.append(max(value, low) if not placed else max(value, placed[-1] + LINE))
    if placed and placed[-1] > high:
        placed[-1] = high
        for index in range(len(placed) - 2, -1, -1):
            placed[index] = min(placed[index], placed[index + 1] - LINE)
    return placed


def label_actor(placed: PlacedNode, y: float, reach: float, right: bool, moved: bool) -> None:
    inner = max(0.0, abs(y) - LINE / 2)
    x = max(6.0, math.sqrt(max(0.0, reach * reach - inner * inner)))
    text = placed.label.lines[0]
    width = text_width(text, FONT)
    box_x = x if right else -x - width
    placed.label = Label(
        [text], x if right else -x, y + FONT * 0.35, "start" if right else "end", FONT,
        Box(box_x, y - LINE / 2 + AIR, width, LINE - 2 * AIR),
    )  # fmt: skip
    end_x = (x - 2) if right else (-x + 2)
    if moved or math.hypot(end_x - placed.x, y - placed.y) > LABEL_GAP * 2.2:
        placed.leader = (placed.x, placed.y, end_x, y)


def hub_lines(node: Node) -> list[str]:
    return wrap_text(node.label, FONT, HUB_LABEL_WIDTH, HUB_LINES, bold=node.kind == "network")


def title_texts(
    network: ActorNetwork, x: float, top: float, lang: str
) -> tuple[list[Label], float]:
    from stm.wording import format_date_long

    title = t(lang, "Akteurslandkarte", "Actor map")
    if network.scope:
        title += " – " + ", ".join(network.scope)
    title = fit_text(title, TITLE_FONT, 900, bold=True)
    bodies = sum(1 for n in network.hubs if n.kind == "network")
    projects = len(network.hubs) - bodies
    count = len(network.actors)
    line = t(
        lang,
        f"Stand: {format_date_long(network.as_of, 'de')} · {count} Akteure, {bodies} Gremien, "
        f"{projects} Projekte · Verbindungen der letzten zwölf Monate",
        f"As of {format_date_long(network.as_of, 'en')} · {count} actors, {bodies} bodies, "
        f"{projects} projects · ties of the past twelve months",
    )
    y0 = top - TITLE_GAP - TITLE_FONT * 1.3 - SUBTITLE_FONT * 1.3 - 4
    heading = _text([title], x, y0 + TITLE_FONT, TITLE_FONT, bold=True, kind="title")
    sub = _text([line], x, y0 + TITLE_FONT * 1.3 + 4 + SUBTITLE_FONT, SUBTITLE_FONT, kind="title")
    return [heading, sub], TITLE_FONT * 1.3 + SUBTITLE_FONT * 1.3 + 4


def _text(
    lines: list[str], x: float, baseline: float, size: float, *, bold: bool = False,
    kind: str = "label",
) -> Label:  # fmt: skip
    width = max(text_width(line, size, bold) for line in lines)
    return Label(
        lines, x, baseline, "start", size,
        Box(x, baseline - size * 0.95, width, len(lines) * size * 1.3), bold=bold, kind=kind,
    )  # fmt: skip


def _sector_name(sector: str, lang: str) -> str:
    if sector == NO_SECTOR:
        return t(lang, "ohne Bereich", "no sector")
    return Sector(sector).label_in(lang) if sector in Sector.values() else sector


def legend_items(
    sectors: list[str], counts: dict[str, int], x0: float, y0: float, width: float, lang: str,
    *, folded: bool,
) -> tuple[tuple[list[LegendItem], list[Label]], float, float]:  # fmt: skip
    heading = _text([t(lang, "Bereiche", "Sectors")], x0, y0 + LEGEND_FONT, LEGEND_FONT,
                    bold=True, kind="legend")  # fmt: skip
    entries: list[tuple[str, str, str]] = [
        ("circle", sector_colour(s), f"{_sector_name(s, lang)} ({counts[s]})") for s in sectors
    ]
    entries += [
        ("square", BODY_COLOUR, t(lang, "Gremium", "Body")),
        ("diamond", PROJECT_COLOUR, t(lang, "Projekt", "Project")),
        ("line", "#555555", t(lang, "Mitgliedschaft", "Membership")),
        ("dashed", "#555555", t(lang, "Träger/Partner im Projekt", "Project lead/partner")),
    ]
    if folded:
        entries.append(("none", "#555555", t(
            lang, "(+n): Personen ohne Einwilligung, bei ihrer Organisation gezählt",
            "(+n): persons without consent, counted with their organisation",
        )))  # fmt: skip
    items, x, y, widest = [], x0, y0 + LEGEND_FONT * 1.3 + 6, 0.0
    for swatch, colour, text in entries:
        w = text_width(text, LEGEND_FONT) + 16
        if x > x0 and x + w > x0 + max(width, 300):
            x, y = x0, y + LEGEND_FONT * 1.6
        label = _text([text], x + 12, y + LEGEND_FONT * 0.35, LEGEND_FONT, kind="legend")
        items.append(LegendItem(swatch, colour, label, x + 4, y))
        widest = max(widest, x + w - x0)
        x += w + 10
    height = y - y0 + LEGEND_FONT * 1.3
    return (items, [heading]), height, widest


def kind_label(node: Node, lang: str) -> str:
    """The kind of a node in words (the SVG's tooltips)."""
    if node.kind == "network":
        if node.detail in NetworkKind.values():
            return NetworkKind(node.detail).label_in(lang)
        return t(lang, "Gremium", "Body")
    if node.kind == "project":
        return t(lang, "Projekt", "Project")
    if node.detail in ActorKind.values():
        return ActorKind(node.detail).label_in(lang)
    return node.detail
