"""The golden JSON shapes (tests/golden/porcelain/) agree with the TypedDicts of the
scripting contract (`stm.contract`, SPEC §7): the same keys in the same order, and every
type the demo's JSON shows is one the TypedDict allows (a `null` in the demo is fine for
`str | None`; `str:date` is a `str`)."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from stm.contract import GOLDEN_RECORDS, MonthlyReport

GOLDEN = Path(__file__).parent / "golden" / "porcelain"
SCALARS = {int: {"int"}, str: {"str"}, bool: {"bool"}, float: {"float", "int"}}


def _is_typeddict(hint: Any) -> bool:
    return isinstance(hint, type) and typing.is_typeddict(hint)


def _alternatives(hint: Any) -> list[Any]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        return list(get_args(hint))
    return [hint]


def problems(shape: Any, hint: Any, where: str = "") -> list[str]:
    """Where the shape does not fit the type (empty when it does)."""
    if hint is Any:
        return []
    options = _alternatives(hint)
    if isinstance(shape, str):
        allowed = set().union(*(SCALARS.get(o, set()) for o in options))
        if type(None) in options:
            allowed.add("null")
        seen = {name.split(":")[0] for name in shape.split("|")}
        return [] if seen <= allowed else [f"{where or '.'}: {shape} is not {hint}"]
    for option in options:
        if option is type(None):
            continue
        found = _fits(shape, option, where)
        if found is not None and not found:
            return []
    fits = [f for o in options if o is not type(None) and (f := _fits(shape, o, where))]
    return fits[0] if fits else [f"{where or '.'}: {json.dumps(shape)[:60]} is not {hint}"]


def _fits(shape: Any, hint: Any, where: str) -> list[str] | None:
    """None when the kinds differ (list vs. dict), else the problems within."""
    if _is_typeddict(hint):
        if not isinstance(shape, dict):
            return None
        hints = get_type_hints(hint)
        if list(shape) != list(hints):
            return [f"{where or '.'}: keys {list(shape)} are not {hint.__name__}'s {list(hints)}"]
        return [p for key in hints for p in problems(shape[key], hints[key], f"{where}.{key}")]
    origin = get_origin(hint)
    if origin is list:
        if not isinstance(shape, list):
            return None
        return problems(shape[0], get_args(hint)[0], f"{where}[]") if shape else []
    if origin is dict:
        if not isinstance(shape, dict):
            return None
        value = get_args(hint)[1]
        return [p for key, item in shape.items() for p in problems(item, value, f"{where}.{key}")]
    return None


def _record(name: str) -> Any:
    shape = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    if isinstance(shape, list):
        assert shape, f"{name}.json holds an empty list: the demo should show a record"
        return shape[0]
    return shape


@pytest.mark.parametrize(("name", "record"), GOLDEN_RECORDS.items(), ids=list(GOLDEN_RECORDS))
def test_the_golden_shape_is_the_contracts_record(name, record):
    assert problems(_record(name), record) == []


def test_the_contract_keeps_at_least_the_keys_spec_7_names():
    from stm import contract

    spec = {
        contract.Actor: "id kind name districts sectors email phone organisation archived",
        contract.Network: "id slug name kind districts members",
        contract.Project: "id title status programme lead partners start end budget districts",
        contract.Event: "id title kind start end all_day districts location status organisers "
        "attendance",
        contract.Meeting: "id network number start location state agenda tasks",
        contract.AgendaItem: "position title presenter minutes",
        contract.Task: "id title owner due status meeting",
        contract.Concern: "id title district status forwarded_to reported_on due",
        MonthlyReport: "month districts events meetings decisions tasks_open tasks_done "
        "projects concerns actors newspaper",
        contract.ReportConcerns: "opened resolved open",
        contract.ReportActors: "total new",
    }
    for record, keys in spec.items():
        missing = set(keys.split()) - set(get_type_hints(record))
        assert not missing, f"{record.__name__} lacks {missing}"


@pytest.mark.parametrize(
    ("shape", "hint", "fits"),
    [
        ("null|str:date", str | None, True),
        ("null", str, False),
        ("int", str | None, False),
        ([], list[int], True),
        (["str"], list[int], False),
        ({"a": "int"}, dict[str, int], True),
    ],
)
def test_problems_compares_types_not_values(shape, hint, fits):
    assert (problems(shape, hint) == []) is fits


class _Small(typing.TypedDict):
    id: int
    name: str | None


def test_problems_name_a_key_too_many_a_key_missing_and_a_wrong_type():
    assert problems({"id": "int", "name": "null"}, _Small) == []
    assert problems([{"id": "int"}], list[_Small]) == [
        "[]: keys ['id'] are not _Small's ['id', 'name']"
    ]
    assert problems({"name": "str", "id": "int"}, _Small) != []  # the order counts too
    assert problems({"id": "str", "name": "str"}, _Small) == [".id: str is not <class 'int'>"]
    assert problems(_record("actors-list"), _Small) != []
