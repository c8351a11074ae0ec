"""The browser app for teaching governance regimes (Mesa SolaraViz); needs the [viz] extra."""
