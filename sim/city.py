"""The city as a governance network: the 12345 hotline centre, district centres, street offices, residential
communities and city departments, built from a scenario at a given scale.

The network (a networkx DiGraph) is the map of who dispatches to whom and who may summon whom; the model works on
the index arrays derived from it (which street a community belongs to, which district a street belongs to) and on
`Handlers`, the one numbering of the bodies that work ticket queues. Community sizes vary around the district mean with a lognormal spread drawn from the
scenario's `layout_seed`, so every replicate of a scenario runs on the same city.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np

from sim.scenario.schema import ZONES, Scenario


@dataclass(frozen=True)
class City:
    scale: float
    district_names: list[str]
    district_zone: np.ndarray  # (D,) index into ZONES
    street_names: list[str]
    street_district: np.ndarray  # (S,)
    street_staff_hours: np.ndarray  # (S,) staff-hours per day, scaled
    community_street: np.ndarray  # (C,)
    community_district: np.ndarray  # (C,)
    community_population: np.ndarray  # (C,) simulated residents
    community_hall: np.ndarray  # (C,) bool: has a deliberation hall
    community_reporting: np.ndarray  # (C,) reporting multiplier of its district
    department_names: list[str]
    department_staff_hours: np.ndarray  # (G,) scaled
    network: nx.DiGraph

    @property
    def n_streets(self) -> int:
        return len(self.street_names)

    @property
    def population(self) -> int:
        return int(self.community_population.sum())

    @property
    def n_active_communities(self) -> int:
        """Communities with residents (at small scale, streets that are not sampled have none)."""
        return int(np.count_nonzero(self.community_population))

    @cached_property
    def handlers(self) -> "Handlers":
        return Handlers(self.n_streets, len(self.department_names), np.concatenate([self.street_staff_hours, self.department_staff_hours]))


STREET_OFFICE, DEPARTMENT = 0, 1  # kinds of handler


@dataclass(frozen=True)
class Handlers:
    """The bodies that work ticket queues under one numbering: street offices 0..S-1, then departments S..S+G-1.

    Tickets store a handler index; everything that needs to know what kind of body a handler is, or which street or
    department it is, asks here rather than assuming the numbering.
    """

    n_streets: int
    n_departments: int
    staff_hours: np.ndarray  # (H,) staff-hours per day for tickets, scaled, before timeline programmes

    @property
    def n(self) -> int:
        return self.n_streets + self.n_departments

    @cached_property
    def kind(self) -> np.ndarray:
        return np.where(np.arange(self.n) < self.n_streets, STREET_OFFICE, DEPARTMENT).astype(np.int8)

    def is_street(self, handler: np.ndarray) -> np.ndarray:
        return handler < self.n_streets

    def street(self, handler: np.ndarray) -> np.ndarray:
        """Street index of each handler (valid where `is_street`; other handlers map to a valid dummy index)."""
        return np.minimum(handler, self.n_streets - 1)

    def department(self, handler: np.ndarray) -> np.ndarray:
        """Department index of each handler (valid where not `is_street`; streets map to department 0)."""
        return np.maximum(handler - self.n_streets, 0)

    def of_department(self, department: np.ndarray | int) -> np.ndarray | int:
        """Handler index of department(s)."""
        return self.n_streets + department

    def streets_part(self, values: np.ndarray) -> np.ndarray:
        """The street offices' entries of a per-handler array."""
        return values[: self.n_streets]

    def departments_part(self, values: np.ndarray) -> np.ndarray:
        return values[self.n_streets :]


def streets_kept(streets: int, scale: float) -> int:
    """How many of a district's street offices a run at `scale` simulates."""
    return min(streets, max(1, round(scale * streets)))


