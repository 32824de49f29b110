"""The JSON that scripts read (SPEC §7, the porcelain): every command that prints JSON,
run on the demo register, keeps its keys and the shapes of its values.

A golden file under tests/golden/porcelain/ holds each command's shape: the keys in the
order stm prints them and, for each value, its type (`int`, `str`, `bool`, `null`; a
string in the form of a date, a datetime, a month or an amount is `str:date`,
`str:datetime`, `str:month`, `str:amount`); a list is the union of its elements' shapes.
Values themselves are not pinned: the demo's clock is (STM_NOW 2026-11-20T10:00), so the
shapes are the same on every run. After an intended change of a JSON record, regenerate
the files and review the diff:

    STM_UPDATE_GOLDEN=1 python -m pytest tests/test_porcelain.py

A test checks that every command with a `--json` option (or `json` among its formats) has
a case here, so a new command cannot ship without its shape pinned.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden" / "porcelain"

CSV = "Name;Art;Stadtteil;E-Mail\nKita Regenbogen;kita;schmarl;kita@regenbogen.example\n"
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:flohmarkt@example.org\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Flohmarkt\r\n"
    "DTSTART:20261212T100000\r\nDTEND:20261212T140000\r\nLOCATION:Haus 12\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@dataclass(frozen=True)
class Case:
    """One command line whose JSON is pinned; `files` are written into the test's folder
    first (name → text) and `{dir}` in an argument is that folder."""

    name: str
    args: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    before: tuple[tuple[str, ...], ...] = ()


def case(name: str, line: str, *before: str, **files: str) -> Case:
    """A case from a command line as a shell reads it (`stm` left out); `before` are
    command lines run first (each must succeed)."""
    files = {key.replace("_", "."): text for key, text in files.items()}
    return Case(name, tuple(shlex.split(line)), files, tuple(shlex.split(b) for b in before))


CASES = [
    # reads
    case("config-show", "config show --json"),
    case("districts-list", "districts list --json"),
    case("actors-list", "actors list --json"),
    case("actors-list-all", "actors list --all --json"),
    case("actors-show-organisation", "actors show 'Begegnungszentrum Haus 12' --json"),
    case("actors-show-person", "actors show 'Anna Müller' --json"),
    case("actors-duplicates", "actors duplicates --threshold 50 --json"),
    case("actors-export", "actors export --format json"),
    case("networks-list", "networks list --json"),
    case("networks-show", "networks show stadtteiltisch-schmarl --json"),
    case("privacy-stale", "privacy stale --years 1 --json"),
    case("privacy-export", "privacy export 'Anna Müller' --format json"),
    case("projects-list", "projects list --json"),
    case("projects-show", "projects show 'FuN – Familie und Nachbarschaft' --json"),
    case("event-list", "event list --json"),
    case("event-show", "event show 'Adventsmarkt Drewitz' --json"),
    case("event-show-repeating", "event show Digitalcafé --json"),
    case("calendar", "calendar --month 2026-12 --json"),
    case("meetings-list", "meetings list --json"),
    case("meetings-show-held", "meetings show 2 --json"),
    case("meetings-show-invited", "meetings show 3 --json"),
    case("tasks-list", "tasks list --json"),
    case("concerns-list", "concerns list --json"),
    case("concerns-show", "concerns show 4 --json"),
    case("paper-publication-list", "paper publication list --json"),
    case("paper-issue-list", "paper issue list --json"),
    case("paper-issue-show", "paper issue show 2 --json"),
    case("paper-article-list", "paper article list --json"),
    case("search", "search schmarl --limit 50 --json"),
    case("report-monthly", "report monthly --month 2026-10 --format json"),
    # writes: the record printed for a script to chain
    case("districts-add", "districts add Evershagen --city Rostock --json"),
    case("actors-add", "actors add 'Kita Sonnenschein' --kind kita --json"),
    case("actors-edit", "actors edit 'Kita Ostseekinder' --phone '0381 1' --json"),
    case("actors-import", "actors import {dir}/neu.csv --json", neu_csv=CSV),
    case("actors-merge", "actors merge 'Anna Müller' 'Ayşe Demir' --yes --json"),
    case("networks-add", "networks add 'AK Jugend' --kind arbeitskreis --json"),
    case("networks-edit", "networks edit ortsbeirat-schmarl --level city --json"),
    case(
        "privacy-consent",
        "privacy consent 'Anna Müller' --given 1.3.2026 --purpose Kontaktliste --share --json",
    ),
    case("projects-add", "projects add 'Digitale Teilhabe 2' --budget 1.500,00 --json"),
    case("projects-edit", "projects edit 'Lernwerkstatt Schmarl' --status running --json"),
    case(
        "event-add",
        "event add Frühjahrsputz --date 21.3.2027 --time 10:00 --district schmarl --json",
    ),
    case("event-edit", "event edit 'Adventsmarkt Drewitz' --expected 300 --json"),
    case("event-import", "event import {dir}/termine.ics --json", termine_ics=ICS),
    case(
        "meetings-new",
        "meetings new lenkungsgruppe-sozialraum --date 15.1.2027 --time 10:00 --json",
    ),
    case("meetings-edit", "meetings edit 3 --location Börse --json"),
    case("tasks-add", "tasks add 'Raum buchen' --due 15.1.2027 --json"),
    case("concerns-add", "concerns add 'Bank kaputt' -d schmarl --json"),
    case("concerns-forward", "concerns forward 2 --to 'WIRO Wohnen in Rostock' --json"),
    case("concerns-update", "concerns update 3 --note Nachgefragt --json"),
    case("concerns-close", "concerns close 4 --answer 'Tür repariert' --json"),
    case("paper-publication-add", "paper publication add 'Schmarler Blatt' --json"),
    case(
        "paper-issue-add",
        "paper issue add 1/2027 --publication WIR2 --deadline 15.1.2027 --publish 10.2.2027 --json",
    ),
    case(
        "paper-article-add",
        "paper article add --issue 'Dezember 2026' --publication WIR2 --title Leserbrief"
        " --pages 1 --json",
    ),
    case("paper-article-status", "paper article status 7 edited --json"),
    # money (issue 17)
    case("finance-list", "finance list digitale-teilhabe --json"),
    case("finance-show", "finance show digitale-teilhabe --json"),
    case("finance-report", "finance report digitale-teilhabe --format json"),
    case("finance-plan", "finance plan digitale-teilhabe --cost Druckkosten=500 --json"),
    case(
        "finance-book",
        "finance book digitale-teilhabe --position Sachkosten --amount 12,50 --date 2.11.2026"
        " --payee Copyshop --receipt R-2026-099 --json",
    ),
    case("finance-reverse", "finance reverse 2 --json"),
    case("fund-list", "fund list --json"),
    case("fund-show", "fund show verfuegungsfonds-schmarl --json"),
    case(
        "fund-add",
        "fund add 'Verfügungsfonds Schmarl 2027' --budget 15.000 --cap 1.500 --district schmarl"
        " --jury stadtteiltisch-schmarl --json",
    ),
    case(
        "fund-apply",
        "fund apply verfuegungsfonds-schmarl Lesenacht --applicant 'Jugendclub Schmarl'"
        " --amount 200 --json",
    ),
    case("fund-decide", "fund decide 4 --approve --on 19.11.2026 --json"),
    case(
        "fund-pay",
        "fund pay 4 --amount 450 --date 20.11.2026 --receipt VF-2026-009 --json",
        "fund decide 4 --approve --on 19.11.2026",
    ),
    # the actor map (issue 18) and the send log (issue 16)
    case("map-stats", "map --stats --json"),
    case("mail-log", "mail log --json"),
]

STRING_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("str:datetime", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")),
    ("str:date", re.compile(r"\d{4}-\d{2}-\d{2}")),
    ("str:month", re.compile(r"\d{4}-\d{2}")),
    ("str:amount", re.compile(r"-?\d+\.\d{2}")),
]


def shape(value: Any) -> Any:
    """A value's shape: a dict of shapes, a one-element list (the union of the elements'
    shapes; `[]` for an empty list), or a type name (`str` alternatives joined by `|`)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = [shape(item) for item in value]
        return [_union_all(shapes)] if shapes else []
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return next((name for name, form in STRING_FORMS if form.fullmatch(value)), "str")
    return type(value).__name__


