"""`stm actors import|export|duplicates|merge`: actor lists in and out, and duplicates.

These commands are the `stm actors` group's too: the root command (`stm.cli`) joins this
module's app to `stm.cli.actors.app`.
"""

# No `from __future__ import annotations`: Typer reads the annotations of every command in
# the group on each run, and would have to eval() each one if they were strings.

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from stm.cli._common import (
    DistrictOpt,
    FormatOpt,
    JsonOpt,
    LangOpt,
    OutputOpt,
    YesOpt,
    confirm,
    is_terminal,
    make_app,
    state,
)
from stm.cli.actors import SectorOpt
from stm.cli.output import (
    document_format,
    emit_list,
    emit_record,
    note,
    pick_list_format,
    to_json,
    write_bytes,
)
from stm.cli.output import write_text as write_document

app = make_app("Actor lists in and out (CSV, vCard), and duplicates.")


class ImportFormat(StrEnum):
    csv = "csv"
    vcf = "vcf"


class ExportFormat(StrEnum):
    csv = "csv"
    vcf = "vcf"
    json = "json"


class OnDuplicate(StrEnum):
    skip = "skip"
    update = "update"
    fill = "fill"


OUTCOME_COLUMNS = [
    ("where", "Where"),
    ("action", "Action"),
    ("name", "Name"),
    ("actor_id", "ID"),
    ("detail", "Detail"),
]
DUPLICATE_COLUMNS = [
    ("score", "Score"),
    ("a.id", "ID"),
    ("a.name", "Name"),
    ("b.id", "ID"),
    ("b.name", "Name"),
    ("reasons", "Why"),
]
KindsOpt = Annotated[
    list[str] | None, typer.Option("--kind", "-k", help="Actor kind (repeatable).")
]
NetworkOpt = Annotated[
    list[str] | None,
    typer.Option("--network", "-n", help="Current members of this network (repeatable)."),
]


def _progress_bar() -> Any:
    """A Rich progress bar on stderr, on a terminal only (scripts stay silent)."""
    if not is_terminal():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV (Excel) or vCard (.vcf) file.")],
    format: Annotated[
        ImportFormat | None,
        typer.Option("--format", "-f", help="csv or vcf (default: from the name or content)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added, updated and skipped.")
    ] = False,
    on_duplicate: Annotated[
        OnDuplicate,
        typer.Option(
            "--on-duplicate",
            help="For an actor the register holds already (same UID, or same name and e-mail "
            "or organisation): skip it, update it with the file's values, or fill only its "
            "empty fields.",
        ),
    ] = OnDuplicate.skip,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the valid records; write the rejected ones, with reasons, to "
            "FILE.rejected.csv (or .vcf) next to the input.",
        ),
    ] = False,
    as_json: JsonOpt = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List each thing not imported.")
    ] = False,
) -> None:
    """Import actors from a CSV file (as Excel writes it) or from vCards.

    All or nothing: a broken row or card stops the import with its line and field, and
    nothing is imported (unless --skip-invalid). CSV: ';' or ',' separated, UTF-8 or
    Windows-1252, German or English headers (Name, Art, Stadtteil, E-Mail, Telefon,
    Straße, PLZ, Ort, Organisation, Funktion, Bereich, Website, Notizen, Einwilligung).
    An organisation a person names is created if the register does not know it.
    What a file holds that stm does not import (group cards, photos, over-long
    properties, title rows) is counted on stderr; --verbose lists each.

    \b
    Examples:
      stm actors import partner-liste.csv --dry-run
      stm actors import partner-liste.csv --on-duplicate fill
      stm actors import kontakte.vcf --skip-invalid
      stm actors import iphone.vcf --verbose
      stm actors import export.csv --on-duplicate update --json
    """
    from stm.services import imports

    options = imports.ImportOptions(
        format=format.value if format else None,
        dry_run=dry_run,
        on_duplicate=on_duplicate.value,
        skip_invalid=skip_invalid,
    )
    bar = _progress_bar()
    with state(ctx).session() as session:
        if bar is not None:
            with bar:
                task = bar.add_task(f"Importing {file.name}", total=None)
                options.progress = lambda done, total: bar.update(task, completed=done, total=total)
                result = imports.import_actors(session, file, options)
        else:
            result = imports.import_actors(session, file, options)
    for message in result.notes:
        note(message)
    if verbose:
        for message in result.details:
            note(f"  {message}")
    rejects = imports.rejects_path(file) if result.rejected and not dry_run else None
    if rejects is not None:
        imports.write_rejects(result, rejects)
    _report_import(result, rejects, as_json)


