"""`govsim compare ... --ensemble DIR`: regime differences whose intervals carry parameter uncertainty as well as
noise.

Every member m of the accepted ensemble (a fitted parameter set from `govsim calibrate`) is run under every regime
with the K replicates of the comparison (replicate k has the same seed in every member and regime: common random
numbers). For two regimes A, B, d_mk is replicate k of B minus replicate k of A at member m, and:

- d̄_m = mean over k of d_mk: the regime difference member m implies (noise averaged over K seeds);
- the printed mean is the mean of d̄_m over the M members;
- s_b² = variance of the d̄_m across members; s_w² = mean over members of the variance of d_mk across seeds;
- parameter variance σ_θ² = max(0, s_b² − s_w² / K) (one-way random effects: members differ by σ_θ², each member's
  mean also carries noise s_w² / K); its share of s_b² is printed as "params %";
- the 95 % interval is mean ± t(0.975; M − 1) · s_b · √(1 + 1/M): a prediction interval for the difference a
  parameter set drawn from the ensemble shows over K replicates. It includes both sources: the members' spread (the
  parameters) and the noise that remains after K seeds, and the uncertainty of the mean itself. With one member it
  reduces to the ordinary t-interval over seeds.
"""

from __future__ import annotations

import math
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.calibration_output import read_ensemble
from sim.analysis.evaluators import design_spec
from sim.experiment.plan import make_plan
from sim.experiment.runner import run_experiment
from sim.experiment.spec import ExperimentSpec
from sim.experiment.stats import band, paired_interval
from sim.experiment.store import load_runs
from sim.experiment.summary_tables import Table, band_text, difference_text
from sim.inputs import InputError
from sim.scenario import load_scenario
from sim.summary import HEADLINE

LEVEL = 0.95


def combined_interval(differences: pd.DataFrame, level: float = LEVEL) -> dict:
    """Mean, interval and variance components of paired differences d (columns member, replicate, d)."""
    d = differences[np.isfinite(differences["d"])]
    members = d.groupby("member")["d"]
    means = members.mean()
    m, k = len(means), int(members.size().max()) if len(d) else 0
    if m == 0:
        return {"n": 0, "members": 0, "mean_difference": math.nan, "ci_low": math.nan, "ci_high": math.nan, "sd_between": math.nan, "sd_within": math.nan, "parameter_share": math.nan}
    if m == 1:
        one = paired_interval(d["d"], level)
        within = float(d["d"].std(ddof=1)) if len(d) > 1 else math.nan
        return {"n": one["n"], "members": 1, "mean_difference": one["mean"], "ci_low": one["low"], "ci_high": one["high"], "sd_between": math.nan, "sd_within": within, "parameter_share": math.nan}
    s_b2 = float(means.var(ddof=1))
    s_w2 = float(members.var(ddof=1).mean()) if k > 1 else math.nan
    parameters = max(0.0, s_b2 - s_w2 / k) if k > 1 else math.nan
    half = float(stats.t.ppf(0.5 + level / 2, m - 1)) * math.sqrt(s_b2 * (1 + 1 / m))
    mean = float(means.mean())
    return {"n": int(len(d)), "members": m, "mean_difference": mean, "ci_low": mean - half, "ci_high": mean + half,
            "sd_between": math.sqrt(s_b2), "sd_within": math.sqrt(s_w2) if k > 1 else math.nan,
            "parameter_share": parameters / s_b2 if k > 1 and s_b2 > 0 else math.nan}


def ensemble_totals(out: Path) -> pd.DataFrame:
    runs, _, _ = load_runs(out)
    return pd.DataFrame([{**run.identifiers, "member": int(run.manifest.get("point", 0)), **results.totals()} for run, results in runs])


