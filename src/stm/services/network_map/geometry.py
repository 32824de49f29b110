"""Where the nodes go: the actors on a ring grouped by sector, the hubs on a grid inside it,
the ties as curves between them; and moving or fitting the whole onto paper."""

from __future__ import annotations

import math
from dataclasses import dataclass

from stm.services.network_map.fonts import text_width
from stm.services.network_map.graph import ActorNetwork, Node
from stm.services.network_map.labels import actor_text, hub_lines, label_actor, spread_apart
from stm.services.network_map.shapes import (
    BODY_COLOUR,
    FONT,
    LABEL_GAP,
    LINE,
    MIN_RADIUS,
    PAPER_MARGIN_MM,
    PAPER_MM,
    PROJECT_COLOUR,
    Box,
    Edge,
    Label,
    MapLayout,
    PlacedNode,
    rank,
    sector_colour,
)


def ring(actors: list[Node]) -> list[Node | None]:
    """The actors in circle order, grouped by sector, None for the gap after each group."""
    ordered = sorted(actors, key=lambda n: (rank(n.sector), n.label.casefold(), n.id))
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


def radius_for(actors: int) -> float:
    """A circle whose two sides each hold one label line per actor (with some air; the
    gaps between sectors need no line)."""
    per_side = math.ceil(actors / 2) + 2
    return max(MIN_RADIUS, per_side * LINE / 1.9 - LABEL_GAP)


def place_actors(actors: list[Node], radius: float, degree: dict[str, int]) -> list[PlacedNode]:
    slots = ring(actors)
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
            "circle", Label([actor_text(node)], 0, 0, "start", FONT, Box(0, 0, 0, 0)),
        )  # fmt: skip
        sides[math.sin(angle) >= 0].append((-reach * math.cos(angle), placed))
    result = []
    for right, entries in sides.items():
        entries.sort(key=lambda e: (e[0], e[1].node.key))
        spread = spread_apart([e[0] for e in entries], -reach - LINE, reach + LINE)
        for (wanted, placed), y in zip(entries, spread, strict=True):
            label_actor(placed, y, reach, right, moved=abs(y - wanted) > LINE * 0.6)
            result.append(placed)
    return result


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


def grid_for(hubs: list[Node], radius: float) -> tuple[_Grid, float]:
    """The hub grid and the radius that holds it inside the circle (grown if need be)."""
    bodies = [h for h in hubs if h.kind == "network"]
    projects = [h for h in hubs if h.kind == "project"]
    lines = {h.key: hub_lines(h) for h in hubs}
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


def place_hubs(grid: _Grid, degree: dict[str, int]) -> list[PlacedNode]:
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
    lines = hub_lines(node)
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


def tie_edges(network: ActorNetwork, where: dict[str, PlacedNode]) -> list[Edge]:
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


def move(result: MapLayout, dx: float, dy: float) -> None:
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
