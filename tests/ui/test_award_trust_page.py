"""A trust's upload on the Award page and in the profile: pupil 17 of SCH01 and pupil 17 of SCH02 are two
pupils, each picked by school and ID and shown their own verdicts."""

from __future__ import annotations

from tests.helpers import csv_bytes
from tests.ui.conftest import goto, metric, texts

FILES = [
    (name, csv_bytes(rows), "text/csv")
    for name, rows in {
        "pupils.csv": [["Adno", "Name", "Year", "School"], ["17", "Amara Osei", "11", "SCH01"],
                       ["17", "Bartosz Zielinski", "11", "SCH02"]],
        "project.csv": [["Adno", "School", "Project title", "Stage", "Hours"],
                        ["17", "SCH01", "Tidal power", "Complete", "62"],
                        ["17", "SCH02", "Urban bees", "Research", "20"]],
    }.items()
]  # fmt: skip


def _verdicts(app) -> dict[str, str]:
    frame = next(d.value for d in app.dataframe if "Rule" in d.value.columns)
    return dict(zip(frame["Component"], frame["Status"], strict=True))


def test_the_award_page_and_the_profile_keep_two_pupils_17_apart(app):
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(FILES).run()
    assert not app.exception
    assert metric(app, "Pupils") == "2"

    goto(app, "award")
    assert metric(app, "Registered pupils") == "2"
    pick = app.selectbox(key="award_pick")
    assert pick.options == ["Amara Osei (17, SCH01)", "Bartosz Zielinski (17, SCH02)"]
    listed = next(d.value for d in app.dataframe if "School" in d.value.columns and "ID" in d.value.columns)
    assert list(zip(listed["ID"], listed["School"], strict=True)) == [("17", "SCH01"), ("17", "SCH02")]
    pick.select("Bartosz Zielinski (17, SCH02)").run()
    assert not app.exception
    assert _verdicts(app)["Personal Project"] != "✓ done"  # SCH02's pupil is at the research stage
    app.selectbox(key="award_pick").select("Amara Osei (17, SCH01)").run()
    assert _verdicts(app)["Personal Project"] == "✓ done"  # SCH01's finished theirs

    goto(app, "students")
    profile = app.selectbox(key="student_pick")
    bartosz = next(o for o in profile.options if "SCH02" in o)
    profile.select(bartosz).run()
    assert not app.exception
    assert "NBfE award" in texts(app)
    assert _verdicts(app)["Personal Project"] != "✓ done"
    app.button(key="award_one").click().run()
    assert not app.exception
