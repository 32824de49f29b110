"""`stm oparl export`: OParl 1.1 objects, checked against the OParl/spec JSON schemas."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SCHEMAS = Path(__file__).parents[2] / "shared" / "fixtures" / "external" / "oparl"
if not SCHEMAS.is_dir():  # a worktree beside /work/shared, or the repository in CI
    SCHEMAS = Path("/work/shared/fixtures/external/oparl")
BASE = "https://stm.example.org/oparl"
#: Fields whose object is embedded (OParl's `"schema": "X.json"`), by type.
EMBEDDED = {
    "Meeting": {"location": "Location", "invitation": "File", "resultsProtocol": "File",
                "agendaItem": "AgendaItem"},
    "Person": {"membership": "Membership"},
    "Body": {"legislativeTerm": "LegislativeTerm"},
}  # fmt: skip


def _validator(kind: str):
    from jsonschema import Draft7Validator, FormatChecker

    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    checker = FormatChecker()

    @checker.checks("url")
    def is_url(value: object) -> bool:  # not a standard format: see the PROVENANCE note
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    @checker.checks("date-time")
    def is_date_time(value: object) -> bool:  # RFC 3339: a date, a time and an offset
        from datetime import datetime

        if not isinstance(value, str):
            return True
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return False
        return "T" in value and moment.tzinfo is not None

    return Draft7Validator(schema, format_checker=checker)


def _validate(record: dict, errors: list[str]) -> None:
    kind = record["type"].rsplit("/", 1)[-1]
    for error in _validator(kind).iter_errors(record):
        errors.append(f"{record['id']}: {error.message}")
    for field, embedded in EMBEDDED.get(kind, {}).items():
        value = record.get(field)
        for item in value if isinstance(value, list) else [value] if value else []:
            assert item["type"].endswith("/" + embedded)
            _validate(item, errors)


def _export(cli, folder: Path, *args: str):
    result = cli("oparl", "export", "-o", str(folder), "--base-url", BASE, *args)
    assert result.exit_code == 0, result.output
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    objects = {k: json.loads(p.read_text(encoding="utf-8")) for k, p in files.items()
               if k.endswith(".json")}  # fmt: skip
    return result, files, objects


def _urls(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)
    elif isinstance(value, str) and value.startswith(BASE):
        yield value


def test_every_exported_object_validates_against_the_oparl_schemas(cli, demo, tmp_path):
    result, _files, objects = _export(cli, tmp_path / "oparl")
    assert "start at https://stm.example.org/oparl/system.json" in result.stdout
    errors: list[str] = []
    kinds = set()
    for path, record in objects.items():
        if "data" in record:  # an external list
            assert set(record) == {"data", "pagination", "links"}
            for item in record["data"]:
                _validate(item, errors)
            continue
        assert record["id"] == f"{BASE}/{path}"  # the id names the file
        kinds.add(record["type"].rsplit("/", 1)[-1])
        _validate(record, errors)
    assert errors == []
    assert kinds == {"System", "Body", "Organization", "Person", "Membership", "Meeting",
                     "AgendaItem", "File", "Location"}  # fmt: skip


def test_every_reference_points_to_an_exported_object(cli, demo, tmp_path):
    _result, files, objects = _export(cli, tmp_path / "oparl")
    ids = {f"{BASE}/{path}" for path in files}
    dangling = sorted({url for record in objects.values() for url in _urls(record)} - ids)
    assert dangling == []
    system = objects["system.json"]
    body = objects["body/1.json"]
    assert system["body"] == f"{BASE}/bodies.json"
    assert objects["bodies.json"]["data"] == [body]
    assert body["system"] == system["id"]
    # A meeting's documents are there, and their checksum is theirs.
    import hashlib

    meeting = next(m for m in objects["body/1/meetings.json"]["data"] if "resultsProtocol" in m)
    for document in (meeting["invitation"], meeting["resultsProtocol"]):
        data = files[urlsplit(document["accessUrl"]).path.split("/oparl/", 1)[1]].read_bytes()
        assert hashlib.sha1(data).hexdigest() == document["sha1Checksum"]
        assert document["size"] == len(data)


def test_meetings_carry_state_times_place_items_and_decisions(cli, demo, tmp_path):
    _result, _files, objects = _export(cli, tmp_path / "oparl")
    meetings = {m["name"]: m for m in objects["body/1/meetings.json"]["data"]}
    held = meetings["11. Stadtteiltisch Schmarl"]
    assert held["meetingState"] in ("durchgeführt", "Protokoll bestätigt")
    assert held["cancelled"] is False
    assert held["start"].endswith(("+01:00", "+02:00"))
    assert held["location"]["type"] == "https://schema.oparl.org/1.1/Location"
    items = held["agendaItem"]
    assert [i["order"] for i in items] == sorted(i["order"] for i in items)
    decided = [i for i in items if "resolutionText" in i]
    assert decided and all(i["result"] in ("angenommen", "abgelehnt") for i in decided)
    assert "Zustimmungen" in decided[0]["resolutionText"]
    upcoming = meetings["12. Stadtteiltisch Schmarl"]
    assert "resultsProtocol" not in upcoming and "invitation" in upcoming
    organisation = objects[urlsplit(held["organization"][0]).path.split("/oparl/", 1)[1]]
    assert organisation["organizationType"] == "Gremium"
    memberships = [objects[urlsplit(u).path.split("/oparl/", 1)[1]]
                   for u in organisation["membership"]]  # fmt: skip
    assert memberships and all(isinstance(m["votingRight"], bool) for m in memberships)
    assert {m["role"] for m in memberships} <= {"Mitglied", "Vorsitz", "Geschäftsstelle", "Gast"}


def test_no_person_without_consent_appears(cli, demo, tmp_path):
    from sqlmodel import select

    from stm.models import Actor

    _result, files, objects = _export(cli, tmp_path / "oparl")
    with demo.session() as session:
        persons = session.exec(select(Actor).where(Actor.kind.in_(["person", "resident"]))).all()
        hidden = [p.name for p in persons if not p.consent_share]
        shown = {p.id for p in persons if p.consent_share}
    assert hidden
    for path, file in files.items():
        text = file.read_text(encoding="utf-8")
        for name in hidden:
            assert name not in text, f"{name} in {path}"
    people = objects["body/1/people.json"]["data"]
    assert (
        people and {int(p["id"].rsplit("/", 1)[-1].removesuffix(".json")) for p in people} <= shown
    )
    assert all(file.stat().st_mode & 0o777 == 0o600 for file in files.values())


def test_a_non_public_item_is_marked_in_the_minutes_and_left_out_of_the_export(cli, demo, tmp_path):
    title = "Personalangelegenheit Vertraulich"
    result = cli("agenda", "add", "next", title, "--network", "stadtteiltisch-schmarl",
                 "--non-public")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(non-public)" in result.stdout
    minutes = cli("minutes", "render", "next", "--network", "stadtteiltisch-schmarl")
    assert f"{title} (nicht öffentlich)" in minutes.stdout
    html = cli("minutes", "render", "next", "--network", "stadtteiltisch-schmarl",
               "--format", "html")  # fmt: skip
    assert "nicht öffentlich" in html.stdout
    _result, files, _objects = _export(cli, tmp_path / "oparl")
    for path, file in files.items():
        assert title not in file.read_text(encoding="utf-8"), path


def test_one_network_only(cli, demo, tmp_path):
    _result, _files, objects = _export(
        cli, tmp_path / "oparl", "--network", "stadtteiltisch-schmarl"
    )
    bodies = [o for o in objects["body/1/organizations.json"]["data"]
              if o["organizationType"] == "Gremium"]  # fmt: skip
    assert [b["name"] for b in bodies] == ["Stadtteiltisch Schmarl"]
    assert {m["name"].split(". ", 1)[1] for m in objects["body/1/meetings.json"]["data"]} == {
        "Stadtteiltisch Schmarl"
    }


def test_the_same_register_gives_the_same_files(cli, demo, tmp_path):
    _r1, first, _o1 = _export(cli, tmp_path / "one")
    _r2, second, _o2 = _export(cli, tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert all(first[k].read_bytes() == second[k].read_bytes() for k in first)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "ftp://example.org/x"], "--base-url: 'ftp://example.org/x' is not"),
        (["--base-url", "localhost"], "--base-url"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(cli, register, tmp_path, args, message):
    folder = tmp_path / "out"
    result = cli("oparl", "export", "-o", str(folder), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not folder.exists()


def test_a_file_as_the_folder_is_exit_2(cli, register, tmp_path):
    target = tmp_path / "datei.json"
    target.write_text("x")
    result = cli("oparl", "export", "-o", str(target))
    assert result.exit_code == 2
    assert "--output" in result.stderr and target.read_text() == "x"


def test_an_unknown_network_is_exit_1_and_writes_nothing(cli, register, tmp_path):
    folder = tmp_path / "out"
    result = cli("oparl", "export", "-o", str(folder), "--network", "gibt-es-nicht")
    assert result.exit_code == 1
    assert "gibt-es-nicht" in result.stderr
    assert not folder.exists()


def test_agenda_edit_makes_a_top_non_public_and_public_again(cli, demo, tmp_path):
    title = "Mietvertrag Stadtteilbüro"
    scope = ("--network", "stadtteiltisch-schmarl")
    added = cli("agenda", "add", "next", title, *scope)
    assert added.exit_code == 0, added.output
    top = added.stdout.split("TOP ", 1)[1].split()[0]
    hidden = cli("agenda", "edit", "next", top, *scope, "--non-public")
    assert hidden.exit_code == 0, hidden.output
    assert f"Updated TOP {top} {title} (non-public)" in hidden.stdout
    assert f"{title} (nicht öffentlich)" in cli("minutes", "render", "next", *scope).stdout
    _result, files, _objects = _export(cli, tmp_path / "hidden")
    assert not any(title in f.read_text(encoding="utf-8") for f in files.values())
    shown = cli("agenda", "edit", "next", top, *scope, "--public")
    assert "(non-public)" not in shown.stdout
    minutes = cli("minutes", "render", "next", *scope).stdout
    assert title in minutes and "nicht öffentlich" not in minutes
    _result, files, _objects = _export(cli, tmp_path / "shown")
    assert any(title in f.read_text(encoding="utf-8") for f in files.values())
