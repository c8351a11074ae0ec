"""The browser app end to end, as a lecturer meets it: a fresh install's first `govsim viz` (the page's scripts not
yet on the machine), opened in headless Chromium (Debian's, driven by Playwright) at a projector's 1280 × 800.

- the fresh-install path: the server starts with an empty asset cache, so `govsim viz` itself fetches solara's
  page scripts from the npm registry, as on a new machine (no CDN is reachable here);
- the layout's promises, checked in the page: the four key pictures above the fold, chart text at 14 px or more
  on screen, the title whole, slider values written out, "Day N of 365", none of Mesa's internal controls;
- a class's use: switch the regime, Reset, Step, see the charts move, the side by side in the figures' colours
  with the cost broken down, and the end of the year.

Screenshots (1280 × 800, the size a projector shows) are kept in test-artifacts/ at the repository's root
(git-ignored), with the server's log: viz-1280x800.png, viz-side-by-side-1280x800.png, viz-end-of-year.png.
Needs Debian's chromium (/usr/bin/chromium; .ci/run installs it) and the npm registry.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("solara", reason="the browser app needs the [viz] extra")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test drives chromium with Playwright")

from sim.plots.style import REGIME_COLOURS  # noqa: E402
from sim.viz import assets, charts, network  # noqa: E402
from sim.viz.classroom import SLIDER_LEVERS, ClassroomModel, model_params  # noqa: E402
from sim.viz.controls import value_text  # noqa: E402
from sim.viz.picture import png, smallest_text_px  # noqa: E402
from sim.viz.series import daily  # noqa: E402
from sim.viz.theme import MIN_TEXT_PX  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Headless in a sandbox without network: no GPU, no calls home (they would be refused, many at a time).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PROJECTOR = {"width": 1280, "height": 800}
START_TIMEOUT = 240  # s: the first start downloads ~20 MB and imports solara, on two busy cores
UI_TIMEOUT = 60_000  # ms: a week of the model and five pictures, on two busy cores
KEY_PICTURES = ("network", "rates", "contacts", "stocks")
MESA_INTERNALS = ("Play Interval", "Render Interval", "Use Threads", "Time:")

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="Debian's chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"govsim viz exited with status {server.returncode} before serving:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"govsim viz did not answer at {url} within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    """`govsim viz` as a fresh install runs it: an empty cache for the page's scripts, so it fetches them itself
    from the npm registry before serving. Its address; stopped afterwards, and nothing left serving."""
    cache = tmp_path_factory.mktemp("fresh-install") / "solara-cdn"
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "viz-server.log"
    env = {**os.environ, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache)}
    with open(log, "w") as output:
        server = subprocess.Popen([sys.executable, "-m", "sim.cli", "viz", "--port", str(port), "--no-open"], env=env,
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/", server, log)
        said = log.read_text()
        assert "fetching the page's scripts from the npm registry" in said, said  # the fresh-install path
        assert assets.missing(cache, assets.packages()) == [], said
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(signal.SIGTERM)  # govsim viz stops on SIGTERM as on Ctrl-C
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the group this test started, nothing else
            server.wait()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the solara server outlived govsim viz"


@pytest.fixture
def page(served_app):
    """A 1280 × 800 tab on the app; fails the test on any page error or console error."""
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport=PROJECTOR)
            tab.set_default_timeout(UI_TIMEOUT)
            sync_api.expect.set_options(timeout=UI_TIMEOUT)
            tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            tab.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
            tab.goto(served_app)
            tab.locator("img.govsim-rates").wait_for()
            yield tab
            assert tab.locator(".v-alert").count() == 0, tab.locator(".v-alert").all_inner_texts()
            assert "Traceback" not in tab.inner_text("body")
        finally:
            browser.close()
    assert not problems, problems


def step(tab, days_now: int) -> None:
    """Click Step and wait for the day and for every picture on screen to be redrawn (they arrive one by one)."""
    pictures = tab.locator("img.govsim-picture")
    before = [pictures.nth(i).get_attribute("src") for i in range(pictures.count())]
    tab.get_by_role("button", name="Step").click()
    sync_api.expect(tab.locator(".govsim-day")).to_contain_text(f"Day {days_now} of 365")
    for i, src in enumerate(before):
        sync_api.expect(pictures.nth(i)).not_to_have_attribute("src", src)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the page"
    return found


def smallest_text_on_each_picture() -> dict[str, float]:
    """CSS px of the smallest text each picture is drawn with (at its natural size), for a run like the page's."""
    model = ClassroomModel()
    for _ in range(7):
        model.step()
    figures = {"network": network.network_figure(model)}
    for name in ("rates", "contacts", "stocks", "load"):
        figures[name] = getattr(charts, f"{name}_figure")(daily(model), model.spec.days)
    for figure in figures.values():
        png(figure)  # drawn: tick labels exist
    return {name: smallest_text_px(figure) for name, figure in figures.items()}


