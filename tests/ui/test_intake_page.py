"""The Import page on real-world intake (issue #16): classes that are not pupils, course-table names explained."""

from __future__ import annotations

from tests.helpers import csv_bytes
from tests.test_intake_formats import ASC, PUPILS

from .conftest import goto, metric, shown, texts


def test_group_level_timetable_is_not_announced_as_imported_pupils(app):
    """An aSc export without pupils: its groups are counted as student sets (never as pupils), a warning says
    nothing is scored per pupil, and there is no green 'Imported'."""
    goto(app, "import_data")
    data = ASC.format(students="", s1="", s2="").encode()
    app.file_uploader(key="uploader_0").set_value([("export.xml", data, "text/xml")]).run()
    assert not app.exception
    assert int(metric(app, "Student sets")) > 0
    assert "Pupils" not in [m.label for m in app.metric]
    assert any("Nothing is scored per pupil" in shown(w.value) for w in app.warning)
    assert "Imported" not in " ".join(str(s.value) for s in app.success)


def test_the_subject_mapping_says_which_course_table_a_name_came_from(app):
    classes = [["Adno", "Class"], ["1001", "GCS-HIS"], ["1002", "GCS-HIS"]]
    courses = [["Course Code", "Course Name", "Subject"], ["GCS-HIS", "GCSE History", "History"]]
    upload = [
        ("pupils.csv", csv_bytes(PUPILS), "text/csv"),
        ("classes.csv", csv_bytes(classes), "text/csv"),
        ("courses.csv", csv_bytes(courses), "text/csv"),
    ]
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(upload).run()
    assert not app.exception
    assert "Imported 5 pupils" in texts(app)
    [mapping] = [d.value for d in app.dataframe if "matched_by" in d.value.columns]
    how = mapping.set_index("label").loc["History", "matched_by"]
    assert "course table 'courses.csv' row 2: code GCS-HIS (GCSE History)" in how
