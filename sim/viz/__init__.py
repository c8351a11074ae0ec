"""The browser app for teaching governance regimes (built on Mesa and solara); needs the [viz] extra."""
