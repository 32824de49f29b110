"""`stm oparl`: the office's bodies and sittings as OParl 1.1 JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import make_app, state
from stm.errors import Invalid

app = make_app(
    "OParl 1.1, the standard of German council information systems: the office's bodies, "
    "members and sittings as JSON files."
)


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The folder to write into.", metavar="DIR"),
    ],
    network: Annotated[
        list[str] | None,
        typer.Option("--network", "-n", help="Only this body (repeatable; default: all)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Where the folder will be served; every id is a URL under it "
            "(default: http://localhost:8000/oparl).",
            metavar="URL",
        ),
    ] = None,
) -> None:
    """Export the bodies (Gremien) with their members and sittings as OParl 1.1 JSON:
    System, Body, Organization, Person (consented persons only), Membership, Meeting with
    its invitation and minutes as File, AgendaItem with result and resolution text, and
    Location. Non-public TOPs are left out. Each object is a file at the path its id names,
    so the folder can be served as it is.

    \b
    Examples:
      stm oparl export -o oparl/
      stm oparl export -o oparl/ --network ortsbeirat-schmarl \\
          --base-url https://stm.example.org/oparl
      stm oparl export -o oparl/ && python -m http.server   # http://localhost:8000/oparl/system.json
    """
    from stm.services import oparl as svc

    folder = output.expanduser()
    if folder.exists() and not folder.is_dir():
        raise Invalid("--output", f"{folder} is a file; give a folder")
    base = svc.check_base_url(base_url or svc.DEFAULT_BASE_URL)
    app_state = state(ctx)
    config = app_state.config()
    options = app_state.render_options()

    def render(stem: str, data: dict) -> str:
        from stm.render import render_document

        return str(render_document(stem, data, "html", options))

    with app_state.session() as session:
        built = svc.build_export(
            session,
            svc.OparlOptions(
                base_url=base,
                networks=network or [],
                consent_years=config.consent_years,
                letterhead=dict(config.letterhead),
            ),
            render,
        )
    written = svc.write_export(built, folder)
    meetings = len(built.objects["body/1/meetings.json"]["data"])
    organizations = len(built.objects["body/1/organizations.json"]["data"])
    people = len(built.objects["body/1/people.json"]["data"])
    typer.echo(
        f"Wrote {len(written)} files to {folder}: {organizations} organizations, "
        f"{people} persons, {meetings} meetings; start at {base}/system.json"
    )
