"""Every page of the dashboard, headless (AppTest): what a user sees on the sample school and on uploads."""

from __future__ import annotations

import json

import pytest

from natbacc.settings import Settings
from tests.helpers import PUPILS, csv_bytes, xlsx_bytes

from .conftest import APP, goto, metric, shown, texts

CLASSES = [
    ["Adno", "Class", "Subject", "Periods"],
    *[["001234", f"10X/{s[:2]}1", s, 4] for s in ("English", "Maths", "Science", "History", "Art", "PE")],
    *[["001235", f"10Y/{s[:2]}1", s, 4] for s in ("English", "Maths", "Science", "Geography", "French", "PE")],
    *[["000042", f"9A/{s[:2]}1", s, 3] for s in ("English", "Maths", "Science", "Forest School")],
]
SMALL_SCHOOL = [
    ("pupils.xlsx", xlsx_bytes({"Pupils": PUPILS}), "application/octet-stream"),
    ("classes.csv", csv_bytes(CLASSES), "text/csv"),
]


def chart_titles(at) -> list[str]:
    """The title of every Plotly chart on the page (charts are not modelled by AppTest; read the spec). The page
    draws the title above the chart as text (it wraps there); the spec keeps it in ``layout.meta``."""
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    return [layout.get("meta", {}).get("title") or layout["title"].get("text", "") for layout in layouts]


def test_the_app_opens_on_the_sample_school_overview(app):
    """The sample is labelled as such, with its headline figures, findings and four charts (flags broken down)."""
    assert "sample school" in app.info[0].value
    assert metric(app, "Pupils") == "1,320"
    assert metric(app, "Core Learning").endswith("%")
    body = texts(app)
    assert "8C has no music" in body
    assert "Oakfield Academy (sample school) · 1,320 pupils: All pupils" in body
    titles = chart_titles(app)
    assert len(titles) == 4
    assert any("weakest strand" in t for t in titles)
    assert any("most common flag" in t for t in titles)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("ks3", ["Key Stage 3", "Tutor groups missing a statutory subject"]),
        ("ks4", ["Key Stage 4", "Subjects with zero take-up"]),
        ("equity", ["Equity", "2 gaps"]),
        ("students", ["Students", "1,320 pupils match"]),
        ("project_development", ["Project & Development", "Behind or not started"]),
        (
            "import_data",
            ["Import", "Showing the sample school: 1,320 synthetic pupils", "Subject mapping", "Templates"],
        ),
        ("settings", ["Settings", "Source"]),
        ("sources", ["Sources", "National Baccalaureate Trust: accreditation"]),
        ("about", ["About the scores", "On track: every strand that applies scores 75 or more."]),
        ("export", ["Export", "personal data about children"]),
    ],
)
def test_every_page_renders_the_sample_school(app, page, expected):
    """Each page runs without an exception and shows what it is for."""
    goto(app, page)
    body = texts(app)
    for text in expected:
        assert text in body, f"'{text}' not on {page}"


def test_ks3_and_ks4_state_their_findings_in_chart_titles(app):
    """Chart titles say what the chart shows about this school, not just what it is."""
    goto(app, "ks3")
    assert metric(app, "KS3 length") == "2 years"
    assert metric(app, "Options begin") == "Year 9"
    assert "Year 9: only 20% study music" in chart_titles(app)
    goto(app, "ks4")
    assert metric(app, "KS4 pupils") == "480"
    assert any("least-studied entitlement area" in t for t in chart_titles(app))
    assert any("option routes" in t for t in chart_titles(app))


def test_a_sidebar_filter_narrows_every_page(app):
    """Choosing Year 10 in the sidebar changes the figures on each page it is carried to."""
    app.multiselect(key="filter_years").set_value([10]).run()
    assert metric(app, "Pupils") == "240"
    goto(app, "ks4")
    assert metric(app, "KS4 pupils") == "240"
    goto(app, "export")
    assert any("Current filter" in o for o in app.radio(key="export_scope").options)


def test_disadvantaged_filter_uses_pupil_premium(app):
    """The pupil-group filter keeps only the chosen group."""
    app.selectbox(key="filter_group").set_value("disadvantaged").run()
    shown = int(metric(app, "Pupils").replace(",", ""))
    assert 0 < shown < 1320


