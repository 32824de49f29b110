"""`stm privacy`: data protection (DSGVO): consent, access, erasure, stale records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import (
    FormatOpt,
    JsonOpt,
    Lang,
    LangOpt,
    OutputOpt,
    YesOpt,
    confirm,
    make_app,
    state,
)
from stm.cli.output import (
    check_document_target,
    emit_document,
    emit_list,
    note,
    pick_list_format,
    to_json,
    write_text,
)
from stm.errors import Invalid

app = make_app(
    "Data protection (DSGVO): record consent, export everything held about a person "
    "(Art. 15), erase a person (Art. 17), find records to delete."
)

ActorArg = Annotated[str, typer.Argument(help="The person: id or name.")]
STALE_COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("last_activity", "Last activity"),
    ("consent_given_on", "Consent"),
    ("consent_expires_on", "Consent expires"),
    ("reason", "Why"),
    ("archived", "Archived"),
]


@app.command("consent")
def consent(
    ctx: typer.Context,
    actor: ActorArg,
    given: Annotated[
        str, typer.Option("--given", help="The day consent was given, e.g. 1.3.2026 or today.")
    ],
    purpose: Annotated[
        str, typer.Option("--purpose", help="What it was given for, e.g. 'Kontaktliste'.")
    ],
    share: Annotated[
        bool | None,
        typer.Option(
            "--share/--no-share",
            help="Whether the person may appear with their own phone and e-mail on contact "
            "sheets (default: unchanged; new consents are not shared).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a person's consent: when, for what, and whether it covers contact sheets.

    \b
    Examples:
      stm privacy consent "Anna Müller" --given 1.3.2026 --purpose Kontaktliste --share
      stm privacy consent 14 --given today --purpose "Newsletter" --no-share
    """
    from stm.parsing import parse_date
    from stm.services import privacy as svc

    day = parse_date(given, "--given")
    with state(ctx).session() as session:
        person = svc.record_consent(session, actor, given=day, purpose=purpose, share=share)
        record = svc.consent_record(person)
    shared = "may appear" if person.consent_share else "does not appear"
    message = (
        f"Recorded consent of #{person.id} {person.name} ({day.isoformat()}); "
        f"{shared} with own contact data on contact sheets"
    )
    if as_json:
        typer.echo(to_json(record))
    else:
        typer.echo(message)


class ExportFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command("export")
def export(
    ctx: typer.Context,
    actor: ActorArg,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json (for machines, default), or the letter to "
            "the person as md, html or pdf (default: from -o).",
        ),
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Everything the register holds about a person (Article 15 DSGVO).

    JSON, for machines: the record with contact data and consent, memberships,
    attendance, meeting roles, tasks, concerns, articles, events organised, project roles
    and every log entry about the person. md, html or pdf: the answer as a letter on the
    office's letterhead, German (English with --lang en): the controller, the data held,
    where it came from, purposes and legal basis, recipients, how long it is kept, the
    rights under Art. 15-21 and the supervisory authority of the office's federal state
    (config 'state', else the state of the register's districts).

    \b
    Examples:
      stm privacy export "Anna Müller" -o auskunft-anna-mueller.pdf
      stm privacy export 14 --format md --lang en
      stm privacy export "Anna Müller" -o auskunft-anna-mueller.json
      stm privacy export 14 | jq .memberships
    """
    from stm.services import privacy as svc

    chosen = _export_format(format, output)
    if chosen is not ExportFormat.json:
        _letter(ctx, actor, chosen, output, lang)
        return
    with state(ctx).session() as session:
        record = svc.person_export(session, actor)
    write_text(to_json(record) + "\n", output)
    if output is not None:
        note(f"Wrote everything held about #{record['actor']['id']} to {output}")


def _export_format(format: ExportFormat | None, output: Path | None) -> ExportFormat:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    from_file = ExportFormat(suffix) if suffix in ExportFormat.__members__ else None
    if format is not None and from_file is not None and format is not from_file:
        raise Invalid("--format", f"{format.value} contradicts the file name {output}; "
                      f"use -o ….{format.value} or --format {from_file.value}")  # fmt: skip
    return format or from_file or ExportFormat.json


def _letter(
    ctx: typer.Context, actor: str, format: ExportFormat, output: Path | None, lang: Lang | None
) -> None:
    from stm.render import render_document
    from stm.services.privacy.letter import access_letter

    check_document_target(format is ExportFormat.pdf, output, "auskunft.pdf")
    config = state(ctx).config()
    options = state(ctx).render_options(lang)
    with state(ctx).session() as session:
        letter = access_letter(session, actor, state=config.get("state"),
                               consent_years=config.consent_years)  # fmt: skip
    emit_document(render_document("privacy_letter", letter, format.value, options), output,
                  "auskunft.pdf")  # fmt: skip


@app.command("erase")
def erase(
    ctx: typer.Context,
    actor: ActorArg,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Also replace every mention of the person in free texts with [gelöscht].",
        ),
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Erase a person under Article 17 DSGVO: anonymise, keep counts and decisions.

    The name becomes "Gelöschte Person #id"; contact data, address, notes, function,
    organisation, districts, sectors and consent are removed and current memberships
    end. Attendance, tasks and votes stay, linked to the anonymous record. The person
    no longer appears in lists, exports, documents or search. This cannot be undone.

    Free texts of other records that name the person (by full name, family name,
    e-mail or phone: concerns and their history, TOP notes, decisions, tasks, events,
    networks, projects, articles, the log) are listed; --redact replaces each mention
    with "[gelöscht]" in the same transaction.

    Nothing of the person stays in the register file: on SQLite the search index is
    merged, free pages are cleared and the WAL is truncated when the erasure commits;
    on PostgreSQL the changed tables are vacuumed (see README, "Data protection").

    \b
    Examples:
      stm privacy erase "Anna Müller"
      stm privacy erase 14 --yes
      stm privacy erase "Anna Müller" --redact --yes
    """
    from stm.services import privacy as svc

    with state(ctx).session() as session:
        person = svc.erase_preview(session, actor)
        question = f"Erase all personal data of #{person.id} {person.name}? This cannot be undone."
        if not yes and not redact:
            named = svc.erase_mentions(session, person)
            if named:
                question = (f"{len(named)} other text(s) name the person: {', '.join(named)} "
                            "(--redact replaces those mentions). " + question)  # fmt: skip
        confirm(question, yes)
        erased, mentions = svc.erase_person(session, actor, redact=redact)
    typer.echo(f"Erased person #{erased.id}; the record is now {erased.name!r}")
    _name_old_backups(ctx, erased)
    if mentions and redact:
        typer.echo(f"Replaced {len(mentions)} mention(s) with [gelöscht] in: "
                   + ", ".join(mentions))  # fmt: skip
    elif mentions:
        listed = ", ".join(mentions)
        note(f"The former name still appears in the text of: {listed}; edit those texts "
             "by hand (--redact replaces such mentions as it erases)")  # fmt: skip


def _name_old_backups(ctx: typer.Context, erased: object) -> None:
    """Backups next to the register that still hold the person (they are re-erased on
    restore, but the files themselves are the office's to remove)."""
    from stm.services.privacy.ledger import backups_holding

    path = state(ctx).register().location.path
    if path is None:
        return
    holding = backups_holding(path, erased.id, erased.created_at)  # type: ignore[attr-defined]
    if holding:
        note(f"{len(holding)} backup file(s) still hold the person (restoring one erases them "
             "again; 'stm db backup --prune' removes old ones): "
             + ", ".join(p.name for p in holding))  # fmt: skip


@app.command("stale")
def stale(
    ctx: typer.Context,
    years: Annotated[
        int, typer.Option("--years", help="No activity and no renewed consent for this long.")
    ] = 3,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """Persons with no activity and no renewed consent for N years, and persons whose
    consent to share has expired: candidates to erase, or to ask again.

    Activity is anything the register links to the person: log entries, attendance,
    tasks, memberships (started or ended), concerns, articles, events, or being added.
    A consent holds for 'consent_years' years (config, default 3); after that it counts
    as none on contact sheets until it is renewed with 'stm privacy consent'.

    \b
    Examples:
      stm privacy stale --years 3
      stm privacy stale --years 5 --json
    """
    from stm.errors import Invalid
    from stm.services import privacy as svc

    if years > 100:  # the register keeps 1900-2100: further back is before anything in it
        raise Invalid("--years", f"{years} is too large; give a whole number up to 100")
    with state(ctx).session() as session:
        records = svc.stale_persons(session, years, state(ctx).config().consent_years)
    emit_list(records, STALE_COLUMNS, pick_list_format(format, as_json), output=output,
              empty=f"No person without activity for {years} years.")  # fmt: skip
