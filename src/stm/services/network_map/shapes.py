"""The map's measures, colours and pieces: boxes, labels, placed nodes, ties, the legend."""

from __future__ import annotations

from dataclasses import dataclass, field

from stm.services.network_map.fonts import text_width
from stm.services.network_map.graph import NO_SECTOR, SECTOR_ORDER, Node

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


def rank(sector: str) -> int:
    return SECTOR_ORDER.get(sector, len(SECTOR_ORDER))


def t(lang: str, de: str, en: str) -> str:
    return en if lang == "en" else de
