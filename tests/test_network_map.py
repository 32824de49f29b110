"""`stm map`: the actor map, its figures, Kumu sheets, and the monthly report's count."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import deque
from itertools import combinations
from pathlib import Path

import pytest

SVG = "{http://www.w3.org/2000/svg}"


# ----------------------------------------------------------------------------- helpers


def _boxes(svg: str) -> list[tuple[float, float, float, float]]:
    root = ET.fromstring(svg)
    return [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "label-box"
    ]


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _texts(svg: str) -> str:
    root = ET.fromstring(svg)
    shown = (f"{SVG}text", f"{SVG}title")
    return "\n".join("".join(t.itertext()) for t in root.iter() if t.tag in shown)


def _persons_without_consent(session) -> list[str]:
    from sqlmodel import select

    from stm.models import Actor

    return [
        a.name
        for a in session.exec(select(Actor).where(Actor.kind.in_(["person", "resident"]))).all()
        if not a.consent_share
    ]


# ----------------------------------------------------------------------------- the demo map


def test_the_demo_map_is_the_same_twice_and_its_labels_do_not_overlap(cli, demo, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    result = cli("map", "-o", str(first))
    assert result.exit_code == 0, result.output
    assert cli("map", "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    svg = first.read_text(encoding="utf-8")
    assert svg.startswith("<?xml")
    boxes = _boxes(svg)
    assert len(boxes) > 40  # actors, bodies, projects, legend, title
    clashes = [(a, b) for a, b in combinations(boxes, 2) if _overlap(a, b)]
    assert clashes == []
    # Every box lies inside the drawing.
    root = ET.fromstring(svg)
    _x, _y, width, height = map(float, root.get("viewBox").split())
    assert all(x >= 0 and y >= 0 and x + w <= width and y + h <= height for x, y, w, h in boxes)


def test_every_body_of_the_demo_is_on_the_map_and_no_person_without_consent(cli, demo, tmp_path):
    from sqlmodel import select

    from stm.models import Network

    target = tmp_path / "karte.svg"
    assert cli("map", "-o", str(target)).exit_code == 0
    svg = target.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    with demo.session() as session:
        networks = session.exec(select(Network)).all()
        hidden = _persons_without_consent(session)
    assert len(networks) == 9
    for network in networks:
        group = groups[f"n{network.id}"]
        assert network.name in "".join(group.itertext())
    assert hidden, "the demo has persons without consent"
    texts = _texts(svg)
    for name in hidden:
        assert name not in svg
    assert "Anna Müller" in texts  # a person who consented appears with her name
    assert "(+1)" in texts  # an organisation carries a person without consent


def test_the_map_as_pdf_png_graphml_and_kumu_csv(cli, demo, tmp_path):
    import networkx as nx

    assert cli("map", "-o", str(tmp_path / "karte.pdf")).exit_code == 0
    pdf = (tmp_path / "karte.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width)) in (842, 595)  # A4, landscape or portrait
    assert cli("map", "--paper", "a3", "-o", str(tmp_path / "karte.png")).exit_code == 0
    png = (tmp_path / "karte.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "karte.png").stat().st_mode & 0o777 == 0o600
    assert cli("map", "-o", str(tmp_path / "netz.graphml")).exit_code == 0
    graph = nx.read_graphml(tmp_path / "netz.graphml")
    bodies = [n for n, data in graph.nodes(data=True) if data["type"] == "network"]
    assert len(bodies) == 9
    assert graph.number_of_edges() > 0
    result = cli("map", "--format", "csv", "-o", str(tmp_path / "netz.csv"))
    assert result.exit_code == 0, result.output
    elements = list(csv.DictReader(io.StringIO((tmp_path / "netz-elements.csv").read_text())))
    connections = list(csv.DictReader(io.StringIO((tmp_path / "netz-connections.csv").read_text())))
    labels = {row["Label"] for row in elements}
    assert len(labels) == len(elements)
    assert {row["Type"] for row in elements} >= {"Gremium", "Projekt", "Verein"}
    assert connections and all(r["From"] in labels and r["To"] in labels for r in connections)
    assert {r["Type"] for r in connections} >= {"Mitgliedschaft", "Träger", "Partner"}
    with demo.session() as session:
        for name in _persons_without_consent(session):
            assert name not in (tmp_path / "netz-elements.csv").read_text()


def test_a_map_of_one_body_holds_that_body_and_its_members(cli, demo, tmp_path):
    target = tmp_path / "tisch.svg"
    result = cli("map", "--network", "stadtteiltisch-schmarl", "-o", str(target))
    assert result.exit_code == 0, result.output
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    kinds = [g.get("class") for g in root.iter(f"{SVG}g") if (g.get("id") or "")[:1] in "anp"]
    assert kinds.count("network") == 1
    assert kinds.count("project") == 0
    assert kinds.count("actor") >= 3
    assert "Stadtteiltisch Schmarl" in _texts(target.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- figures


def _hand_made_network(cli, monkeypatch) -> None:
    monkeypatch.setenv("STM_NOW", "2026-01-10T10:00")
    for name, sector in (("Verein A", "kultur"), ("Verein B", "soziales"),
                         ("Verein C", "bildung"), ("Verein D", "sport")):  # fmt: skip
        assert cli("actors", "add", name, "--kind", "association", "--sector", sector,
                   "-d", "schmarl").exit_code == 0  # fmt: skip
    assert cli("actors", "add", "Erika Eins", "--kind", "person", "--consent").exit_code == 0
    assert (
        cli("actors", "add", "Fritz Folded", "--kind", "person", "--org", "Verein B").exit_code == 0
    )
    assert cli("actors", "add", "Gerd Gone", "--kind", "person").exit_code == 0
    for network in ("Netz Eins", "Netz Zwei"):
        assert cli("networks", "add", network, "--kind", "netzwerk", "-d", "schmarl").exit_code == 0
    joins = [("netz-eins", "Verein A"), ("netz-eins", "Verein B"), ("netz-eins", "Erika Eins"),
             ("netz-zwei", "Verein A"), ("netz-zwei", "Verein C"), ("netz-zwei", "Fritz Folded"),
             ("netz-zwei", "Gerd Gone")]  # fmt: skip
    for network, actor in joins:
        result = cli("networks", "join", network, actor)
        assert result.exit_code == 0, result.output


def _betweenness_by_hand(edges: list[tuple[str, str]], nodes: list[str]) -> dict[str, float]:
    """Betweenness from first principles: for each pair, the share of its shortest paths
    that pass each node, normalised by the number of pairs without the node."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)

    def shortest_paths(source: str, target: str) -> list[list[str]]:
        paths, queue, best = [], deque([[source]]), None
        while queue:
            path = queue.popleft()
            if best is not None and len(path) > best:
                break
            if path[-1] == target:
                best = len(path)
                paths.append(path)
                continue
            queue.extend([*path, n] for n in sorted(neighbours[path[-1]]) if n not in path)
        return paths

    score = dict.fromkeys(nodes, 0.0)
    for s, t in combinations(nodes, 2):
        paths = shortest_paths(s, t)
        for node in nodes:
            if paths and node not in (s, t):
                score[node] += sum(node in p[1:-1] for p in paths) / len(paths)
    pairs = (len(nodes) - 1) * (len(nodes) - 2) / 2
    return {node: value / pairs for node, value in score.items()}


