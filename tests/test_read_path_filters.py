"""Read commands name projects, networks, actors and meetings without the models (issue
#15): each filter below runs in a fresh process, loads neither SQLModel nor Pydantic, and
gives what the same command gives in this process (where the models are loaded)."""

from __future__ import annotations

import json

import pytest

from read_path import run_fresh

WIDE = ("--from", "1.1.2026", "--to", "31.12.2027")

FILTERS = [
    ("event", "list", "--project", "digitale teilhabe", *WIDE),
    ("event", "list", "--organiser", "Haus 12", *WIDE),
    ("event", "list", "--organiser", "#1", "--organiser", "Kita Sternschnuppe", *WIDE),
    ("tasks", "list", "--owner", "Heimatverein"),
    ("tasks", "list", "--meeting", "last", "--network", "stadtteiltisch-schmarl"),
    ("tasks", "list", "--network", "stadtteiltisch-gross"),
    ("concerns", "list", "--to", "Amt für Stadtentwicklung"),
    ("finance", "show", "digitale-teilhabe"),
    ("finance", "report", "Digitale Teilhabe", "--format", "json"),
]


@pytest.mark.parametrize("args", FILTERS, ids=lambda a: " ".join(a[:4]))
def test_a_filter_by_name_reads_without_the_models(cli, demo, args):
    json_args = () if "--format" in args else ("--json",)
    expected = cli(*args, *json_args)
    assert expected.exit_code == 0, expected.output
    assert json.loads(expected.stdout), "the demo has something for each filter"
    output, loaded = run_fresh(*args, *json_args)
    assert json.loads(output) == json.loads(expected.stdout)
    assert loaded == {}  # neither sqlmodel nor pydantic, with who imported it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("event", "list", "--project", "Digitale Teilhbe"), "no project 'Digitale Teilhbe'"),
        (("tasks", "list", "--owner", "Niemand Bekannt"), "no owner 'Niemand Bekannt'"),
        (("tasks", "list", "--meeting", "999"), "no meeting with id 999"),
        (("tasks", "list", "--meeting", "soon"), "--meeting: 'soon' is not a meeting"),
        (("tasks", "list", "--network", "stadtteiltisch"), "network 'stadtteiltisch' is ambiguous"),
        (("concerns", "list", "--to", "Landeshauptstadt"), "actor 'Landeshauptstadt' is ambiguous"),
    ],
)
def test_a_name_that_fits_none_or_several_is_told_as_everywhere(cli, demo, args, message):
    result = cli(*args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.stderr
    assert result.stdout == ""
