"""The submodels of the day (ODD 7), one process a file, in the order `GovernanceModel.step` runs them:
reforms and staffing (at the timeline's dates and months), arrival, contacts (with consultations), intake,
dispatch, work (then learning), closure, callback, adoption; `street_response` is how pressed street offices
behave, which dispatch, closure and callback ask."""

from sim.processes.adoption import Adoption
from sim.processes.arrival import Arrival
from sim.processes.callback import Callback
from sim.processes.closure import Closure
from sim.processes.contacts import Contacting
from sim.processes.dispatch import Dispatch
from sim.processes.intake import Intake
from sim.processes.learning import Learning
from sim.processes.reforms import Reforms
from sim.processes.staffing import Staffing
from sim.processes.street_response import StreetResponse
from sim.processes.work import Work

__all__ = [
    "Adoption", "Arrival", "Callback", "Closure", "Contacting", "Dispatch", "Intake", "Learning", "Reforms", "Staffing",
    "StreetResponse", "Work",
]