def test_a_fresh_install_at_1280_by_800_keeps_the_layout_promises(page):
    step(page, 7)
    pictures = {name: page.locator(f"img.govsim-{name}") for name in (*KEY_PICTURES, "load")}
    for picture in pictures.values():
        sync_api.expect(picture).to_be_visible()
    page.screenshot(path=ARTIFACTS / "viz-1280x800.png", animations="disabled")

    for name in KEY_PICTURES:  # above the fold, whole
        where = box(pictures[name])
        assert where["y"] >= 0 and where["y"] + where["height"] <= PROJECTOR["height"], (name, where)
        assert where["x"] >= 0 and where["x"] + where["width"] <= PROJECTOR["width"], (name, where)
    smallest = smallest_text_on_each_picture()
    for name, picture in pictures.items():  # chart text on screen: its size in the figure times the shown scale
        shown, natural = picture.evaluate("image => [image.clientWidth, image.naturalWidth]")
        on_screen = smallest[name] * shown / natural
        assert on_screen >= MIN_TEXT_PX, f"{name}: smallest text {on_screen:.1f} px on screen"

    title = page.locator(".govsim-title")
    assert title.inner_text() == "govsim"
    cut = title.evaluate("e => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > window.innerWidth")
    assert not cut
    for selector in (".govsim-status", ".govsim-caption", ".govsim-input-label", ".govsim-day", ".govsim-subtitle",
                     ".v-tab", ".v-btn", ".v-field-label", ".v-field__input"):
        for size in page.locator(selector).evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"):
            assert size >= MIN_TEXT_PX, f"{selector}: {size} px text"

    for lever in SLIDER_LEVERS:  # each slider's value written beside it
        label = page.locator(f".govsim-input-{lever}")
        label.scroll_into_view_if_needed()
        sync_api.expect(label).to_be_visible()
        expected = value_text(lever, model_params[lever]["value"])
        assert label.locator(".govsim-value").inner_text() == expected, lever
    assert page.locator(".govsim-day").inner_text().startswith("Day 7 of 365")
    sync_api.expect(page.locator(".govsim-status")).to_contain_text("day 7 of 365")
    body = page.inner_text("body")
    assert not [word for word in MESA_INTERNALS if word in body], "Mesa's internal controls are on the page"
    assert "runs on Solara" not in body  # solara's badge would sit over the charts' titles


def test_switch_regime_reset_step_and_compare_side_by_side_in_the_figures_colours(page):
    status = page.locator(".govsim-status")
    assert "the hotline regime" in status.inner_text()
    page.locator(".v-select").filter(has_text="Regime").click()
    page.get_by_role("option", name="whistle", exact=True).click()
    sync_api.expect(page.locator(".govsim-pending")).to_contain_text("Regime")  # changed, not yet applied
    page.get_by_role("button", name="Reset").click()
    sync_api.expect(status).to_contain_text("the whistle regime")
    sync_api.expect(status).to_contain_text("not started")
    assert page.locator(".govsim-pending").count() == 0
    rates = page.locator("img.govsim-rates")
    before = rates.get_attribute("src")
    for week in (1, 2, 3):
        step(page, 7 * week)
    sync_api.expect(rates).not_to_have_attribute("src", before)  # the chart moved

    page.get_by_role("tab", name="Side by side").click()
    for name in ("compare", "compare-network", "compare-load"):
        page.locator(f"img.govsim-{name}").wait_for()
    totals = page.locator(".govsim-totals")
    sync_api.expect(totals).to_contain_text("hotline")
    page.screenshot(path=ARTIFACTS / "viz-side-by-side-1280x800.png", animations="disabled")
    assert box(page.locator("img.govsim-compare"))["y"] + box(page.locator("img.govsim-compare"))["height"] <= PROJECTOR["height"]

    headings = totals.locator("th").all_inner_texts()
    assert [h.strip() for h in headings[1:]] == ["whistle", "hotline"]
    swatches = totals.locator(".govsim-swatch").evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert swatches == [rgb(REGIME_COLOURS["whistle"]), rgb(REGIME_COLOURS["hotline"])]  # as in the paper's figures

    rows = {cells[0]: cells[1:] for cells in (r.split("\t") for r in totals.locator("tr").all_inner_texts())}
    for column in (0, 1):  # the cost row is its three parts, in thousand yuan (each rounded)
        total = number(rows["Cost (thousand yuan)"][column])
        parts = [number(rows[label][column]) for label in ("staff on tickets and calls", "grid patrols' time", "prevention")]
        assert abs(sum(parts) - total) <= 2, (column, total, parts)
    assert number(rows["grid patrols' time"][0]) > number(rows["grid patrols' time"][1])  # whistle-blowing patrols


def test_the_end_of_the_year_is_a_clear_state(page):
    page.get_by_role("button", name="a month").click()
    page.get_by_role("button", name="Play").click()
    play = page.locator(".govsim-play")
    sync_api.expect(play).to_contain_text("Year over", timeout=600_000)
    sync_api.expect(play).to_be_disabled()
    sync_api.expect(page.locator(".govsim-step")).to_be_disabled()
    assert page.locator(".govsim-day").inner_text().startswith("Day 365 of 365")
    ended = page.locator(".govsim-ended")
    sync_api.expect(ended).to_be_visible()
    sync_api.expect(ended).to_contain_text("Reset")
    sync_api.expect(page.locator(".govsim-status")).to_contain_text("day 365 of 365")
    page.screenshot(path=ARTIFACTS / "viz-end-of-year.png", animations="disabled")
    assert "Time:" not in page.inner_text("body")


def rgb(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def number(text: str) -> float:
    return float(re.sub(r"[^\d.-]", "", text))
