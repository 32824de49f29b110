"""OParl 1.1 export of the office's bodies and sittings (`stm oparl export`).

The face of the package: `build_export` makes every object (`build`), `write_export`
writes them as JSON files into a folder, each at the path its id names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stm.services.oparl.build import (
    DEFAULT_BASE_URL,
    SCHEMA,
    Export,
    OparlOptions,
    build_export,
    check_base_url,
)


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_export(export: Export, folder: Path) -> list[Path]:
    """Write the export into `folder` (0700 folders, 0600 files); returns what was written."""
    from stm.private_files import private_folder, write_private

    private_folder(folder)
    written = []
    for relative, record in sorted(export.objects.items()):
        path = folder / relative
        private_folder(path.parent)
        write_private(path, to_json(record))
        written.append(path)
    for relative, html in sorted(export.documents.items()):
        path = folder / relative
        private_folder(path.parent)
        write_private(path, html)
        written.append(path)
    return written


__all__ = [
    "DEFAULT_BASE_URL",
    "SCHEMA",
    "Export",
    "OparlOptions",
    "build_export",
    "check_base_url",
    "to_json",
    "write_export",
]
