"""The browser app's parts, without a browser: the model the page builds, the charts, the cached network layout,
the side-by-side twin, the page's components and the `govsim viz` command."""

from __future__ import annotations

import base64
import gc
import hashlib
import html
import inspect
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
import types
import urllib.error
import urllib.parse
import urllib.request
import weakref
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

pytest.importorskip("solara", reason="the browser app needs the [viz] extra")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
import solara  # noqa: E402
from mesa.visualization.utils import force_update  # noqa: E402

from sim.cli import build_parser, main  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.viz import assets, commands, network, side_by_side  # noqa: E402
from sim.plots.style import REGIME_COLOURS  # noqa: E402
from sim.viz.app import Page, initial_model, model_params  # noqa: E402
from sim.viz.charts import contacts_figure, load_figure, rates_figure, stocks_figure  # noqa: E402
from sim.viz.classroom import SCENARIOS, ClassroomModel, initial_inputs, lever_defaults, parse_seed, scenario_inputs  # noqa: E402
from sim.viz.controls import advance, day_line  # noqa: E402
from sim.viz.dashboard import Dashboard  # noqa: E402
from sim.viz.guide import status  # noqa: E402
from sim.viz.picture import drawn_texts, png, smallest_text_px  # noqa: E402
from sim.viz.series import cost_parts, daily, totals, trailing_rates  # noqa: E402
from sim.viz.theme import MIN_TEXT_PX  # noqa: E402

PNG = b"\x89PNG"


def stepped(model, days):
    for _ in range(days):
        model.step()
    return model


# ------------------------------------------------------------------------------------------------ the model


def test_page_inputs_are_the_models_keywords_and_reset_rebuilds_the_same_run():
    model = initial_model()
    keywords = set(inspect.signature(ClassroomModel).parameters)
    assert set(model_params) == keywords  # each input is one of the model's keywords, and each keyword an input
    assert model.inputs == initial_inputs()  # what the sidebar compares with to say "press Reset"
    rebuilt = ClassroomModel(**initial_inputs())
    assert (rebuilt.spec, rebuilt.seed, rebuilt.regime.name) == (model.spec, model.seed, model.regime.name)


def test_sliders_start_at_the_teaching_towns_values_and_follow_the_chosen_scenario():
    spec = load_scenario("teaching_town")
    assert lever_defaults() == {
        "street_staff": spec.city.street_staff_hours_per_10k,
        "ranking_pressure": spec.regimes.hotline.ranking_pressure,
        "siphon_share": spec.regimes.hotline.siphon_share,
        "propensity": spec.behaviour.contact_scale,
        "prevention_budget": spec.regimes.proactive.budget_per_10k,
        "whistle_deadline": spec.regimes.whistle.report_days,
    }
    huitian = scenario_inputs({**initial_inputs(), "regime": "whistle", "street_staff": 30}, "huitian")
    assert huitian["street_staff"] == load_scenario("huitian").city.street_staff_hours_per_10k != 30
    assert huitian["regime"] == "whistle" and huitian["scenario_name"] == "huitian"  # the rest is kept
    run = ClassroomModel(**{**huitian, "street_staff": 15, "whistle_deadline": 5})  # a moved slider always applies
    assert run.spec.city.street_staff_hours_per_10k == 15 and run.spec.regimes.whistle.report_days == 5
    assert (run.regime.name, run.scale) == ("whistle", SCENARIOS["huitian"][0])


def test_any_typed_seed_gives_a_reproducible_run():
    assert parse_seed("42") == parse_seed(" 42 ") == parse_seed(42) == 42
    assert parse_seed("Li Wei") == parse_seed("Li Wei") != parse_seed("Wang Fang")
    assert ClassroomModel(rng="Li Wei").seed == parse_seed("Li Wei")


def test_an_unknown_scenario_is_refused():
    from sim.inputs import InputError

    with pytest.raises(InputError, match="teaching_town"):
        ClassroomModel("atlantis")


def test_the_run_stops_at_its_horizon_even_when_asked_for_more_days():
    model = ClassroomModel()
    advance(model, 53 * 7)  # a week at a time: 371 days asked of a 365-day run
    assert not model.running and model.steps == 365  # not Mesa's "Time: 371.0"
    assert len(daily(model)) == 365 and model.indicators["day"] == 364
    assert day_line(model).startswith("Day 365 of 365")


