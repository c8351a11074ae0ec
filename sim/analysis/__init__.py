"""Analysis of the model: which uncertain inputs drive an outcome (sensitivity), which parameter values fit the
public record (calibration), and where in the uncertainty space an outcome holds (scenario discovery).

Modules: `uncertainties` (the `uncertainties:` schema), `analysis_file` (the `sensitivity:` and `calibration:`
sections), `outcomes` (what is measured on runs, paired regime differences included), `evaluators` (the model, or any
function, evaluated at design points), `sensitivity` and `sensitivity_figures` (Morris and Sobol through SALib),
`targets` (dated public figures), `calibration`, `calibration_output` and `ensemble` (Optuna, the accepted ensemble),
`prim` (scenario discovery) and `commands` (the CLI). Runs go through `sim.experiment`'s runner and executors.
"""
