"""Hostile *text* in pupil data, in a real browser: shown as written, never as an image, link, LaTeX,
colour or icon, and no request leaves the server (favicon included) on any page.

A store is made with ``natbacc import --term <hostile label> --school <hostile name>`` from the
files of ``tests/hostile_text.py``, and a second server is started on it: a new session opens the
newest stored term with no click, which is where an image in a name used to be fetched at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from natbacc.ui.components.safe import WORD_JOINER
from tests import hostile_text as h

from .conftest import REPO, screenshot, serve, wait_idle
from .test_dashboard import assert_no_exception, go, upload

pytestmark = pytest.mark.e2e

#: What must not be on a page: outside images and links (Plotly's SVG links included), LaTeX, colour
#: and icons drawn from a shortcode in Markdown.
_FIND_BAD = """() => {
  const outside = (u) => { try { const url = new URL(u, location.href);
      return !['data:', 'blob:'].includes(url.protocol) && url.origin !== location.origin; } catch { return true; } };
  const bad = [];
  for (const img of document.querySelectorAll('img')) {
    if (outside(img.getAttribute('src') || '')) bad.push('img ' + img.src);
  }
  for (const a of document.querySelectorAll('a')) {
    const href = a.getAttribute('href') || a.getAttribute('xlink:href');
    if (href && outside(href)) bad.push('a ' + href);
  }
  for (const link of document.querySelectorAll('link[rel~=icon]')) {
    if (outside(link.href)) bad.push('icon ' + link.href);
  }
  for (const e of document.querySelectorAll(
      '.katex, .stMarkdownColoredText, [data-testid=stMarkdownContainer] span[role=img], ' +
      '[data-testid=stMarkdownContainer] script'))
    bad.push(e.tagName + '.' + e.className + ': ' + e.textContent);
  return bad;
}"""

#: Sidebar label -> what the page must show literally (besides the term and school in its header).
PAGES = {
    "Overview": [h.GROUP],
    "Key Stage 3": [],
    "Key Stage 4": [],
    "Equity": [],
    "Project & Development": [],
    "Export": [],
    "Settings": [],
    "Trends": [],
    "Schools": [],
}
HEADERLESS = {"Settings", "Trends", "Schools"}
#: Uploaded with the same contents under hostile file names, to check the Import page and the sidebar.
FILE_NAMES = {
    "pupils.csv": f"{h.RED} {h.MATH} pupils.csv",
    "timetable.csv": f"{h.BOLD} [t](x) timetable.csv",
}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """A dashboard whose store holds one term of the hostile school, saved by the command line."""
    folder = tmp_path_factory.mktemp("hostile-text")
    store = f"sqlite:///{folder / 'natbacc.db'}"
    paths = []
    for name, data in h.hostile_school().items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    subprocess.run(
        [sys.executable, "-m", "natbacc", "import", *paths, "--term", h.TERM, "--school", h.SCHOOL],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, "NATBACC_DATABASE_URL": store},
    )
    yield from serve("streamlit-hostile-text.log", NATBACC_DATABASE_URL=store)


def shown(page) -> str:
    """The page's visible text (main area and sidebar) as a reader has it: without word joiners."""
    text = page.get_by_test_id("stMain").inner_text() + "\n" + page.get_by_test_id("stSidebar").inner_text()
    return text.replace(WORD_JOINER, "")


def check(page, name: str, literal: list[str]) -> None:
    """No outside image, link or icon, no LaTeX, colour or shortcode icon; each string shown as written."""
    assert_no_exception(page)
    page.wait_for_timeout(300)  # let charts draw their text
    bad = page.evaluate(_FIND_BAD)
    assert not bad, f"{name}: {bad}"
    text = shown(page)
    missing = [s for s in literal if s not in text]
    assert not missing, f"{name}: not shown as written: {missing}"
    screenshot(page, f"hostile-text-{name.lower().replace(' ', '-').replace('&', 'and')}")


def test_hostile_text_is_shown_as_written_and_nothing_leaves_the_server(browser, hostile_url):
    """Every page, a pupil's profile and an upload, with Markdown, LaTeX, directives, links and HTML in
    every data field: the text is shown literally, and no request leaves 127.0.0.1."""
    outside: list[str] = []

    def only_this_server(route) -> None:
        url = route.request.url
        if urlparse(url).hostname in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", only_this_server)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(hostile_url)
        page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
        wait_idle(page)
        # no click: a new session shows the newest stored term, the hostile one
        assert "Stored term: 1,320 pupils" in page.get_by_test_id("stSidebar").inner_text()
        assert page.locator("link[rel~=icon]").first.get_attribute("href").startswith("data:image/svg+xml")
        check(page, "first load", [h.TERM, h.SCHOOL, h.GROUP])
        for label, literal in PAGES.items():
            go(page, label)
            check(page, label, literal if label in HEADERLESS else [h.TERM, h.SCHOOL, *literal])

        go(page, "Students")
        page.get_by_label("Search by name or ID").fill(h.PUPIL_ID)
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Pupil profile").click()
        page.get_by_role("option").first.click()
        wait_idle(page)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")
        heading = page.get_by_test_id("stHeading").filter(has_text="name").last.inner_text()
        assert heading.replace(WORD_JOINER, "").strip() == h.PUPIL_NAME
        check(page, "student profile", [h.PUPIL_NAME, h.PUPIL_GROUP, f"{h.IMAGE} {h.RED}", f"{h.LINK} {h.MATH}"])

        go(page, "Import")
        check(page, "import stored term", [h.TERM, h.SCHOOL])
        files = h.hostile_school()
        upload(page, [(FILE_NAMES.get(name, name), data) for name, data in files.items()])
        assert "Imported 1,320 pupils" in page.get_by_test_id("stMain").inner_text()
        check(page, "import upload", list(FILE_NAMES.values()))
    finally:
        context.close()
    assert not outside, f"requests left the server: {sorted(set(outside))}"
