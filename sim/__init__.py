"""govsim: an agent-based simulation of how a megacity governs itself through its citizens' complaints.

    from sim import load_scenario, GovernanceModel, run
    results = run(load_scenario("scenarios/teaching_town.yaml"), seed=7)
    results.daily          # one row per simulated day
"""

from sim.model import GovernanceModel
from sim.results import Results
from sim.scenario import Scenario, load_scenario
from sim.simulate import run
from sim.experiment import load_breakdown, load_experiment, load_results, run_experiment

__all__ = ["GovernanceModel", "Results", "Scenario", "load_breakdown", "load_experiment", "load_results", "load_scenario", "run", "run_experiment"]
__version__ = "0.1.0"