# ----------------------------------------------------------------------------------------------- the charts


def test_rates_are_taken_over_the_call_backs_of_the_last_30_days():
    frame = pd.DataFrame({
        "rated": [2, 0, 2], "tickets_closed": [4, 0, 4],
        "response_rate": [1.0, np.nan, 0.5], "resolution_rate": [0.5, np.nan, 0.0], "satisfaction_rate": [1.0, np.nan, 1.0],
        "fix_share": [0.25, np.nan, 0.75],
    })
    rates = trailing_rates(frame, window=2)
    assert rates["response_rate"].tolist() == [1.0, 1.0, 0.5]  # day 1: nobody rated, the window keeps day 0's
    assert rates["resolution_rate"].tolist() == [0.5, 0.5, 0.0]
    assert rates["fix_share"].tolist() == [0.25, 0.25, 0.75]
    assert trailing_rates(frame, window=3)["response_rate"].iloc[-1] == pytest.approx(0.75)


def all_figures(model, twin):
    frame, days = daily(model), model.spec.days
    return {
        "network": network.network_figure(model), "rates": rates_figure(frame, days), "contacts": contacts_figure(frame, days),
        "stocks": stocks_figure(frame, days), "load": load_figure(frame, days),
        "compare": side_by_side.comparison_figure(model, twin), "compare-network": side_by_side.networks_figure(model, twin),
        "compare-load": side_by_side.load_comparison_figure(model, twin),
    }


@pytest.mark.parametrize("scenario", ["teaching_town", "beijing"])
def test_every_picture_draws_before_and_after_the_run_starts_with_no_text_under_14_px(scenario):
    model = ClassroomModel(scenario)
    twin = side_by_side.twin_of(model, "whistle")
    for days in (0, 20):
        stepped(model, days)
        twin = side_by_side.twin_of(model, "whistle")
        for name, figure in all_figures(model, twin).items():
            assert png(figure).startswith(PNG), name
            assert smallest_text_px(figure) >= MIN_TEXT_PX, (name, smallest_text_px(figure))
            inside = figure.bbox.padded(1)
            for text in drawn_texts(figure):  # nothing cut off at the picture's edges (titles, names, legends)
                extent = text.get_window_extent()
                assert inside.contains(extent.x0, extent.y0) and inside.contains(extent.x1, extent.y1), (name, text.get_text())


def test_rates_are_shown_in_percent():
    model = stepped(ClassroomModel(), 10)
    figure = rates_figure(daily(model), model.spec.days)
    png(figure)
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert "100%" in labels and "50%" in labels


def test_status_line_says_what_is_running_and_when_the_year_is_over():
    model = ClassroomModel(regime="proactive", rng=7)
    assert "not started" in status(model)
    stepped(model, 3)
    assert "*proactive* regime, seed 7, day 3 of 365 (2019-01-03)" in status(model)
    assert "year is over" not in status(model)
    advance(model, 365)
    assert "day 365 of 365" in status(model) and "The year is over" in status(model)


# ------------------------------------------------------------------------------------------------ the network


def test_network_layout_is_computed_once_per_structure():
    first, second = ClassroomModel(rng=1), ClassroomModel(rng=2)
    before = network.layout_of_structure.cache_info()
    places = network.layout(first.city.network)
    assert network.layout(second.city.network) is places
    assert network.layout(first.city.network) is places
    after = network.layout_of_structure.cache_info()
    assert after.misses - before.misses <= 1 and after.hits > before.hits

    city = first.city
    assert places.communities.shape == (len(city.community_population), 2)
    assert places.streets.shape == (city.n_streets, 2) and places.departments.shape == (len(city.department_names), 2)
    levels = [places.communities[:, 1].max(), places.streets[:, 1].min(), places.districts[:, 1].min(), places.hotline[1]]
    assert levels == sorted(levels) and len(set(levels)) == 4  # communities below streets below districts below 12345
    for s in range(city.n_streets):  # each street sits over the middle of its communities
        assert places.streets[s, 0] == pytest.approx(places.communities[city.community_street == s, 0].mean())
    whistle_edges = [e for e in city.network.edges(data="kind") if e[2] == "whistle"]
    assert len(places.whistle_edges) == len(whistle_edges)
    assert not places.upright_districts


