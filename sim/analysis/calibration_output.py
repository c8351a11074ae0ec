"""What a calibration leaves in OUT, rewritten from its study after every `govsim calibrate` (nothing here runs the
model):

    OUT/best.yaml               the best trial's parameters as a scenario overlay (`extends:` the calibrated scenario)
    OUT/trials.csv, .parquet    one row per trial: state, loss, parameters, each target's mean over seeds, within?
    OUT/importances.csv         optuna.importance (PED-ANOVA) of each parameter for a low loss
    OUT/figures/targets.*       every target, its tolerance, the best trial's seeds and the accepted ensemble's range
    OUT/ensemble/               the accepted ensemble (ABC rejection: every completed trial within the tolerance of
                                every target): members.csv and ensemble.json, read by `govsim compare --ensemble`
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
import yaml

from sim.analysis.calibration import Calibration, TrialState
from sim.analysis.uncertainties import label
from sim.experiment.store import write_json_atomically
from sim.input_changes import set_path
from sim.inputs import parse_path
from sim.plots.draw import save
from sim.plots.marks import new_figure, styled
from sim.plots.style import OKABE_ITO
from sim.scenario import load_scenario


def trials_table(calibration: Calibration) -> pd.DataFrame:
    rows = []
    for trial in calibration.study.get_trials(deepcopy=False):
        row = {"trial": trial.number, "state": trial.state.name, "loss": trial.value if trial.state == TrialState.COMPLETE else np.nan}
        row.update({name: trial.params.get(name, np.nan) for name in calibration.spec.uncertainties})
        simulated = trial.user_attrs.get("simulated", {})
        within = []
        for target in calibration.targets:
            values = simulated.get(target.name, [])
            mean = float(np.mean(values)) if values else np.nan
            row[f"sim:{target.name}"] = mean
            row[f"within:{target.name}"] = target.within(mean)
            within.append(target.within(mean))
        row["accepted"] = trial.state == TrialState.COMPLETE and all(within)
        row["seeds"] = " ".join(map(str, trial.user_attrs.get("seeds", [])))
        row["error"] = trial.user_attrs.get("error", "")
        rows.append(row)
    return pd.DataFrame(rows)


def _set_in_overlay(data: dict, path: tuple, value) -> None:
    """Set a fitted value in the overlay. A list index stays in the key (`mergers[0]: {share: ...}`), which changes
    that item of the extended scenario's list in place; a plain path merges as mappings do."""
    keys: list = []
    for part in path:
        if isinstance(part, int) and keys:
            keys[-1] = f"{keys[-1]}[{part}]"
        else:
            keys.append(part)
    if len(keys) == len(path):
        set_path(data, path, value)
        return
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def overlay(calibration: Calibration, params: dict) -> Path:
    """best.yaml: the calibrated scenario with the best parameters; checked by loading it as `govsim validate` does."""
    path = calibration.out / "best.yaml"
    data: dict = {"extends": os.path.relpath(calibration.scenario_path.resolve(), calibration.out.resolve())}
    for name, value in {**calibration.spec.overrides, **params}.items():  # the file's fixed overrides were part of the fit
        _set_in_overlay(data, parse_path(name), value)
    header = (f"# Best parameters of calibration '{calibration.spec.name}' (written by govsim calibrate; loss "
              f"{calibration.study.best_value:.4g}, trial {calibration.study.best_trial.number}).\n"
              f"# Targets: {', '.join(t.name for t in calibration.targets)}. See trials.csv for every trial.\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    load_scenario(path)
    return path


def importances(calibration: Calibration) -> pd.DataFrame | None:
    complete = calibration.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if len(complete) < 2 or len(calibration.spec.uncertainties) < 2:
        return None
    # PED-ANOVA [Watanabe et al. 2023], Optuna's evaluator that needs no scikit-learn: how far each parameter's
    # distribution among the best trials departs from its distribution among all; "the best" is the top 10 %, and
    # at least five trials, so that a short study is not judged on two trials.
    quantile = min(0.5, max(0.1, 5 / len(complete)))
    evaluator = optuna.importance.PedAnovaImportanceEvaluator(target_quantile=quantile)
    values = optuna.importance.get_param_importances(calibration.study, evaluator=evaluator)
    return pd.DataFrame({"parameter": list(values), "label": [label(k) for k in values], "importance": list(values.values())})


def write_ensemble(calibration: Calibration, table: pd.DataFrame) -> Path:
    folder = calibration.out / "ensemble"
    folder.mkdir(parents=True, exist_ok=True)
    members = table[table["accepted"]]
    members[["trial", "loss", *calibration.spec.uncertainties, *[c for c in table.columns if c.startswith("sim:")]]].to_csv(folder / "members.csv", index=False)
    write_json_atomically(folder / "ensemble.json", {
        "calibration": calibration.spec.name, "scenario": str(calibration.scenario_path.resolve()), "parameters": list(calibration.spec.uncertainties),
        "members": int(len(members)), "trials_complete": int((table["state"] == "COMPLETE").sum()),
        "rule": "ABC rejection: completed trials whose mean over seeds is within the tolerance of every target",
        "sampler": calibration.settings.sampler, "targets": [t.model_dump(mode="json") for t in calibration.targets],
    })
    return folder


@styled
def targets_figure(calibration: Calibration, table: pd.DataFrame):
    targets = calibration.targets
    columns = min(3, len(targets))
    rows = -(-len(targets) // columns)
    fig = new_figure(3.2 * columns, 2.6 * rows)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    best = calibration.study.best_trial.user_attrs.get("simulated", {})
    accepted = table[table["accepted"]]
    for ax, target in zip(axes, targets):
        low, high = target.value - target.allowed, target.value + target.allowed
        if target.bound == "at_least":
            high = max(target.value * 1.5, target.value + 3 * target.allowed)
        ax.axhspan(low, high, color="0.88", label="target ± tolerance")
        ax.axhline(target.value, color="0.2", linewidth=1.0, label="public figure")
        ax.plot([0] * len(best.get(target.name, [])), best.get(target.name, []), "o", color=OKABE_ITO["vermillion"], markersize=4, label="best trial, each seed")
        values = accepted[f"sim:{target.name}"].dropna()
        if len(values):
            q = np.quantile(values, [0.1, 0.5, 0.9]) if len(values) > 1 else np.repeat(values.iloc[0], 3)
            ax.errorbar([1], [q[1]], yerr=[[q[1] - q[0]], [q[2] - q[1]]], fmt="s", color=OKABE_ITO["blue"], capsize=3, label=f"ensemble ({len(values)}): median, 10–90 %")
        else:
            ax.text(1, target.value, "none\naccepted", ha="center", va="center", fontsize=7, color="0.35")
        ax.set_xticks([0, 1], ["best", "ensemble"])
        ax.set_xlim(-0.6, 1.6)
        ax.set_title(f"{target.name}\n{target.indicator} {target.statistic.replace('_', ' ')}, {target.start:%Y-%m}–{target.end:%Y-%m}", fontsize=7.5, loc="left")
        ax.tick_params(labelsize=7)
    for ax in axes[len(targets):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4, fontsize=7, frameon=False)
    fig.suptitle(f"Calibration {calibration.spec.name}: targets against the simulated band (counts city-equivalent)", fontsize=9)
    return fig


def write_outputs(calibration: Calibration) -> str:
    """Write every output and return the printed summary."""
    out, study = calibration.out, calibration.study
    table = trials_table(calibration)
    table.to_csv(out / "trials.csv", index=False)
    table.to_parquet(out / "trials.parquet", index=False)
    complete = int((table["state"] == "COMPLETE").sum()) if len(table) else 0
    lines = [f"\n{calibration.spec.name}: {complete} of {calibration.settings.trials} trials complete ({calibration.runs_done} run(s) done now in {calibration.wall_time_s:.1f} s) -> {out}"]
    if not complete:
        return "\n".join(lines + ["no completed trial yet: nothing to report"])
    best = study.best_trial
    path = overlay(calibration, best.params)
    lines.append(f"best trial {best.number}, loss {best.value:.4g}: {path}")
    lines.append(f"  {'parameter':<58}{'value':>12}")
    for name, value in best.params.items():
        lines.append(f"  {label(name)[:57]:<58}{value:>12.4g}")
    lines.append(f"  {'target':<34}{'public':>14}{'± tolerance':>14}{'best (mean)':>14}  within  source")
    row = table.set_index("trial").loc[best.number]
    for target in calibration.targets:
        bound = {"equal": "", "at_least": " (≥)", "at_most": " (≤)"}[target.bound]
        lines.append(f"  {target.name:<34}{target.value:>14.4g}{target.allowed:>14.3g}{row[f'sim:{target.name}']:>14.4g}  {'yes' if row[f'within:{target.name}'] else 'no ':<6}  {target.source[:50]}{bound}")
    weights = importances(calibration)
    if weights is not None:
        weights.to_csv(out / "importances.csv", index=False)
        lines.append("importance for a low loss (PED-ANOVA): " + ", ".join(f"{r.label} {r.importance:.2f}" for r in weights.itertuples()))
    folder = write_ensemble(calibration, table)
    lines.append(f"accepted ensemble (within every tolerance): {int(table['accepted'].sum())} of {complete} trials -> {folder}")
    (out / "figures").mkdir(exist_ok=True)
    figures = save(targets_figure(calibration, table), out / "figures", "targets", dpi=200)
    lines.append(f"files: trials.csv, trials.parquet, best.yaml, importances.csv, ensemble/, {figures[0].relative_to(out)}")
    return "\n".join(lines)


def read_ensemble(folder: str | Path) -> tuple[list[dict], dict]:
    """The members (parameter points) and the record of an ensemble folder."""
    from sim.inputs import InputError

    folder = Path(folder)
    record_path, members_path = folder / "ensemble.json", folder / "members.csv"
    if not record_path.is_file() or not members_path.is_file():
        raise InputError("not an ensemble folder (expected ensemble.json and members.csv, as govsim calibrate writes them)", source=str(folder))
    record = json.loads(record_path.read_text(encoding="utf-8"))
    members = pd.read_csv(members_path)
    if members.empty:
        raise InputError(f"the ensemble has no members: no trial of calibration '{record['calibration']}' is within the tolerance of every target", source=str(folder))
    points = [{name: (int(v) if float(v).is_integer() and pd.api.types.is_integer_dtype(members[name]) else float(v)) for name, v in row.items()}
              for row in members[record["parameters"]].to_dict("records")]
    return points, record
