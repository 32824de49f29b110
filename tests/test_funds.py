"""`stm fund`: the Verfügungsfonds, its applications, decisions in the minutes, payments."""

from __future__ import annotations

import json

import pytest

from stm.models.finance import Fund, FundApplication, FundPayment


@pytest.fixture
def fund(cli, register):
    for name in ("Heimatverein Dorf Schmarl e.V.", "Jugendclub Schmarl"):
        assert cli("actors", "add", name, "--kind", "organisation", "-d", "schmarl").exit_code == 0
    result = cli("fund", "add", "Verfügungsfonds Schmarl 2027", "--budget", "1.000", "--cap",
                 "500", "--district", "schmarl", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _apply(cli, title: str, amount: str, applicant: str = "Heimatverein"):
    return cli("fund", "apply", "verfuegungsfonds-schmarl-2027", title, "--applicant", applicant,
               "--amount", amount, "--json")  # fmt: skip


def test_a_year_of_a_fund(cli, fund, register):
    assert fund["budget"] == "1000.00" and fund["cap"] == "500.00" and fund["district"] == "schmarl"
    first = json.loads(_apply(cli, "Adventsmarkt", "450").stdout)
    second = json.loads(_apply(cli, "Fahrradwerkstatt", "400", "Jugendclub").stdout)
    assert first["state"] == "applied" and first["amount"] == "450.00"
    decided = cli("fund", "decide", str(first["id"]), "--approve", "--amount", "300", "--json")
    assert json.loads(decided.stdout)["approved"] == "300.00"
    assert cli("fund", "decide", str(second["id"]), "--reject").exit_code == 0
    paid = json.loads(cli("fund", "pay", str(first["id"]), "--amount", "300", "--receipt",
                          "VF-1", "--json").stdout)  # fmt: skip
    assert paid["state"] == "paid" and paid["paid"] == "300.00"
    shown = json.loads(cli("fund", "show", "verfuegungsfonds-schmarl-2027", "--json").stdout)
    assert (shown["approved"], shown["paid"], shown["remaining"]) == ("300.00", "300.00", "700.00")
    assert shown["applications"] == {"applied": 0, "approved": 0, "rejected": 1, "paid": 1}
    table = cli("fund", "show", "verfuegungsfonds-schmarl-2027").stdout
    assert "Adventsmarkt" in table and "1 rejected, 1 paid" in table
    listed = json.loads(cli("fund", "list", "--json").stdout)
    assert [f["remaining"] for f in listed] == ["700.00"]


def test_an_application_over_the_cap_is_refused_naming_the_amounts(cli, fund, register):
    result = _apply(cli, "Zu viel", "600")
    assert result.exit_code == 1
    assert "600,00" in result.stderr and "cap of 500,00" in result.stderr
    assert result.stderr.count("\n") == 1 and register.count(FundApplication) == 0


def test_an_approval_over_the_remaining_budget_is_refused(cli, fund, register):
    ids = [json.loads(_apply(cli, f"Antrag {n}", "400").stdout)["id"] for n in range(3)]
    assert cli("fund", "decide", str(ids[0]), "--approve").exit_code == 0
    assert cli("fund", "decide", str(ids[1]), "--approve").exit_code == 0
    result = cli("fund", "decide", str(ids[2]), "--approve")
    assert result.exit_code == 1
    assert "exceeds the remaining budget" in result.stderr
    assert "400,00" in result.stderr and "200,00" in result.stderr and "1.000,00" in result.stderr
    assert register.count(FundApplication, FundApplication.state == "applied") == 1
    assert cli("fund", "decide", str(ids[2]), "--approve", "--amount", "200").exit_code == 0


def test_an_application_to_a_closed_fund_is_one_line_and_writes_nothing(cli, fund, register):
    assert (
        cli("fund", "close", "verfuegungsfonds-schmarl-2027", "--on", "31.12.2026").exit_code == 0
    )
    result = _apply(cli, "Zu spät", "100")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: fund: 'Verfügungsfonds Schmarl 2027' is closed (since 31.12.2026); it takes no "
        "more applications\n"
    )
    assert register.count(FundApplication) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--applicant", "Jugendclub", "--amount", "-5"], "--amount: '-5' is negative"),
        (["--applicant", "Jugendclub", "--amount", "10,123"], "--amount: '10,123' is ambiguous"),
        (["--applicant", "Jugendclub", "--amount", "0"], "--amount: '0' is zero"),
        (["--amount", "10", "--applicant", "Niemand"], "no applicant 'Niemand'"),
    ],
)
def test_bad_applications(cli, fund, register, args, message):
    base = ["fund", "apply", "verfuegungsfonds-schmarl-2027", "Titel"]
    result = cli(*base, *args)
    assert result.exit_code in (1, 2) and message in result.stderr
    assert result.stderr.count("\n") == 1 and register.count(FundApplication) == 0