def test_stats_of_a_hand_made_network(cli, register, monkeypatch):
    _hand_made_network(cli, monkeypatch)
    result = cli("map", "--stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    rows = {row["name"]: row for row in figures["actors"]}
    # Fritz has no consent: Verein B carries his tie to Netz Zwei; Gerd has no
    # organisation either: left out. Neither is named.
    assert set(rows) == {"Verein A", "Verein B", "Verein C", "Verein D", "Erika Eins"}
    assert "Fritz" not in result.stdout and "Gerd" not in result.stdout
    assert rows["Verein B"]["persons_folded"] == 1
    assert figures["counts"]["persons_left_out"] == 1
    edges = [("A", "N1"), ("B", "N1"), ("E", "N1"), ("A", "N2"), ("C", "N2"), ("B", "N2")]
    expected = _betweenness_by_hand(edges, ["A", "B", "C", "D", "E", "N1", "N2"])
    # By hand: A and B each lie on half the shortest paths between the two networks'
    # sides (N1–N2, N1–C, E–N2, E–C: 4 pairs × ½), and C, D, E on none: 2 of 15 pairs.
    assert expected["A"] == pytest.approx(2 / 15)
    for short, name in (("A", "Verein A"), ("B", "Verein B"), ("C", "Verein C"),
                        ("D", "Verein D"), ("E", "Erika Eins")):  # fmt: skip
        assert rows[name]["betweenness"] == pytest.approx(expected[short], abs=1e-4)
    assert rows["Verein A"]["ties"] == 2 and rows["Verein B"]["ties"] == 2
    assert sorted(figures["bridges"]) == sorted([rows["Verein A"]["id"], rows["Verein B"]["id"]])
    assert [r["name"] for r in figures["not_reached"]] == ["Verein D"]
    table = cli("map", "--stats")
    assert "Not reached in the past year (1): Verein D" in table.stdout
    assert "Bridging most: Verein A, Verein B" in table.stdout


@pytest.mark.parametrize(
    ("now", "reached", "in_report"),
    [
        # the map and --stats look at the year up to today; the report at the year up to
        # the end of the month asked for (here: the month of today)
        ("2026-01-05T10:00", True, 0),
        ("2026-06-01T10:00", True, 0),
        ("2027-01-09T10:00", True, 1),  # left on 10 January 2026: still in the year
        ("2027-01-11T10:00", False, 1),
        ("2027-03-01T10:00", False, 1),
        ("2028-02-29T10:00", False, 1),
    ],
)
def test_not_reached_counts_the_year_up_to_today(cli, register, monkeypatch, now, reached,
                                                 in_report):  # fmt: skip
    monkeypatch.setenv("STM_NOW", "2026-01-01T10:00")
    cli("actors", "add", "Verein X", "--kind", "association", "-d", "schmarl")
    cli("networks", "add", "Netz", "--kind", "netzwerk", "-d", "schmarl")
    assert cli("networks", "join", "netz", "Verein X", "--since", "1.1.2026").exit_code == 0
    monkeypatch.setenv("STM_NOW", "2026-01-10T10:00")
    assert cli("networks", "leave", "netz", "Verein X").exit_code == 0
    monkeypatch.setenv("STM_NOW", now)
    figures = json.loads(cli("map", "--stats", "--json").stdout)
    assert [r["reached"] for r in figures["actors"]] == [reached]
    assert figures["counts"]["not_reached"] == (0 if reached else 1)
    report = json.loads(cli("report", "monthly", "--month", "this", "--format", "json").stdout)
    assert report["actors"]["not_reached"] == in_report


def test_an_actor_recorded_later_is_not_counted_in_an_earlier_report(cli, register, monkeypatch):
    monkeypatch.setenv("STM_NOW", "2026-03-01T10:00")
    cli("actors", "add", "Verein Y", "--kind", "association", "-d", "schmarl")
    for month, expected in (("2026-01", 0), ("2026-02", 0), ("2026-03", 1)):
        report = json.loads(cli("report", "monthly", "--month", month, "--format", "json").stdout)
        assert report["actors"]["not_reached"] == expected, month


def test_the_monthly_report_counts_who_is_not_reached(cli, register, monkeypatch):
    _hand_made_network(cli, monkeypatch)
    monkeypatch.setenv("STM_NOW", "2026-02-03T10:00")
    report = json.loads(cli("report", "monthly", "--format", "json").stdout)
    assert report["month"] == "2026-01"
    assert report["actors"]["not_reached"] == 1
    text = cli("report", "monthly", "--format", "md").stdout
    assert "Noch nicht erreicht" in text and ": 1." in text


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "svg", "-o", "karte.png"], "--format: svg contradicts"),
        (["-o", "karte.docx"], "--output: 'karte.docx' names a .docx file"),
        (["--json"], "--json: goes with --stats"),
        (["--stats", "-o", "x.svg"], "--stats: prints figures"),
        (["--format", "csv"], "--output: csv writes two files"),
        (["--district", "atlantis"], "--district"),
        (["--format", "gif"], "--format"),
        (["--paper", "a5"], "--paper"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(cli, register, tmp_path, monkeypatch, args,
                                                message):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = cli("map", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 6  # usage errors carry Click's usage
    assert [p.name for p in Path(tmp_path).iterdir() if p.suffix in (".png", ".svg", ".csv",
                                                                      ".docx")] == []  # fmt: skip


def test_an_unknown_body_is_exit_1(cli, register):
    result = cli("map", "--network", "gibt-es-nicht")
    assert result.exit_code == 1
    assert "gibt-es-nicht" in result.stderr


def test_light_tables_match_the_models():
    from sqlalchemy import TypeDecorator
    from sqlmodel import SQLModel

    from stm.models import load_all
    from stm.services.network_map.graph import TABLES

    load_all()
    for light in TABLES:
        model = SQLModel.metadata.tables[light.name]
        for light_column in light.columns:
            assert light_column.name in model.columns, f"{light.name}.{light_column.name}"
            stored = model.columns[light_column.name].type
            if isinstance(stored, TypeDecorator):
                stored = stored.impl_instance
            assert isinstance(stored, type(light_column.type)), f"{light.name}.{light_column.name}"


def test_map_help_is_fast_to_import():
    import subprocess
    import sys

    code = (
        "import sys; from stm.cli import app, load_command, _BY_NAME; "
        "load_command(_BY_NAME['map']); load_command(_BY_NAME['oparl']); "
        "print(any(m in sys.modules for m in ('networkx', 'sqlalchemy', 'jinja2')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_150_actors_with_long_names_fit_without_overlapping_labels(paper):
    """A district of 150 actors and 25 bodies and projects (no register needed)."""
    import random
    from datetime import date

    from stm.render import RenderOptions
    from stm.services.network_map import ActorNetwork, Node, Tie, map_svg
    from stm.services.network_map.layout import FONT, layout_map
    from stm.vocab import Sector

    rng = random.Random(150)
    sectors = Sector.values()
    actors = [
        Node(f"a{n}", "actor", n, f"Verein für {rng.choice(sectors).title()} und Nachbarschaft "
             f"im Quartier Nummer {n}", "association", [rng.choice(sectors)])
        for n in range(1, 151)
    ]  # fmt: skip
    hubs = [Node(f"n{n}", "network", n, f"Arbeitskreis Stadtteilentwicklung {n}", "arbeitskreis")
            for n in range(1, 16)]  # fmt: skip
    hubs += [Node(f"p{n}", "project", n, f"Projekt Soziale Stadt Wohnumfeld {n}", "running")
             for n in range(1, 11)]  # fmt: skip
    ties = sorted({Tie(a.key, rng.choice(hubs).key, "membership", "member")
                   for a in actors for _ in range(rng.randint(0, 3))})  # fmt: skip
    network = ActorNetwork(date(2026, 11, 20), hubs + actors, ties)
    svg = map_svg(network, RenderOptions(), paper)
    boxes = _boxes(svg)
    assert len(boxes) >= 175
    assert [(a, b) for a, b in combinations(boxes, 2) if _overlap(a, b)] == []
    drawn = layout_map(network, paper=paper)
    scale_mm = drawn.size_mm[0] / drawn.width
    label_pt = FONT * scale_mm / 0.3528  # mm to points
    assert label_pt >= (4.5 if paper == "a4" else 6.3), label_pt


@pytest.mark.parametrize(
    ("now", "named"),
    [
        ("2026-03-01T10:00", True),
        ("2029-02-28T10:00", True),  # the last day of a consent of 1 March 2026 (3 years)
        ("2029-03-01T10:00", False),  # expired: counted with her organisation
        ("2030-06-01T10:00", False),
    ],
)
def test_a_person_appears_only_while_her_consent_holds(cli, register, monkeypatch, tmp_path,
                                                       now, named):  # fmt: skip
    monkeypatch.setenv("STM_NOW", "2026-03-01T10:00")
    cli("actors", "add", "Verein Z", "--kind", "association", "-d", "schmarl")
    cli("actors", "add", "Paula Probe", "--kind", "person", "--org", "Verein Z")
    result = cli("privacy", "consent", "Paula Probe", "--given", "1.3.2026", "--purpose",
                 "Akteurslandkarte", "--share")  # fmt: skip
    assert result.exit_code == 0, result.output
    cli("networks", "add", "Netz", "--kind", "netzwerk", "-d", "schmarl")
    cli("networks", "join", "netz", "Paula Probe", "--since", "1.3.2026")
    monkeypatch.setenv("STM_NOW", now)
    target = tmp_path / "karte.svg"
    assert cli("map", "-o", str(target)).exit_code == 0
    svg = target.read_text(encoding="utf-8")
    assert ("Paula Probe" in svg) is named
    assert ("Verein Z (+1)" in svg) is (not named)


def test_a_district_map_holds_that_district(cli, demo, tmp_path):
    target = tmp_path / "schmarl.svg"
    assert cli("map", "--district", "schmarl", "-o", str(target)).exit_code == 0
    texts = _texts(target.read_text(encoding="utf-8"))
    assert "Stadtteiltisch Schmarl" in texts
    assert "Akteurslandkarte – Schmarl" in texts
    assert "Stern-Center Potsdam" not in texts
    assert "Stadtteiltisch Groß Klein" not in texts
