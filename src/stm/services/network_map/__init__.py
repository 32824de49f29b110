"""The actor map (Akteurslandkarte): the network of actors, bodies and projects.

The face of the package: what other modules import.

- `actor_network(session, MapScope(...))`: the network as plain data (`graph`);
- `network_stats(network)`: ties, betweenness, who is not reached (`stats`);
- `map_svg/map_pdf/map_png/map_graphml` (`drawing`), `elements_csv/connections_csv`
  (`kumu`);
- `not_reached(connection, as_of, district_ids)`: the count the monthly report shows.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from stm.services.network_map.drawing import map_graphml, map_pdf, map_png, map_svg
from stm.services.network_map.graph import (
    ActorNetwork,
    Chosen,
    MapScope,
    Node,
    Tie,
    actor_network,
    read_network,
)
from stm.services.network_map.kumu import connections_csv, elements_csv
from stm.services.network_map.stats import network_stats, not_reached_count, to_graph

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

PAPERS = ("a4", "a3")


def not_reached(
    connection: Connection, as_of: date, district_ids: set[int] | None, consent_years: int = 3
) -> int:
    """Actors (of the districts, when given) with no membership and no project in the year
    up to `as_of`."""
    network = read_network(connection, as_of, Chosen(districts=district_ids), consent_years)
    return not_reached_count(network)


__all__ = [
    "PAPERS",
    "ActorNetwork",
    "Chosen",
    "MapScope",
    "Node",
    "Tie",
    "actor_network",
    "connections_csv",
    "elements_csv",
    "map_graphml",
    "map_pdf",
    "map_png",
    "map_svg",
    "network_stats",
    "not_reached",
    "not_reached_count",
    "read_network",
    "to_graph",
]
