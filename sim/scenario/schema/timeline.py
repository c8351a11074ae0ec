"""Dated events: regime switches, shocks, programmes and reforms."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.base import Date, Fraction, Frozen, NonNegative, RegimeName
from sim.scenario.schema.reforms import Reform

class RegimeSwitch(Frozen):
    """From this date on, the city runs under another regime."""

    date: Date = Field(description="First day under the new regime")
    regime: RegimeName = Field(description="The regime from that day")


class Shock(Frozen):
    """A period in which some categories' problems arise faster (an epidemic wave, a big event)."""

    start: Date = Field(description="First day of the shock")
    end: Date = Field(description="Last day of the shock")
    categories: list[str] = Field(min_length=1, description="Categories whose arrivals it multiplies")
    multiplier: NonNegative = Field(description="Arrival-rate multiplier [ratio]")
    districts: list[str] | None = Field(None, description="Limit to these districts (default: all)")


class Programme(Frozen):
    """A structural programme (an action plan, old-compound renovation) that cuts arrivals where it lands."""

    name: str = Field("", description="What the programme is")
    start: Date = Field(description="First day of the programme")
    end: Date = Field(description="Date by which the full cut is reached (it ramps up linearly)")
    categories: list[str] = Field(min_length=1, description="Categories whose arrivals it cuts")
    arrival_cut: Fraction = Field(description="Cut in the arrival rate once complete [fraction]")
    districts: list[str] | None = Field(None, description="Limit to these districts (default: all)")
    extra_street_staff: NonNegative = Field(0.0, description="Extra street staff-hours from the start, as a fraction [ratio]")


class Merger(Frozen):
    """Separate hotlines merged into 12345: from this date their categories' demand comes to the hotline."""

    name: str = Field("", description="Which hotlines")
    date: Date = Field(description="First day the merged lines' calls reach 12345")
    categories: list[str] | None = Field(None, description="Categories the merged lines served (default: all)")
    share: NonNegative = Field(
        description="Demand brought, as a share of the hotline's demand in those categories before the merger "
        "[ratio; source: more than 60 hotlines merged into 12345 from 2019 (Bastille Post / Xinhua); shares assumed]"
    )


class Timeline(Frozen):
    """Dated events. `govsim run --regime R` holds R throughout and ignores the regime switches (not the rest)."""

    regimes: list[RegimeSwitch] = Field(default_factory=list, description="Regime switches by date")
    shocks: list[Shock] = Field(default_factory=list, description="Periods of faster problem arrival")
    programmes: list[Programme] = Field(default_factory=list, description="Structural programmes")
    reforms: list[Reform] = Field(default_factory=list, description="Reforms of rules and ownership by date")
    mergers: list[Merger] = Field(default_factory=list, description="Other hotlines merged into 12345")
