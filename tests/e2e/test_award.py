"""The NBfE coordinator's flow in a real browser: open the Award page, narrow to the pupils who have completed,
and download their certificates and transcripts."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from .conftest import screenshot, wait_idle
from .test_dashboard import assert_no_exception, go

pytestmark = pytest.mark.e2e


def test_award_page_downloads_the_completers_certificates(page, tmp_path):
    go(page, "Award")
    assert page.get_by_test_id("stHeading").first.inner_text().startswith("Award")
    assert_no_exception(page)
    screenshot(page, "sample-award")
    status = page.get_by_test_id("stMain").get_by_test_id("stMultiSelect").filter(has_text="Status")
    status.locator("input").click()
    status.locator("input").press_sequentially("complete", delay=40)
    page.get_by_role("option").filter(has_text="complete").first.wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_text("4 pupils match.").wait_for()  # the filter's rerun has drawn the four completers
    wait_idle(page)
    page.get_by_role("button", name="Prepare the PDF (4 pupils)").click()
    wait_idle(page, timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download certificates and transcripts (PDF)").click()
    path = tmp_path / "award.pdf"
    download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert text.count("This is to certify that") == 4
    assert "PROVISIONAL" not in text
    screenshot(page, "sample-award-completers")
