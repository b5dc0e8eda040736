"""A trust's files on the dashboard: each file's school named on the Import page, pupils picked by school and ID."""

from __future__ import annotations

from tests.helpers import csv_bytes
from tests.ui.conftest import goto, metric, texts

HEAD = ["Adno", "Name", "Year", "Subject"]
ASH = ("ash.csv", csv_bytes([HEAD, ["017", "Ann Lee", "8", "Art"]]), "text/csv")
BEECH = ("beech.csv", csv_bytes([HEAD, ["017", "Tom Roe", "9", "Music"]]), "text/csv")


def _school_box(app, file: str):
    return next(t for t in app.text_input if t.label.startswith("School of") and file.split(".")[0] in t.label)


def test_naming_each_files_school_keeps_two_pupils_17_apart(app):
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value([ASH, BEECH]).run()
    assert metric(app, "Pupils") == "1"  # one ID in two files: read as one pupil, and the page says so
    assert any("is given two names" in df.value.to_string() for df in app.dataframe)
    _school_box(app, "ash.csv").set_value("SCH01").run()
    _school_box(app, "beech.csv").set_value("SCH02").run()
    assert not app.exception
    assert metric(app, "Pupils") == "2"

    goto(app, "students")
    profile = app.selectbox(key="student_pick")
    assert sorted(profile.options) == ["Ann Lee (017), no group, SCH01", "Tom Roe (017), no group, SCH02"]
    profile.select_index(profile.options.index("Tom Roe (017), no group, SCH02")).run()
    assert not app.exception
    body = texts(app)
    assert "Tom Roe" in body and "school SCH02" in body and "Ann Lee" not in [h.value for h in app.header]
