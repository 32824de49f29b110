"""`stm fund`: the Verfügungsfonds: budget, cap per application, jury, applications."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stm.cli._common import FormatOpt, JsonOpt, OutputOpt, make_app, state
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format

app = make_app(
    "The Verfügungsfonds (resident fund): budget, cap per application, the deciding body; "
    "applications applied → approved/rejected → paid, with the decision in the minutes."
)

FundArg = Annotated[str, typer.Argument(help="Fund id, slug or name.")]
ApplicationArg = Annotated[str, typer.Argument(help="The application's id (see 'stm fund show').")]
AMOUNT_HELP = "Euros as typed: 450, 450,00, 1.500 or '1.500,50 €'; at most two decimals."
LIST_COLUMNS = [
    ("id", "ID"),
    ("name", "Fund"),
    ("district", "District"),
    ("budget", "Budget €"),
    ("cap", "Cap €"),
    ("approved", "Approved €"),
    ("paid", "Paid €"),
    ("remaining", "Remaining €"),
    ("closed", "Closed"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("slug", "Slug"),
    ("district", "District"),
    ("jury", "Decided by"),
    ("budget", "Budget €"),
    ("cap", "Cap per application €"),
    ("approved", "Approved €"),
    ("paid", "Paid €"),
    ("remaining", "Remaining €"),
    ("requested", "Applied for, undecided €"),
    ("states", "Applications"),
    ("closed", "Closed since"),
]
APPLICATION_COLUMNS = [
    ("id", "ID"),
    ("applied_on", "Applied"),
    ("title", "Title"),
    ("applicant", "Applicant"),
    ("amount", "Asked €"),
    ("approved", "Approved €"),
    ("paid", "Paid €"),
    ("state", "State"),
    ("decided", "Decision"),
]


def _euro(value: Any) -> str:
    from stm.wording import format_money

    return format_money(value)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name, e.g. 'Verfügungsfonds Schmarl 2027'.")],
    budget: Annotated[str, typer.Option("--budget", help=f"The fund's budget. {AMOUNT_HELP}")],
    cap: Annotated[
        str | None, typer.Option("--cap", help="The most one application may ask for.")
    ] = None,
    district: Annotated[
        str | None, typer.Option("--district", "-d", help="District by slug or name.")
    ] = None,
    jury: Annotated[
        str | None,
        typer.Option("--jury", help="The network that decides, e.g. stadtteiltisch-schmarl."),
    ] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Short name (default: from the name).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a fund and print its id (the whole record with --json).

    \b
    Examples:
      stm fund add "Verfügungsfonds Schmarl 2027" --budget 15.000 --cap 1.500 \\
          --district schmarl --jury stadtteiltisch-schmarl
    """
    from stm.services import funds

    fields = funds.FundFields(name=name, budget=budget, cap=cap, district=district, jury=jury,
                              slug=slug)  # fmt: skip
    with state(ctx).session() as session:
        fund = funds.add_fund(session, fields)
        record = funds.fund_records(session, [fund])[0]
    emit_created(record, as_json, f"Added fund #{fund.id} {fund.name} ({fund.slug})")


