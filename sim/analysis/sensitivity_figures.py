"""Figures of a sensitivity analysis, drawn from its indices table: the μ*–σ plane of Morris screening and the
S1/ST bars of Sobol indices with their confidence intervals. Factors are labelled by name and unit (from the
scenario schema's descriptions); one panel per outcome. PNG and SVG, in the house style of `sim.plots`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.plots.draw import save
from sim.plots.marks import new_figure, styled
from sim.plots.style import OKABE_ITO

LABELLED = 8  # Morris: the factors with the largest μ* get their name on the plane; the rest are listed by rank


def _grid(count: int) -> tuple[int, int]:
    columns = min(count, 2)
    return math.ceil(count / columns), columns


@styled
def morris_figure(indices: pd.DataFrame, title: str = ""):
    outcomes = list(dict.fromkeys(indices["outcome"]))
    rows, columns = _grid(len(outcomes))
    fig = new_figure(6.5 * columns, 4.6 * rows)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax, name in zip(axes, outcomes):
        frame = indices[indices["outcome"] == name].sort_values("mu_star", ascending=False)
        ax.errorbar(frame["mu_star"], frame["sigma"], xerr=frame["mu_star_conf"], fmt="o", color=OKABE_ITO["blue"],
                    ecolor=OKABE_ITO["sky_blue"], markersize=4, elinewidth=0.8, capsize=0)
        top = float(max(frame["mu_star"].max(), frame["sigma"].max(), 1e-12))
        ax.plot([0, top], [0, top], color="0.6", linewidth=0.7, linestyle="--", label="σ = μ* (strong interactions or non-linearity)")
        for rank, (_, row) in enumerate(frame.head(LABELLED).iterrows(), start=1):
            ax.annotate(f"{rank}. {row['label']}", (row["mu_star"], row["sigma"]), fontsize=6.5, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel(f"μ* (mean |elementary effect|), {frame['outcome_label'].iloc[0]}")
        ax.set_ylabel("σ (spread of the elementary effects)")
        ax.set_title(name, fontsize=9, loc="left")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower right", fontsize=6.5, frameon=False)
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(title or "Morris screening: each factor's influence (μ*) and interactions (σ); bars: μ*'s bootstrap interval", fontsize=10)
    return fig


@styled
def sobol_figure(indices: pd.DataFrame, title: str = ""):
    outcomes = list(dict.fromkeys(indices["outcome"]))
    factors = list(dict.fromkeys(indices["factor"]))
    rows, columns = _grid(len(outcomes))
    fig = new_figure(6.5 * columns, max(2.5, 0.42 * len(factors) + 1.4) * rows)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    y = np.arange(len(factors))
    for ax, name in zip(axes, outcomes):
        frame = indices[indices["outcome"] == name].set_index("factor").loc[factors]
        ax.barh(y - 0.2, frame["S1"], height=0.38, xerr=frame["S1_conf"], color=OKABE_ITO["sky_blue"], label="S1 (first order)", error_kw={"elinewidth": 0.8})
        ax.barh(y + 0.2, frame["ST"], height=0.38, xerr=frame["ST_conf"], color=OKABE_ITO["vermillion"], label="ST (total)", error_kw={"elinewidth": 0.8})
        ax.set_yticks(y, frame["label"], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="0.3", linewidth=0.6)
        ax.set_xlabel(f"share of the variance of: {frame['outcome_label'].iloc[0]}")
        ax.set_title(name, fontsize=9, loc="left")
        ax.legend(loc="lower right", fontsize=6.5, frameon=False)
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    level = indices["confidence"].iloc[0] if "confidence" in indices else 0.95
    fig.suptitle(title or f"Sobol indices with {level:.0%} bootstrap intervals", fontsize=10)
    return fig


def draw_indices(indices: pd.DataFrame, method: str, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig = morris_figure(indices) if method == "morris" else sobol_figure(indices)
    return save(fig, out_dir, "mu_star_sigma" if method == "morris" else "sobol_indices", dpi=200)
