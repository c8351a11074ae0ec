"""The page's sidebar: what a lecturer drives a class with.

- the run: "Day N of 365" with the date, Reset, ▶ Play / ❚❚ Pause and Step, and how far a Step (and each redraw
  while playing) moves: a day, a week or a month. When the run reaches its last day, Play says "Year over" and a
  note says to press Reset;
- the settings: scenario, regime, seed and six sliders, each slider with its value and unit written beside it.
  They take effect on Reset (a note says so as soon as one differs from the run on screen); choosing a scenario
  moves the sliders to that scenario's own values.

Mesa's SolaraViz draws its own sidebar (Play Interval, Render Interval, Use Threads, "Time: 371.0"): settings of
the machinery, not of the model, and steps counted past the year's end. This one speaks the class's language
and plays the model itself: a thread steps it while Play is on, and each batch of days redraws the page (through
Mesa's `update_counter`, which every part of the page that shows the model reads, as under SolaraViz).
"""

from __future__ import annotations

import threading

import solara
from mesa.visualization.utils import force_update, update_counter

from sim.inputs import InputError
from sim.viz.classroom import SCENARIOS, SLIDER_LEVERS, ClassroomModel, model_params, scenario_inputs
from sim.viz.theme import SIDEBAR_WIDTH

TITLE = "govsim"
SUBTITLE = "Governing a city through its residents' complaints: Beijing's 12345 hotline under three regimes"
STEP_SIZES = {"a day": 1, "a week": 7, "a month": 30}
DEFAULT_STEP = "a week"
PAUSE = 0.05  # s between redraws while playing: time for a click on Pause to get through


def advance(model: ClassroomModel, days: int) -> None:
    """Step `model` by `days` days, or to the end of its run."""
    for _ in range(days):
        if not model.running:
            return
        model.step()


def day_line(model: ClassroomModel) -> str:
    if not model.steps:  # before the first step the indicators describe the warm-up's last day
        return f"Day 0 of {model.spec.days}: not started"
    return f"Day {model.indicators['day'] + 1} of {model.spec.days} · {model.indicators['date']}"


def value_text(name: str, value) -> str:
    if name == "prevention_budget":
        return f"{value:,.0f}"
    return f"{value:g}"


def pending_changes(inputs: dict, model: ClassroomModel) -> list[str]:
    """Labels of the inputs that differ from those the run on screen was built with."""
    applied = model.inputs
    return [model_params[name]["label"] for name, value in inputs.items() if applied.get(name) != value]


class Player:
    """The run's controls for one browser tab: Step, Play/Pause (a thread that steps the model while playing),
    Reset and the settings. One object for the tab's life, so the buttons keep the same handlers from one
    redraw to the next (re-binding a handler while the play thread redraws could lose a click)."""

    def __init__(self, model: solara.Reactive, inputs: solara.Reactive, step_size: solara.Reactive,
                 playing: solara.Reactive, error: solara.Reactive):
        self.model, self.inputs, self.step_size, self.playing, self.error = model, inputs, step_size, playing, error
        self.lock = threading.Lock()  # the play thread and a click never step the model at once
        self.stop_event = threading.Event()

    def days(self) -> int:
        return STEP_SIZES[self.step_size.value]

    def step(self) -> None:
        with self.lock:
            advance(self.model.value, self.days())
        force_update()

    def play_or_pause(self) -> None:
        if self.playing.value:
            self.stop()
            return
        self.stop_event = stop = threading.Event()
        self.playing.set(True)
        threading.Thread(target=self._play, args=(self.model.value, stop), daemon=True, name="govsim-play").start()

    def _play(self, run: ClassroomModel, stop: threading.Event) -> None:
        while not stop.is_set() and run.running:
            with self.lock:
                advance(run, self.days())
            force_update()
            stop.wait(PAUSE)
        if not stop.is_set():  # the year ended (not paused, not reset): Play says so
            self.playing.set(False)

    def stop(self) -> None:
        self.stop_event.set()
        self.playing.set(False)

    def reset(self) -> None:
        self.stop()
        try:
            with self.lock:
                fresh = ClassroomModel(**self.inputs.value)
        except (InputError, ValueError) as problem:
            self.error.set(f"Reset failed: {problem}")
            return
        self.error.set(None)
        self.model.set(fresh)

    def set_input(self, name: str, value) -> None:
        current = self.inputs.value
        self.inputs.set(scenario_inputs(current, value) if name == "scenario_name" else {**current, name: value})


