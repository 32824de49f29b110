"""Demo step: residents' concerns, the newspapers, and last month's report.

Concerns (data/demo/concerns.toml) are replayed through the same services a user's
commands use, each step on its own day, so their history and the activity log read as
if the office had worked them over the past months. The newspapers (data/demo/paper.toml)
get a WIR2 issue published last month, the next WIR2 with articles in every state, and a
SternDrewitz issue. Last, the step writes last month's report (md, html, pdf) and the
next WIR2's plan into the demo folder: it runs after every other step, so the report
shows their events and meetings too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from stm import clock
from stm.demo.dates import demo_day, on_day, working_day
from stm.models import PaperIssue
from stm.resources import load_data_toml
from stm.services import concerns, paper, report

if TYPE_CHECKING:
    from stm.demo.documents import DemoContext

MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
               "September", "Oktober", "November", "Dezember")  # fmt: skip


def demo_concerns(session: Session, context: DemoContext) -> None:
    today = clock.today()
    entries = load_data_toml("demo", "concerns.toml")["concern"]
    for entry in entries:
        _replay_concern(session, entry, today)
    issues = _newspapers(session, load_data_toml("demo", "paper.toml"), today)
    context.counts["concerns"] = len(entries)
    context.counts["newspaper issues"] = len(issues)
    _write_documents(session, context, today, issues)


def _replay_concern(session: Session, entry: dict[str, Any], today: date) -> None:
    reported = demo_day(entry["reported"], today)
    with on_day(reported):
        item = concerns.add_concern(
            session,
            concerns.ConcernFields(
                title=entry["title"],
                district=entry.get("district"),
                reporter=entry.get("from"),
                anonymous="from" not in entry,
                category=entry.get("category"),
                description=entry.get("description"),
            ),
        )
    ref = str(item.id)
    if "forward" in entry:
        step = entry["forward"]
        day = demo_day(step["on"], today)
        with on_day(day):
            concerns.forward_concern(
                session,
                ref,
                step["to"],
                due=day + timedelta(days=step["due"]),
                note=step.get("note"),
            )
    for step in entry.get("update", []):
        with on_day(demo_day(step["on"], today)):
            concerns.update_concern(
                session, ref, concerns.ConcernChange(status=step["status"], note=step["note"])
            )
    if "close" in entry:
        step = entry["close"]
        with on_day(demo_day(step["on"], today)):
            concerns.close_concern(
                session, ref, step["answer"], rejected=step.get("rejected", False)
            )
    session.flush()


def _newspapers(session: Session, data: dict[str, Any], today: date) -> list[PaperIssue]:
    for entry in data["publication"]:
        paper.add_publication(session, entry["name"], publisher=entry.get("publisher"))
    issues = []
    for entry in data["issue"]:
        publish = working_day(demo_day(entry["publish"], today))
        label = entry["label"].format(
            month_name=MONTH_NAMES[publish.month - 1], month=publish.month, year=publish.year
        )
        created = paper.add_issue(
            session,
            paper.IssueFields(
                label=label,
                publication=entry["publication"],
                deadline=working_day(demo_day(entry["deadline"], today)),
                publish_on=publish,
                print_run=entry.get("print_run"),
                pages=entry.get("pages"),
            ),
        ).issue
        for article in entry.get("articles", []):
            paper.add_article(
                session,
                paper.ArticleFields(
                    issue=str(created.id),
                    title=article["title"],
                    author=article.get("author"),
                    pages=article.get("pages"),
                    status=article.get("status", "submitted"),
                ),
            )
        issues.append(created)
    return issues


def _write_documents(
    session: Session, context: DemoContext, today: date, issues: list[PaperIssue]
) -> None:
    from stm.render import render_document, render_report

    options = context.render_options()
    session.flush()
    last_month = report.Period.of(today.replace(day=1) - timedelta(days=1))
    data = report.monthly_report(session, last_month.start)
    context.write_documents(
        f"monatsbericht-{last_month.label}",
        lambda format: render_report(data, format, options),
    )
    upcoming = [i for i in issues if i.publish_on >= today]
    if upcoming:
        plan = paper.plan_data(session, upcoming[0])
        context.write_documents(
            "wir2-heftplanung",
            lambda format: render_document("paper_plan", plan, format, options),
            formats=("md", "pdf"),
        )
