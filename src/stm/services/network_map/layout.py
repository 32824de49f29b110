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
Sans' metrics (`fonts`), and the SVG pins each text to that width (`textLength`),
so the boxes hold whatever font a viewer uses.

No randomness and no floating state: the same network gives the same coordinates.

The face of the layout: `shapes` holds the measures and pieces, `geometry` places the
nodes and ties, `labels` the texts, `fonts` measures them.
"""

from __future__ import annotations

from stm.services.network_map import geometry, labels
from stm.services.network_map.geometry import paper_size
from stm.services.network_map.graph import ActorNetwork
from stm.services.network_map.labels import kind_label
from stm.services.network_map.shapes import (
    FONT,
    MARGIN,
    PAPER_MM,
    TITLE_GAP,
    Box,
    Label,
    MapLayout,
    rank,
)


def layout_map(network: ActorNetwork, *, paper: str = "a3", lang: str = "de") -> MapLayout:
    """The whole map: nodes, labels, ties, title and legend, in the map's units."""
    degree: dict[str, int] = {}
    for tie in network.ties:
        degree[tie.actor] = degree.get(tie.actor, 0) + 1
        degree[tie.hub] = degree.get(tie.hub, 0) + 1
    actors, hubs = network.actors, network.hubs
    radius = geometry.radius_for(len(actors))
    grid, radius = geometry.grid_for(hubs, radius)
    nodes = geometry.place_hubs(grid, degree) + geometry.place_actors(actors, radius, degree)
    edges = geometry.tie_edges(network, {n.node.key: n for n in nodes})
    boxes = [n.label.box for n in nodes] + [
        Box(-radius - 12, -radius - 12, 2 * radius + 24, 2 * radius + 24)
    ]
    left = min(b.x for b in boxes) - MARGIN
    top = min(b.y for b in boxes)
    right = max(b.x + b.w for b in boxes) + MARGIN
    bottom = max(b.y + b.h for b in boxes)
    texts, title_height = labels.title_texts(network, left + MARGIN, top, lang)
    sectors = sorted({n.sector for n in actors}, key=lambda s: (rank(s), s))
    counts = {s: sum(1 for n in actors if n.sector == s) for s in sectors}
    legend, legend_height, legend_width = labels.legend_items(
        sectors, counts, left + MARGIN, bottom + 16, right - left - 2 * MARGIN, lang,
        folded=any(n.folded for n in actors),
    )  # fmt: skip
    texts += legend[1]
    width = max(right - left, legend_width + 2 * MARGIN, max(t.box.w for t in texts) + 2 * MARGIN)
    height = (bottom - top) + title_height + TITLE_GAP + 16 + legend_height + 2 * MARGIN
    shift_x, shift_y = -left, -top + title_height + TITLE_GAP + MARGIN
    result = MapLayout(width, height, nodes, edges, legend[0], texts, paper, sectors=sectors)
    geometry.move(result, shift_x, shift_y)
    result.size_mm = paper_size(width, height, paper)
    return result


__all__ = ["FONT", "PAPER_MM", "Label", "MapLayout", "kind_label", "layout_map", "paper_size"]