def ensemble_differences(totals: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    rows = []
    for scenario, frame in totals.groupby("scenario", sort=False):
        regimes = list(dict.fromkeys(frame["regime"]))
        for a, b in combinations(regimes, 2):
            left = frame[frame["regime"] == a].set_index(["member", "replicate"])
            right = frame[frame["regime"] == b].set_index(["member", "replicate"])
            common = left.index.intersection(right.index)
            for indicator in indicators:
                d = (right.loc[common, indicator] - left.loc[common, indicator]).rename("d").reset_index()
                rows.append({"scenario": scenario, "regime_a": a, "regime_b": b, "indicator": indicator, "kind": HEADLINE[indicator][1], **combined_interval(d)})
    return pd.DataFrame(rows)


def compare_with_ensemble(spec: ExperimentSpec, ensemble: Path, out: Path | None, workers=None, dask=None) -> int:
    points, record = read_ensemble(ensemble)
    for path in spec.scenarios:
        scenario = load_scenario(path, spec.overrides)
        for number, point in enumerate(points):
            try:
                load_scenario(scenario, point)
            except InputError as error:
                raise InputError(f"member {number} does not apply to scenario {scenario.name}: {error.problem}", source=str(ensemble / "members.csv"), field=error.field) from None
    design = design_spec(spec, points)
    out = out or Path("results") / f"{spec.name}-ensemble-{record['calibration']}-{'-'.join(spec.regimes)}"
    report = run_experiment(make_plan(design), out, workers=workers, dask=dask)
    totals = ensemble_totals(out)
    indicators = [k for k in HEADLINE if k in totals.columns]
    differences = ensemble_differences(totals, indicators)
    per_regime = pd.DataFrame([{"scenario": s, "regime": r, "indicator": i, "kind": HEADLINE[i][1], **band(f[i])}
                               for (s, r), f in totals.groupby(["scenario", "regime"], sort=False) for i in indicators])
    per_regime.to_csv(out / "ensemble_summary.csv", index=False)
    differences.to_csv(out / "ensemble_differences.csv", index=False)
    print(f"\n{spec.name} with the ensemble of calibration '{record['calibration']}': {len(points)} parameter sets × {spec.replicates} replicates per regime")
    for table in ensemble_tables(per_regime, differences):
        print("\n" + "\n".join(table.text()))
    print(f"\nresults: {out}  ({report.done} run(s) done in {report.wall_time_s:.1f} s, {report.skipped} already stored; ensemble_summary.csv, ensemble_differences.csv)")
    if report.failed:
        print(f"error: {len(report.failed)} of {report.total} runs failed ({', '.join(report.failed)}); rerun the same command to retry them", file=sys.stderr)
        return 1
    return 0


def ensemble_tables(per_regime: pd.DataFrame, differences: pd.DataFrame) -> list[Table]:
    tables = []
    for scenario, frame in per_regime.groupby("scenario", sort=False):
        regimes = list(dict.fromkeys(frame["regime"]))
        f = frame.set_index(["indicator", "regime"])
        rows = [[HEADLINE[i][0]] + [band_text(f.loc[(i, r)]) for r in regimes] for i in dict.fromkeys(frame["indicator"])]
        tables.append(Table(f"{scenario}: median (10–90 % range) across ensemble members × replicates", ["indicator", *regimes], rows))
        d = differences[differences["scenario"] == scenario]
        pairs = list(dict.fromkeys(zip(d["regime_a"], d["regime_b"])))
        di = d.set_index(["indicator", "regime_a", "regime_b"])
        rows = []
        for i in dict.fromkeys(d["indicator"]):
            cells = []
            for a, b in pairs:
                row = di.loc[(i, a, b)]
                share = "" if math.isnan(row["parameter_share"]) else f" ({row['parameter_share']:.0%})"
                cells.append(difference_text(row) + share)
            rows.append([HEADLINE[i][0], *cells])
        tables.append(Table(f"{scenario}: paired differences pooled over the ensemble: mean [95 % interval with parameter uncertainty and noise] (share of the spread due to parameters)",
                            ["indicator", *[f"{b} − {a}" for a, b in pairs]], rows))
    return tables
