"""Importing actors from CSV and vCard files (SPEC §2.5, §5).

The face of the package; behind it:
- `importer`: the import itself: all or nothing, duplicates, created organisations;
- `checks`: every record checked apart from the register (`Candidate`s);
- `matching`: which actors a record duplicates (a Bloom filter, an index per batch);
- `parallel`: checking a large file in a second process;
- `updating`: changing actors the register holds (`--on-duplicate update|fill`);
- `writing`: new actors as rows for `stm.store.bulk`;
- `results`: options, outcomes, the summary.
New rows are written by `stm.store.bulk`; the export is `stm.services.actors.export`.
"""

from __future__ import annotations

from stm.formats.sources import FORMATS, open_source
from stm.services.imports.checks import check_email
from stm.services.imports.importer import ON_DUPLICATE, import_actors
from stm.services.imports.results import (
    ImportOptions,
    ImportResult,
    ImportSummary,
    Outcome,
    rejects_path,
    write_rejects,
)

__all__ = [
    "FORMATS",
    "ON_DUPLICATE",
    "ImportOptions",
    "ImportResult",
    "ImportSummary",
    "Outcome",
    "check_email",
    "import_actors",
    "open_source",
    "rejects_path",
    "write_rejects",
]