def _union_all(shapes: list[Any]) -> Any:
    merged = shapes[0]
    for other in shapes[1:]:
        merged = _union(merged, other)
    return merged


def _union(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(a) + [key for key in b if key not in a]
        return {key: _union(a.get(key, "missing"), b.get(key, "missing")) for key in keys}
    if isinstance(a, list) and isinstance(b, list):
        if not a or not b:
            return a or b
        return [_union(a[0], b[0])]
    if a == b:
        return a
    names = set(_names(a)) | set(_names(b))
    return "|".join(sorted(names))


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split("|")
    return [json.dumps(value, sort_keys=True)]  # a nested shape beside a scalar: keep it


def _invoke(cli: Callable[..., Any], tmp_path: Path, item: Case) -> Any:
    for name, text in item.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for line in item.before:
        done = cli(*line)
        assert done.exit_code == 0, (line, done.stdout, done.stderr)
    args = [arg.replace("{dir}", str(tmp_path)) for arg in item.args]
    result = cli(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


@pytest.mark.parametrize("item", CASES, ids=[item.name for item in CASES])
def test_the_json_keeps_its_keys_and_shapes(cli, demo, tmp_path, item):
    text = json.dumps(shape(_invoke(cli, tmp_path, item)), indent=2, ensure_ascii=False) + "\n"
    path = GOLDEN / f"{item.name}.json"
    if os.environ.get("STM_UPDATE_GOLDEN") == "1" and demo.backend == "sqlite":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; make it with STM_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True),
                str(path), "printed now", n=2,
            )
        )  # fmt: skip
        pytest.fail(
            f"the JSON of {item.name} changed (STM_UPDATE_GOLDEN=1 rewrites it):\n{diff[:4000]}",
            pytrace=False,
        )


