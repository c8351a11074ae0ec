"""What the page says to students: what is running, what the three regimes are, what the rates mean, how to read
the network and the charts, what the sliders do.

Kept apart from the drawing code so a lecturer can reword it in one place.
"""

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

from sim import GovernanceModel
from sim.viz.classroom import SCENARIOS
from sim.viz.network import load_legend_html
from sim.viz.prose import Prose

HOW_TO = """\
Choose a scenario, a regime and the settings in the sidebar, then press **Reset**: settings take effect only on
Reset (the sidebar says when they differ from the run on screen). **▶ Play** plays the year, **❚❚ Pause** pauses,
**Step** moves on by a day, a week or a month (chosen under the buttons; while playing, the page is redrawn that
often). At the year's end Play reads *Year over*: press Reset to run again. The **Side by side** tab runs the same
town with the same random seed under a second regime, in step with this one.
"""

REGIMES = """\
**Whistle-blowing** (吹哨报到, Beijing 2017-18). Street offices and community grid workers find most problems
themselves; residents also walk into the community office, and fewer call the 12345 hotline. A street fixes what
its duties allow; for the rest it *blows the whistle* and the department concerned must report within a deadline.
A department summoned too often tires and answers worse.

**Complaint-response** (接诉即办, the *hotline* regime, from 2019). Every call to 12345 becomes a ticket sent
straight to the street or department in charge, with time limits. The hotline calls the resident back, and every
street is scored each month on the three rates and ranked; low-ranked streets are named at the monthly meeting.
Departments push part of their work down to the streets (the *siphon*).

**Proactive governance** (未诉先办, from 2021). Complaint-response, plus prevention: each month the city picks the
biggest problem type and pays to fix its roots ("one topic a month"), prepares for seasonal problems (heating,
floods) before they come, and communities with a deliberation hall fix small shared problems themselves.
"""

REGIMES_BRIEF = """\
**The three regimes.** *Whistle*: streets and grid workers find problems and summon departments for what they
cannot fix. *Hotline*: every call becomes a ticket with a time limit; streets are ranked monthly on the three rates.
*Proactive*: the hotline, plus money to fix the roots of the commonest problems before residents call.
The **Guide** tab says more.
"""

RATES = """\
**The three rates** are what residents say when the hotline calls them back after their ticket is closed:
the *response rate* is the share who were contacted within the time limit, the *resolution rate* the share who
say their problem was solved, the *satisfaction rate* the share who say they are satisfied. The charts show them
over the last 30 days, as Beijing scores its streets on a month of call-backs.

The dashed **true fix share** is what the model knows and residents may not: the share of closed tickets that
removed the problem at its root. Rates that rise while the fix share falls mean residents are being pleased, not
their problems fixed. Dotted lines: Beijing's reported rates for 2019-21 (resolution 85 %, satisfaction 90 %).
"""

SETTINGS = """\
**The settings.** *Street staff*: staff-hours a street office can spend on tickets each day, per 10,000
residents. *Ranking pressure* (hotline, proactive): how hard the monthly ranking pushes streets; pressed streets
close tickets faster and chase good ratings, and fix fewer problems at the root. *Siphon share* (hotline,
proactive): the share of departments' tickets pushed down to streets. *Propensity to complain*: a multiplier on
every resident's wish to call or visit. *Prevention budget* (proactive): yuan a month per 10,000 residents spent
on fixing the roots of the month's topic. *Whistle deadline* (whistle): days a summoned department has to report.
Choosing a scenario moves the sliders to its own values; the sliders' values always apply.
"""

NETWORK = """\
**The network.** The 12345 hotline (top) dispatches to districts, which hold street offices (numbered), which serve
communities (bottom row); city departments are on the right. The colour of a street or department is the share of
today's staff-hours it used (green: idle, red: all of it); its size, the tickets waiting in its queue. A
community's size is its open problems. Dashed orange lines: a street may summon that department; thicker means it
is summoned more. In Beijing each district's name stands under its column of communities.
"""

COSTS = """\
**The cost** in the side-by-side table is every staff-hour at the scenario's hour cost plus the prevention money,
in three parts: *staff on tickets and calls* (street offices, departments, hotline operators), *grid patrols*
(under whistle-blowing, grid workers walk the communities every day looking for problems: in the teaching town,
most of that regime's bill) and *prevention* (the proactive regime's monthly topics).
"""

CAPTIONS = {
    "network": f"Colour: {load_legend_html()}. Size: tickets waiting (a community: its open problems). "
    "Dashed: who may summon whom.",
    "rates": "On the call-back: contacted in time, solved, satisfied. Dashed: tickets that really removed the "
    "problem. Dotted: Beijing's reported 85 % and 90 %.",
    "contacts": "Calls and visits (black) against the problems arising (red): more contacts for the same problems "
    "means residents complain more readily.",
    "stocks": "Tickets still being handled, and problems still troubling residents (a ticket closed on the symptom "
    "only sends its problem back later).",
    "load": "Share of their staff-hours that streets and departments spent on tickets (7-day mean): who carries "
    "the load.",
}


def status(model: GovernanceModel) -> str:
    """One line on what is running, so the class knows which run the charts show."""
    name = getattr(model, "scenario_name", model.spec.name)
    where = SCENARIOS[name][1] if name in SCENARIOS else model.spec.description
    if model.steps:  # before the first step the indicators describe the end of the warm-up, not a day of the run
        when = f"day {model.indicators['day'] + 1} of {model.spec.days} ({model.indicators['date']})"
    else:
        when = f"not started ({model.spec.days} days to run)"
    ended = " **The year is over.**" if not model.running else ""
    return f"**Now running:** the *{model.regime.name}* regime, seed {model.seed}, {when}. {where}.{ended}"


@solara.component
def Status(model: GovernanceModel):
    update_counter.get()
    Prose(status(model), classes=["govsim-status"])


@solara.component
def GuideText():
    Prose("\n\n".join(["**How to use this page.** " + HOW_TO, REGIMES, RATES, NETWORK, SETTINGS, COSTS]),
          style="padding: 8px 12px; max-width: 60em", classes=["govsim-guide"])
