"""The map as a file: SVG from the `map.svg.j2` template, PDF from that SVG inside an A4/A3
page (WeasyPrint), PNG from the PDF (pypdfium2), GraphML (networkx)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

from stm.services.network_map.graph import ActorNetwork
from stm.services.network_map.layout import PAPER_MM, Label, MapLayout, kind_label, layout_map

if TYPE_CHECKING:
    from stm.render import RenderOptions

#: Pixels per inch of the PNG.
PNG_DPI = 150


def _tips(network: ActorNetwork, lang: str) -> dict[str, str]:
    tips = {}
    for node in network.nodes:
        tip = f"{node.label} ({kind_label(node, lang)})"
        if node.folded:
            tip += f" +{node.folded}"
        tips[node.key] = tip
    return tips


def _n(value: float) -> str:
    return f"{value:.1f}"


def _shape(kind: str, x: float, y: float, r: float, colour: str) -> tuple[str, Any]:
    """An SVG element and its attributes, marked safe: numbers and colours are stm's own,
    never typed by a user, so the template writes them as they are."""
    from markupsafe import Markup

    element, attributes = _element(kind, x, y, r, colour)
    return element, Markup(attributes)


def _element(kind: str, x: float, y: float, r: float, colour: str) -> tuple[str, str]:
    if kind == "square":
        side = _n(2 * r)
        return "rect", (f'x="{_n(x - r)}" y="{_n(y - r)}" width="{side}" height="{side}" '
                        f'fill="{colour}"')  # fmt: skip
    if kind == "diamond":
        d = r * 1.3
        path = (f"M{_n(x)},{_n(y - d)} L{_n(x + d)},{_n(y)} L{_n(x)},{_n(y + d)} "
                f"L{_n(x - d)},{_n(y)} Z")  # fmt: skip
        return "path", f'd="{path}" fill="{colour}"'
    if kind in ("line", "dashed"):
        dash = ' stroke-dasharray="2.5 1.5"' if kind == "dashed" else ""
        return "path", (f'd="M{_n(x - 5)},{_n(y)} H{_n(x + 5)}" stroke="{colour}" '
                        f'stroke-width="1.2"{dash}')  # fmt: skip
    if kind == "circle":
        return "circle", f'cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}"'
    return "g", ""


#: One line of a label as the template writes it: text, x, y, anchor, size, weight, width.
LabelRow = tuple[str, str, str, str, str, str, str]


def _label(label: Label, css: str) -> tuple[str, tuple[str, str, str, str], list[LabelRow]]:
    box = label.box
    weight = "bold" if label.bold else ""
    # Every line starts at its left end (text-anchor start): its width is known, and some
    # renderers place an end- or middle-anchored text with textLength off its box.
    shift = {"start": 0.0, "middle": 0.5, "end": 1.0}[label.anchor]
    rows = [(text, _n(label.x - shift * width), _n(y), "start", _n(label.size), weight,
             _n(width)) for text, y, width in label.rows]  # fmt: skip
    return css, (_n(box.x), _n(box.y), _n(box.w), _n(box.h)), rows


def svg_data(drawn: MapLayout, tips: dict[str, str]) -> dict[str, Any]:
    """The template's data: plain tuples with every number written out (rendering 2,000
    actors through attribute look-ups in a sandbox would cost more than the layout)."""
    edges = [(e.path, e.colour, "tie project" if e.dashed else "tie") for e in drawn.edges]
    leaders = [
        f"M{_n(x1)},{_n(y1)} L{_n(x2)},{_n(y2)}"
        for x1, y1, x2, y2 in (n.leader for n in drawn.nodes if n.leader)
    ]
    nodes = [
        (n.node.kind, n.node.key, n.node.sector, tips[n.node.key],
         _shape(n.shape, n.x, n.y, n.r, n.colour))
        for n in drawn.nodes
    ]  # fmt: skip
    labels = [_label(n.label, f"label {n.node.kind}") for n in drawn.nodes]
    labels += [_label(item.label, "label legend") for item in drawn.legend]
    labels += [_label(text, f"label {text.kind}") for text in drawn.texts]
    legend = [_shape(item.swatch, item.x, item.y, 3.5, item.colour) for item in drawn.legend]
    return {
        "size": drawn.size_mm,
        "view": (_n(drawn.width), _n(drawn.height)),
        "title": drawn.texts[0].lines[0],
        "description": drawn.texts[1].lines[0],
        "edges": edges,
        "leaders": leaders,
        "nodes": nodes,
        "labels": labels,
        "legend": legend,
    }


def map_svg(network: ActorNetwork, options: RenderOptions, paper: str = "a3") -> str:
    from stm.render import render_text

    drawn = layout_map(network, paper=paper, lang=options.lang)
    data = svg_data(drawn, _tips(network, options.lang))
    return render_text("map.svg.j2", data, options).lstrip()


def _page(drawn_mm: tuple[float, float], paper: str) -> str:
    long, short = PAPER_MM[paper]
    landscape = drawn_mm[0] >= drawn_mm[1]
    return f"{long if landscape else short}mm {short if landscape else long}mm"


def map_pdf(network: ActorNetwork, options: RenderOptions, paper: str = "a3") -> bytes:
    from stm.render import html_to_pdf

    svg = map_svg(network, options, paper)
    drawn = _size_of(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        f"@page {{ size: {_page(drawn, paper)}; margin: 10mm; }}"
        "body { margin: 0; } img { display: block; margin: 0 auto; "
        f"width: {drawn[0]}mm; height: {drawn[1]}mm; }}"
        f"</style></head><body><img src='data:image/svg+xml;base64,{data}' alt=''></body></html>"
    )
    return html_to_pdf(html, as_of=network.as_of)


def _size_of(svg: str) -> tuple[float, float]:
    """The mm size the SVG says it is drawn at."""
    import re

    found = re.search(r'width="([\d.]+)mm" height="([\d.]+)mm"', svg)
    assert found is not None
    return float(found.group(1)), float(found.group(2))


def map_png(network: ActorNetwork, options: RenderOptions, paper: str = "a3") -> bytes:
    """The PDF's page as a PNG image (pypdfium2 renders it; no browser needed)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(map_pdf(network, options, paper))
    try:
        image = document[0].render(scale=PNG_DPI / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def map_graphml(network: ActorNetwork) -> bytes:
    import networkx as nx

    from stm.services.network_map.stats import to_graph

    buffer = io.BytesIO()
    nx.write_graphml(to_graph(network), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