def build_city(scenario: Scenario, scale: float = 1.0) -> City:
    """The city at `scale`: a fraction `scale` of each district's residents, living in a sample of its street
    offices (at least one) that keeps each street near its real size.

    Thinning every street instead would leave a street at 1 % of Beijing with one staff-hour a day, less than one
    ticket's work: its queue would be served one ticket at a time over days, and a small run would be slower and
    less satisfied than the city it stands for. Sampled streets keep realistic queues; the sample is drawn from
    `layout_seed`, so every replicate runs on the same streets.
    """
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], got {scale}")
    rng = np.random.default_rng(scenario.city.layout_seed)
    graph = nx.DiGraph()
    graph.add_node("hotline", kind="hotline", label="12345 hotline centre")
    district_zone, street_names, street_district, street_staff = [], [], [], []
    community_street, community_population = [], []
    for d, district in enumerate(scenario.city.districts):
        district_node = f"district:{district.name}"
        graph.add_node(district_node, kind="district", index=d, label=district.name, zone=district.zone)
        graph.add_edge("hotline", district_node, kind="dispatch")
        district_zone.append(ZONES.index(district.zone))
        per_street = district.communities_per_street
        shares = rng.lognormal(0.0, scenario.city.community_size_spread, (district.streets, per_street))
        kept = np.sort(rng.choice(district.streets, size=streets_kept(district.streets, scale), replace=False))
        shares = shares[kept]
        sizes = _round_preserving_total((district.population * scale * shares / shares.sum()).ravel(), rng)
        for position, s_local in enumerate(kept):
            s = len(street_names)
            name = f"{district.name} {s_local + 1}"
            street_node = f"street:{s}"
            graph.add_node(street_node, kind="street", index=s, label=name, district=d)
            graph.add_edge(district_node, street_node, kind="dispatch")
            block = sizes[position * per_street : (position + 1) * per_street]
            for size in block:
                c = len(community_street)
                graph.add_node(f"community:{c}", kind="community", index=c, street=s, population=int(size))
                graph.add_edge(street_node, f"community:{c}", kind="serves")
                community_street.append(s)
                community_population.append(size)
            street_names.append(name)
            street_district.append(d)
            staff_per_10k = district.street_staff_hours_per_10k
            if staff_per_10k is None:
                staff_per_10k = scenario.city.street_staff_hours_per_10k
            street_staff.append(block.sum() * staff_per_10k / 10_000)
    department_names = [dep.name for dep in scenario.city.departments]
    for g, department in enumerate(scenario.city.departments):
        node = f"department:{department.name}"
        graph.add_node(node, kind="department", index=g, label=department.name)
        graph.add_edge("hotline", node, kind="dispatch")
    for category in scenario.categories.values():
        if category.owner != "street" and not category.street_duty:
            for s in range(len(street_names)):  # a street may summon the owner of what it cannot solve
                graph.add_edge(f"street:{s}", f"department:{category.owner}", kind="whistle")
    community_street_arr = np.asarray(community_street, dtype=np.int32)
    street_district_arr = np.asarray(street_district, dtype=np.int32)
    population = np.asarray(community_population, dtype=np.int64)
    rng_halls = np.random.default_rng([scenario.city.layout_seed, 1])
    return City(
        scale=scale,
        district_names=[d.name for d in scenario.city.districts],
        district_zone=np.asarray(district_zone, dtype=np.int32),
        street_names=street_names,
        street_district=street_district_arr,
        street_staff_hours=np.asarray(street_staff, dtype=float),
        community_street=community_street_arr,
        community_district=street_district_arr[community_street_arr],
        community_population=population,
        community_hall=rng_halls.random(len(population)) < scenario.city.deliberation_hall_share,
        community_reporting=np.array([d.reporting for d in scenario.city.districts])[street_district_arr[community_street_arr]],
        department_names=department_names,
        department_staff_hours=np.array([d.staff_hours * scale for d in scenario.city.departments]),
        network=graph,
    )


def _round_preserving_total(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Integer sizes whose sum equals round(sum(values)), rounding each value up or down at random."""
    floor = np.floor(values).astype(np.int64)
    short = int(round(values.sum())) - int(floor.sum())
    if short > 0:
        remainder = values - floor
        chosen = rng.choice(len(values), size=short, replace=False, p=remainder / remainder.sum())
        floor[chosen] += 1
    return floor
