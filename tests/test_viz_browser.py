"""The browser app end to end: `govsim viz` serves it on a free local port, headless Chromium (Debian's, driven
by Playwright) opens it, switches the regime, resets, steps, and checks that the charts moved and nothing failed.

Screenshots go to test-artifacts/ (git-ignored). Needs Debian's chromium (/usr/bin/chromium) and the page's
front-end assets (`python -m sim.viz.assets`); .ci/run installs both.
"""

from __future__ import annotations

import os
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

from sim.viz import assets  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Headless in a sandbox without network: no GPU, no calls home (they would be refused, many at a time).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT = 45  # s: solara's first start imports a lot on two cores
UI_TIMEOUT = 30_000  # ms

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="Debian's chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"govsim viz exited with status {server.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"govsim viz did not answer at {url} within {START_TIMEOUT} s")


@pytest.fixture
def served_app():
    """`govsim viz` on a free port of 127.0.0.1; its address. Stopped (with its solara server) afterwards."""
    wanted = assets.packages()
    missing = assets.missing(assets.cache_dir(), wanted)
    assert not missing, f"the page's front-end assets are missing ({', '.join(missing)}): run python -m sim.viz.assets"
    port = free_port()
    log = ARTIFACTS / "viz-server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with open(log, "w") as output:
        server = subprocess.Popen([sys.executable, "-m", "sim.cli", "viz", "--port", str(port), "--no-open"],
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/", server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(signal.SIGTERM)  # govsim viz stops its solara child on SIGTERM
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the group this test started, nothing else
            server.wait()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the solara server outlived govsim viz"


def changes(picture, before: bytes, timeout: float = 10.0) -> bool:
    """Whether the element's rendering comes to differ from `before` (pictures arrive apart from the text)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if picture.screenshot() != before:
            return True
        time.sleep(0.2)
    return False


def test_change_regime_step_and_see_the_charts_move(served_app):
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})  # tall: the screenshot shows every chart
            page.set_default_timeout(UI_TIMEOUT)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
            page.goto(served_app)
            rates = page.locator("img.govsim-rates")
            rates.wait_for()
            status = page.locator(".govsim-status")
            assert "the hotline regime" in status.inner_text()

            page.locator(".v-select").filter(has_text="Regime").click()
            page.get_by_role("option", name="whistle", exact=True).click()
            page.get_by_role("button", name="Reset").click()
            sync_api.expect(status).to_contain_text("the whistle regime")
            sync_api.expect(status).to_contain_text("not started")
            before = rates.screenshot()

            for week in (1, 2, 3):  # Step moves on by the render interval: a week
                page.get_by_role("button", name="Step").click()
                sync_api.expect(status).to_contain_text(f"day {7 * week} of 365")
            sync_api.expect(page.get_by_text("Time: 21.0")).to_be_visible()  # SolaraViz's own step count
            assert changes(rates, before), "the rates chart did not change after three steps"
            page.screenshot(path=ARTIFACTS / "viz-browser.png", full_page=True, animations="disabled")

            page.get_by_role("tab", name="Side by side").click()
            page.locator("img.govsim-compare").wait_for()
            page.locator("img.govsim-compare-network").wait_for()
            totals = page.locator(".govsim-totals")
            sync_api.expect(totals).to_contain_text("whistle")
            sync_api.expect(totals).to_contain_text("hotline")
            page.screenshot(path=ARTIFACTS / "viz-browser-side-by-side.png", full_page=True, animations="disabled")

            assert page.locator(".v-alert").count() == 0, page.locator(".v-alert").all_inner_texts()
            assert "Traceback" not in page.inner_text("body")
        finally:
            browser.close()
    assert not problems, problems
