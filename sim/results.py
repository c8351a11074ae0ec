"""The results of one run as tidy tables, and their folder on disk.

A run folder holds `daily.parquet` (one row per day, the columns of `metrics.DAILY`), the run's breakdowns
(`by_category`, `by_district`, `by_zone`, `by_age_group`: one row per group, counts and rates), the histogram of days
to close, the monthly topics a proactive regime picked, the resolved scenario (`scenario.yaml`) and
`manifest.json`. A folder is written under a temporary name and renamed when complete, so a folder that exists is
a whole run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.metrics import quantile_from_histogram

_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when available: several times faster
TABLES = ("daily", "by_category", "by_district", "by_zone", "by_age_group", "days_to_close", "topics")


@dataclass
class Results:
    daily: pd.DataFrame
    by_category: pd.DataFrame
    by_district: pd.DataFrame
    by_zone: pd.DataFrame
    by_age_group: pd.DataFrame
    days_to_close: pd.DataFrame
    topics: pd.DataFrame
    manifest: dict
    scenario: dict = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return float(self.manifest.get("scale", 1.0))

    def save(self, folder: str | Path) -> Path:
        """Write the run folder atomically (a partial folder never appears under the final name)."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name in TABLES:
                getattr(self, name).to_parquet(staging / f"{name}.parquet", index=False)
            (staging / "manifest.json").write_text(json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            (staging / "scenario.yaml").write_text(
                yaml.dump(self.scenario, Dumper=_SAFE_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            if folder.exists():
                retired = folder.with_name(f".{folder.name}.old")
                shutil.rmtree(retired, ignore_errors=True)
                os.replace(folder, retired)
                os.replace(staging, folder)
                shutil.rmtree(retired, ignore_errors=True)
            else:
                os.replace(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "Results":
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise FileNotFoundError(f"{folder}: not a govsim run folder (no manifest.json)")
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
        scenario_path = folder / "scenario.yaml"
        scenario = yaml.safe_load(scenario_path.read_text(encoding="utf-8")) if scenario_path.is_file() else {}
        return cls(**tables, manifest=json.loads(manifest_path.read_text(encoding="utf-8")), scenario=scenario)

    def totals(self) -> dict[str, float]:
        """Headline indicators over the whole run (rates from summed counts, stocks at the last day)."""
        daily, groups = self.daily, self.by_category
        rated = groups["rated"].sum()
        last = daily.iloc[-1] if len(daily) else pd.Series(dtype=float)
        opened = daily["tickets_opened"].sum()
        histogram = self.days_to_close["tickets"].to_numpy()

        def share(numerator):
            return float(numerator / rated) if rated else float("nan")

        return {
            "contacts": float(daily["contacts"].sum()),
            "consultations": float(daily["consultations"].sum()),
            "abandoned": float(daily["abandoned"].sum()),
            "tickets_opened": float(opened),
            "tickets_closed": float(daily["tickets_closed"].sum()),
            "backlog": float(last.get("backlog", np.nan)),
            "overdue": float(last.get("overdue", np.nan)),
            "response_rate": share(groups["responded"].sum()),
            "resolution_rate": share(groups["resolved"].sum()),
            "satisfaction_rate": share(groups["satisfied"].sum()),
            "fix_share": float(groups["fixed"].sum() / max(groups["tickets_closed"].sum(), 1)),
            "median_days_to_close": quantile_from_histogram(histogram),
            "p90_days_to_close": quantile_from_histogram(histogram, 0.9),
            "street_load": float(daily["street_load"].mean()),
            "department_load": float(daily["department_load"].mean()),
            "whistles": float(daily["whistles"].sum()),
            "prevention_spend": float(daily["prevention_spend"].sum()),
            "cost": float(daily["cost"].sum()),
            "open_problems": float(last.get("open_problems", np.nan)),
            "repeat_share": float((daily["repeat_share"].fillna(0) * daily["tickets_opened"]).sum() / opened) if opened else float("nan"),
            "mean_trust": float(last.get("mean_trust", np.nan)),
            "mean_propensity": float(last.get("mean_propensity", np.nan)),
        }
