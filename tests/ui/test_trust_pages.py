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


def test_trends_follow_one_pupil_of_a_trust_across_terms(store_url):
    """Two schools' pupil 017, same name and tutor group: the pupil picker keeps them apart by school."""
    from datetime import date

    from natbacc.analysis import analyse
    from natbacc.io import Source, import_files
    from natbacc.store.snapshots import Store
    from tests.ui.test_terms import _new_session

    head = ["Adno", "School", "Name", "Reg Group", "Year", "Subject"]
    store = Store.open(store_url)
    for term, day, beech in (("Autumn 2026", date(2026, 11, 20), "Music"), ("Spring 2027", date(2027, 3, 10), "Maths")):
        rows = [head, ["017", "Ash", "Sam Cole", "8A", "8", "Art"], ["017", "Beech", "Sam Cole", "8A", "8", beech]]
        result = import_files([Source("classes.csv", csv_bytes(rows))])
        store.save(result, analyse(result.tables, as_of=day), term=term)
    store.close()

    at = goto(_new_session(), "trends")
    at.selectbox(key="trend_school").select("All schools").run()
    pupil = at.selectbox(key="trend_pupil")
    assert sorted(pupil.options) == ["Sam Cole (8A) 017, Ash", "Sam Cole (8A) 017, Beech"]
    assert [m.value for m in at.metric if m.label == "Newly dropped an area"] == ["1"]  # Beech's, not Ash's
    pupil.select("Sam Cole (8A) 017, Beech").run()
    assert not at.exception
    [history] = [d.value for d in at.dataframe if {"term", "overall_status"} <= set(d.value.columns)]
    assert list(history["term"]) == ["Autumn 2026 · Ash, Beech", "Spring 2027 · Ash, Beech"]  # one row a term
