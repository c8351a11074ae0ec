"""Experiments: scenarios x regimes x parameter grids x replicates, run locally or on a Dask cluster."""
