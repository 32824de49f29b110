"""Projects: add, list, show (with events), edit, exact budgets, and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from helpers import json_of
from stm.models import Project, ProjectDistrict, ProjectPartner

PROJECT_KEYS = {
    "id",
    "title",
    "status",
    "programme",
    "lead",
    "partners",
    "start",
    "end",
    "budget",
    "districts",
}


@pytest.fixture
def actors(cli, register):
    for name, kind in [
        ("Stadtkontor GmbH", "organisation"),
        ("Kita Sternschnuppe", "kita"),
        ("Begegnungszentrum oskar.", "social"),
        ("Grundschule Drewitz", "school"),
    ]:
        assert cli("actors", "add", name, "--kind", kind).exit_code == 0
    return register


def test_add_a_funded_project(cli, actors):
    record = json_of(
        cli(
            "projects",
            "add",
            "FuN – Familie und Nachbarschaft",
            "--status",
            "running",
            "--lead",
            "stadtkontor gmbh",
            "--programme",
            "Sozialer Zusammenhalt",
            "--budget",
            "12.500,50 €",
            "--start",
            "1.1.2025",
            "--end",
            "31.12.2027",
            "--district",
            "am-stern",
            "--district",
            "Drewitz",
            "--partner",
            "Kita Sternschnuppe=Kooperation",
            "--partner",
            "Begegnungszentrum oskar.",
            "--goal",
            "soziales",
            "--goal",
            "Bildung",
            "--json",
        )
    )
    assert set(record) >= PROJECT_KEYS
    assert record["budget"] == "12500.50"
    assert (record["start"], record["end"]) == ("2025-01-01", "2027-12-31")
    assert (record["status"], record["programme"], record["lead"]) == (
        "running",
        "sozialer-zusammenhalt",
        "Stadtkontor GmbH",
    )
    assert record["districts"] == ["am-stern", "drewitz"]
    assert record["partners"] == [
        {"id": 3, "name": "Begegnungszentrum oskar.", "role": None},
        {"id": 2, "name": "Kita Sternschnuppe", "role": "Kooperation"},
    ]
    assert record["goals"] == ["bildung", "soziales"]
    assert record["slug"] == "fun-familie-und-nachbarschaft"
    with actors.session() as session:
        assert session.exec(select(Project)).one().budget == Decimal("12500.50")


@pytest.mark.parametrize("budget", ["12500.50", "12.500,50", "12.500,50 €", "12500,5", "12,500.50"])
def test_budget_forms(cli, register, budget):
    record = json_of(cli("projects", "add", "Digitale Teilhabe", "--budget", budget, "--json"))
    assert record["budget"] == "12500.50"


@pytest.mark.parametrize(
    ("budget", "stored"),
    [("52.000", "52000.00"), ("1.250.000", "1250000.00"), ("EUR 1.234", "1234.00")],
)
def test_edit_budget_in_thousands_keeps_them(cli, register, budget, stored):
    """The README's `--budget "52.000"` is fifty-two thousand, not 52.00."""
    cli("projects", "add", "FuN", "--budget", "1")
    record = json_of(cli("projects", "edit", "FuN", "--budget", budget, "--json"))
    assert record["budget"] == stored
    assert "52.000 is 52000" in " ".join(cli("projects", "edit", "--help").stdout.split())


def test_add_prints_the_id(cli, register):
    result = cli("projects", "add", "Stadtteilkampagne Groß Klein", "-d", "gross-klein")
    assert (
        result.stdout.strip()
        == "Added project #1 Stadtteilkampagne Groß Klein (stadtteilkampagne-gross-klein)"
    )


def test_list_filters(cli, actors):
    cli("projects", "add", "FuN", "--status", "running", "-d", "am-stern", "--programme", "esf")
    cli(
        "projects",
        "add",
        "Digitale Teilhabe",
        "--status",
        "running",
        "-d",
        "gross-klein",
        "--programme",
        "esf",
        "--budget",
        "35800",
    )
    cli(
        "projects",
        "add",
        "Lernwerkstatt Schmarl",
        "--status",
        "planned",
        "-d",
        "schmarl",
        "--programme",
        "biwaq",
    )

    def titles(*args: str) -> list[str]:
        return [p["title"] for p in json_of(cli("projects", "list", *args, "--json"))]

    assert titles() == ["Digitale Teilhabe", "FuN", "Lernwerkstatt Schmarl"]
    assert titles("--status", "running") == ["Digitale Teilhabe", "FuN"]
    assert titles("--district", "Schmarl") == ["Lernwerkstatt Schmarl"]
    assert titles("--programme", "BIWAQ") == ["Lernwerkstatt Schmarl"]
    assert titles("--search", "teilhabe") == ["Digitale Teilhabe"]
    table = cli("projects", "list").stdout
    assert "Digitale Teilhabe" in table and "35800.00" in table
    csv_head = cli("projects", "list", "--format", "csv").stdout.splitlines()[0]
    assert csv_head.startswith("id,slug,title,status,programme,lead,partners,start,end,budget")