def test_decide_needs_one_verdict_and_payments_stay_within_the_approval(cli, fund, register):
    application = json.loads(_apply(cli, "Adventsmarkt", "450").stdout)["id"]
    both = cli("fund", "decide", str(application), "--approve", "--reject")
    assert both.exit_code == 2 and "--approve/--reject" in both.stderr
    unpaid = cli("fund", "pay", str(application), "--amount", "10")
    assert unpaid.exit_code == 1 and "only an approved one is paid" in unpaid.stderr
    cli("fund", "decide", str(application), "--approve")
    over = cli("fund", "pay", str(application), "--amount", "500")
    assert over.exit_code == 1 and "exceeds the 450,00" in over.stderr.replace("\xa0", " ")
    assert register.count(FundPayment) == 0
    assert cli("fund", "pay", str(application), "--amount", "200").exit_code == 0
    state = json.loads(cli("fund", "show", "1", "--json").stdout)["application_list"][0]["state"]
    assert state == "approved"  # 250 € still to pay


def test_the_demo_fund_was_decided_at_the_stadtteiltisch(cli, demo):
    shown = json.loads(cli("fund", "show", "verfuegungsfonds-schmarl", "--json").stdout)
    assert shown["jury"] == "stadtteiltisch-schmarl" and shown["district"] == "schmarl"
    by_title = {a["title"]: a for a in shown["application_list"]}
    advent = by_title["Adventsmarkt im Dorf Schmarl"]
    assert advent["state"] == "paid" and advent["paid"] == "300.00"
    assert advent["decision"]["text"].endswith("mit 300 € aus dem Verfügungsfonds.")
    assert advent["decision"]["votes"] == {"yes": 6, "no": 0, "abstain": 1}
    assert by_title["Sommerkino auf dem Dorfplatz"]["state"] == "rejected"
    assert by_title["Nachbarschaftscafé im Haus 12"]["approved"] == "1000.00"
    assert by_title["Ersatzteile für die Fahrradwerkstatt"]["state"] == "applied"
    assert (shown["budget"], shown["remaining"]) == ("10000.00", "8700.00")


def test_a_decision_links_to_a_meeting_of_the_funds_jury_only(cli, demo):
    groß_klein = json.loads(cli("meeting", "list", "--network", "stadtteiltisch-gross-klein",
                                "--json").stdout)[0]["id"]  # fmt: skip
    open_one = next(
        a["id"]
        for a in json.loads(cli("fund", "show", "verfuegungsfonds-schmarl", "--json").stdout)[
            "application_list"
        ]
        if a["state"] == "applied"
    )
    result = cli("fund", "decide", str(open_one), "--approve", "--meeting", str(groß_klein))
    assert result.exit_code == 1 and "is decided by stadtteiltisch-schmarl" in result.stderr
    no_decision = cli("fund", "decide", str(open_one), "--approve", "--meeting", "last",
                      "--top", "1")  # fmt: skip
    assert no_decision.exit_code == 1
    with demo.session() as session:
        assert session.get(FundApplication, open_one).state == "applied"
    assert demo.count(Fund) == 1
