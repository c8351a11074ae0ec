"""What a run records: the day's tally and indicators, the month's ledger the regimes evaluate, and the run's
breakdowns by category, district and age group."""

from sim.analyzers.breakdowns import Breakdown, Breakdowns
from sim.analyzers.daily import DailyCollector, DayTally, daily_indicators
from sim.analyzers.monthly import MonthLedger

__all__ = ["Breakdown", "Breakdowns", "DailyCollector", "DayTally", "MonthLedger", "daily_indicators"]
