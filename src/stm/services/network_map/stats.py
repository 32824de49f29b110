"""Figures of the actor network: ties per actor, who bridges groups, who is not reached.

- *ties*: the actor's memberships and project roles in the year up to the map's day;
- *betweenness*: networkx's betweenness centrality on the graph of actors, bodies and
  projects (exact up to 600 nodes, estimated from 300 sources beyond), normalised: the
  share of shortest paths between two other nodes that pass the actor; an actor above 0
  links groups that would otherwise be further apart or apart altogether;
- *not reached*: actors with no membership and no project in that year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stm.services.network_map.graph import ActorNetwork

if TYPE_CHECKING:
    import networkx as nx

#: Betweenness is given to this many decimals (the same register, the same figures).
DECIMALS = 4
#: Up to this many nodes betweenness is exact; beyond, it is estimated from the shortest
#: paths of `SAMPLES` sources chosen with a fixed seed (exact costs nodes × ties: a
#: network of 2,000 actors would take a minute), so the same register gives the same figures.
EXACT_UP_TO = 600
SAMPLES = 300
SEED = 2026


def to_graph(network: ActorNetwork) -> nx.Graph:
    """The network as a networkx graph: nodes by key with their attributes, one edge per tie."""
    import networkx as nx

    graph = nx.Graph()
    for node in network.nodes:
        graph.add_node(
            node.key,
            type=node.kind,
            id=node.id,
            label=node.label,
            detail=node.detail,
            sector=node.sector,
            sectors=",".join(node.sectors),
            folded=node.folded,
        )
    for tie in network.ties:
        graph.add_edge(tie.actor, tie.hub, kind=tie.kind, role=tie.role)
    return graph


def network_stats(network: ActorNetwork) -> dict[str, Any]:
    """Per actor: ties, bodies, projects, betweenness, reached; and the lists that matter."""
    import networkx as nx

    graph = to_graph(network)
    estimated = graph.number_of_nodes() > EXACT_UP_TO
    between = (
        nx.betweenness_centrality(
            graph, k=SAMPLES if estimated else None, normalized=True, seed=SEED
        )
        if graph.number_of_nodes()
        else {}
    )
    rows = []
    for node in network.actors:
        hubs = list(graph.neighbors(node.key))
        rows.append(
            {
                "id": node.id,
                "name": node.label,
                "kind": node.detail,
                "sector": node.sector or None,
                "ties": graph.degree(node.key),
                "bodies": sum(1 for key in hubs if key.startswith("n")),
                "projects": sum(1 for key in hubs if key.startswith("p")),
                "betweenness": round(between.get(node.key, 0.0), DECIMALS),
                "persons_folded": node.folded,
                "reached": graph.degree(node.key) > 0,
            }
        )
    rows.sort(key=lambda r: (-r["betweenness"], -r["ties"], r["name"].casefold(), r["id"]))
    return {
        "as_of": network.as_of,
        "actors": rows,
        "bridges": [r["id"] for r in rows if r["betweenness"] > 0],
        "not_reached": sorted(
            (
                {"id": r["id"], "name": r["name"], "kind": r["kind"]}
                for r in rows
                if not r["reached"]
            ),
            key=lambda r: (r["name"].casefold(), r["id"]),
        ),
        "counts": {
            "actors": len(rows),
            "bodies": sum(1 for n in network.hubs if n.kind == "network"),
            "projects": sum(1 for n in network.hubs if n.kind == "project"),
            "ties": len(network.ties),
            "not_reached": sum(1 for r in rows if not r["reached"]),
            "persons_left_out": network.left_out,
        },
        "betweenness_estimated": estimated,
    }


def not_reached_count(network: ActorNetwork) -> int:
    """How many actors of the network have no tie in the year (no graph needed)."""
    tied = {tie.actor for tie in network.ties}
    return sum(1 for node in network.actors if node.key not in tied)
