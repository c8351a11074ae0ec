"""The governance network, drawn live: who dispatches to whom, and where today's load lands.

Layered layout: the 12345 hotline at the top, then districts, street offices, and communities along the bottom,
each parent centred over its children; city departments in a column on the right, reached by the hotline's
dispatch lines and by the streets' whistle lines (dashed, thicker the more a department is summoned).
Streets and departments are coloured by the share of today's staff-hours they used and sized by the tickets in
their queue; communities are sized by their open problems.

The layout depends only on the network's structure, so it is computed once per structure (`layout`, cached) and
every frame only re-colours it. Lettered for a projector (`theme`): no label under 14 px; streets go by their
number, departments by a short name, and a city of many districts (Beijing) names each district upright under
its column of communities, where nothing else is drawn.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import matplotlib
import networkx as nx
import numpy as np
import solara
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from sim.agents import Department, StreetOffice
from sim import GovernanceModel
from sim.problems import OPEN
from sim.viz.picture import Picture
from sim.viz.theme import LOAD_LABEL, NETWORK_SIZE, SMALL_PT, TITLE_PT

LOAD_COLOURS = matplotlib.colormaps["RdYlGn_r"]
LOAD_SCALE = Normalize(0.0, 1.0)
LEVEL = {"hotline": 3.0, "district": 2.0, "street": 1.0, "community": 0.0}
TOP = 3.35
BOTTOM = {False: -0.4, True: -2.05}  # the bottom of the drawing; many districts need room for upright names
DEPARTMENT_X = 1.08
XLIM = (-0.04, 1.92)
LABEL_LIMIT = 16  # label districts and streets only when there are this many or fewer
UPRIGHT_DISTRICTS = 6  # more districts than this: their names stand upright under their communities
# Short names for the shipped scenarios' departments (others: their name with spaces).
DEPARTMENT_NAMES = {
    "health_commission": "health",
    "market_regulation_bureau": "market regulation",
    "housing_commission": "housing",
    "urban_management": "urban management",
    "traffic_police_transport": "traffic, transport",
    "utilities": "utilities",
    "public_security": "public security",
    "education_commission": "education",
    "human_resources_social_security": "jobs, social security",
}


@dataclass(frozen=True)
class Layout:
    """Positions of every node, by kind and index, and the edges as line segments."""

    hotline: np.ndarray  # (2,)
    districts: np.ndarray  # (D, 2)
    streets: np.ndarray  # (S, 2)
    communities: np.ndarray  # (C, 2)
    departments: np.ndarray  # (G, 2)
    tree_edges: np.ndarray  # (E, 2, 2): dispatch and serves lines
    whistle_edges: np.ndarray  # (W, 2, 2)
    whistle_department: np.ndarray  # (W,): the department each whistle line leads to
    upright_districts: bool  # district names stand upright under their communities
    bottom: float  # the y the drawing reaches down to


def structure(graph: nx.DiGraph) -> tuple:
    """What the layout depends on: the nodes (name, kind, index) and the edges (from, to, kind)."""
    nodes = tuple((name, data["kind"], data.get("index", 0)) for name, data in graph.nodes(data=True))
    edges = tuple((u, v, data["kind"]) for u, v, data in graph.edges(data=True))
    return nodes, edges


@lru_cache(maxsize=16)
def layout_of_structure(key: tuple) -> Layout:
    nodes, edges = key
    kind_of = {name: (kind, index) for name, kind, index in nodes}
    count = Counter(kind for _, kind, _ in nodes)
    children: dict[str, list[str]] = {}
    for u, v, kind in edges:
        if kind != "whistle" and kind_of[v][0] != "department":
            children.setdefault(u, []).append(v)

    position: dict[str, tuple[float, float]] = {}
    n_communities = max(count["community"], 1)
    for name, kind, index in nodes:
        if kind == "community":
            position[name] = ((index + 0.5) / n_communities, LEVEL["community"])
    for kind in ("street", "district", "hotline"):  # bottom-up: a parent sits over the middle of its children
        for name, node_kind, index in nodes:
            if node_kind == kind:
                below = [position[child][0] for child in children.get(name, []) if child in position]
                x = float(np.mean(below)) if below else (index + 0.5) / max(count[kind], 1)
                position[name] = (x, LEVEL[kind])
    upright = count["district"] > UPRIGHT_DISTRICTS
    bottom = BOTTOM[upright]
    n_departments = max(count["department"], 1)
    top_department, span = LEVEL["hotline"] - 0.1, LEVEL["hotline"] - 0.1 - (bottom + 0.25)
    for name, kind, index in nodes:
        if kind == "department":
            position[name] = (DEPARTMENT_X, top_department - span * index / max(n_departments - 1, 1))

    def by_kind(kind: str) -> np.ndarray:
        rows = sorted((index, position[name]) for name, k, index in nodes if k == kind)
        return np.array([xy for _, xy in rows], dtype=float).reshape(-1, 2)

    crowded = count["street"] > LABEL_LIMIT  # hundreds of streets, thousands of communities
    # A crowded city's street-to-community lines would fill the lower half with grey: its communities stand alone.
    tree = [(position[u], position[v]) for u, v, kind in edges if kind == "dispatch" or (kind == "serves" and not crowded)]
    summons = [(u, v) for u, v, kind in edges if kind == "whistle"]
    if crowded:  # one whistle line per district and department instead of one per street
        parent = {child: u for u, below in children.items() for child in below}
        summons = list(dict.fromkeys((parent.get(u, u), v) for u, v in summons))
    whistle = [(position[u], position[v]) for u, v in summons]
    return Layout(
        hotline=np.array(position.get("hotline", (0.5, LEVEL["hotline"]))),
        districts=by_kind("district"),
        streets=by_kind("street"),
        communities=by_kind("community"),
        departments=by_kind("department"),
        tree_edges=np.array(tree, dtype=float).reshape(-1, 2, 2),
        whistle_edges=np.array(whistle, dtype=float).reshape(-1, 2, 2),
        whistle_department=np.array([kind_of[v][1] for _, v in summons], dtype=int),
        upright_districts=upright,
        bottom=bottom,
    )


_by_graph: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layout(graph: nx.DiGraph) -> Layout:
    """The layout of a governance network; the same object for every network of the same structure."""
    found = _by_graph.get(graph)
    if found is None:
        found = _by_graph[graph] = layout_of_structure(structure(graph))
    return found


def _handlers(model: GovernanceModel, kind: type) -> list:
    return sorted(model.agents_by_type[kind], key=lambda agent: agent.index)


def _size(count: np.ndarray, base: float, per: float) -> np.ndarray:
    """Marker area growing with the square root of a count, capped so a swamped body stays readable."""
    return base + per * np.minimum(np.sqrt(np.maximum(count, 0)), 12.0)


def department_label(name: str) -> str:
    return DEPARTMENT_NAMES.get(name, name.replace("_", " "))


def draw_network(axes: Axes, model: GovernanceModel, title: str) -> None:
    """Draw the model's network as it stands today onto `axes`."""
    places = layout(model.city.network)
    streets, departments = _handlers(model, StreetOffice), _handlers(model, Department)
    small = len(streets) <= LABEL_LIMIT
    axes.add_collection(LineCollection(places.tree_edges, colors="#9a9a9a", linewidths=0.6 if small else 0.1,
                                       alpha=1.0 if small else 0.5, zorder=1))
    whistle_load = np.array([department.whistle_load for department in departments])
    if len(places.whistle_edges):
        widths = 0.15 + 0.3 * np.minimum(whistle_load[places.whistle_department], 6.0)
        axes.add_collection(
            LineCollection(places.whistle_edges, colors="#dd8452", linewidths=widths, linestyles="--", alpha=0.3, zorder=1)
        )

    table = model.problems.table
    open_here = np.bincount(table.community[table.state == OPEN], minlength=len(places.communities))
    axes.scatter(*places.communities.T, s=_size(open_here, 4, 10 if small else 2), c="#9ecae1", edgecolors="#4a90c0",
                 linewidths=0.4, zorder=2)
    for handlers, xy in ((streets, places.streets), (departments, places.departments)):
        axes.scatter(*xy.T, s=_size(np.array([h.backlog for h in handlers]), 30 if small else 8, 14 if small else 4),
                     c=[h.load for h in handlers], cmap=LOAD_COLOURS, norm=LOAD_SCALE, edgecolors="black", linewidths=0.5,
                     zorder=3)
    axes.scatter(*places.districts.T, s=90 if small else 25, marker="s", c="#d9d9d9", edgecolors="black", linewidths=0.5, zorder=3)
    hotline = model.hotline_centre
    axes.scatter(*places.hotline, s=220, marker="D", c=[min(hotline.contacts_today / max(hotline.capacity, 1e-9), 1.0)],
                 cmap=LOAD_COLOURS, norm=LOAD_SCALE, edgecolors="black", linewidths=0.6, zorder=3)

    label = {"fontsize": SMALL_PT, "textcoords": "offset points"}
    axes.annotate("12345", places.hotline, xytext=(11, 0), va="center", weight="bold", **label)
    if places.upright_districts:
        for (x, _), name in zip(places.districts, model.city.district_names):
            axes.annotate(name, (x, LEVEL["community"]), xytext=(0, -7), ha="center", va="top", rotation=90, **label)
    elif len(places.districts) <= LABEL_LIMIT:
        for xy, name in zip(places.districts, model.city.district_names):
            axes.annotate(name, xy, xytext=(9, 4), ha="left", va="bottom", **label)
    if small and not places.upright_districts:
        for xy, street in zip(places.streets, streets):
            axes.annotate(street.name.rsplit(" ", 1)[-1], xy, xytext=(0, -9), ha="center", va="top", **label)  # "Huitian 3" -> "3"
    for xy, department in zip(places.departments, departments):
        axes.annotate(department_label(department.name), xy, xytext=(8, 0), va="center", **label)
    axes.set_xlim(*XLIM)
    axes.set_ylim(places.bottom, TOP)
    axes.set_axis_off()
    axes.set_title(title, fontsize=TITLE_PT, loc="left")


def day_caption(model: GovernanceModel) -> str:
    if not model.steps:
        return f"{model.regime.name}, before day 1"
    return f"{model.regime.name}, day {model.indicators['day'] + 1}"


def load_legend_html() -> str:
    """The load colour scale as a line of HTML for the caption (a colour bar inside the figure would take the
    width the department names need)."""
    stops = ", ".join(to_hex(LOAD_COLOURS(x)) for x in np.linspace(0, 1, 6))
    bar = f'<span class="govsim-loadbar" style="background: linear-gradient(to right, {stops})"></span>'
    return f'<span class="govsim-loadscale">{LOAD_LABEL} today: 0% {bar} 100%</span>'


def network_figure(model: GovernanceModel) -> Figure:
    figure = Figure(figsize=NETWORK_SIZE)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1 - 0.3 / NETWORK_SIZE[1]))
    draw_network(axes, model, f"Who handles what: {day_caption(model)}")
    return figure


@solara.component
def NetworkView(model: GovernanceModel):
    update_counter.get()
    return Picture(lambda: network_figure(model), [model, model.steps], "network")
