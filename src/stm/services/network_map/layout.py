"""Where everything goes on the map: a deterministic layout computed in Python.

The actors sit on a circle, grouped by sector (each group one colour, a gap between
groups), in alphabetical order within a group. The bodies (Gremien) and projects sit
inside the circle on a grid, the bodies above, the projects below, each with its name
under it: drawn apart from the actors. A tie is a curve from an actor to a body or
project.

Labels never overlap: an actor's label goes outside the circle, horizontally, on the
side of the circle the actor is on; on each side the labels are then pushed apart
vertically (one line each, in the order of the circle) and slid along the circle so that
none covers the circle itself, with a thin leader line where a label moved away from its
actor. The circle grows with the number of actors, so there is always room for one line
each. Hub labels are wrapped to the width of a grid cell. Text widths come from DejaVu
Sans' metrics (`_font_widths`), and the SVG pins each text to that width (`textLength`),
so the boxes hold whatever font a viewer uses.

No randomness and no floating state: the same network gives the same coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from stm.services.network_map import _font_widths
from stm.services.network_map.graph import NO_SECTOR, SECTOR_ORDER, ActorNetwork, Node
from stm.vocab import ActorKind, NetworkKind, Sector

FONT = 8.0  # label size in the map's units (points at A3)
LINE = FONT * 1.2  # one label line
AIR = 0.3  # between the boxes of two labels a line apart (rounding must not join them)
TITLE_FONT = 16.0
SUBTITLE_FONT = 9.0
LEGEND_FONT = 8.0
LABEL_GAP = 9.0  # from the circle to the labels
MARGIN = 24.0
TITLE_GAP = 14.0  # between the subtitle and the highest label
MAX_LABEL_WIDTH = 230.0  # actor labels are cut (…) beyond this
HUB_LABEL_WIDTH = 112.0  # hub labels wrap at this width
HUB_LINES = 3
MIN_RADIUS = 140.0

#: One colour per sector (the vocabulary's order), then grey for actors without one.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363",
)  # fmt: skip
NO_SECTOR_COLOUR = "#9e9e9e"
BODY_COLOUR = "#243b55"
PROJECT_COLOUR = "#b34700"

PAPER_MM = {"a4": (297.0, 210.0), "a3": (420.0, 297.0)}
PAPER_MARGIN_MM = 10.0


@cache
def _widths(bold: bool) -> dict[str, int]:
    table = _font_widths.BOLD if bold else _font_widths.REGULAR
    return dict(zip("".join(_font_widths.CHARACTERS), table, strict=True))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The advance width of `text` in DejaVu Sans at `size`."""
    widths = _widths(bold)
    return sum(widths.get(char, 70) for char in text) * size / 100


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text`, cut with an ellipsis so that it is at most `width` wide."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(text: str, size: float, width: float, lines: int, bold: bool = False) -> list[str]:
    """`text` in at most `lines` lines of at most `width`, by words; the last one cut."""
    words, result, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size, bold) > width:
            result.append(current)
            current = word
        else:
            current = candidate
    if current:
        result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
    return [fit_text(line, size, width, bold) for line in result] or [""]


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass
class Label:
    """Text lines anchored at (x, y: the first baseline), with the box they fill."""

    lines: list[str]
    x: float
    y: float
    anchor: str  # start, middle or end
    size: float
    box: Box
    bold: bool = False
    kind: str = "label"

    @property
    def rows(self) -> list[tuple[str, float, float]]:
        """(text, baseline y, width) of each line."""
        return [
            (line, self.y + index * self.size * 1.3, text_width(line, self.size, self.bold))
            for index, line in enumerate(self.lines)
        ]


@dataclass
class PlacedNode:
    node: Node
    x: float
    y: float
    r: float
    colour: str
    shape: str  # circle, square or diamond
    label: Label
    leader: tuple[float, float, float, float] | None = None


@dataclass
class Edge:
    """A quadratic curve from (x1, y1) through the control point (cx, cy) to (x2, y2)."""

    x1: float
    y1: float
    cx: float
    cy: float
    x2: float
    y2: float
    colour: str
    dashed: bool

    @property
    def path(self) -> str:
        return (f"M{self.x1:.1f},{self.y1:.1f} Q{self.cx:.1f},{self.cy:.1f} "
                f"{self.x2:.1f},{self.y2:.1f}")  # fmt: skip


@dataclass
class LegendItem:
    swatch: str  # circle, square, diamond, line, dashed
    colour: str
    label: Label
    x: float
    y: float


@dataclass
class MapLayout:
    width: float
    height: float
    nodes: list[PlacedNode]
    edges: list[Edge]
    legend: list[LegendItem]
    texts: list[Label]  # title, subtitle, legend heading
    paper: str
    size_mm: tuple[float, float] = (0.0, 0.0)
    sectors: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[Label]:
        """Every text on the map (for the overlap test and the template)."""
        return [n.label for n in self.nodes] + [item.label for item in self.legend] + self.texts


def sector_colour(sector: str) -> str:
    if sector == NO_SECTOR or sector not in SECTOR_ORDER:
        return NO_SECTOR_COLOUR
    return PALETTE[SECTOR_ORDER[sector] % len(PALETTE)]


def _t(lang: str, de: str, en: str) -> str:
    return en if lang == "en" else de


# ----------------------------------------------------------------------------- actors


def _actor_text(node: Node) -> str:
    text = f"{node.label} (+{node.folded})" if node.folded else node.label
    return fit_text(text, FONT, MAX_LABEL_WIDTH)


def _ring(actors: list[Node]) -> list[Node | None]:
    """The actors in circle order, grouped by sector, None for the gap after each group."""
    ordered = sorted(actors, key=lambda n: (_rank(n.sector), n.label.casefold(), n.id))
    slots: list[Node | None] = []
    previous: str | None = None
    for node in ordered:
        if previous is not None and node.sector != previous:
            slots.append(None)
        slots.append(node)
        previous = node.sector
    if previous is not None and len({n.sector for n in ordered}) > 1:
        slots.append(None)
    return slots


def _rank(sector: str) -> int:
    return SECTOR_ORDER.get(sector, len(SECTOR_ORDER))


def _radius_for(actors: int) -> float:
    """A circle whose two sides each hold one label line per actor (with some air; the
    gaps between sectors need no line)."""
    per_side = math.ceil(actors / 2) + 2
    return max(MIN_RADIUS, per_side * LINE / 1.9 - LABEL_GAP)


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
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


def _place_actors(actors: list[Node], radius: float, degree: dict[str, int]) -> list[PlacedNode]:
    slots = _ring(actors)
    count = len(slots)
    reach = radius + LABEL_GAP
    sides: dict[bool, list[tuple[float, PlacedNode]]] = {True: [], False: []}
    for index, node in enumerate(slots):
        if node is None:
            continue
        angle = 2 * math.pi * (index + 0.5) / max(count, 1)
        x, y = radius * math.sin(angle), -radius * math.cos(angle)
        placed = PlacedNode(
            node, x, y, 3.0 + 0.6 * min(degree.get(node.key, 0), 5), sector_colour(node.sector),
            "circle", Label([_actor_text(node)], 0, 0, "start", FONT, Box(0, 0, 0, 0)),
        )  # fmt: skip
        sides[math.sin(angle) >= 0].append((-reach * math.cos(angle), placed))
    result = []
    for right, entries in sides.items():
        entries.sort(key=lambda e: (e[0], e[1].node.key))
        spread = _spread([e[0] for e in entries], -reach - LINE, reach + LINE)
        for (wanted, placed), y in zip(entries, spread, strict=True):
            _label_actor(placed, y, reach, right, moved=abs(y - wanted) > LINE * 0.6)
            result.append(placed)
    return result


def _label_actor(placed: PlacedNode, y: float, reach: float, right: bool, moved: bool) -> None:
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


# ----------------------------------------------------------------------------- hubs


@dataclass
class _Grid:
    columns: int
    cell_w: float
    cell_h: float
    bodies: list[Node]
    projects: list[Node]

    def rows(self, count: int) -> int:
        return math.ceil(count / self.columns) if count else 0

    @property
    def gap(self) -> float:
        return self.cell_h * 0.6 if self.bodies and self.projects else 0.0

    @property
    def height(self) -> float:
        return (self.rows(len(self.bodies)) + self.rows(len(self.projects))) * self.cell_h + (
            self.gap
        )

    @property
    def width(self) -> float:
        return self.columns * self.cell_w


def _hub_lines(node: Node) -> list[str]:
    return wrap_text(node.label, FONT, HUB_LABEL_WIDTH, HUB_LINES, bold=node.kind == "network")


def _grid_for(hubs: list[Node], radius: float) -> tuple[_Grid, float]:
    """The hub grid and the radius that holds it inside the circle (grown if need be)."""
    bodies = [h for h in hubs if h.kind == "network"]
    projects = [h for h in hubs if h.kind == "project"]
    lines = {h.key: _hub_lines(h) for h in hubs}
    widest = max(
        (text_width(line, FONT, h.kind == "network") for h in hubs for line in lines[h.key]),
        default=40.0,
    )
    cell_w = max(56.0, widest + 14)
    cell_h = 22 + max((len(v) for v in lines.values()), default=1) * LINE
    while True:
        side = 2 * radius * 0.64  # a square well inside the circle
        for columns in range(1, max(len(bodies), len(projects), 1) + 1):
            if columns * cell_w > side:
                break
            grid = _Grid(columns, cell_w, cell_h, bodies, projects)
            if grid.height <= side:
                return grid, radius
        radius *= 1.08


def _place_hubs(grid: _Grid, degree: dict[str, int]) -> list[PlacedNode]:
    placed = []
    top = -grid.height / 2
    for group, offset in ((grid.bodies, 0.0), (grid.projects, grid.gap)):
        for index, node in enumerate(group):
            row, column = divmod(index, grid.columns)
            in_row = min(grid.columns, len(group) - row * grid.columns)
            x = (column - (in_row - 1) / 2) * grid.cell_w
            y = top + offset + row * grid.cell_h + 9
            placed.append(_hub(node, x, y, grid.cell_w, degree))
        top += grid.rows(len(group)) * grid.cell_h
    return placed


def _hub(node: Node, x: float, y: float, cell_w: float, degree: dict[str, int]) -> PlacedNode:
    body = node.kind == "network"
    lines = _hub_lines(node)
    width = max(text_width(line, FONT, body) for line in lines)
    first = y + 9 + FONT
    label = Label(
        lines, x, first, "middle", FONT,
        Box(x - width / 2, first - FONT * 0.95, width, len(lines) * LINE), bold=body,
    )  # fmt: skip
    size = 5.0 + 0.4 * min(degree.get(node.key, 0), 10)
    return PlacedNode(
        node, x, y, size, BODY_COLOUR if body else PROJECT_COLOUR,
        "square" if body else "diamond", label,
    )  # fmt: skip


# ----------------------------------------------------------------------------- ties


def _edges(network: ActorNetwork, where: dict[str, PlacedNode]) -> list[Edge]:
    edges = []
    for tie in network.ties:
        actor, hub = where.get(tie.actor), where.get(tie.hub)
        if actor is None or hub is None:
            continue
        # A curve bowed towards the centre bundles the ties of one sector.
        cx, cy = (actor.x + hub.x) / 4, (actor.y + hub.y) / 4
        edges.append(
            Edge(actor.x, actor.y, cx, cy, hub.x, hub.y, actor.colour, tie.kind != "membership")
        )
    return edges


# ----------------------------------------------------------------------------- the map


def layout_map(network: ActorNetwork, *, paper: str = "a3", lang: str = "de") -> MapLayout:
    """The whole map: nodes, labels, ties, title and legend, in the map's units."""
    degree: dict[str, int] = {}
    for tie in network.ties:
        degree[tie.actor] = degree.get(tie.actor, 0) + 1
        degree[tie.hub] = degree.get(tie.hub, 0) + 1
    actors, hubs = network.actors, network.hubs
    radius = _radius_for(len(actors))
    grid, radius = _grid_for(hubs, radius)
    nodes = _place_hubs(grid, degree) + _place_actors(actors, radius, degree)
    edges = _edges(network, {n.node.key: n for n in nodes})
    boxes = [n.label.box for n in nodes] + [
        Box(-radius - 12, -radius - 12, 2 * radius + 24, 2 * radius + 24)
    ]
    left = min(b.x for b in boxes) - MARGIN
    top = min(b.y for b in boxes)
    right = max(b.x + b.w for b in boxes) + MARGIN
    bottom = max(b.y + b.h for b in boxes)
    texts, title_height = _title(network, left + MARGIN, top, lang)
    sectors = sorted({n.sector for n in actors}, key=lambda s: (_rank(s), s))
    counts = {s: sum(1 for n in actors if n.sector == s) for s in sectors}
    legend, legend_height, legend_width = _legend(
        sectors, counts, left + MARGIN, bottom + 16, right - left - 2 * MARGIN, lang,
        folded=any(n.folded for n in actors),
    )  # fmt: skip
    texts += legend[1]
    width = max(right - left, legend_width + 2 * MARGIN, max(t.box.w for t in texts) + 2 * MARGIN)
    height = (bottom - top) + title_height + TITLE_GAP + 16 + legend_height + 2 * MARGIN
    shift_x, shift_y = -left, -top + title_height + TITLE_GAP + MARGIN
    result = MapLayout(width, height, nodes, edges, legend[0], texts, paper, sectors=sectors)
    _move(result, shift_x, shift_y)
    result.size_mm = paper_size(width, height, paper)
    return result


def _title(network: ActorNetwork, x: float, top: float, lang: str) -> tuple[list[Label], float]:
    from stm.render import format_date_long

    title = _t(lang, "Akteurslandkarte", "Actor map")
    if network.scope:
        title += " – " + ", ".join(network.scope)
    title = fit_text(title, TITLE_FONT, 900, bold=True)
    bodies = sum(1 for n in network.hubs if n.kind == "network")
    projects = len(network.hubs) - bodies
    count = len(network.actors)
    line = _t(
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
        return _t(lang, "ohne Bereich", "no sector")
    return Sector(sector).label_in(lang) if sector in Sector.values() else sector


def _legend(
    sectors: list[str], counts: dict[str, int], x0: float, y0: float, width: float, lang: str,
    *, folded: bool,
) -> tuple[tuple[list[LegendItem], list[Label]], float, float]:  # fmt: skip
    heading = _text([_t(lang, "Bereiche", "Sectors")], x0, y0 + LEGEND_FONT, LEGEND_FONT,
                    bold=True, kind="legend")  # fmt: skip
    entries: list[tuple[str, str, str]] = [
        ("circle", sector_colour(s), f"{_sector_name(s, lang)} ({counts[s]})") for s in sectors
    ]
    entries += [
        ("square", BODY_COLOUR, _t(lang, "Gremium", "Body")),
        ("diamond", PROJECT_COLOUR, _t(lang, "Projekt", "Project")),
        ("line", "#555555", _t(lang, "Mitgliedschaft", "Membership")),
        ("dashed", "#555555", _t(lang, "Träger/Partner im Projekt", "Project lead/partner")),
    ]
    if folded:
        entries.append(("none", "#555555", _t(
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


def _move(result: MapLayout, dx: float, dy: float) -> None:
    def shift(label: Label) -> None:
        label.x += dx
        label.y += dy
        label.box.x += dx
        label.box.y += dy

    for node in result.nodes:
        node.x += dx
        node.y += dy
        shift(node.label)
        if node.leader:
            x1, y1, x2, y2 = node.leader
            node.leader = (x1 + dx, y1 + dy, x2 + dx, y2 + dy)
    for edge in result.edges:
        edge.x1, edge.y1, edge.x2, edge.y2 = edge.x1 + dx, edge.y1 + dy, edge.x2 + dx, edge.y2 + dy
        edge.cx, edge.cy = edge.cx + dx, edge.cy + dy
    for item in result.legend:
        item.x += dx
        item.y += dy
        shift(item.label)
    for text in result.texts:
        shift(text)


def paper_size(width: float, height: float, paper: str) -> tuple[float, float]:
    """The drawn size in mm: the map fitted into the paper (landscape or portrait, whichever
    fits it larger), inside a margin."""
    long, short = PAPER_MM[paper]
    best = (0.0, 0.0)
    for page_w, page_h in ((long, short), (short, long)):
        scale = min((page_w - 2 * PAPER_MARGIN_MM) / width,
                    (page_h - 2 * PAPER_MARGIN_MM) / height)  # fmt: skip
        if scale * width > best[0]:
            best = (round(scale * width, 1), round(scale * height, 1))
    return best


def kind_label(node: Node, lang: str) -> str:
    """The kind of a node in words (the SVG's tooltips)."""
    if node.kind == "network":
        if node.detail in NetworkKind.values():
            return NetworkKind(node.detail).label_in(lang)
        return _t(lang, "Gremium", "Body")
    if node.kind == "project":
        return _t(lang, "Projekt", "Project")
    if node.detail in ActorKind.values():
        return ActorKind(node.detail).label_in(lang)
    return node.detail
