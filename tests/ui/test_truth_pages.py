"""The dashboard side of issue #15's last items and #17's help: stored earlier terms' Personal Development
counted on the Project & Development page; the About page's numbers follow the settings."""

from __future__ import annotations

from natbacc.analysis import analyse
from natbacc.io import Source, import_files
from natbacc.store.snapshots import Store
from tests.helpers import csv_bytes
from tests.store.test_programme_log import AUTUMN, AUTUMN_LOG, LOG_HEAD, SPRING, SPRING_LOG

from .conftest import APP, goto, texts


def _term(pupils: list[str], log: list[list[object]]):
    return import_files(
        [
            Source("p.csv", csv_bytes([["Adno", "Name", "Year"], *[[p, f"Pupil {p}", "9"] for p in pupils]])),
            Source("c.csv", csv_bytes([["Adno", "Subject", "Periods"], *[[p, "English", 8] for p in pupils]])),
            Source("pd.csv", csv_bytes([LOG_HEAD, *log])),
        ],
        school="Elm School",
    )


def test_a_stored_term_counts_the_earlier_terms_development_log(store_url):
    from streamlit.testing.v1 import AppTest

    store = Store.open(store_url)
    for term, day, result in (
        ("Autumn 2026", AUTUMN, _term(["9001", "9002"], AUTUMN_LOG)),
        ("Spring 2027", SPRING, _term(["9001"], SPRING_LOG)),
    ):
        store.save(result, analyse(result.tables, as_of=day), term=term)
    store.close()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()  # opens the newest stored term, Spring 2027
    goto(at, "project_development")
    words = texts(at)
    assert "also counts 2 log entries kept with earlier stored terms (Autumn 2026 · Elm School)" in words
    goto(at, "students")
    at.selectbox(key="student_pick").set_value("9001").run()
    assert "32 h since Year 7" in texts(at)  # 12 + 12 + 4 from autumn (the repeat once), 2 + 2 from spring


def test_the_about_page_shows_the_settings_in_force_and_follows_a_change(app):
    """The status thresholds and equity minimum on the About page are the settings', and change with them."""
    from .test_pages import edit_threshold

    goto(app, "about")
    words = texts(app)
    assert "On track: every strand that applies scores 75 or more." in words
    assert "Off track: at least one strand below 50." in words
    assert "fewer than 10 pupils is not shown" in words
    assert "Missing a statutory National Curriculum KS3 subject (KS3_STATUTORY_GAP)" in words
    assert "Years 7 to 11: 85 h by the end of Year 11" in words
    goto(app, "settings")
    edit_threshold(app, "status.on_track", "80")
    goto(app, "about")
    words = texts(app)
    assert "On track: every strand that applies scores 80 or more." in words
    assert "At risk: none below 50, but at least one below 80." in words
    assert "scores 75 or more" not in words


def test_the_export_page_makes_the_governors_pdf(app):
    goto(app, "export")
    next(b for b in app.button if b.label == "Prepare the governors' report").click().run()
    assert not app.exception
    download = [b for b in app.get("download_button") if "governors" in str(b.proto.label)]
    assert download, "no PDF download offered"


def test_flag_words_on_the_pages_follow_the_school_type(app):
    """An academy's pages never call the National Curriculum statutory in a flag's label."""
    from natbacc.settings import Settings

    app.session_state["settings"] = Settings.from_overrides({"core_learning": {"school_type": "academy"}})
    goto(app, "about")
    words = texts(app)
    assert "Missing a National Curriculum KS3 subject (KS3_STATUTORY_GAP)" in words
    assert "statutory National Curriculum KS3 subject" not in words
    goto(app, "students")
    flags = app.multiselect[[m.label for m in app.multiselect].index("Flags")]
    assert "Missing a National Curriculum KS3 subject" in flags.options  # AppTest lists options as shown
    assert not [o for o in flags.options if "statutory" in o]