def test_show_lists_the_projects_events(cli, actors):
    cli(
        "projects",
        "add",
        "FuN – Familie und Nachbarschaft",
        "--slug",
        "fun",
        "--lead",
        "Stadtkontor GmbH",
    )
    cli(
        "event",
        "add",
        "FuN-Familiennachmittag",
        "--date",
        "2.12.2026",
        "--time",
        "15:00",
        "--repeat",
        "jeden 1. Mittwoch",
        "--project",
        "fun",
    )
    cli("event", "add", "Elterncafé", "--date", "10.12.2026", "--time", "9:00", "--project", "FuN")
    cli("event", "add", "Anderes", "--date", "10.12.2026")
    record = json_of(cli("projects", "show", "fun", "--json"))
    assert [(e["title"], e["start"], e["repeats"]) for e in record["events"]] == [
        ("FuN-Familiennachmittag", "2026-12-02T15:00", "every month on the 1st Wednesday"),
        ("Elterncafé", "2026-12-10T09:00", None),
    ]
    shown = cli("projects", "show", "FuN – Familie und Nachbarschaft").stdout
    assert "Events" in shown and "FuN-Familiennachmittag" in shown and "Stadtkontor GmbH" in shown
    listed = json_of(
        cli(
            "event",
            "list",
            "--project",
            "fun",
            "--from",
            "1.12.2026",
            "--to",
            "31.12.2026",
            "--json",
        )
    )
    assert {e["project"] for e in listed} == {"FuN – Familie und Nachbarschaft"}


def test_edit_partners_districts_and_budget(cli, actors):
    cli(
        "projects",
        "add",
        "FuN",
        "--partner",
        "Kita Sternschnuppe",
        "-d",
        "am-stern",
        "--budget",
        "1000",
    )
    record = json_of(
        cli(
            "projects",
            "edit",
            "FuN",
            "--partner",
            "Kita Sternschnuppe=Räume",
            "--partner",
            "Grundschule Drewitz=Kooperation",
            "-d",
            "drewitz",
            "--budget",
            "",
            "--status",
            "finished",
            "--json",
        )
    )
    assert [(p["name"], p["role"]) for p in record["partners"]] == [
        ("Grundschule Drewitz", "Kooperation"),
        ("Kita Sternschnuppe", "Räume"),
    ]
    assert (record["districts"], record["budget"], record["status"]) == (
        ["drewitz"],
        None,
        "finished",
    )
    record = json_of(
        cli("projects", "edit", "1", "--remove-partner", "Kita Sternschnuppe", "--json")
    )
    assert [p["name"] for p in record["partners"]] == ["Grundschule Drewitz"]


def test_singular_group_name(cli, register):
    cli("project", "add", "FuN")
    assert cli("project", "list", "--json").stdout == cli("projects", "list", "--json").stdout


def test_demo_holds_the_seed_projects(cli, demo):
    records = {p["title"]: p for p in json_of(cli("projects", "list", "--json"))}
    fun = records["FuN – Familie und Nachbarschaft"]
    assert fun["districts"] == ["am-stern", "drewitz"] and fun["status"] == "running"
    assert fun["budget"] == "48000.00"
    assert {
        "Digitale Teilhabe in Groß Klein",
        "Stadtteilkampagne Groß Klein",
        "Lernwerkstatt Schmarl",
    } <= set(records)
    assert records["Stadtteilkampagne Groß Klein"]["start"] == "2022-01-01"
    shown = json_of(cli("projects", "show", "digitale-teilhabe", "--json"))
    assert [e["title"] for e in shown["events"]] == ["Digitalcafé"]


# --------------------------------------------------------------------------- bad input


def _nothing_written(register) -> None:
    assert register.count(Project) == 0
    assert register.count(ProjectPartner) == 0
    assert register.count(ProjectDistrict) == 0


@pytest.mark.parametrize(
    ("args", "code", "parts"),
    [
        (["--budget", "12,5,0"], 2, ["--budget:", "'12,5,0' is not an amount"]),
        (["--budget", "zwölf"], 2, ["--budget:"]),
        (["--budget", "450,005"], 2, ["--budget:", "'450,005' is ambiguous"]),
        (["--budget", "52.000,505"], 2, ["--budget:", "3 decimals"]),
        (
            ["--start", "1.1.2027", "--end", "31.12.2026"],
            2,
            ["--end:", "2026-12-31 is before the start 2027-01-01"],
        ),
        (["--start", "30.02.2026"], 2, ["--start:", "not a calendar date"]),
        (["--status", "laufend"], 0, []),
        (["--status", "rnning"], 2, ["--status:", "did you mean 'running'?"]),
        (["--programme", "biwak"], 2, ["--programme:", "did you mean 'biwaq'?"]),
        (["--goal", "bildnug"], 2, ["--goal:", "did you mean 'bildung'?"]),
        (["--lead", "Niemand e.V."], 1, ["no lead actor 'Niemand e.V.'"]),
        (["--partner", "Niemand e.V.=Räume"], 1, ["no partner 'Niemand e.V.'"]),
        (["--district", "schmal"], 2, ["did you mean 'schmarl'?"]),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli, register, args, code, parts):
    result = cli("projects", "add", "Digitale Teilhabe", *args)
    assert result.exit_code == code, result.output
    if code == 0:  # German labels are accepted
        assert register.count(Project) == 1
        return
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    for part in parts:
        assert part in result.stderr
    _nothing_written(register)


def test_a_second_project_with_the_same_slug_is_exit_1(cli, register):
    cli("projects", "add", "Digitale Teilhabe")
    result = cli("projects", "add", "Digitale Teilhabe")
    assert result.exit_code == 1 and "exists already" in result.stderr
    assert register.count(Project) == 1


def test_edit_end_before_start_changes_nothing(cli, register):
    cli("projects", "add", "FuN", "--start", "1.1.2025", "--end", "31.12.2027")
    result = cli("projects", "edit", "FuN", "--end", "31.12.2024")
    assert result.exit_code == 2 and "--end:" in result.stderr
    assert json_of(cli("projects", "show", "FuN", "--json"))["end"] == "2027-12-31"
