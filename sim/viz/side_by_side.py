"""Side by side: the page's run and a twin under a second regime, with the same town, settings and seed.

The twin is an ordinary GovernanceModel built from the page model's scenario (sliders applied), scale and seed.
Problems arise from the seed alone (common random numbers, see `sim.model`), so both runs face the same problems
and whatever differs between them is the regime's doing, not luck's. The sidebar's Play, Step and Reset drive
both: whenever the page is drawn, the twin catches up with the page's model (a year of the teaching town takes
half a second), and Reset builds a new model, hence a new twin. Each run is drawn in its regime's colour, the
colour the paper figures give it (`theme.regime_colour`); a twin under the page's own regime is dashed.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from sim import GovernanceModel
from sim.scenario import REGIMES
from sim.viz.charts import MARGINS, as_percent, legend, style_axes, waiting_note
from sim.viz.network import day_caption, draw_network, load_legend_html
from sim.viz.picture import Picture
from sim.viz.prose import Prose
from sim.viz.series import WINDOW, cost_parts, daily, totals, trailing, trailing_rates
from sim.viz.theme import CHART_SIZE, COMPARE_SIZE, TITLE_PT, WIDE_SIZE, regime_colour

# The second regime, per browser session (solara keeps a module-level reactive per session). None: the first
# regime that differs from the page's.
second_regime = solara.reactive(None)


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


def styles(model: GovernanceModel, twin: GovernanceModel) -> list[dict]:
    """Line styles of the page's run and the twin: each in its regime's colour, the twin dashed if they share it."""
    same = model.regime.name == twin.regime.name
    return [{"color": regime_colour(model.regime.name), "ls": "-"},
            {"color": regime_colour(twin.regime.name), "ls": "--" if same else "-"}]


def comparison_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    """Satisfaction, true fixes, contacts and open problems of both runs."""
    figure = Figure(figsize=COMPARE_SIZE)
    figure.subplots_adjust(left=0.12, right=0.98, top=0.86, bottom=0.1, hspace=0.55, wspace=0.32)
    grid = figure.subplots(2, 2, sharex=True)
    days = model.spec.days
    panels = (
        (grid[0, 0], "satisfaction rate", lambda f: trailing_rates(f)["satisfaction_rate"], True),
        (grid[0, 1], "true fix share", lambda f: trailing_rates(f)["fix_share"], True),
        (grid[1, 0], "contacts per day", lambda f: trailing(f["contacts"]), False),
        (grid[1, 1], "open problems", lambda f: f["open_problems"], False),
    )
    runs = [(daily(run), style, label) for run, style, label in zip((model, twin), styles(model, twin), labels(model, twin))]
    for axes, title, series, rate in panels:
        style_axes(axes, title, days, "", xlabel="day" if axes in grid[1] else "")
        if rate:
            as_percent(axes)
            axes.set_yticks([0, 0.5, 1.0])
        for frame, style, label in runs:
            if not frame.empty:
                axes.plot(frame.index, series(frame), lw=2.0, label=label, **style)
        if runs[0][0].empty:
            waiting_note(axes)
        elif not rate:
            axes.set_ylim(bottom=0)
    figure.suptitle(f"Same town, same seed, two regimes ({WINDOW}-day means)", fontsize=TITLE_PT, x=0.02, y=0.985,
                    ha="left", va="top")
    if not runs[0][0].empty:
        legend(grid[0, 0], loc="lower left", ncols=1)
    return figure


def load_comparison_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    figure = Figure(figsize=CHART_SIZE)
    figure.subplots_adjust(**MARGINS)
    axes = figure.subplots()
    style_axes(axes, "Staff time used (7-day mean)", model.spec.days, "")
    as_percent(axes)
    for run, style, label in zip((model, twin), styles(model, twin), labels(model, twin)):
        frame = daily(run)
        if frame.empty:
            continue
        axes.plot(frame.index, trailing(frame["street_load"], 7), lw=2.2, label=f"{label}: streets", **style)
        axes.plot(frame.index, trailing(frame["department_load"], 7), lw=1.2, alpha=0.8, label=f"{label}: departments",
                  **style)
    if model.steps == 0:
        waiting_note(axes)
    else:
        legend(axes, loc="lower right", ncols=2)
    return figure


def networks_figure(model: GovernanceModel, twin: GovernanceModel) -> Figure:
    figure = Figure(figsize=WIDE_SIZE)
    top = 1 - 0.3 / WIDE_SIZE[1]
    left, right = figure.add_axes((0.0, 0.0, 0.49, top)), figure.add_axes((0.51, 0.0, 0.49, top))
    draw_network(left, model, day_caption(model))
    draw_network(right, twin, day_caption(twin))
    return figure


THOUSAND = "{:,.0f}"
ROWS = (  # label, key in series.totals or series.cost_parts, format, whether the row is a part of the row above
    ("Problems that arose", "new_problems", "{:,.0f}", False),
    ("of which prevented before any call", "prevented_problems", "{:,.0f}", True),
    ("Residents' contacts", "contacts", "{:,.0f}", False),
    ("Readiness to complain (mean propensity)", "mean_propensity", "{:.2f}", False),
    ("Tickets closed", "tickets_closed", "{:,.0f}", False),
    ("Response rate", "response_rate", "{:.0%}", False),
    ("Resolution rate", "resolution_rate", "{:.0%}", False),
    ("Satisfaction rate", "satisfaction_rate", "{:.0%}", False),
    ("True fix share", "fix_share", "{:.0%}", False),
    ("Open problems now", "open_problems", "{:,.0f}", False),
    ("Staff-hours: street offices", "street_hours", "{:,.0f}", False),
    ("departments", "department_hours", "{:,.0f}", True),
    ("hotline operators", "operator_hours", "{:,.0f}", True),
    ("grid patrols", "patrol_hours", "{:,.0f}", True),
    ("Cost (thousand yuan)", "cost", THOUSAND, False),
    ("staff on tickets and calls", "staff_cost", THOUSAND, True),
    ("grid patrols' time", "patrol_cost", THOUSAND, True),
    ("prevention", "prevention_cost", THOUSAND, True),
)
IN_THOUSANDS = {"cost", "staff_cost", "patrol_cost", "prevention_cost"}


def swatch(colour: str, dashed: bool = False) -> str:
    border = f"border: 2px dashed {colour}; background: none" if dashed else f"background: {colour}"
    return f'<span class="govsim-swatch" style="{border}"></span>'


def totals_table(model: GovernanceModel, twin: GovernanceModel) -> str:
    """An HTML table of both runs' totals to date, with each run's colour in its heading."""
    columns = [{**totals(daily(run)), **cost_parts(daily(run), run.spec.handling.hour_cost)} for run in (model, twin)]
    right = 'style="text-align: right"'
    head = "".join(f"<th {right}>{swatch(style['color'], style['ls'] == '--')}{label}</th>"
                   for label, style in zip(labels(model, twin), styles(model, twin)))
    rows = [f'<tr><th style="text-align: left">so far</th>{head}</tr>']
    for label, key, form, part in ROWS:
        values = [column.get(key, np.nan) / (1000 if key in IN_THOUSANDS else 1) for column in columns]
        cells = "".join(f"<td {right}>{'–' if np.isnan(value) else form.format(value)}</td>" for value in values)
        rows.append(f'<tr{" class=govsim-part" if part else ""}><td>{label}</td>{cells}</tr>')
    return f"<table>{''.join(rows)}</table>"


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


COST_NOTE = (
    "Cost: every staff-hour at the scenario's hour cost, plus prevention money. Under whistle-blowing, grid "
    "workers patrol the communities every day looking for problems: their time is the *grid patrols* rows (in the "
    "teaching town, most of that regime's bill)."
)


@solara.component
def SideBySide(model: GovernanceModel):
    """The side-by-side tab: the second regime's choice, both runs' totals, and their charts and networks."""
    update_counter.get()
    regime = second_regime.value or default_second_regime(model)
    twin = twin_of(model, regime)
    key = [model, model.steps, regime]
    with solara.Div(classes=["govsim-side-by-side"]):
        with solara.Div():
            solara.Select("Second regime (the twin)", values=list(REGIMES), value=regime, on_value=second_regime.set)
            solara.HTML(tag="div", unsafe_innerHTML=totals_table(model, twin), classes=["govsim-totals"])
            Prose(COST_NOTE, classes=["govsim-caption"])
        with solara.Div():
            Picture(lambda: comparison_figure(model, twin), key, "compare")
            Prose(f"**Side by side.** The page's run (*{model.regime.name}*, seed {model.seed}) and a twin under a "
                  f"second regime. {CAPTION}", classes=["govsim-caption"])
    Picture(lambda: networks_figure(model, twin), key, "compare-network")
    Prose(f"Colour: {load_legend_html()}. Size: tickets waiting; for a community, its open problems.",
          classes=["govsim-caption"])
    with solara.Div(classes=["govsim-charts"]):
        with solara.Div(classes=["govsim-chart"]):
            Picture(lambda: load_comparison_figure(model, twin), key, "compare-load")
            Prose("Thick: street offices; thin: city departments.", classes=["govsim-caption"])
        Prose(LOOK_FOR, classes=["govsim-caption"])
