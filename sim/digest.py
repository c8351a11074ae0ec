"""A fingerprint of a run's tables: equal fingerprints mean equal numbers, bit for bit.

Used by the regression baseline (tests/test_regression.py) and the benchmark's thread check.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from sim.results import Results


def table_digest(frame: pd.DataFrame) -> str:
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()[:24]


def results_digest(results: Results) -> dict[str, str]:
    """One digest per table of a run (the manifest, which holds the wall time, is left out)."""
    return {name: table_digest(getattr(results, name)) for name in ("daily", "by_category", "by_district", "by_age_group", "days_to_close", "topics")}
