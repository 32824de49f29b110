"""`stm paper`: the district newspaper (SternDrewitz, WIR2): issues, articles, the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stm.cli._common import FormatOpt, JsonOpt, LangOpt, OutputOpt, make_app, state
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format
from stm.cli.output import note as remark
from stm.render import DocumentFormat

app = make_app(
    "The district newspaper (SternDrewitz, WIR2): publications, issues with deadlines, "
    "articles from the network's actors, and the issue plan."
)
publication_app = make_app("Newspapers (publications): add and list them.")
issue_app = make_app("Issues of a newspaper: deadline, publication date, print run, pages.")
article_app = make_app("Articles for an issue, and their status.")
plan_app = make_app("The issue plan: articles, authors, pages, and the call for contributions.")

for sub, name, alias in (
    (publication_app, "publication", "publications"),
    (issue_app, "issue", "issues"),
    (article_app, "article", "articles"),
    (plan_app, "plan", None),
):
    app.add_typer(sub, name=name)
    if alias:
        app.add_typer(sub, name=alias, hidden=True)

ISSUE_COLUMNS = [
    ("id", "ID"),
    ("publication", "Publication"),
    ("label", "Issue"),
    ("deadline", "Deadline"),
    ("publish_on", "Published"),
    ("print_run", "Print run"),
    ("pages", "Pages"),
    ("articles", "Articles"),
    ("pages_planned", "Pages planned"),
]
ARTICLE_COLUMNS = [
    ("id", "ID"),
    ("publication", "Publication"),
    ("issue", "Issue"),
    ("title", "Title"),
    ("author", "Author"),
    ("pages", "Pages"),
    ("status", "Status"),
]
PUBLICATION_COLUMNS = [("id", "ID"), ("name", "Name"), ("publisher", "Publisher"),
                       ("issues", "Issues")]  # fmt: skip
PublicationOpt = Annotated[
    str | None,
    typer.Option("--publication", "-p", help="Newspaper name, e.g. WIR2 or SternDrewitz."),
]
IssueArg = Annotated[str, typer.Argument(help="Issue id or label, e.g. 4/2026 or 'WIR2 4/2026'.")]
PagesOpt = Annotated[
    str | None, typer.Option("--pages", help="Pages it fills, halves too: 2, 1,5, 0.5 or 1/2.")
]


# ----------------------------------------------------------------------- publications


@publication_app.command("add")
def publication_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The newspaper's name, e.g. WIR2.")],
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The actor who edits it.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a newspaper. ('stm paper issue add' also creates it on first use.)

    \b
    Examples:
      stm paper publication add WIR2 --publisher "Stadtteilmanagement Groß Klein und Schmarl"
      stm paper publication add SternDrewitz
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        created = svc.add_publication(session, name, publisher=publisher)
        record = svc.publication_records(session, [created])[0]
    emit_created(record, as_json, f"Added publication #{created.id} {created.name}")


@publication_app.command("list")
def publication_list(
    ctx: typer.Context, format: FormatOpt = None, as_json: JsonOpt = False
) -> None:
    """List the newspapers.

    \b
    Example:
      stm paper publication list
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        records = svc.publication_records(session, svc.list_publications(session))
    emit_list(records, PUBLICATION_COLUMNS, pick_list_format(format, as_json),
              empty="No publications yet.")  # fmt: skip


# ----------------------------------------------------------------------- issues


