"""The submodels of the day (ODD 7), one process a file, in the order `GovernanceModel.step` runs them:
arrival, contacts, intake, dispatch, work, closure, callback; `street_response` is how pressed street offices
behave, which dispatch, closure and callback ask."""