def _report_import(result: Any, rejects: Path | None, as_json: bool) -> None:
    summary = result.summary()
    if rejects is not None:
        summary["rejects_file"] = str(rejects)
    if result.dry_run:
        summary["outcomes"] = [vars(o) for o in result.outcomes]
    if as_json:
        typer.echo(to_json(summary))
        return
    if result.dry_run:
        emit_list(summary["outcomes"], OUTCOME_COLUMNS, pick_list_format(None, False),
                  empty="The file holds no records.")  # fmt: skip
        typer.echo(
            f"Dry run: would add {result.added}, update {result.updated}, skip "
            f"{result.skipped}, reject {len(result.rejected)}. Nothing was changed."
        )
        return
    typer.echo(
        f"Imported {result.source.name}: {result.added} added, {result.updated} updated, "
        f"{result.skipped} skipped."
    )
    if result.created_organisations:
        listed = ", ".join(result.created_organisations[:10])
        more = " …" if len(result.created_organisations) > 10 else ""
        note(f"Created {len(result.created_organisations)} organisation(s) that persons named: "
             f"{listed}{more}")  # fmt: skip
    if rejects is not None:
        note(f"{len(result.rejected)} record(s) rejected; they and the reasons are in {rejects}")


@app.command("export")
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="csv (for Excel), vcf or json (default: from -o)."),
    ] = None,
    district: DistrictOpt = None,
    sector: SectorOpt = None,
    kind: KindsOpt = None,
    network: NetworkOpt = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in name, e-mail, function, notes.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived actors.")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export actors with every field, to take them elsewhere or import them again.

    The filters are those of 'stm actors list'. CSV is ';'-separated UTF-8 for Excel,
    vCard 3.0 for phones and mail programs, JSON for scripts. Erased persons are never
    exported. Exporting and importing again loses nothing.

    \b
    Examples:
      stm actors export -o akteure.csv
      stm actors export --district schmarl --format vcf -o schmarl.vcf
      stm actors export --network stadtteiltisch-schmarl --format json
    """
    from stm.formats.people_csv import file_bytes
    from stm.services import actors as actor_service
    from stm.services.actors import export

    chosen = document_format(format, output, ExportFormat, ExportFormat.csv)
    criteria = actor_service.ActorFilter(
        districts=district or [],
        sectors=sector or [],
        kinds=kind or [],
        networks=network or [],
        search=search,
        include_archived=all_,
    )
    language = lang.value if lang else state(ctx).config().language
    with state(ctx).session() as session:
        records = export.export_records(session, criteria)
    if chosen is ExportFormat.json:
        from stm.cli.output import ListFormat

        emit_list(records, [], ListFormat.json, output=output)
        return
    text = export.export_text(records, chosen.value, language)
    if output is not None and str(output) != "-" and chosen is ExportFormat.csv:
        write_bytes(file_bytes(text), output)
    else:
        write_document(text, output)
    if output is not None:
        note(f"Exported {len(records)} actor(s) to {output}")


@app.command("duplicates")
def duplicates(
    ctx: typer.Context,
    threshold: Annotated[
        int,
        typer.Option(
            "--threshold",
            help="How alike (0-100) a pair must be: name similarity, +25 for the same "
            "e-mail, +15 for the same phone.",
        ),
    ] = 85,
    all_: Annotated[bool, typer.Option("--all", help="Include archived actors.")] = False,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List pairs of actors that are probably the same, best first.

    Names are compared letter by letter (rapidfuzz), umlaut- and order-insensitive
    ("Müller, Anna" and "Anna Mueller"), persons with persons and organisations with
    organisations; the same e-mail or phone counts extra. Merge a pair with
    'stm actors merge KEEP OTHER'.

    \b
    Examples:
      stm actors duplicates
      stm actors duplicates --threshold 70 --json
    """
    from stm.services.actors import duplicates as svc

    with state(ctx).session() as session:
        pairs = svc.find_duplicates(session, threshold=threshold, include_archived=all_)
        records = svc.duplicate_records(session, pairs)
    emit_list(records, DUPLICATE_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="No likely duplicates.")  # fmt: skip
    if records and not as_json and format is None:
        first = records[0]
        note(f"Merge a pair with: stm actors merge {first['a']['id']} {first['b']['id']}")


@app.command("merge")
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The actor that stays (id or name).")],
    other: Annotated[str, typer.Argument(help="The duplicate that goes (id or name).")],
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge OTHER into KEEP: memberships, events, tasks, roles and log move to KEEP.

    Everything that refers to OTHER (memberships, attendance, tasks, event organiser
    links, project lead and partner roles, concerns, articles, its people) then refers
    to KEEP; links both had are combined. KEEP's empty fields are filled from OTHER, and
    OTHER's differing contact data is kept in KEEP's notes. Then OTHER is deleted.

    \b
    Examples:
      stm actors merge 12 31
      stm actors merge "Kita Sonnenschein" 31 --yes
    """
    from stm.services.actors import duplicates as svc

    with state(ctx).session() as session:
        kept, gone = svc.merge_preview(session, keep, other)
        confirm(f"Merge #{gone.id} {gone.name} into #{kept.id} {kept.name}? #{gone.id} goes.", yes)
        result = svc.merge_actors(session, keep, other)
        record = svc.merge_record(session, result)
    if as_json:
        emit_record(record, True, [])
        return
    typer.echo(f"Merged #{result.other_id} into #{result.keep.id} {result.keep.name}: "
               f"{result.describe()}")  # fmt: skip