def test_beijings_district_names_stand_apart_under_their_columns():
    model = ClassroomModel("beijing")
    figure = network.network_figure(model)
    png(figure)
    names = [t for t in drawn_texts(figure) if t.get_text() in model.city.district_names]
    assert sorted(t.get_text() for t in names) == sorted(model.city.district_names)
    assert all(t.get_rotation() == 90 for t in names)
    boxes = sorted((t.get_window_extent() for t in names), key=lambda extent: extent.x0)
    assert all(left.x1 <= right.x0 + 1 for left, right in zip(boxes, boxes[1:]))  # no two overlap: not a smear


def test_a_city_of_hundreds_of_streets_draws_whistle_lines_per_district():
    from sim.city import build_city

    beijing = build_city(load_scenario("beijing"), scale=1.0)  # all 343 streets (the page's Beijing samples 16)
    places = network.layout(beijing.network)
    departments = {v for _, v, kind in beijing.network.edges(data="kind") if kind == "whistle"}
    assert len(places.whistle_edges) == len(beijing.district_names) * len(departments)
    assert places.streets.shape == (343, 2)


# ------------------------------------------------------------------------------------------------ side by side


def test_the_twin_runs_the_same_town_and_seed_under_the_second_regime_to_the_same_day():
    model = stepped(ClassroomModel(regime="hotline", rng=11, street_staff=12), 15)
    twin = side_by_side.twin_of(model, "whistle")
    assert (twin.regime.name, twin.seed, twin.spec, twin.steps) == ("whistle", 11, model.spec, 15)
    mine, theirs = daily(model), daily(twin)
    assert mine["new_problems"].tolist() == theirs["new_problems"].tolist()  # the same problems arose: same luck
    assert mine["contacts"].sum() != theirs["contacts"].sum()  # and the regimes answered them differently
    stepped(model, 7)
    assert side_by_side.twin_of(model, "whistle") is twin and twin.steps == 22  # caught up, not rebuilt


def test_a_twin_under_the_same_regime_is_the_same_run_drawn_dashed():
    model = stepped(ClassroomModel(regime="proactive", rng=3), 30)
    twin = side_by_side.twin_of(model, "proactive")
    pd.testing.assert_frame_equal(daily(model), daily(twin))
    page_style, twin_style = side_by_side.styles(model, twin)
    assert page_style["color"] == twin_style["color"] == REGIME_COLOURS["proactive"] and twin_style["ls"] == "--"


def test_a_twin_lives_as_long_as_the_run_it_follows():
    gc.collect()
    count = len(side_by_side._pairs)
    model = ClassroomModel(rng=5)
    side_by_side.twin_of(model)
    assert model in side_by_side._pairs and len(side_by_side._pairs) == count + 1
    run = weakref.ref(model)
    del model
    gc.collect()
    assert run() is None and len(side_by_side._pairs) == count


def test_the_side_by_side_uses_the_figures_colours_and_breaks_the_cost_down():
    model = stepped(ClassroomModel(regime="whistle"), 10)
    assert side_by_side.default_second_regime(model) == "hotline"
    twin = side_by_side.twin_of(model)
    table = side_by_side.totals_table(model, twin)
    assert "Problems that arose" in table and "grid patrols' time" in table and "prevention" in table
    assert table.index(REGIME_COLOURS["whistle"]) < table.index(REGIME_COLOURS["hotline"])  # whistle's column first
    assert totals(daily(model))["new_problems"] == totals(daily(twin))["new_problems"]
    figure = side_by_side.comparison_figure(model, twin)
    colours = {line.get_label(): line.get_color() for line in figure.axes[0].get_lines()}
    assert colours == {"whistle": REGIME_COLOURS["whistle"], "hotline": REGIME_COLOURS["hotline"]}


def test_a_years_cost_is_its_three_parts_and_whistle_blowings_is_mostly_patrols():
    model = ClassroomModel(regime="whistle")
    advance(model, 365)
    twin = side_by_side.twin_of(model, "hotline")
    for run in (model, twin):
        frame = daily(run)
        parts = cost_parts(frame, run.spec.handling.hour_cost)
        assert sum(parts.values()) == pytest.approx(totals(frame)["cost"], rel=1e-9)
    whistle, hotline = cost_parts(daily(model), 120.0), cost_parts(daily(twin), 120.0)
    assert whistle["patrol_cost"] > 0.5 * sum(whistle.values())  # what the guide says: most of its bill
    # whistle-blowing's streets also work patrol finds and walk-ins, which nobody rates: more staff time too
    assert hotline["patrol_cost"] == 0 and whistle["staff_cost"] > hotline["staff_cost"]
    assert 3 < sum(whistle.values()) / sum(hotline.values()) < 6  # docs/teaching.md: "4.2 against about 1.0 million yuan"


