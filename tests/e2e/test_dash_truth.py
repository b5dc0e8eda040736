"""A deputy head's trust in the numbers, in a real browser: no all-clear for what a filter removed or what
nothing scored, the pupils behind a bar, and a filter that survives a reload."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from natbacc.drill import Mark, pupils_behind
from natbacc.vocabulary import DrillChart, Entitlement

from .conftest import REPO, choose, screenshot, wait_idle
from .test_dashboard import assert_no_exception, go, upload

pytestmark = pytest.mark.e2e

BLOCK_PLANNING = REPO.parent / "shared" / "real-exports" / "fet-csv-export" / "BlockPlanning-DarrenMcDonald"


def _choose_year(page, label: str) -> None:
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Year groups"), label)


def _main(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_year_9_filter_is_not_available_never_all_clear_and_survives_a_reload(page):
    _choose_year(page, "Year 9")
    assert "year=9" in page.url
    assert "not available for this filter — it compares Years 7 to 9" in _main(page)
    assert "No narrowing or progress concern was found" not in _main(page)

    go(page, "Key Stage 3")
    body = _main(page)
    assert "Areas dropped before Year 10: not available for this filter — it compares Years 7 to 9" in body
    assert "Every KS3 pupil keeps every area" not in body and "0 years" not in body
    screenshot(page, "truth-ks3-year9")

    go(page, "Key Stage 4")
    body = _main(page)
    assert "KS4 entitlement take-up: not available for this filter — it is about KS4 pupils" in body
    assert "taken by at least one KS4 pupil" not in body and "No KS4 curriculum imported" not in body
    assert page.locator("[data-testid='stAlertContentSuccess']").count() == 0
    assert_no_exception(page)
    screenshot(page, "truth-ks4-year9")

    page.reload()
    wait_idle(page, timeout=60_000)
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    assert "year=9" in page.url
    assert "Showing 240 pupils of 1,320" in page.get_by_test_id("stSidebar").inner_text()
    assert "240 pupils: Year 9" in _main(page)


@pytest.mark.skipif(not BLOCK_PLANNING.is_dir(), reason="the shared real exports are not on this machine")
def test_fet_block_planning_upload_warns_and_never_gives_an_all_clear(page):
    go(page, "Import")
    upload(page, [(p.name, p.read_bytes()) for p in sorted(BLOCK_PLANNING.iterdir())])
    body = _main(page)
    assert "Nothing is scored per pupil: the files give 81 classes or student sets" in body
    assert "Imported 81 pupils" not in body
    assert page.locator("[data-testid='stAlertContentSuccess']").count() == 0
    screenshot(page, "truth-fet-import")
    go(page, "Overview")
    body = _main(page)
    assert "Nothing is scored" in body and "pupil details export" in body
    assert "No narrowing or progress concern" not in body
    assert page.locator("[data-testid='stAlertContentSuccess']").count() == 0
    assert page.locator(".js-plotly-plot").count() == 0  # no empty chart boxes
    assert_no_exception(page)
    screenshot(page, "truth-fet-overview")


def test_clicking_a_ks4_entitlement_bar_lists_exactly_its_pupils(page, sample_analysis, tmp_path):
    go(page, "Key Stage 4")
    chart = page.locator(".st-key-ks4_entitlement .js-plotly-plot")
    chart.wait_for()
    bars = chart.locator(".trace.bars .point path")
    bars.first.wait_for()
    box = bars.nth(bars.count() - 1).bounding_box()  # the top bar: at least one arts subject
    assert box is not None
    # Plotly's drag layer sits over the bars, so click where a person would: on the bar's middle
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    drill = page.locator(".st-key-ks4_entitlement_drill")
    drill.wait_for()
    text = drill.inner_text()
    expected = pupils_behind(sample_analysis, Mark(DrillChart.KS4_ENTITLEMENT, (Entitlement.ARTS.value,)))
    assert expected is not None
    assert expected.title in text, text
    screenshot(page, "truth-ks4-drill")
    with page.expect_download() as info:
        drill.get_by_test_id("stDownloadButton").get_by_role("button").click()
    saved = Path(tmp_path / "drill.csv")
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [r["student_id"] for r in rows] == list(expected.pupils["student_id"])

    # a row of the list opens that pupil's profile on the Students page (the grid is a canvas: click its row marker)
    grid = drill.get_by_test_id("stDataFrame").bounding_box()
    assert grid is not None
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 17)
    wait_idle(page)
    first = expected.pupils.iloc[0]
    page.wait_for_selector("text=Personal Development log")
    assert f"pupil={first['student_id']}" in page.url
    assert f"ID {first['student_id']}" in _main(page)
    screenshot(page, "truth-drill-profile")
