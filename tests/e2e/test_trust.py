"""A trust's data manager in a real browser: two schools' files with the same pupil ID, each file's school named."""

from __future__ import annotations

import pytest

from tests.helpers import csv_bytes

from .conftest import screenshot, wait_idle
from .test_dashboard import assert_no_exception, go, upload

pytestmark = pytest.mark.e2e

HEAD = ["Adno", "Name", "Year", "Reg Group", "Subject"]
FILES = [
    ("ash_classes.csv", csv_bytes([HEAD, ["017", "Ann Lee", "8", "8A", "Art"], ["018", "Sam Cole", "8", "8A", "Art"]])),
    ("beech_classes.csv", csv_bytes([HEAD, ["017", "Tom Roe", "9", "9B", "Music"]])),
]


def test_naming_each_files_school_keeps_the_same_id_at_two_schools_apart(page):
    go(page, "Import")
    upload(page, FILES)
    main = page.get_by_test_id("stMain")
    assert "Imported 2 pupils" in main.inner_text()  # pupil 017 of both files read as one ...
    # ... until the data manager says which school each file is from (the box is open: the import doubted it).
    for file, school in (("ash_classes.csv", "SCH01"), ("beech_classes.csv", "SCH02")):
        box = page.get_by_test_id("stTextInput").filter(has_text=f"School of {file}").locator("input")
        box.fill(school)
        box.press("Enter")
        wait_idle(page)
    assert "Imported 3 pupils" in main.inner_text()
    assert_no_exception(page)
    screenshot(page, "trust-import-schools")

    go(page, "Students")
    pick = page.get_by_test_id("stSelectbox").filter(has_text="Pupil profile")
    pick.click()
    page.get_by_role("option", name="Tom Roe (017), 9B, SCH02").click()
    wait_idle(page)
    body = main.inner_text()
    assert "ID 017" in body and "school SCH02" in body
    assert_no_exception(page)
    screenshot(page, "trust-student-profile")