# --------------------------------------------------------------------------------------------- the components


def page_widgets(widget):
    """Every widget on the page, depth first."""
    yield widget
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from page_widgets(child)


def widgets_text(box) -> str:
    """The page's text: HTML, button and text labels, input labels."""
    parts = []
    for widget in page_widgets(box):
        parts += [str(getattr(widget, name, "") or "") for name in ("unsafe_innerHTML", "label", "value", "description")
                  if not isinstance(getattr(widget, name, ""), bytes)]
        parts += [child for child in getattr(widget, "children", None) or [] if isinstance(child, str)]
    return " ".join(parts)


def test_the_page_steps_plays_and_redraws_without_mesas_internal_controls():
    box, page = solara.render(Page(), handle_error=False)
    try:
        def button(label):
            return page.find(v.Btn, children=[label]).widget

        def day():
            return next(w.unsafe_innerHTML for w in page_widgets(box) if str(getattr(w, "unsafe_innerHTML", "")).startswith("Day "))

        pictures = lambda: {w._dom_classes[-1]: w.value for w in page.find(ipywidgets.Image).widgets}  # noqa: E731
        before = pictures()
        assert set(before) == {"govsim-network", "govsim-rates", "govsim-contacts", "govsim-stocks", "govsim-load"}
        assert day() == "Day 0 of 365: not started"
        button("Step").fire_event("click", {})
        assert day().startswith("Day 7 of 365")
        assert all(pictures()[name] != before[name] for name in before)
        button("▶ Play").fire_event("click", {})
        deadline = time.monotonic() + 60
        while day().startswith("Day 7 ") and time.monotonic() < deadline:
            time.sleep(0.1)
        button("❚❚ Pause").fire_event("click", {})
        time.sleep(0.5)
        paused = day()
        time.sleep(1.0)
        assert paused == day() and not paused.startswith("Day 7 ")  # it played, and pause holds
        text = widgets_text(box)
        assert not [word for word in ("Play Interval", "Render Interval", "Use Threads", "Time:") if word in text]
    finally:
        page.close()


def test_changed_settings_are_announced_until_reset_applies_them_and_the_year_ends_clearly():
    box, page = solara.render(Page(), handle_error=False)
    try:
        page.find(v.Select, label="Regime").widget.v_model = "whistle"
        assert "Changed: Regime" in widgets_text(box)
        page.find(v.Btn, children=["Reset"]).widget.fire_event("click", {})
        text = widgets_text(box)
        assert "Changed:" not in text and "the <em>whistle</em> regime" in text
        page.find(v.BtnToggle).widget.v_model = "a month"  # Step moves on by a month
        for _ in range(13):
            page.find(v.Btn, children=["Step"]).widget.fire_event("click", {})
        play = page.find(v.Btn, children=["Year over"]).widget
        assert play.disabled and page.find(v.Btn, children=["Step"]).widget.disabled
        assert "The year is over" in widgets_text(box) and "Day 365 of 365" in widgets_text(box)
    finally:
        page.close()


def test_the_side_by_side_tab_draws_the_twin():
    model = ClassroomModel()
    box, dashboard = solara.render(Dashboard(model), handle_error=False)
    try:
        advance(model, 7)
        force_update()
        dashboard.find(v.Tabs).widget.v_model = 1
        shown = {w._dom_classes[-1] for w in dashboard.find(ipywidgets.Image).widgets}
        assert shown == {"govsim-compare", "govsim-compare-network", "govsim-compare-load"}
        assert side_by_side.twin_of(model).steps == 7
    finally:
        dashboard.close()


# ----------------------------------------------------------------------------------------------- the command


