"""Charts as pictures: a matplotlib figure drawn on the server and sent to the page as a PNG.

PNGs need nothing from the internet (SolaraViz's Altair charts load vega from a CDN, which a classroom may not
reach) and cost the server the same whatever the browser. Each picture is drawn at `theme.PX_PER_INCH` and shown
at its natural size (never wider than its column), so the text sizes set in points are the sizes on the page.
Each picture is redrawn only when its key changes (the model and its day), not on every re-render of the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import solara
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.viz.theme import PX_PER_INCH, px

DPI = PX_PER_INCH


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # zlib level 1: a third less time than matplotlib's default (6), and no bigger for charts of flat colour
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _undrawn(axis) -> list[Text]:
    """An axis's texts that are not drawn: all of them when its axes are drawn without axis lines (the network),
    otherwise the labels of ticks outside the view (matplotlib keeps them, and skips them when drawing)."""
    if not axis.axes.axison:
        return axis.findobj(Text)
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * (high - low)
    return [label for tick in axis.get_major_ticks() + axis.get_minor_ticks()
            if not low - slack <= tick.get_loc() <= high + slack for label in (tick.label1, tick.label2)]


def drawn_texts(figure: Figure) -> list[Text]:
    """The texts a drawn figure shows, tick labels included."""
    undrawn = {id(text) for axes in figure.axes for axis in (axes.xaxis, axes.yaxis) for text in _undrawn(axis)}
    return [text for text in figure.findobj(Text) if text.get_visible() and text.get_text().strip() and id(text) not in undrawn]


def smallest_text_px(figure: Figure) -> float:
    """The size on the page, in CSS px, of the smallest text in a drawn figure."""
    return px(min(text.get_fontsize() for text in drawn_texts(figure)))


@solara.component
def Picture(draw: Callable[[], Figure], key: Sequence, name: str):
    """The figure `draw()` returns, as an image with CSS class `govsim-<name>`; redrawn when `key` changes."""
    data = solara.use_memo(lambda: png(draw()), list(key))
    return solara.Image(data, classes=["govsim-picture", f"govsim-{name}"])
