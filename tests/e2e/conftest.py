"""Real-browser fixtures: `streamlit run app.py` on a free port, driven by Playwright + Debian's Chromium.

Playwright cannot download its own browsers here, so the suite launches the system Chromium
(``/usr/bin/chromium``, installed by ``.ci/run``; override with ``NATBACC_CHROMIUM``). Without
it the browser tests skip on a developer machine and *fail* under ``CI=true``.
Screenshots of every page go to ``test-output/screenshots`` (git-ignored): look at them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = Path(os.environ.get("NATBACC_CHROMIUM", "/usr/bin/chromium"))
#: Root in a container needs --no-sandbox; the network flags stop Chromium calling out of a closed network.
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {why}")
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log_name: str = "streamlit-e2e.log", **env: str):
    """Start `streamlit run app.py` on a free port, exactly as `make run` does; yield its address.

    ``env`` is added to the server's environment (e.g. its own ``NATBACC_DATABASE_URL``).
    """
    port = _free_port()
    log = (REPO / "test-output").resolve()
    log.mkdir(exist_ok=True)
    out = (log / log_name).open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NATBACC_PSEUDONYM_KEY": "e2e-test-key-0123456789abcdef-0123456789", **env},
    )
    url = f"http://127.0.0.1:{port}"
    if not wait_healthy(url, proc):
        proc.kill()
        pytest.fail(f"streamlit did not start; see {log / log_name}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> bool:
    """Wait until the Streamlit server at ``url`` answers "ok" on its health endpoint; False if it exits or
    does not answer in time."""
    deadline = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture(scope="session")
def app_url():
    """The dashboard served by `streamlit run app.py`, exactly as `make run` starts it."""
    yield from serve()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright."""
    _need(CHROMIUM.exists(), f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=_CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh tab (a fresh Streamlit session) on the dashboard, loaded and idle."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(app_url)
    # the first load is done when the Overview's headline figures are drawn (idle alone can be seen
    # before the first run has even started)
    tab.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    wait_idle(tab)
    yield tab
    context.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and no script run is in progress (Streamlit's own e2e recipe)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def screenshot(page, name: str) -> Path:
    """Save a screenshot of the whole page under test-output/screenshots.

    Streamlit scrolls inside its main container, so the viewport is stretched to the content's
    height for the shot and then put back.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 8000))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def choose(page, widget, option: str) -> None:
    """Pick ``option`` in a multiselect ``widget`` (a locator) as a keyboard user does: focus its box, open the
    list with the down arrow (a click alone only focuses a box low in a long sidebar), click the option, close."""
    widget.locator("input").click()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