@app.command("apply")
def apply(
    ctx: typer.Context,
    fund: FundArg,
    title: Annotated[str, typer.Argument(help="What the money is for, e.g. 'Adventsmarkt'.")],
    applicant: Annotated[str, typer.Option("--applicant", help="The applying actor, id or name.")],
    amount: Annotated[str, typer.Option("--amount", "-a", help=AMOUNT_HELP)],
    description: Annotated[
        str | None, typer.Option("--description", help="What is planned.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the application (default today).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Enter an application; one over the fund's cap is refused, naming both amounts.

    \b
    Examples:
      stm fund apply verfuegungsfonds-schmarl-2027 "Adventsmarkt im Dorf Schmarl" \\
          --applicant "Heimatverein Dorf Schmarl" --amount 450
    """
    from stm.services import funds

    with state(ctx).session() as session:
        application = funds.apply(session, fund, title, applicant, amount, description, on)
        found = funds.fund_by_ref(session, str(application.fund_id))
        record = _application_record(session, found, application.id)
    emit_created(record, as_json,
                 f"Added application #{application.id} {application.title}: "
                 f"{_euro(application.amount)}")  # fmt: skip


def _application_record(session: Any, fund: Any, application_id: Any) -> dict[str, Any]:
    from stm.services.funds.funds import application_records

    return next(r for r in application_records(session, fund) if r["id"] == application_id)


@app.command("decide")
def decide(
    ctx: typer.Context,
    application: ApplicationArg,
    approve: Annotated[bool, typer.Option("--approve", help="Approve the application.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the application.")] = False,
    amount: Annotated[
        str | None, typer.Option("--amount", help="Approve less than was asked for.")
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", "-m", help="The meeting that decided: id or 'last'."),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", help="The TOP whose recorded decision this is.")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Decision date without a meeting.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Approve or reject an application, linked to the decision in a meeting's minutes.

    An approval over the fund's remaining budget is refused, naming the amounts.

    \b
    Examples:
      stm fund decide 3 --approve --meeting 11 --top 5
      stm fund decide 4 --approve --amount 300 --meeting last
      stm fund decide 5 --reject --on 12.3.2027
    """
    from stm.errors import Invalid
    from stm.services import funds

    if approve == reject:
        raise Invalid("--approve/--reject", "give exactly one of them")
    verdict = funds.Verdict(approve=approve, amount=amount, meeting=meeting, top=top, on=on)
    with state(ctx).session() as session:
        decided = funds.decide(session, application, verdict)
        record = _application_record(session, funds.fund_by_ref(session, str(decided.fund_id)),
                                     decided.id)  # fmt: skip
    amount_text = f" {_euro(decided.approved)}" if decided.approved is not None else ""
    emit_created(record, as_json, f"Application #{decided.id} {decided.state}{amount_text}")


@app.command("pay")
def pay(
    ctx: typer.Context,
    application: ApplicationArg,
    amount: Annotated[str, typer.Option("--amount", "-a", help=AMOUNT_HELP)],
    date: Annotated[
        str | None, typer.Option("--date", help="Payment date (default today).")
    ] = None,
    receipt: Annotated[str | None, typer.Option("--receipt", help="Receipt number.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a payment to an approved application (more than approved is refused).

    \b
    Examples:
      stm fund pay 3 --amount 300 --date 2.12.2026 --receipt VF-2026-007
    """
    from stm.services import funds

    with state(ctx).session() as session:
        payment = funds.pay(session, application, amount, date, receipt)
        decided = funds.application_by_ref(session, str(payment.application_id))
        record = _application_record(session, funds.fund_by_ref(session, str(decided.fund_id)),
                                     decided.id)  # fmt: skip
    emit_created(
        record,
        as_json,
        f"Paid {_euro(payment.amount)} to application #{decided.id} ({decided.state})",
    )


@app.command("close")
def close(
    ctx: typer.Context,
    fund: FundArg,
    on: Annotated[str | None, typer.Option("--on", help="Closing date (default today).")] = None,
) -> None:
    """Close a fund (at the end of its year): it takes no more applications.

    \b
    Examples:
      stm fund close verfuegungsfonds-schmarl-2026
    """
    from stm.services import funds

    with state(ctx).session() as session:
        closed = funds.close_fund(session, fund, on)
    typer.echo(f"Closed fund #{closed.id} {closed.name}")


@app.command("list")
def list_(
    ctx: typer.Context, format: FormatOpt = None, as_json: JsonOpt = False, output: OutputOpt = None
) -> None:
    """List the funds with budget, approved, paid and remaining.

    \b
    Examples:
      stm fund list
      stm fund list --json | jq '.[].remaining'
    """
    from stm.services import funds

    with state(ctx).session() as session:
        records = funds.fund_records(session)
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output,
              empty="No funds.")  # fmt: skip


@app.command("show")
def show(ctx: typer.Context, fund: FundArg, as_json: JsonOpt = False) -> None:
    """Show a fund: budget, approved, paid, remaining, and its applications by state.

    \b
    Examples:
      stm fund show verfuegungsfonds-schmarl
      stm fund show 1 --json
    """
    from stm.services import funds

    with state(ctx).session() as session:
        record = funds.fund_detail(session, funds.fund_by_ref(session, fund))
    if not as_json:
        record["states"] = ", ".join(f"{n} {s}" for s, n in record["applications"].items() if n)
        for row in record["application_list"]:
            row["decided"] = _decision_text(row)
    emit_record(record, as_json, SHOW_FIELDS, title=record["name"],
                sections=[("Applications", record["application_list"],
                           APPLICATION_COLUMNS)])  # fmt: skip


def _decision_text(row: dict[str, Any]) -> str:
    parts = []
    if row["decided_on"]:
        parts.append(row["decided_on"])
    if row["meeting"]:
        parts.append(f"meeting #{row['meeting']}")
    decision = row["decision"]
    if decision:
        votes = decision["votes"]
        parts.append(f"{votes['yes']}/{votes['no']}/{votes['abstain']} (yes/no/abstain)")
    return ", ".join(parts)
