"""How the teaching page looks on a projector (1280 × 800): text sizes, figure sizes, colours and the page's CSS.

Charts are pictures drawn on the server (see `picture.py`) and shown at their natural size, one picture pixel per
CSS pixel, so a figure's text sizes *are* its sizes on the page: `PX_PER_INCH` pixels per figure inch, and a point
of matplotlib text is PX_PER_INCH / 72 pixels. Nothing on a chart is smaller than `SMALL_PT` (14.6 px): a
projector at the back of a room needs 14 px at least.

The regimes' colours are the paper figures' (`sim.plots.style.REGIME_COLOURS`), so the page and a report agree.
"""

from __future__ import annotations

from sim.plots.style import REGIME_COLOURS

PX_PER_INCH = 100
SMALL_PT = 10.5  # ticks, legends, node labels: 14.6 px
TEXT_PT = 11.0  # axis labels: 15.3 px
TITLE_PT = 12.0  # chart titles: 16.7 px
MIN_TEXT_PX = 14.0  # the promise the browser test checks

# Two charts side by side fill the main area at 1280 px (the sidebar takes 300), two rows of them fit above 800 px.
CHART_SIZE = (4.6, 2.6)  # inches: 460 × 260 px
NETWORK_SIZE = (4.6, 2.9)  # a little taller: Beijing's district names stand under its communities
WIDE_SIZE = (9.4, 2.9)  # the side-by-side networks, across the main area
COMPARE_SIZE = (5.4, 4.5)  # the side-by-side 2 × 2 panels

LOAD_LABEL = "staff time used"


def regime_colour(regime: str) -> str:
    return REGIME_COLOURS[regime]


def px(points: float) -> float:
    """CSS pixels of `points` of figure text on the page."""
    return points * PX_PER_INCH / 72


SIDEBAR_WIDTH = 300  # px

# The page's own CSS. Vuetify's body text is 16 px; nothing here is smaller than 14 px.
CSS = f"""
.govsim-page {{ display: flex; height: 100vh; overflow: hidden; font-size: 16px; }}
.govsim-sidebar {{ width: {SIDEBAR_WIDTH}px; flex: none; height: 100vh; overflow-y: auto; padding: 10px 12px;
  border-right: 1px solid #dddddd; background: #fafafa; }}
.govsim-main {{ flex: 1 1 auto; min-width: 0; height: 100vh; overflow-y: auto; padding: 0 8px 24px 10px; }}
.govsim-title {{ font-size: 20px; font-weight: 700; line-height: 1.25; margin: 2px 0 2px 0; }}
.govsim-subtitle {{ font-size: 15px; color: #444444; line-height: 1.3; margin-bottom: 8px; }}
.govsim-day {{ font-size: 18px; font-weight: 700; margin: 4px 0; }}
.govsim-ended {{ font-size: 15px; background: #fff4d6; border-left: 4px solid #E69F00; padding: 4px 8px; margin: 4px 0; }}
.govsim-pending {{ font-size: 14px; background: #e8f1fb; border-left: 4px solid #0072B2; padding: 4px 8px; margin: 4px 0; }}
.govsim-input-label {{ font-size: 15px; margin: 6px 0 -6px 0; }}
.govsim-input-label .govsim-value {{ font-weight: 700; }}
.govsim-unit {{ color: #555555; font-size: 14px; }}
.govsim-status {{ font-size: 16px; color: #1a5276; padding: 6px 4px 4px 4px; }}
.govsim-caption {{ font-size: 14px; color: #444444; padding: 2px 6px 4px 6px; line-height: 1.35; }}
.govsim-charts {{ display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 10px; align-items: start; }}
.govsim-chart {{ min-width: 0; }}
.govsim-side-by-side {{ display: grid; grid-template-columns: minmax(0, 1fr) {round(COMPARE_SIZE[0] * PX_PER_INCH)}px;
  gap: 6px 10px; align-items: start; margin-top: 6px; }}
.govsim-picture {{ max-width: 100%; height: auto; display: block; }}
.govsim-totals table {{ font-size: 15px; border-collapse: collapse; }}
.govsim-totals td, .govsim-totals th {{ padding: 1px 8px; }}
.govsim-totals th {{ white-space: nowrap; }}
.govsim-totals .govsim-part td:first-child {{ padding-left: 22px; color: #444444; }}
.govsim-loadbar {{ display: inline-block; width: 110px; height: 12px; vertical-align: middle; margin: 0 4px;
  border: 1px solid #888888; }}
.govsim-swatch {{ display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; }}
.govsim-tabs .v-tab {{ font-size: 15px; }}
.govsim-sidebar .v-field-label {{ font-size: 14px !important; }}  /* Vuetify's floating labels are 12 px */
"""
