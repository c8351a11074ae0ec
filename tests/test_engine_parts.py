"""The engine's parts checked against hand computations: queue allocation, weighted sampling, the calendar, the
column tables, the breakdowns' batched counting, the residents' start-up and memory updates in pieces."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest

from sim.analyzers.breakdowns import LARGE_CALL, Breakdowns
from sim.columns import Columns
from sim.metrics import GROUP_COUNTS, MAX_DAYS
from sim.processes.work import allocate
from sim.sampling import BlockSampler
from sim.timeline import in_season


def test_allocate_serves_in_priority_order_within_each_handler():
    handler = np.array([0, 0, 0, 1, 1])
    priority = np.array([3, 1, 2, 5, 4])
    demand = np.array([2.0, 3.0, 4.0, 1.0, 1.0])
    capacity = np.array([5.0, 10.0])
    served = allocate(handler, priority, demand, capacity)
    # handler 0 serves priority 1 (3 h), then priority 2 (2 of its 4 h), nothing for priority 3
    np.testing.assert_allclose(served, [0.0, 3.0, 2.0, 1.0, 1.0])


def test_block_sampler_draws_in_proportion_to_weight():
    rng = np.random.default_rng(0)
    weights = np.array([1.0, 3.0, 0.5, 0.5, 2.0, 8.0] * 40, dtype=np.float32)  # spans several blocks
    sampler = BlockSampler(len(weights))
    sampler.weights[:] = weights
    sampler.resync()
    lo, hi = np.full(60_000, 6), np.full(60_000, 12)  # the second group of six
    mass = sampler.mass_before(np.array([6, 12]))
    np.testing.assert_allclose(mass, [15.0, 30.0])
    drawn = sampler.draw(lo, hi, np.full(60_000, mass[0]), np.full(60_000, mass[1]), rng)
    share = np.bincount(drawn - 6, minlength=6) / len(drawn)
    np.testing.assert_allclose(share, weights[:6] / weights[:6].sum(), atol=0.01)


def test_block_sampler_follows_weight_changes():
    sampler = BlockSampler(200)
    weights = sampler.weights
    weights[:] = 1.0
    sampler.resync()
    old = weights[[5, 150]].copy()
    weights[[5, 150]] = [100.0, 0.0]
    sampler.changed(np.array([5, 150]), old, weights[[5, 150]])
    assert sampler.mass_before(np.array([200]))[0] == 200 - 2 + 100
    drawn = sampler.draw(np.zeros(1000, int), np.full(1000, 200), np.zeros(1000), np.full(1000, 298.0), np.random.default_rng(1))
    assert 150 not in drawn
    assert 0.25 < np.mean(drawn == 5) < 0.42  # 100 / 298


def test_seasons_wrap_past_new_year():
    assert in_season(dt.date(2019, 1, 10), "11-15", "03-15")
    assert in_season(dt.date(2019, 11, 15), "11-15", "03-15")
    assert not in_season(dt.date(2019, 3, 16), "11-15", "03-15")
    assert in_season(dt.date(2019, 7, 1), "06-01", "08-31")


def test_table_columns_are_live_views_through_appends_compaction_and_pickling():
    table = Columns({"id": np.int64, "state": np.int8}, capacity=2)
    table.append(id=np.arange(3), state=0)  # grows past its capacity
    table.state[1] = 5  # writes reach the column
    assert table.state.tolist() == [0, 5, 0] and table.id.tolist() == [0, 1, 2]
    table.keep(table.state == 0)
    assert table.id.tolist() == [0, 2] and len(table.state) == 2
    copy = pickle.loads(pickle.dumps(table))
    copy.state[0] = 7
    copy.append(id=np.array([9]), state=1)
    assert copy.state.tolist() == [7, 0, 1] and copy.id.tolist() == [0, 2, 9]
    assert table.state.tolist() == [0, 0]  # the original is untouched
    with pytest.raises(ValueError, match="'n'"):
        Columns({"n": np.int64})


def test_breakdowns_count_every_event_once_whether_it_waits_or_not():
    """Small calls wait to be counted in batches and large ones are counted at once; a reader sees every event, and
    an array the caller changes after `add` changes no count."""
    rng = np.random.default_rng(4)
    sizes = [3, 40, 1, 700, 25, LARGE_CALL, 5000, 2]  # small calls wait, large ones are counted at once
    batched = Breakdowns(4, 3, 3)
    expected = np.zeros((4, len(GROUP_COUNTS)), dtype=np.int64)
    expected_days = np.zeros(MAX_DAYS + 1, dtype=np.int64)
    with_age = 0
    for n in sizes:
        category, district = rng.integers(0, 4, n), rng.integers(0, 3, n)
        age = rng.integers(-1, 3, n).astype(np.int8)
        rated = rng.random(n) < 0.4
        days = rng.integers(0, MAX_DAYS + 30, n)
        batched.add(category, district, age, tickets_closed=True, rated=rated)
        batched.add_durations(category, district, age, days)
        np.add.at(expected[:, GROUP_COUNTS.index("tickets_closed")], category, 1)
        np.add.at(expected[:, GROUP_COUNTS.index("rated")], category[rated], 1)
        np.add.at(expected_days, np.minimum(days, MAX_DAYS), 1)
        with_age += int(np.count_nonzero(age >= 0) + np.count_nonzero(rated & (age >= 0)))
        rated[:] = True  # the caller reuses its array: the counts must not follow
        category[:] = 0
    assert np.array_equal(batched.by_category.counts, expected)
    assert np.array_equal(batched.by_category.days_to_close.sum(axis=0), expected_days)
    assert batched.by_district.counts.sum() == expected.sum()
    assert batched.by_age_group.counts.sum() == with_age  # events without an age group (-1) are left out


def test_row_sums_add_as_numpy_sums_rows():
    """The residents' community totals are summed column by column, the order of numpy's sum(axis=1) on short rows:
    the same numbers bit for bit (a different order would change every run)."""
    from sim.population import _row_sums

    rng = np.random.default_rng(7)
    table = rng.random((20_000, 4)) * rng.lognormal(0.0, 3.0, (20_000, 4))
    assert np.array_equal(_row_sums(table), table.sum(axis=1))
    assert not np.array_equal(table[:, 0] + ((table[:, 1] + table[:, 2]) + table[:, 3]), table.sum(axis=1))  # order matters


def _residents_state(residents) -> list[np.ndarray]:
    names = ("age", "owner", "propensity", "trust", "base", "memory", "memory_day", "propensity_by_age", "trust_sum",
             "count_by_age")
    return [np.array(getattr(residents, name)) for name in names] + [residents.sampler.block_sums.copy()]


def test_residents_made_and_forgotten_piece_by_piece_are_the_same_bit_for_bit(monkeypatch):
    """Start-up and the monthly update of faded memories work in pieces to keep their temporaries small: small pieces
    (across batches of draws, and cutting only at community edges where communities are summed) must give the same
    residents, community totals and memories as one piece."""
    import sim.population as population
    from sim.scenario.schema import Behaviour, Population

    sizes = np.random.default_rng(5).integers(0, 400, 60)  # some empty communities; 60 communities, ~12,000 residents
    behaviour = Behaviour()
    # Propensities spread over many orders of magnitude, so that float64 sums of a community's float32 values round,
    # and a community summed in two pieces would come out different.
    spread = Population(propensity_sigma=8.0, propensity_cap=1e30)
    reporting = np.random.default_rng(6).uniform(0.5, 1.5, len(sizes))

    def made_and_forgotten(piece: int) -> list[np.ndarray]:
        monkeypatch.setattr(population, "CHUNK", 5_000)  # three batches of draws, so that pieces meet batch edges
        monkeypatch.setattr(population, "PIECE", piece)
        residents = population.Residents(sizes, spread, behaviour, np.random.default_rng(3), reporting, first_day=0)
        ids = np.flatnonzero(np.random.default_rng(8).random(residents.n) < 0.3)
        outcome = np.random.default_rng(9).random(len(ids))
        residents.learn(ids, outcome < 0.6, outcome < 0.8, day=5)
        residents.forget(day=40)
        return _residents_state(residents)

    whole, pieces = made_and_forgotten(1 << 20), made_and_forgotten(97)
    assert np.count_nonzero(whole[5]) > 97  # the update of memories really went in several pieces
    for a, b in zip(whole, pieces, strict=True):
        assert np.array_equal(a, b)
    assert np.isclose(whole[7].sum(), whole[2].astype(np.float64).sum())  # the totals are the residents' propensities
