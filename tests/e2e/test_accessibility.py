"""Readable by everyone, in a real browser: axe-core's WCAG 2.1 A/AA rules on every page, and no metric label,
value or chart title cut off on a laptop (1024 px) or a phone (390 px).

axe-core comes from the ``axe-playwright-python`` development dependency (it ships ``axe.min.js`` unmodified,
MPL-2.0); it is injected into the page and run with the WCAG 2.1 A and AA rule tags only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e

#: WCAG 2.1 levels A and AA (axe-core's rule tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The one known exception, allowed by rule and place only: Streamlit's own navigation list (the sidebar's page
#: links) nests its ``<li>`` items in ``<div>`` section wrappers, markup natbacc does not write and cannot change.
STREAMLIT_OWN_RULES = {"list", "listitem"}
STREAMLIT_OWN_PLACE = "[data-testid='stSidebarNav']"


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _nav_links(page) -> list[tuple[str, str]]:
    """Every page in the sidebar navigation: (label, address), however many pages there are."""
    links = page.get_by_test_id("stSidebarNav").locator("a")
    # a link's text is its icon's ligature name, then the label
    return [
        (links.nth(k).inner_text().strip().splitlines()[-1], links.nth(k).get_attribute("href"))
        for k in range(links.count())
    ]


def _open(page, href: str) -> None:
    page.goto(href)
    page.wait_for_selector("[data-testid='stHeading']", timeout=60_000)
    _settle(page)


def _settle(page) -> None:
    wait_idle(page)
    # Plotly draws after the script run; wait until every chart on the page has its SVG.
    page.wait_for_function(
        "[...document.querySelectorAll('.stPlotlyChart')].every(c => c.querySelector('.main-svg'))", timeout=30_000
    )
    page.wait_for_timeout(300)


def _streamlit_own(page, rule: str, target: list[str]) -> bool:
    """True for a list/listitem finding inside Streamlit's sidebar navigation (the one allowed exception)."""
    if rule not in STREAMLIT_OWN_RULES or len(target) != 1:
        return False
    return bool(
        page.evaluate(
            "([sel, place]) => { const el = document.querySelector(sel); return !!(el && el.closest(place)); }",
            [target[0], STREAMLIT_OWN_PLACE],
        )
    )


def _violations(page) -> list[dict]:
    page.evaluate(_axe_script())
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    result = page.evaluate(f"axe.run(document, {options})")
    found = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if not _streamlit_own(page, v["id"], n["target"])]
        if nodes:
            found.append(
                {
                    "rule": v["id"],
                    "help": v["help"],
                    "nodes": [(n["html"][:160], n["failureSummary"][-160:]) for n in nodes[:4]],
                }
            )
    return found


#: In the page: every metric label and value, chart heading and chart text that shows less than its full text
#: (CSS clipping with an ellipsis, or SVG text running past its chart).
_CUT = """
() => {
  const cut = [];
  const clipped = el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2;
  const sel = "[data-testid='stMetricLabel'], [data-testid='stMetricLabel'] *, [data-testid='stMetricValue'], "
    + "[data-testid='stMetricValue'] *, .natbacc-chart-title";
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (el.textContent.trim() && clipped(el) && style.overflow !== "visible") cut.push(el.textContent.trim());
  }
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const box = chart.querySelector('.main-svg').getBoundingClientRect();
    const texts = [...chart.querySelectorAll('.gtitle, .legendtext, .annotation-text')];
    for (const t of texts) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) cut.push(t.textContent.trim());
    }
    // panel titles (annotations) must not overlap one another
    const notes = [...chart.querySelectorAll('.annotation-text')].map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < notes.length; i++) for (let j = i + 1; j < notes.length; j++) {
      const [a, r] = notes[i], [b, q] = notes[j];
      if (r.width && q.width && r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom)
        cut.push(`${a} overlaps ${b}`);
    }
  }
  return cut;
}
"""


#: What the laptop pass saw, for the phone pass: the pages that have metrics or charts to check.
_SEEN: dict[str, str] = {}


def _checkable(page) -> bool:
    return bool(page.evaluate("!!document.querySelector(\"[data-testid='stMetric'], .js-plotly-plot\")"))


def test_every_page_passes_axe_and_shows_full_labels_at_1024(browser, app_url):
    """On a 1024 px laptop, every page in the sidebar (however many there are): no WCAG 2.1 A/AA violation bar
    Streamlit's own navigation list, and every metric label and value and chart heading shows in full."""
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(app_url)
    tab.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    wait_idle(tab)
    pages = _nav_links(tab)
    assert len(pages) >= 12
    failures, cut = {}, {}
    for label, href in pages:
        # the sidebar's own link, as a person moves between pages (one session, warm)
        tab.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click()
        _settle(tab)
        if found := _violations(tab):
            failures[label] = found
        if found := tab.evaluate(_CUT):
            cut[label] = found
        if _checkable(tab):
            _SEEN[label] = href
        if label in {"Overview", "Key Stage 4", "Project & Development"}:
            screenshot(tab, f"a11y-1024-{label.lower().replace(' ', '-').replace('&', 'and')}")
    context.close()
    assert not failures, json.dumps(failures, indent=1)
    assert not cut, json.dumps(cut, indent=1)


def test_on_a_phone_the_sidebar_starts_collapsed_and_nothing_is_cut_off(browser, app_url):
    """At 390 px the sidebar starts collapsed (it would cover the page), and on every page with metrics or
    charts each metric label and value and chart heading shows in full, and no panel title overlaps another."""
    pages = list(_SEEN.items()) or [("Overview", app_url)]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    cut = {}
    for label, href in pages:
        _open(tab, href)
        collapsed = tab.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
        right = tab.evaluate("document.querySelector(\"[data-testid='stSidebar']\").getBoundingClientRect().right")
        assert collapsed and right <= 0, f"{label}: the sidebar covers the page on a phone"
        if found := tab.evaluate(_CUT):
            cut[label] = found
        if label in {"Overview", "Key Stage 3", "Project & Development"}:
            screenshot(tab, f"a11y-390-{label.lower().replace(' ', '-').replace('&', 'and')}")
    context.close()
    assert not cut, json.dumps(cut, indent=1)
