"""Random streams: the seed of a run and the independent streams spawned from it (common random numbers).

A run's seed spawns three kinds of stream with `numpy.random.SeedSequence` spawn keys:
- the world of day d (problems arising, their places, sizes and lives), one stream per day, so two regimes run
  with one seed face the same problems on every day whatever they did the day before; warm-up days have their own;
- the population (residents' ages, ownership, propensities and initial trust), drawn once;
- the places (street offices' capability, old compounds, neighbourhoods' reporting), drawn once;
- governance: everything a regime's choices can change (contacts, routing, handling, outcomes, ratings) comes from
  the model's own `rng`, seeded with the same seed.
"""

from __future__ import annotations

import numbers

import numpy as np

from sim.inputs import InputError

WORLD, POPULATION, WARMUP_WORLD, PLACES = 0, 1, 2, 3  # spawn keys of the seed's independent streams
MAX_SEED = 2**63 - 1  # seeds are stored as int64 in manifests and result tables


def resolve_seed(rng) -> int:
    """The run's integer seed from what a user passes as `rng` / `seed`, as Mesa accepts them.

    An integer 0 <= seed <= 2**63 - 1 is the seed itself; a `numpy.random.SeedSequence` without spawn keys whose
    entropy is such an integer gives that integer (other SeedSequences give a 63-bit integer drawn from them); a
    `numpy.random.Generator` gives a 63-bit integer drawn from it (so it is consumed); None draws fresh entropy.
    The integer is what the manifest records, so `govsim run --seed <it>` reproduces the run.
    """
    if rng is None:
        return int(np.random.SeedSequence().generate_state(2, np.uint64)[0] >> np.uint64(1))
    if isinstance(rng, np.random.SeedSequence):
        entropy = rng.entropy
        if not rng.spawn_key and isinstance(entropy, numbers.Integral) and 0 <= entropy <= MAX_SEED:
            return int(entropy)
        return int(rng.generate_state(2, np.uint64)[0] >> np.uint64(1))
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, MAX_SEED, endpoint=True))
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if 0 <= int(rng) <= MAX_SEED:
            return int(rng)
        raise InputError(f"expected an integer from 0 to 2**63 - 1, got {int(rng)}", field="seed")
    raise InputError(
        f"expected an integer from 0 to 2**63 - 1, a numpy Generator or a SeedSequence, got {rng!r}", field="seed"
    )


def world_stream(seed: int, day: int) -> np.random.Generator:
    """The stream of the problems that arise on `day` (negative days: the warm-up's own streams)."""
    key = (WORLD, day) if day >= 0 else (WARMUP_WORLD, -day)  # spawn keys are non-negative
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def population_stream(seed: int) -> np.random.Generator:
    """The stream the residents are drawn from."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(POPULATION,)))


def places_stream(seed: int) -> np.random.Generator:
    """The stream the places' differences are drawn from (capability, old compounds, reporting)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PLACES,)))
