"""`stm contacts`: contact sheets (Kontaktlisten) that respect consent."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, LangOpt, OutputOpt, make_app, state
from stm.cli.output import (
    document_format,
    emit_document,
    write_bytes,
    write_text,
)

app = make_app(
    "Contact sheets (Kontaktlisten) for the Stadtteiltisch and partners: persons appear "
    "with their own phone and e-mail only with their consent."
)


class SheetFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    vcf = "vcf"


class GroupBy(StrEnum):
    organisation = "organisation"
    sector = "sector"


@app.command("render")
def render(
    ctx: typer.Context,
    district: DistrictOpt = None,
    network: Annotated[
        list[str] | None,
        typer.Option("--network", "-n", help="Current members of this network (repeatable)."),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option("--sector", "-s", help="Field of work, e.g. bildung (repeatable)."),
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="Actor kind (repeatable).")
    ] = None,
    group_by: Annotated[
        GroupBy,
        typer.Option("--group-by", "-g", help="organisation (with its people) or sector."),
    ] = GroupBy.organisation,
    format: Annotated[
        SheetFormat | None,
        typer.Option(
            "--format", "-f", help="md, html, pdf, csv or vcf (default: from -o, else md)."
        ),
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Render the contact sheet (Kontaktliste), grouped by organisation or sector.

    CSV is for spreadsheets: ';'-separated UTF-8 with headers in the document language,
    cells that could start a formula prefixed with an apostrophe.

    A person's own phone and e-mail appear only if they consented to sharing (see
    'stm privacy consent'); otherwise the person is listed with their organisation's
    contact details, marked with *, and a footnote says so. Archived and erased actors
    never appear. People of the chosen organisations are listed with them.

    \b
    Examples:
      stm contacts render --district schmarl -o kontaktliste.md
      stm contacts render --network stadtteiltisch-schmarl --format pdf -o kontakte.pdf
      stm contacts render --sector bildung --group-by sector --format html -o bildung.html
      stm contacts render --district am-stern --format vcf -o am-stern.vcf
    """
    from stm.render import render_document
    from stm.services import contacts as svc

    chosen = document_format(format, output, SheetFormat, SheetFormat.md)
    options = state(ctx).render_options(lang)
    criteria = svc.ContactFilter(
        districts=district or [],
        networks=network or [],
        sectors=sector or [],
        kinds=kind or [],
        group_by=group_by.value,
        consent_years=state(ctx).config().consent_years,
    )
    with state(ctx).session() as session:
        sheet = svc.contact_sheet(session, criteria, options.lang)
    if chosen is SheetFormat.csv:
        text = svc.contact_csv(sheet, options.lang)
        if output is not None and str(output) != "-":
            from stm.formats.people_csv import file_bytes

            write_bytes(file_bytes(text), output)
        else:
            write_text(text, output)
        return
    if chosen is SheetFormat.vcf:
        from stm.formats.vcard_write import write_cards

        write_text(write_cards(svc.contact_cards(sheet), lang=options.lang, internal=False), output)
        return
    emit_document(render_document("contacts", sheet, chosen.value, options), output, "kontakte.pdf")