def _json_commands() -> dict[tuple[str, ...], Any]:
    """Every command that prints JSON, by its path (hidden aliases left out)."""
    import typer

    from stm.cli import app

    found: dict[Any, tuple[str, ...]] = {}

    def walk(command: Any, path: tuple[str, ...], context: Any) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if getattr(sub, "hidden", False):  # an alias such as `paper issues`
                    continue
                walk(sub, (*path, name), type(context)(sub, parent=context, info_name=name))
            return
        formats = [
            choice
            for param in command.params
            if "--format" in getattr(param, "opts", [])
            for choice in _choices(param.get_help_record(context)[0])
        ]
        opts = [opt for param in command.params for opt in getattr(param, "opts", [])]
        if "--json" in opts or "json" in formats:
            found.setdefault(command.callback, path)

    root = typer.main.get_command(app)
    walk(root, (), typer.Context(root, info_name="stm"))
    return {path: callback for callback, path in found.items()}


def _choices(synopsis: str) -> list[str]:
    """The choices an option's help shows, e.g. `-f, --format <md|html|pdf|json>`."""
    match = re.search(r"<([^<>]*)>$", synopsis)
    return match.group(1).split("|") if match else []


def test_every_command_that_prints_json_has_a_case():
    commands = _json_commands()
    assert ("report", "monthly") in commands and ("actors", "list") in commands
    missing = [
        " ".join(path)
        for path in commands
        if not any(item.args[: len(path)] == path for item in CASES)
    ]
    assert not missing, f"commands with JSON output but no case in CASES: {missing}"


def test_the_golden_folder_holds_no_file_without_a_case():
    names = {item.name for item in CASES}
    stray = sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem not in names)
    assert not stray, f"golden files without a case: {stray}"


SHAPES = [
    ({"id": 1, "start": "2026-12-08T18:00", "due": None},
     {"id": "int", "start": "str:datetime", "due": "null"}),
    ([{"a": "2026-12-08"}, {"a": None}], [{"a": "null|str:date"}]),
    ([], []),
    ({"budget": "48000.00", "month": "2026-10", "all_day": True},
     {"budget": "str:amount", "month": "str:month", "all_day": "bool"}),
    ([{"tags": []}, {"tags": ["kultur"]}], [{"tags": ["str"]}]),
    ([{"a": 1}, {"b": 2}], [{"a": "int|missing", "b": "int|missing"}]),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), SHAPES)
def test_a_shape_names_types_not_values(value, expected):
    assert shape(value) == expected
