"""Options season in a real browser: the sample school's Year 9 in its current blocks, a designed set beside
it, a pupil who loses a language, and the plan downloaded."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from .conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e


def test_options_analyse_design_compare_drill_down_and_download(page, tmp_path):
    page.get_by_test_id("stSidebarNav").get_by_text("Options", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Use the sample school's Year 9 choices and blocks").click()
    page.get_by_text("of 240 pupils get all their choices.").first.wait_for(timeout=60_000)
    wait_idle(page, timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0

    seconds = page.get_by_label("Seconds to search")
    seconds.fill("10")
    seconds.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Design blocks").click()
    page.get_by_text("Best so far:").first.wait_for(timeout=30_000)  # progress while it searches
    page.get_by_role("heading", name="natbacc's design").wait_for(timeout=90_000)
    wait_idle(page, timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_role("heading", name="Your design").count() == 1

    # Drill down: the pupils who lose an entitlement area under the school's design, one opened.
    page.get_by_test_id("stRadio").get_by_text("Your design").click()
    wait_idle(page)
    sentence = page.get_by_test_id("stMarkdown").filter(has_text="Not placed:").first
    sentence.wait_for(timeout=30_000)
    text = sentence.inner_text()
    assert " chose " in text and " because " in text and "Loses " in text
    screenshot(page, "options-compare")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the plan (Excel)").click()
    path = tmp_path / "plan.xlsx"
    download.value.save_as(path)
    book = load_workbook(path, read_only=True)
    assert {"Design", "Placements", "Class lists", "Equity", "School design"} <= set(book.sheetnames)
