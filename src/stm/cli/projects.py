"""`stm projects`: projects the office initiates and accompanies, funded or not."""

from __future__ import annotations

from typing import Annotated

import typer

from stm.cli._common import DistrictOpt, FormatOpt, JsonOpt, OutputOpt, make_app, require, state
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format

app = make_app(
    "Projects: lead actor (Träger), partners, funding programme (Soziale Stadt, ESF, BIWAQ, …), "
    "budget, running time, districts, IEK goals, and their events."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("title", "Title"),
    ("status", "Status"),
    ("programme", "Programme"),
    ("lead", "Lead"),
    ("start", "Start"),
    ("end", "End"),
    ("budget", "Budget €"),
    ("districts", "Districts"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("slug", "Slug"),
    ("status", "Status"),
    ("programme", "Programme"),
    ("lead", "Lead (Träger)"),
    ("start", "Start"),
    ("end", "End"),
    ("budget", "Budget €"),
    ("districts", "Districts"),
    ("goals", "IEK goals"),
    ("description", "Description"),
]
PARTNER_COLUMNS = [("id", "ID"), ("name", "Partner"), ("role", "Role")]
EVENT_COLUMNS = [
    ("id", "ID"),
    ("start", "Start"),
    ("title", "Title"),
    ("repeats", "Repeats"),
    ("status", "Status"),
    ("attendance", "Attendance"),
]

ProjectArg = Annotated[str, typer.Argument(help="Project id, slug or title.")]
StatusOpt = Annotated[
    str | None,
    typer.Option("--status", help="idea, planned, running, finished or cancelled."),
]
LeadOpt = Annotated[str | None, typer.Option("--lead", help="The lead actor (Träger), id or name.")]
PartnerOpt = Annotated[
    list[str] | None,
    typer.Option("--partner", help="A partner actor, optionally with a role: 'Haus 12=Räume'."),
]
ProgrammeOpt = Annotated[
    str | None,
    typer.Option(
        "--programme",
        "--program",
        help="soziale-stadt, sozialer-zusammenhalt, esf, biwaq, municipal, foundation, other.",
    ),
]
BudgetOpt = Annotated[
    str | None,
    typer.Option(
        "--budget",
        help="Euros: 52000, 52.000, 52.000,50, '12.500,50 €' or 52,000.50. A dot followed "
        "by exactly three digits separates thousands (52.000 is 52000); at most two decimals.",
    ),
]
StartOpt = Annotated[str | None, typer.Option("--start", help="Start date, e.g. 1.1.2026.")]
EndOpt = Annotated[str | None, typer.Option("--end", help="End date, e.g. 31.12.2027.")]
GoalOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--goal",
        help="IEK field of action: wohnen, wohnumfeld, bildung, soziales, gesundheit, kultur, "
        "integration, beschaeftigung, beteiligung, image, umwelt, sicherheit (repeatable).",
    ),
]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="What it is about.")]
SlugOpt = Annotated[
    str | None, typer.Option("--slug", help="Short name (default: from the title).")
]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(help="Title, e.g. 'Digitale Teilhabe'.")] = None,
    status: StatusOpt = None,
    lead: LeadOpt = None,
    partner: PartnerOpt = None,
    programme: ProgrammeOpt = None,
    budget: BudgetOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    district: DistrictOpt = None,
    goal: GoalOpt = None,
    description: DescriptionOpt = None,
    slug: SlugOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a project and print its id (the whole record with --json).

    \b
    Examples:
      stm projects add "FuN – Familie und Nachbarschaft" --status running \\
          --lead "Stadtkontor GmbH" --programme sozialer-zusammenhalt --budget "48.000,00 €" \\
          --start 1.1.2025 --end 31.12.2027 --district am-stern --district drewitz \\
          --partner "Kita Sternschnuppe=Kooperation" --goal soziales --goal bildung
      stm projects add "Digitale Teilhabe" --district gross-klein --programme esf --json
    """
    from stm.services import projects as svc
    from stm.services.project_records import project_records

    fields = svc.ProjectFields(
        title=require(title, "title", "Title"),
        status=status,
        lead=lead,
        partners=partner,
        programme=programme,
        budget=budget,
        start=start,
        end=end,
        districts=district,
        goals=goal,
        description=description,
        slug=slug,
    )
    with state(ctx).session() as session:
        project = svc.add_project(session, fields)
        session.flush()
        record = project_records(session.connection(), [project])[0]
    emit_created(record, as_json, f"Added project #{project.id} {project.title} ({project.slug})")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Project status (repeatable).")
    ] = None,
    district: DistrictOpt = None,
    programme: Annotated[
        list[str] | None, typer.Option("--programme", "--program", help="Funding programme.")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Text in the title.")] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List projects, filtered by status, district or programme.

    \b
    Examples:
      stm projects list
      stm projects list --status running --district gross-klein
      stm projects list --programme esf --json
    """
    from stm.services import projects as svc
    from stm.services.project_records import project_records

    criteria = svc.ProjectFilter(
        statuses=status or (), districts=district or (), programmes=programme or (), search=search
    )
    with state(ctx).session() as session:
        records = project_records(session.connection(), svc.list_projects(session, criteria))
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("show")
def show(ctx: typer.Context, project: ProjectArg, as_json: JsonOpt = False) -> None:
    """Show a project with its partners and its events.

    \b
    Examples:
      stm projects show fun-familie-und-nachbarschaft
      stm projects show "Digitale Teilhabe" --json
    """
    from stm.services import projects as svc
    from stm.services import refs

    with state(ctx).session() as session:
        record = svc.project_detail(session, refs.project(session, project))
    emit_record(
        record,
        as_json,
        SHOW_FIELDS,
        title=record["title"],
        sections=[
            ("Partners", record["partners"], PARTNER_COLUMNS),
            ("Events", record["events"], EVENT_COLUMNS),
        ],
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    project: ProjectArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    status: StatusOpt = None,
    lead: LeadOpt = None,
    partner: Annotated[
        list[str] | None,
        typer.Option("--partner", help="Add a partner or change its role: 'Haus 12=Räume'."),
    ] = None,
    remove_partner: Annotated[
        list[str] | None, typer.Option("--remove-partner", help="Take a partner out.")
    ] = None,
    programme: ProgrammeOpt = None,
    budget: BudgetOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    district: Annotated[
        list[str] | None, typer.Option("--district", "-d", help="Replace the districts.")
    ] = None,
    goal: Annotated[list[str] | None, typer.Option("--goal", help="Replace the IEK goals.")] = None,
    description: DescriptionOpt = None,
    slug: SlugOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a project; what is not given stays. An empty value ("") clears it.

    \b
    Examples:
      stm projects edit fun --status finished --end 31.12.2026
      stm projects edit "Digitale Teilhabe" --budget "12.500,50 €" --partner "Börse=Räume"
      stm projects edit 3 --remove-partner "Jugendclub Schmarl"
    """
    from stm.services import projects as svc
    from stm.services.project_records import project_records

    fields = svc.ProjectFields(
        title=title,
        status=status,
        lead=lead,
        partners=partner,
        remove_partners=remove_partner,
        programme=programme,
        budget=budget,
        start=start,
        end=end,
        districts=district,
        goals=goal,
        description=description,
        slug=slug,
    )
    with state(ctx).session() as session:
        changed = svc.edit_project(session, project, fields)
        session.flush()
        record = project_records(session.connection(), [changed])[0]
    emit_created(record, as_json, f"Updated project #{changed.id} {changed.title}")
