"""The map as a file: SVG from the `map.svg.j2` template, PDF from that SVG inside an A4/A3
page (WeasyPrint), PNG from the PDF (pypdfium2), GraphML (networkx)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from stm.services.network_map.graph import ActorNetwork
from stm.services.network_map.layout import PAPER_MM, MapLayout, kind_label, layout_map

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


def map_svg(network: ActorNetwork, options: RenderOptions, paper: str = "a3") -> str:
    from stm.render import render_text

    drawn = layout_map(network, paper=paper, lang=options.lang)
    title = drawn.texts[0].lines[0]
    return render_text(
        "map.svg.j2",
        {
            "map": drawn,
            "title": title,
            "description": drawn.texts[1].lines[0],
            "tips": _tips(network, options.lang),
        },
        options,
    ).lstrip()


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


def layout_of(network: ActorNetwork, paper: str = "a3", lang: str = "de") -> MapLayout:
    return layout_map(network, paper=paper, lang=lang)