@solara.component
def Sidebar(model: solara.Reactive):
    """The title, the run's controls and the settings; `model` holds the page's run (Reset replaces it)."""
    update_counter.get()
    run: ClassroomModel = model.value
    inputs = solara.use_reactive(dict(run.inputs))
    playing = solara.use_reactive(False)
    step_size = solara.use_reactive(DEFAULT_STEP)
    error = solara.use_reactive(None)
    player = solara.use_memo(lambda: Player(model, inputs, step_size, playing, error), [])
    solara.use_effect(lambda: player.stop, [])  # a closed tab stops its play thread

    with solara.Column(gap="4px", classes=["govsim-sidebar"], style={"width": f"{SIDEBAR_WIDTH}px"}):
        solara.HTML(tag="div", unsafe_innerHTML=TITLE, classes=["govsim-title"])
        solara.HTML(tag="div", unsafe_innerHTML=SUBTITLE, classes=["govsim-subtitle"])
        RunControls(run, player)
        if error.value:
            solara.Error(error.value)
        Settings(inputs.value, pending_changes(inputs.value, run), player)


@solara.component
def RunControls(run: ClassroomModel, player: Player):
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=day_line(run), classes=["govsim-day"])
    ended, playing = not run.running, player.playing.value
    with solara.Row(gap="6px", style={"flex-wrap": "nowrap"}):
        solara.Button("Reset", color="primary", on_click=player.reset, classes=["govsim-reset"])
        play_label = "Year over" if ended else "❚❚ Pause" if playing else "▶ Play"
        solara.Button(play_label, color="primary", disabled=ended, on_click=player.play_or_pause,
                      classes=["govsim-play"], style={"min-width": "112px"})
        solara.Button("Step", color="primary", outlined=True, disabled=ended or playing, on_click=player.step,
                      classes=["govsim-step"])
    solara.ToggleButtonsSingle(player.step_size.value, values=list(STEP_SIZES), on_value=player.step_size.set,
                               dense=True, classes=["govsim-step-size"])
    solara.HTML(tag="div", unsafe_innerHTML="Step, and each redraw while playing, moves on by this much.",
                classes=["govsim-unit"])
    if ended:
        solara.HTML(tag="div", classes=["govsim-ended"], unsafe_innerHTML=(
            f"<b>The year is over</b> (day {run.spec.days} of {run.spec.days}). Read the charts, or press "
            "<b>Reset</b> to run it again, with new settings if you like."))


@solara.component
def Settings(inputs: dict, pending: list[str], player: Player):
    set_input = player.set_input
    solara.HTML(tag="div", unsafe_innerHTML="<b>Settings</b> (take effect on Reset)", style="margin-top: 10px")
    if pending:
        solara.HTML(tag="div", classes=["govsim-pending"], unsafe_innerHTML=(
            f"Changed: {', '.join(pending)}. Press <b>Reset</b> to run with them."))
    solara.Select("Scenario", values=list(SCENARIOS), value=inputs["scenario_name"],
                  on_value=lambda value: set_input("scenario_name", value))
    solara.Select("Regime", values=model_params["regime"]["values"], value=inputs["regime"],
                  on_value=lambda value: set_input("regime", value))
    solara.InputText("Random seed (a number or any word)", value=inputs["rng"], on_value=lambda value: set_input("rng", value))
    for name in SLIDER_LEVERS:
        spec = model_params[name]
        value = inputs[name]
        solara.HTML(tag="div", classes=["govsim-input-label", f"govsim-input-{name}"], unsafe_innerHTML=(
            f'{spec["label"]}: <span class="govsim-value">{value_text(name, value)}</span> '
            f'<span class="govsim-unit">{spec["unit"]}</span>'))
        slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
        slider("", value=value, min=spec["min"], max=spec["max"], step=spec["step"], thumb_label=False,
               on_value=lambda new, name=name: set_input(name, new))