def test_govsim_viz_binds_to_this_machine_by_default(monkeypatch, tmp_path):
    args = build_parser().parse_args(["viz"])
    assert (args.host, args.port, args.open) == ("127.0.0.1", commands.DEFAULT_PORT, True)
    arguments = commands.solara_arguments("127.0.0.1", 8000, open_browser=False)
    assert arguments[arguments.index("--host") + 1] == "127.0.0.1" and arguments[arguments.index("--port") + 1] == "8000"
    assert {"--production", "--no-open", "--no-check-version"} <= set(arguments)
    assert str(commands.APP) in arguments and commands.APP.is_file()
    monkeypatch.delenv("SOLARA_TELEMETRY_MIXPANEL_ENABLE", raising=False)
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", "unchanged")  # monkeypatch restores it afterwards
    commands.prepare_environment(tmp_path)
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"  # solara would report usage online
    assert os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] == str(tmp_path)


def test_the_command_line_does_not_load_the_app():
    probe = "import sys; from sim.cli import build_parser; build_parser(); print(sorted({'solara', 'mesa.visualization', 'sim.viz.app'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"  # `govsim` works, and starts fast, without the [viz] extra


def test_govsim_viz_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(commands, "viz_available", lambda: False)
    assert main(["viz", "--no-open"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install 'govsim[viz]'" in err


def test_govsim_viz_refuses_a_bad_port(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["viz", "--port", "99999"])
    assert stop.value.code == 2 and "error:" in capsys.readouterr().err


def test_govsim_viz_refuses_a_host_that_is_not_this_machine_in_one_line():
    for host, says in (("foo.invalid", "not a name or address this machine can serve on"),
                       ("192.0.2.1", "cannot serve on this address")):  # TEST-NET-1: never this machine's
        done = subprocess.run([sys.executable, "-m", "sim.cli", "viz", "--host", host, "--no-open"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: --host {host}: {says}"), done.stderr
        assert "127.0.0.1" in done.stderr and not done.stdout  # the fix, and nothing served


def test_govsim_viz_refuses_a_port_in_use(capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["viz", "--port", str(port), "--no-open"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--port {port}: already in use" in err and "--port 0" in err


def start_viz(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim.cli", "viz", "--port", str(port), "--no-open"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
                            start_new_session=True)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing served on port {port} within {timeout} s")


def port_closes(port: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.2)
    return False


def test_sigkill_of_govsim_viz_leaves_no_server_behind():
    port = commands.bind_check("127.0.0.1", 0)
    viz = start_viz(port, {})
    try:
        wait_for_port(port, viz)
        family = psutil.Process(viz.pid).children(recursive=True)
        os.kill(viz.pid, signal.SIGKILL)
        viz.wait(timeout=10)
        assert port_closes(port), f"something still serves on port {port} after SIGKILL of govsim viz"
        gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, f"left behind: {[p.cmdline() for p in alive]}"
    finally:
        if viz.poll() is None:
            os.killpg(viz.pid, signal.SIGKILL)  # the group this test started, nothing else
        viz.communicate()


def test_without_the_pages_scripts_the_terminal_and_the_page_say_so_in_one_line(tmp_path):
    closed = commands.bind_check("127.0.0.1", 0)  # free now, so nothing answers there: an unreachable registry
    port = commands.bind_check("127.0.0.1", 0)
    viz = start_viz(port, {"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path / "cdn"),
                           "npm_config_registry": f"http://127.0.0.1:{closed}/"})
    try:
        wait_for_port(port, viz)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert answer.value.code == 503
        page = answer.value.read().decode()
        viz.send_signal(signal.SIGTERM)
        out, err = viz.communicate(timeout=20)
    finally:
        if viz.poll() is None:
            os.killpg(viz.pid, signal.SIGKILL)
            viz.communicate()
    error = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "Traceback" not in err, err
    assert "could not be fetched" in error[0] and "run `govsim viz` again" in error[0]
    assert html.escape(error[0].removeprefix("error: ")) in page  # the page says the same, with the fix
    assert viz.returncode == 1 and "stopped" in err
    assert not any((tmp_path / "cdn").glob("*/package.json")), "a half-fetched package was left looking complete"


# ----------------------------------------------------------------------------------------------- the assets


def _npm_tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def registry(monkeypatch):
    """A registry on 127.0.0.1 holding one package, `demo@1.0.0` (or what the test puts in `packages`), speaking
    npm's protocol: GET /<name>/<version> gives the version's metadata, whose dist.tarball is the archive."""
    packages: dict[str, bytes] = {"demo@1.0.0": _npm_tarball({"package.json": b'{"name": "demo"}', "dist/app.js": b"// js"})}
    digests: dict[str, str] = {}

    class Registry(BaseHTTPRequestHandler):
        def do_GET(self):
            path = urllib.parse.unquote(self.path.strip("/"))
            if path.endswith(".tgz"):
                body, kind = packages[path.removesuffix(".tgz")], "application/octet-stream"
            else:
                name, version = path.rsplit("/", 1)
                package = f"{name}@{version}"
                if package not in packages:
                    self.send_error(404)
                    return
                integrity = digests.get(package) or "sha512-" + base64.b64encode(hashlib.sha512(packages[package]).digest()).decode()
                dist = {"tarball": f"http://127.0.0.1:{server.server_port}/{package}.tgz", "integrity": integrity}
                body, kind = json.dumps({"name": name, "version": version, "dist": dist}).encode(), "application/json"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{server.server_port}")
    yield types.SimpleNamespace(packages=packages, digests=digests)
    server.shutdown()
    server.server_close()


def test_assets_are_fetched_from_the_registry_checked_and_unpacked_where_solaras_cache_looks(registry, tmp_path):
    cache = tmp_path / "cdn"
    assert assets.missing(cache, ["demo@1.0.0"]) == ["demo@1.0.0"]
    assets.fetch("demo@1.0.0", cache)
    assert (cache / "demo@1.0.0" / "dist" / "app.js").read_bytes() == b"// js"
    assert assets.missing(cache, ["demo@1.0.0"]) == []
    assert [p.name for p in cache.iterdir()] == ["demo@1.0.0"]  # no scratch folder left


def test_a_download_that_does_not_match_the_registrys_digest_is_refused(registry, tmp_path):
    registry.digests["demo@1.0.0"] = "sha512-" + base64.b64encode(hashlib.sha512(b"something else").digest()).decode()
    with pytest.raises(assets.AssetsUnavailable, match="does not match the registry's digest"):
        assets.fetch("demo@1.0.0", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_ensure_fetches_only_what_is_missing_and_completes_a_folder_solara_started(registry, tmp_path, monkeypatch):
    registry.packages["other@2.0.0"] = _npm_tarball({"package.json": b"{}", "a.css": b"a", "b.css": b"b"})
    monkeypatch.setattr(assets, "packages", lambda: ["demo@1.0.0", "other@2.0.0"])
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", str(tmp_path))
    (tmp_path / "demo@1.0.0").mkdir()
    (tmp_path / "demo@1.0.0" / "package.json").write_text('{"name": "demo", "mine": true}')
    (tmp_path / "other@2.0.0").mkdir()  # solara's CDN route cached one file of it, from a CDN, before
    (tmp_path / "other@2.0.0" / "a.css").write_bytes(b"a")
    said = []
    assert assets.ensure(say=said.append) == tmp_path
    assert "other@2.0.0" in said[0] and "demo@1.0.0" not in said[0]
    assert "mine" in (tmp_path / "demo@1.0.0" / "package.json").read_text()  # complete: left alone
    assert (tmp_path / "other@2.0.0" / "b.css").read_bytes() == b"b" and assets.missing(tmp_path, ["other@2.0.0"]) == []
    said.clear()
    assets.ensure(say=said.append)
    assert said == []  # nothing to do the second time


def test_an_unreachable_registry_is_one_line_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{commands.bind_check('127.0.0.1', 0)}/")
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", str(tmp_path))
    with pytest.raises(assets.AssetsUnavailable) as problem:
        assets.ensure(say=lambda line: None)
    assert "\n" not in str(problem.value) and "govsim viz` again" in str(problem.value)


def test_the_packages_are_the_ones_the_installed_solaras_page_names():
    wanted = assets.packages()
    template = (Path(solara.__file__).parent / "server" / "templates" / "solara.html.j2").read_text()
    from solara.server import settings

    app = "@widgetti/solara-vuetify3-app@" if assets.vue3() else "@widgetti/solara-vuetify-app@"
    assert [p for p in wanted if p.startswith(app)] and all(f"/{p}/" in template or p in str(settings.assets.fontawesome_path)
                                                            or p.startswith(("@widgetti/vue-grid-layout@",)) for p in wanted)
    assert any(p.startswith("requirejs@") for p in wanted)
    assert settings.assets.fontawesome_path.split("/")[1] in wanted
