"""Experiments: scenarios x regimes x parameter points x replicates, run locally or on a Dask cluster.

    from sim.experiment import run_experiment, load_results
    run_experiment("experiments/regime_comparison.yaml", "results/regime_comparison")   # resumes if interrupted
    daily = load_results("results/regime_comparison")                                   # one row per run x day

Modules: `spec` (the experiment file), `plan` (points, seeds, run ids), `executors` (local processes, Dask),
`runner` (resume, store each run as it finishes), `store` (the results folder, tidy tables), `stats` and `summary`
(medians, ranges, paired differences), `figures` and `report` (drawn from stored results), `commands` (the CLI).
"""

from sim.experiment.runner import ExperimentRun, run_experiment
from sim.experiment.spec import ExperimentSpec, experiment_from_options, load_experiment
from sim.experiment.store import load_breakdown, load_results

__all__ = ["ExperimentRun", "ExperimentSpec", "experiment_from_options", "load_breakdown", "load_experiment", "load_results", "run_experiment"]
