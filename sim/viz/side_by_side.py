"""Side by side: the page's run and a twin under a second regime, with the same town, settings and seed.

The twin is an ordinary GovernanceModel built from the page model's scenario (sliders applied), scale and seed.
Problems arise from the seed alone (common random numbers, see `sim.model`), so both runs face the same problems
and whatever differs between them is the regime's doing, not luck's. The sidebar's Play, Step and Reset drive
both: whenever the page is drawn, the twin catches up with the page's model (a year of the teaching town takes
half a second), and Reset builds a new model, hence a new twin.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from sim.model import GovernanceModel
from sim.scenario import REGIMES
from sim.viz.charts import MARGINS, style_axes, waiting_note
from sim.viz.network import add_load_colourbar, day_caption, draw_network
from sim.viz.picture import Picture
from sim.viz.prose import Prose
from sim.viz.series import WINDOW, daily, totals, trailing, trailing_rates

# The second regime, per browser session (solara keeps a module-level reactive per session). None: the first
# regime that differs from the page's.
second_regime = solara.reactive(None)
PAGE_COLOUR, TWIN_COLOUR = "#4c72b0", "#dd8452"


class RegimePair:
    """A twin run under `regime` of the scenario, scale and seed of another run, stepped on demand."""

    def __init__(self, model: GovernanceModel, regime: str):
        self.regime = regime
        self.twin = GovernanceModel(model.spec, regime=regime, rng=model.seed, scale=model.scale)
        self._lock = threading.Lock()  # the page may be drawn from the play thread and from a click at once

    def sync(self, steps: int) -> GovernanceModel:
        """Step the twin until it has run `steps` days or reached its horizon."""
        with self._lock:
            while self.twin.running and self.twin.steps < steps:
                self.twin.step()
        return self.twin


# page model -> {regime: pair}. Weak keys: a pair lives as long as the run it follows (the pair holds no reference
# to it), and switching the second regime back and forth keeps both twins.
_pairs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_pairs_lock = threading.Lock()


def default_second_regime(model: GovernanceModel) -> str:
    return next(regime for regime in REGIMES if regime != model.regime.name)


def twin_of(model: GovernanceModel, regime: str | None = None) -> GovernanceModel:
    """The twin of `model` under `regime` (default: `default_second_regime`), stepped to the same day."""
    regime = regime or default_second_regime(model)
    with _pairs_lock:
        pairs = _pairs.setdefault(model, {})
        pair = pairs.get(regime)
        if pair is None:
            pair = pairs[regime] = RegimePair(model, regime)
    return pair.sync(model.steps)


def labels(model: GovernanceModel, twin: GovernanceModel) -> tuple[str, str]:
    first, second = model.regime.name, twin.regime.name
    return (f"{first} (page)", f"{second} (twin)") if first == second else (first, second)


def comparison_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    """Satisfaction, true fixes, contacts and open problems of both runs."""
    figure = Figure(figsize=(6.4, 4.2))
    figure.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.1, hspace=0.5, wspace=0.28)
    grid = figure.subplots(2, 2, sharex=True)
    days = model.spec.days
    panels = (
        (grid[0, 0], "satisfaction rate", lambda f: trailing_rates(f)["satisfaction_rate"], (0, 1.02)),
        (grid[0, 1], "true fix share", lambda f: trailing_rates(f)["fix_share"], (0, 1.02)),
        (grid[1, 0], "contacts per day", lambda f: trailing(f["contacts"]), None),
        (grid[1, 1], "open problems", lambda f: f["open_problems"], None),
    )
    frames = [(daily(run), colour, label) for run, colour, label in zip((model, twin), (PAGE_COLOUR, TWIN_COLOUR), labels(model, twin))]
    for axes, title, series, limits in panels:
        style_axes(axes, title, days, "")
        if limits:
            axes.set_ylim(*limits)
        for frame, colour, label in frames:
            if not frame.empty:
                axes.plot(frame.index, series(frame), color=colour, lw=1.6, label=label)
        if frames[0][0].empty:
            waiting_note(axes)
        elif limits is None:
            axes.set_ylim(bottom=0)
    figure.suptitle(f"Same town, same seed, two regimes ({WINDOW}-day means for rates and contacts)", fontsize=10, x=0.02, ha="left")
    if not frames[0][0].empty:
        grid[0, 0].legend(fontsize=7, loc="lower left")
    return figure


def load_comparison_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    figure = Figure(figsize=(6.4, 3.6))
    figure.subplots_adjust(**MARGINS)
    axes = figure.subplots()
    style_axes(axes, "Where the load lands: share of staff-hours used (7-day mean)", model.spec.days, "used / available")
    axes.set_ylim(0, 1.05)
    for run, colour, label in zip((model, twin), (PAGE_COLOUR, TWIN_COLOUR), labels(model, twin)):
        frame = daily(run)
        if frame.empty:
            continue
        axes.plot(frame.index, trailing(frame["street_load"], 7), color=colour, lw=1.8, label=f"{label}: streets")
        axes.plot(frame.index, trailing(frame["department_load"], 7), color=colour, lw=1.4, ls="--", label=f"{label}: departments")
    if model.steps == 0:
        waiting_note(axes)
    else:
        axes.legend(fontsize=7, loc="lower right", ncols=2)
    return figure


def networks_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    figure = Figure(figsize=(9.6, 3.6))
    left, right = figure.add_axes((0.0, 0.0, 0.46, 0.9)), figure.add_axes((0.47, 0.0, 0.46, 0.9))
    draw_network(left, model, day_caption(model), short_labels=True)
    draw_network(right, twin, day_caption(twin), short_labels=True)
    add_load_colourbar(figure, [0.945, 0.15, 0.012, 0.65])
    return figure


ROWS = (  # label, key in series.totals, format
    ("Problems that arose", "new_problems", "{:,.0f}"),
    ("of which prevented before any call", "prevented_problems", "{:,.0f}"),
    ("Residents' contacts", "contacts", "{:,.0f}"),
    ("Readiness to complain (mean propensity)", "mean_propensity", "{:.2f}"),
    ("Tickets closed", "tickets_closed", "{:,.0f}"),
    ("Response rate", "response_rate", "{:.0%}"),
    ("Resolution rate", "resolution_rate", "{:.0%}"),
    ("Satisfaction rate", "satisfaction_rate", "{:.0%}"),
    ("True fix share", "fix_share", "{:.0%}"),
    ("Open problems now", "open_problems", "{:,.0f}"),
    ("Street staff-hours", "street_hours", "{:,.0f}"),
    ("Department staff-hours", "department_hours", "{:,.0f}"),
    ("Cost (thousand yuan)", "cost", "{:,.0f}"),
)


def totals_table(model: GovernanceModel, twin: GovernanceModel) -> str:
    """An HTML table of both runs' totals to date."""
    columns = [totals(daily(model)), totals(daily(twin))]
    cell = 'style="padding: 1px 10px; text-align: right"'
    head = "".join(f"<th {cell}>{label}</th>" for label in labels(model, twin))
    rows = [f'<tr><th style="text-align: left">so far</th>{head}</tr>']
    for label, key, form in ROWS:
        values = [column.get(key, np.nan) / (1000 if key == "cost" else 1) for column in columns]
        cells = "".join(f"<td {cell}>{'–' if np.isnan(value) else form.format(value)}</td>" for value in values)
        rows.append(f"<tr><td>{label}</td>{cells}</tr>")
    return f'<table style="font-size: 0.9em; margin: 8px">{"".join(rows)}</table>'


