"""The comparison figures of stored results: the tidy frames `sim.plots` draws from, read from a results folder.

Figures are always drawn from stored runs, never by running a model, so `govsim plot` can redraw them at any time.
"""

from __future__ import annotations

from pathlib import Path

from sim.experiment.store import ResultsFolder, load_breakdown, load_results, open_results


def figure_data(path: str | Path):
    """A `sim.plots.FigureData` with the tidy frames of every finished run under `path`."""
    from sim.plots import FigureData

    _, swept, _ = open_results(path)
    return FigureData(
        daily=load_results(path),
        by_category=load_breakdown(path, "by_category"),
        by_zone=load_breakdown(path, "by_zone"),
        by_age_group=load_breakdown(path, "by_age_group"),
        days_to_close=load_breakdown(path, "days_to_close"),
        swept=swept,
    )


def draw(path: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Draw the figures of the results under `path` into `out_dir` (default: its figures/ folder); return the files.

    Drawing into the results' own figures/ folder first removes the figures drawn there before (and the folders
    they leave empty), so that no figure of an earlier state of the results (another set of sweep points, say) is
    left behind.
    """
    from sim.plots import draw_figures

    data = figure_data(path)
    if data.daily.empty:
        return []
    own = ResultsFolder(path).figures
    out = Path(out_dir) if out_dir is not None else own
    if out.resolve() == own.resolve() and own.is_dir():
        for old in [*own.rglob("*.png"), *own.rglob("*.svg")]:
            old.unlink()
        for folder in sorted((p for p in own.rglob("*") if p.is_dir()), reverse=True):  # deepest first
            if not any(folder.iterdir()):
                folder.rmdir()  # a folder of figures drawn before (one per scenario, once), now empty
    return draw_figures(data, out)