@issue_app.command("add")
def issue_add(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The issue's label, e.g. 4/2026 or Winter 2026.")],
    publication: Annotated[
        str, typer.Option("--publication", "-p", help="Newspaper; created if new, e.g. WIR2.")
    ],
    deadline: Annotated[
        str, typer.Option("--deadline", help="Submission deadline (Redaktionsschluss).")
    ],
    publish: Annotated[str, typer.Option("--publish", help="Publication date.")],
    print_run: Annotated[
        int | None, typer.Option("--print-run", help="Copies printed (Auflage).")
    ] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="Pages of the issue.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an issue of a newspaper; a newspaper named for the first time is created.

    \b
    Examples:
      stm paper issue add 1/2027 --publication WIR2 --deadline 2027-01-15 \\
          --publish 2027-02-10 --print-run 9000 --pages 16
      stm paper issue add "Frühjahr 2027" -p SternDrewitz --deadline 1.3.2027 --publish 1.4.2027
    """
    from stm.parsing import parse_date
    from stm.services import paper as svc

    fields = svc.IssueFields(
        label=label,
        publication=publication,
        deadline=parse_date(deadline, "--deadline"),
        publish_on=parse_date(publish, "--publish"),
        print_run=print_run,
        pages=pages,
    )
    with state(ctx).session() as session:
        result = svc.add_issue(session, fields)
        record = svc.issue_records(session, [result.issue])[0]
    if result.created_publication is not None:
        remark(f"Created publication {result.created_publication.name!r}")
    emit_created(
        record, as_json, f"Added issue #{record['id']} {record['publication']} {record['label']}"
    )


@issue_app.command("list")
def issue_list(
    ctx: typer.Context,
    publication: PublicationOpt = None,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only issues not yet published.")
    ] = False,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List issues by publication date, with their articles and planned pages.

    \b
    Examples:
      stm paper issue list
      stm paper issue list --publication WIR2 --upcoming --json
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        items = svc.list_issues(session, publication_ref=publication, upcoming=upcoming)
        records = svc.issue_records(session, items)
    emit_list(records, ISSUE_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="No issues yet.")  # fmt: skip


@issue_app.command("show")
def issue_show(
    ctx: typer.Context,
    issue: IssueArg,
    publication: PublicationOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show an issue with its articles.

    \b
    Examples:
      stm paper issue show "WIR2 4/2026"
      stm paper issue show 3 --json
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        target = svc.issue(session, issue, publication)
        record = svc.issue_detail(session, target)
    emit_record(
        record,
        as_json,
        [(key, header) for key, header in ISSUE_COLUMNS if key != "label"]
        + [("pages_accepted", "Pages accepted")],
        title=f"{record['publication']} {record['label']}",
        sections=[("Articles", record["article_list"], ARTICLE_COLUMNS[3:])],
    )


# ----------------------------------------------------------------------- articles


@article_app.command("add")
def article_add(
    ctx: typer.Context,
    issue: Annotated[str, typer.Option("--issue", "-i", help="The issue: id or label.")],
    title: Annotated[str, typer.Option("--title", "-t", help="The article's title.")],
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            "-a",
            help="Who writes it: an actor (linked when one matches) or any name as text.",
        ),
    ] = None,
    pages: PagesOpt = None,
    publication: PublicationOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an article (status submitted) to an existing issue.

    An issue that does not exist is refused (exit 1): add it with 'stm paper issue add'.
    The author is linked to the actor the name matches; a name no actor has (a resident's
    letter to the editor) is kept as text.

    \b
    Examples:
      stm paper article add --issue "WIR2 4/2026" --title "750 Jahre Dorf Schmarl" \\
          --author "Heimatverein Dorf Schmarl e.V." --pages 2
      stm paper article add -i 4/2026 -p WIR2 -t "Neues aus der Börse" -a Börse --pages 0.5
      stm paper article add -i 4/2026 -p WIR2 -t "Leserbrief" -a "Gerda B., Schmarl" --pages 1,5
    """
    from stm.services import paper as svc

    fields = svc.ArticleFields(
        issue=issue, title=title, author=author, pages=pages, publication=publication
    )
    with state(ctx).session() as session:
        created = svc.add_article(session, fields)
        record = svc.article_records(session, [created])[0]
    where = f"{record['publication']} {record['issue']}"
    emit_created(record, as_json, f"Added article #{created.id} {created.title!r} to {where}")


@article_app.command("status")
def article_status(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="Article id (see 'stm paper article list').")],
    status: Annotated[str, typer.Argument(help="submitted, edited, accepted or rejected.")],
    as_json: JsonOpt = False,
) -> None:
    """Set an article's status: submitted → edited → accepted or rejected.

    \b
    Examples:
      stm paper article status 7 edited
      stm paper article status 7 accepted
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        changed = svc.set_article_status(session, article, status)
        record = svc.article_records(session, [changed])[0]
    emit_created(record, as_json, f"Article #{changed.id} {changed.title!r} is {changed.status}")


@article_app.command("list")
def article_list(
    ctx: typer.Context,
    issue: Annotated[str | None, typer.Option("--issue", "-i", help="Only this issue.")] = None,
    publication: PublicationOpt = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help="Only this status (repeatable).")
    ] = None,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List articles, by issue.

    \b
    Examples:
      stm paper article list --issue "WIR2 4/2026"
      stm paper article list --publication SternDrewitz --status submitted --json
    """
    from stm.services import paper as svc

    with state(ctx).session() as session:
        items = svc.list_articles(
            session, issue_ref=issue, publication_ref=publication, statuses=status or []
        )
        records = svc.article_records(session, items)
    emit_list(records, ARTICLE_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="No articles found.")  # fmt: skip


# ----------------------------------------------------------------------- the plan


@plan_app.command("render")
def plan_render(
    ctx: typer.Context,
    issue: IssueArg,
    publication: PublicationOpt = None,
    format: Annotated[
        DocumentFormat | None,
        typer.Option("--format", "-f", help="md, html or pdf (default: from -o, else md)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Render the issue plan: articles, authors, pages and status, the totals against the
    issue's page count, and a call for contributions with the deadline.

    \b
    Examples:
      stm paper plan render "WIR2 4/2026"
      stm paper plan render "WIR2 4/2026" --format pdf -o wir2-plan.pdf
      stm paper plan render 3 --format html -o plan.html --lang en
    """

    from stm.cli.output import check_document_target, document_format, emit_document
    from stm.render import render_document
    from stm.services import paper as svc

    format = document_format(format, output, DocumentFormat, DocumentFormat.md)
    check_document_target(format is DocumentFormat.pdf, output, "heftplanung.pdf")
    app_state = state(ctx)
    with app_state.session() as session:
        data = svc.plan_data(session, svc.issue(session, issue, publication))
    options = app_state.render_options(lang)
    emit_document(render_document("paper_plan", data, format, options), output)
