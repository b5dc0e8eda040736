"""natbacc runs from an installed wheel, with no checkout anywhere near it.

Builds the wheel, installs it (not editable) into a fresh virtual environment and, from an empty folder,
starts ``natbacc serve``, loads the Overview of the sample school in Chromium, stops the server with
Ctrl-C and writes ``natbacc report`` on the sample files shipped inside the package.

The fresh environment borrows the test environment's dependencies (streamlit, pandas...) through a
``.pth`` line naming its site-packages folder, so nothing is downloaded. Python processes ``.pth`` files
only in its own site folders, so the editable natbacc of the test environment (itself a ``.pth`` file there)
stays invisible: the first test checks ``natbacc`` is imported from the fresh environment.

Run it alone with ``pytest -m packaging`` (about a minute). It is part of ``make test``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(sys.platform == "win32", reason="the packaging test drives POSIX paths and signals"),
]

#: What the installed natbacc sees: no PYTHONPATH (it would bring a checkout back in), its own store.
_DROP = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _setuptools_builds_offline() -> bool:
    """The build backend (setuptools>=77, in the dev extra) is installed, so no build environment is fetched."""
    try:
        return int(metadata.version("setuptools").split(".")[0]) >= 77
    except metadata.PackageNotFoundError:
        return False


class Installed:
    """A fresh virtual environment holding the natbacc wheel, and an empty folder to run it in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.venv = root / "venv"
        self.bin = self.venv / "bin"
        self.empty = root / "empty"
        self.empty.mkdir()
        self.env = {k: v for k, v in os.environ.items() if k not in _DROP}
        self.env["NATBACC_DATABASE_URL"] = f"sqlite:///{root / 'store.db'}"
        self.env["NATBACC_PSEUDONYM_KEY"] = "packaging-test-key-0123456789abcdef-0123"
        self.timings: dict[str, float] = {}

    def python(self, code: str) -> str:
        return _run(self.bin / "python", "-c", code, cwd=self.empty, env=self.env).stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """Build the wheel, make a fresh venv, install the wheel into it without its dependencies."""
    inst = Installed(tmp_path_factory.mktemp("packaging"))
    start = time.monotonic()
    wheels = inst.root / "wheels"
    isolation = ["--no-build-isolation"] if _setuptools_builds_offline() else []
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation, "-w", wheels, REPO, cwd=REPO)
    (wheel,) = wheels.glob("natbacc-*.whl")
    inst.timings["build wheel"] = time.monotonic() - start

    start = time.monotonic()
    _run(sys.executable, "-m", "venv", "--without-pip", inst.venv, env=inst.env)
    purelib = Path(inst.python("import sysconfig; print(sysconfig.get_path('purelib'))"))
    # --ignore-installed: pip runs from the test environment, where it sees the editable natbacc as installed.
    pip = [sys.executable, "-m", "pip", "--python", inst.bin / "python", "install", "-q", "--no-deps", "--no-index"]
    _run(*pip, "--ignore-installed", wheel, env=inst.env)
    # Then the dependencies, borrowed: a plain path line, whose own .pth files (the editable natbacc's) are never read.
    (purelib / "_natbacc_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    inst.purelib = purelib
    inst.wheel = wheel
    inst.timings["venv and install"] = time.monotonic() - start
    return inst


def test_the_fresh_environment_imports_natbacc_from_the_wheel_not_a_checkout(installed):
    """natbacc, its pages and its sample school come from the new site-packages; streamlit is importable."""
    where = installed.python(
        "import natbacc, natbacc.ui.router, natbacc.sample as s, streamlit; "
        "print(natbacc.__file__); print(s.sample_paths()[0]); print(natbacc.ui.router.PAGES)"
    ).splitlines()
    assert all(Path(line).is_relative_to(installed.purelib / "natbacc") for line in where), where
    assert Path(where[1]).is_file() and (Path(where[2]) / "overview.py").is_file()
    assert (installed.purelib / "natbacc" / "ui" / "entry" / "app.py").is_file()
    assert (installed.purelib / "natbacc" / "docs" / "sources.md").read_text(encoding="utf-8") == (
        REPO / "docs" / "sources.md"
    ).read_text(encoding="utf-8")
    assert "natbacc" not in [p.name for p in installed.empty.iterdir()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_natbacc_serve_answers_and_renders_the_overview_from_an_empty_folder(installed, browser):
    """`natbacc serve --port N` prints its URL, answers on /_stcore/health, renders the sample school's Overview
    in Chromium with no exception, opens a cited entry of the Sources page, and stops cleanly on Ctrl-C."""
    from tests.e2e.conftest import screenshot, wait_healthy, wait_idle

    port = _free_port()
    log_path = installed.root / "serve.log"
    start = time.monotonic()
    with log_path.open("w") as log:
        # A session of its own: Ctrl-C in a terminal signals the whole foreground group, as killpg does below.
        proc = subprocess.Popen(
            [installed.bin / "natbacc", "serve", "--port", str(port)],
            cwd=installed.empty,
            env=installed.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_healthy(url, proc), f"no answer on {url}/_stcore/health: {log_path.read_text()}"
        installed.timings["serve: health ok"] = time.monotonic() - start
        assert f"natbacc: the dashboard is at {url}" in log_path.read_text()

        # The suite's one Chromium (a second Playwright in the same process is refused).
        start = time.monotonic()
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        try:
            tab = context.new_page()
            tab.set_default_timeout(60_000)
            tab.goto(url)
            tab.wait_for_selector("[data-testid='stMetric']")
            wait_idle(tab)
            assert tab.locator("h1", has_text="Overview").count() == 1
            assert "Oakfield Academy" in tab.inner_text("[data-testid='stMain']")
            assert tab.locator("[data-testid='stException']").count() == 0
            screenshot(tab, "packaged-overview")
            # A cited source opens at its entry, as the Settings page's links do.
            tab.goto(f"{url}/sources#nbt-three-strands")
            tab.wait_for_selector("#nbt-three-strands")
            wait_idle(tab)
            assert tab.locator("#nbt-three-strands").is_visible()
            assert tab.locator("[data-testid='stException']").count() == 0
            screenshot(tab, "packaged-sources")
        finally:
            context.close()
        installed.timings["serve: Overview rendered"] = time.monotonic() - start
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert code == 0, log_path.read_text()
    assert "natbacc: the dashboard has stopped." in log_path.read_text()
    assert "Traceback" not in log_path.read_text()


def test_natbacc_report_on_the_packaged_sample_works_from_an_empty_folder(installed):
    """`natbacc report` on the sample files inside the installed package writes a workbook of 1,320 pupils."""
    files = sorted((installed.purelib / "natbacc" / "sample_data").iterdir())
    start = time.monotonic()
    proc = _run(
        installed.bin / "natbacc",
        "report",
        *files,
        "-o",
        "out.xlsx",
        "--as-of",
        "20/11/2026",
        cwd=installed.empty,
        env=installed.env,
    )
    installed.timings["report"] = time.monotonic() - start
    assert "1,320 pupils" in proc.stdout
    students = pd.read_excel(installed.empty / "out.xlsx", sheet_name="Students", engine="calamine")
    assert len(students) == 1320
    print("packaging timings (s):", {k: round(v, 1) for k, v in installed.timings.items()})


def test_the_governors_report_and_award_pdfs_build_in_the_fresh_environment_without_a_browser(installed):
    """Both PDFs are written by the installed wheel with nothing on PATH but the new environment's own bin:
    no browser, no LaTeX, no image exporter. Read back: the governors' report covers the sample's 1,320 pupils; the
    award's transcripts name their pupils with their accents and results."""
    from pypdf import PdfReader

    files = sorted((installed.purelib / "natbacc" / "sample_data").iterdir())
    bare = {**installed.env, "PATH": str(installed.bin)}
    for exe in ("chromium", "chromium-browser", "google-chrome", "pdflatex", "xelatex"):
        assert shutil.which(exe, path=bare["PATH"]) is None
    start = time.monotonic()
    _run(installed.bin / "natbacc", "report", *files, "--pdf", "governors.pdf", "--as-of", "20/11/2026",
         cwd=installed.empty, env=bare)  # fmt: skip
    pupils = installed.empty / "pupils.csv"
    pupils.write_text("Adno,Name,Year\n001,Zoë O'Brien,13\n002,Łukasz Nowak,13\n", encoding="utf-8")
    results = installed.empty / "results.csv"
    results.write_text(
        "Adno,Qualification,Subject,Grade,Date\n001,GCE A Level,History,B,15/08/2026\n"
        "002,BTEC Level 3 National Extended Diploma,Sport,D*D*D,15/08/2026\n",
        encoding="utf-8",
    )
    _run(installed.bin / "natbacc", "award", pupils, results, "--as-of", "20/11/2026", "-o", "award.pdf",
         cwd=installed.empty, env=bare)  # fmt: skip
    installed.timings["pdfs"] = time.monotonic() - start
    governors = " ".join(p.extract_text() for p in PdfReader(installed.empty / "governors.pdf").pages)
    assert "report for governors" in governors and "all pupils (1,320)" in governors
    award = " ".join(p.extract_text() for p in PdfReader(installed.empty / "award.pdf").pages)
    assert "Zoë O'Brien" in award and "Łukasz Nowak" in award and "D*D*D" in award  # accents kept