def test_uploading_files_replaces_the_sample(app):
    """Uploaded files are read, recognised and scored; the sample label goes away."""
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    assert not app.exception
    assert not any("sample school" in i.value for i in app.info)
    assert metric(app, "Pupils") == "3"
    body = texts(app)
    assert "Imported 3 pupils" in body
    assert "1 is not mapped" in body  # Forest School
    goto(app, "overview")
    assert metric(app, "Pupils") == "3"
    assert "Your files (2 files)" in texts(app)


def test_saving_the_subject_mapping_rescores(app):
    """Mapping an unmapped subject in the editor and saving clears it from the unmapped list."""
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    app.session_state["mapping_editor_0"] = {
        "edited_rows": {0: {"area": "Non-curricular"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button[[b.label for b in app.button].index("Save mapping")].click().run()
    assert not app.exception
    assert "Mapping saved (1 subject changed)" in texts(app)
    assert "All 9 subjects are mapped." in texts(app)


def test_a_bad_file_shows_the_importers_message(app):
    """A corrupt workbook gets a message naming it; other pages say why there is nothing to show."""
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(("timetable.xlsx", b"PK\x03\x04 not a workbook", "x")).run()
    assert not app.exception
    assert "timetable.xlsx" in shown(app.error[0].value)  # as shown: the name is escaped
    assert "cannot be scored yet" in app.error[0].value
    goto(app, "overview")
    assert "could not be scored" in texts(app)


def test_opening_a_pupil_profile(app):
    """Choosing a pupil shows their scores, flags with meanings, and their logs."""
    goto(app, "students")
    first = app.selectbox(key="student_pick").options[0]  # shown as "Name (ID), group"
    app.selectbox(key="student_pick").select(first).run()
    first_id = first.split("(")[1].split(")")[0]
    assert not app.exception
    assert app.header[0].value == first.split(" (")[0]
    assert {m.label for m in app.metric} >= {"Core Learning", "Personal Project", "Personal Development"}
    assert "Flags" in texts(app)
    assert f"ID {first_id}" in texts(app)


def test_student_search_finds_accented_names(app):
    """Searching is case-insensitive and keeps accents and apostrophes."""
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    goto(app, "students")
    app.text_input(key="student_search").set_value("o'brien").run()
    assert "1 pupil match" in texts(app)


def edit_threshold(app, setting: str, value: str) -> None:
    """Type ``value`` for ``setting`` in the Thresholds tab's table and press Apply (as a user would)."""
    section = ("status", "equity", "timetable", "academic_year")
    row = [name for name, _ in Settings.default().rows() if name.split(".")[0] in section].index(setting)
    app.session_state["settings_Thresholds_0"] = {
        "edited_rows": {row: {"value": value}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button[[b.label for b in app.button].index("Apply settings")].click().run()


def test_settings_apply_and_reset(app):
    """Raising the on-track threshold re-scores every page; reset brings the defaults back."""
    before = metric(app, "Core Learning")
    goto(app, "settings")
    edit_threshold(app, "status.on_track", "99")
    assert not app.exception
    assert "Settings applied" in texts(app)
    assert "Score at or above which a strand is on track" in texts(app)  # the setting in words, not its key
    goto(app, "overview")
    assert metric(app, "Core Learning") != before
    goto(app, "settings")
    app.button[[b.label for b in app.button].index("Reset to defaults")].click().run()
    goto(app, "overview")
    assert metric(app, "Core Learning") == before


def test_a_bad_setting_is_refused_with_a_reason(app):
    """A value of the wrong type is not applied, and the message names the setting."""
    goto(app, "settings")
    edit_threshold(app, "status.on_track", "lots")
    assert not app.exception
    assert "Not applied: Setting 'status.on_track' must be a number" in shown(app.error[0].value)


def test_export_offers_the_records_workbook(app):
    """The export page has the pseudonymise switch, record cards by tutor group, and the download once prepared."""
    goto(app, "export")
    assert app.toggle(key="export_pseudonymise").value is False
    assert "7A" in app.selectbox(key="export_cards").options
    app.button(key="export_prepare").click().run()
    assert not app.exception and not app.error
    labels = [b.label for b in app.get("download_button")]
    assert "Download the records workbook (1,320 pupils)" in labels


def test_export_shows_a_weak_pseudonym_key_as_an_error_in_words(app, monkeypatch):
    """A short NATBACC_PSEUDONYM_KEY is shown with st.error saying what to do; no download, no exception."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", "too-short")
    goto(app, "export")
    app.toggle(key="export_pseudonymise").set_value(True).run()
    assert app.selectbox(key="export_cards").disabled
    app.button(key="export_prepare").click().run()
    assert not app.exception
    shown_error = shown(app.error[0].value)
    assert "at least 32 bytes" in shown_error and "NATBACC_PSEUDONYM_KEY" in shown_error
    assert not app.get("download_button")


def test_export_shows_a_build_failure_as_an_error_in_words(app, monkeypatch):
    """An unforeseen failure while building (long tutor-group names used to collide) is an st.error, not silence."""
    from natbacc import export

    def broken(*args, **kwargs):
        raise ValueError("Sheetname '7A 001001 Zoë' is already in use")

    monkeypatch.setattr(export, "_record_card", broken)
    monkeypatch.delenv("NATBACC_DEBUG", raising=False)
    goto(app, "export")
    app.selectbox(key="export_cards").set_value("7A").run()
    app.button(key="export_prepare").click().run()
    assert not app.exception
    assert "could not be built (an unexpected ValueError)" in shown(app.error[0].value)
    assert "Zoë" not in app.error[0].value and not app.get("download_button")


def test_files_are_read_and_scored_once_per_upload(monkeypatch):
    """Moving between pages and changing filters never re-reads or re-scores the files."""
    from streamlit.testing.v1 import AppTest

    import natbacc.ui.data as data

    calls = {"import": 0, "analyse": 0}
    real_import, real_analyse = data.import_files, data.analyse

    def counting_import(*args, **kwargs):
        calls["import"] += 1
        return real_import(*args, **kwargs)

    def counting_analyse(*args, **kwargs):
        calls["analyse"] += 1
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(data, "import_files", counting_import)
    monkeypatch.setattr(data, "analyse", counting_analyse)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    for page in ("ks3", "ks4", "students", "overview"):
        goto(at, page)
    at.multiselect(key="filter_years").set_value([9]).run()
    at.multiselect(key="filter_years").set_value([]).run()
    goto(at, "equity")
    assert calls == {"import": 1, "analyse": 1}
    goto(at, "import_data")
    at.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
    goto(at, "overview")
    assert calls == {"import": 2, "analyse": 2}


@pytest.mark.parametrize(
    ("folder", "pattern", "noun", "pupils"),
    [
        ("fet-csv-export/BlockPlanning-DarrenMcDonald", "*_timetable.csv", "Student sets", "81"),
        ("ms-sds-uk-format", "*.csv", "Pupils", "86"),
    ],
)
def test_the_import_page_takes_timetabler_and_sds_exports(app, real_exports, folder, pattern, noun, pupils):
    """Real third-party exports uploaded in the browser are recognised (a timetabler's student sets counted
    as such, never as pupils), every page renders."""
    files = [(p.name, p.read_bytes(), "text/csv") for p in sorted((real_exports / folder).glob(pattern))]
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(files).run()
    assert not app.exception
    assert metric(app, noun) == pupils
    assert metric(app, "Blocking errors") == "0"
    for page in ("overview", "ks3", "ks4", "equity", "students", "project_development", "export"):
        goto(app, page)


def test_only_unrecognised_files_are_offered_a_kind(app, real_exports):
    """Staff lists and class tables were understood, so the 'what does this file hold' control stays closed."""
    files = [(p.name, p.read_bytes(), "text/csv") for p in sorted((real_exports / "ms-sds-uk-format").glob("*.csv"))]
    goto(app, "import_data")
    app.file_uploader(key="uploader_0").set_value(files).run()
    assert not [s for s in app.selectbox if s.key and s.key.startswith("kind_")]
    app.file_uploader(key="uploader_0").set_value(
        [*files, ("notes.csv", b"Colour,Shape\nred,round\n", "text/csv")]
    ).run()
    assert [shown(s.label) for s in app.selectbox if s.key and s.key.startswith("kind_")] == ["notes.csv"]


def test_a_pseudonymised_export_of_one_pupil_group_is_refused(app, monkeypatch):
    """Exporting only SEN pupils under codes would tell the reader every listed pupil has SEN: refused in words."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", "0123456789abcdef" * 4)
    app.selectbox(key="filter_group").set_value("any_sen").run()
    goto(app, "export")
    app.toggle(key="export_pseudonymise").set_value(True).run()
    assert not app.exception
    assert "would tell its reader that every pupil listed is in that group" in app.error[0].value
    app.radio(key="export_scope").set_value("whole").run()
    assert not app.error
    app.button(key="export_prepare").click().run()
    assert "Download the records workbook (1,320 pupils)" in [b.label for b in app.get("download_button")]
