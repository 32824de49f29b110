"""The demo's folder: the context every step gets, and the sample documents it writes.

Steps fill the register; the documents they hand out (agenda, minutes, contact sheet,
report, issue plan) are written here only, mode 0600 (`stm.private_files`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stm.private_files import write_private
from stm.render import RenderOptions

if TYPE_CHECKING:
    from sqlmodel import Session

DEMO_LETTERHEAD = {
    "name": "Stadtteilmanagement Groß Klein und Schmarl",
    "traeger": "Hanse- und Universitätsstadt Rostock, Amt für Stadtentwicklung",
    "address": "Musterweg 1, 18109 Rostock",
    "phone": "0381 0000 110",
    "email": "stadtteilmanagement@rostock.example",
    "website": "",
}


@dataclass
class DemoContext:
    folder: Path
    letterhead: dict[str, str]
    documents: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    config: Any = None  # stm.config.Config of the demo folder

    def render_options(self) -> RenderOptions:
        if self.config is not None:
            return RenderOptions.from_config(self.config)
        return RenderOptions(lang="de", letterhead=dict(self.letterhead))

    def write_documents(
        self,
        stem: str,
        render: Callable[[str], str | bytes],
        formats: tuple[str, ...] = ("md", "html", "pdf"),
    ) -> None:
        """Write `stem.md`, `stem.html`, `stem.pdf` (as rendered by `render(format)`)."""
        for format in formats:
            content = render(format)
            path = self.folder / f"{stem}.{format}"
            write_private(path, content)
            self.documents.append(path)


#: A step of the demo: fills its part of the register, may write documents.
DemoStep = Callable[["Session", DemoContext], None]