CAPTION = (
    "Both runs face the same problems on the same days (same town, settings and seed), so the differences are the "
    "regime's doing, not luck's. Play, Step and Reset in the sidebar drive both."
)
LOOK_FOR = """\
**What to look for.** *Problems that arose* is the same in both columns (unless one regime prevents some): the
luck is shared. Then compare how many residents call for the same problems, how many problems stay open, whose
staff time is used up (the networks' colours and the load chart), and what it costs. The rates say what residents
report; the *true fix share*, what was really fixed.
"""


@solara.component
def SideBySide(model: GovernanceModel):
    """The side-by-side tab: the second regime's choice, both runs' totals, and their charts and networks."""
    update_counter.get()
    regime = second_regime.value or default_second_regime(model)
    twin = twin_of(model, regime)
    key = [model, model.steps, regime]
    with solara.Columns([1, 1]):
        with solara.Card(margin=0, classes=["govsim-side-by-side"]):
            Prose(f"**Side by side.** The page's run (*{model.regime.name}*, seed {model.seed}) and a twin under a "
                  f"second regime. {CAPTION}", style="font-size: 0.9em; padding: 0 8px")
            solara.Select("Second regime", values=list(REGIMES), value=regime, on_value=second_regime.set)
            solara.HTML(tag="div", unsafe_innerHTML=totals_table(model, twin), classes=["govsim-totals"])
        with solara.Card(margin=0):
            Picture(lambda: comparison_figure(model, twin), key, "compare")
    with solara.Card(margin=0):
        Picture(lambda: networks_figure(model, twin), key, "compare-network")
    with solara.Columns([1, 1]):
        with solara.Card(margin=0):
            Picture(lambda: load_comparison_figure(model, twin), key, "compare-load")
        with solara.Card(margin=0):
            Prose(LOOK_FOR, style="font-size: 0.9em; padding: 0 8px")
