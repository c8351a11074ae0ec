"""Charts as pictures: a matplotlib figure drawn on the server and sent to the page as a PNG.

PNGs need nothing from the internet (SolaraViz's Altair charts load vega from a CDN, which a classroom may not
reach) and cost the server the same whatever the browser. Each picture is redrawn only when its key changes
(the model and its day), not on every re-render of the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import solara
from matplotlib.figure import Figure

DPI = 90


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


@solara.component
def Picture(draw: Callable[[], Figure], key: Sequence, name: str):
    """The figure `draw()` returns, as an image with CSS class `govsim-<name>`; redrawn when `key` changes."""
    data = solara.use_memo(lambda: png(draw()), list(key))
    return solara.Image(data, width="100%", classes=[f"govsim-{name}"])
