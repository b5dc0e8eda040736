"""Keeping terms in the dashboard: save an upload, pick it again after a reload, see trends and schools."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from natbacc.sample import sample_paths
from natbacc.settings import Settings
from natbacc.store.snapshots import Store

from .conftest import APP, goto, texts
from .test_pages import SMALL_SCHOOL, chart_titles

SAMPLE_FILES = [(p.name, p.read_bytes(), "application/octet-stream") for p in sample_paths()]


def _upload(at: AppTest, files) -> AppTest:
    goto(at, "import_data")
    at.file_uploader(key="uploader_0").set_value(files).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _save_term(at: AppTest, term: str, school: str, replace: bool = False) -> AppTest:
    goto(at, "import_data")
    at.text_input(key="keep_term").set_value(term)
    at.text_input(key="keep_school").set_value(school)
    if replace:
        at.checkbox(key="keep_replace").check()
    next(b for b in at.button if b.label == "Save term").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _new_session() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _picker(at: AppTest):
    return at.sidebar.selectbox(key="source_pick")


def test_an_upload_saved_as_a_term_survives_a_reload(app, store_url):
    _upload(app, SMALL_SCHOOL)
    assert "Uploaded files (not saved)" in _picker(app).value
    _save_term(app, "Autumn 2026", "Elm Park")
    assert "Saved Autumn 2026 · Elm Park (3 pupils)" in texts(app)
    assert _picker(app).value == "Autumn 2026 · Elm Park"

    store = Store.open(store_url)
    [info] = store.snapshots()
    assert (info.term, info.school, info.students) == ("Autumn 2026", "Elm Park", 3)
    store.close()

    # A new browser session (a reload) opens on the saved term without any upload.
    again = _new_session()
    assert _picker(again).value == "Autumn 2026 · Elm Park"
    assert "Stored term: 3 pupils" in "\n".join(c.value for c in again.sidebar.caption)


def test_settings_applied_in_the_dashboard_are_kept(app, store_url):
    goto(app, "settings")
    new = Settings.default().with_overrides({"status": {"on_track": 85}})
    store = Store.open(store_url)
    assert store.saved_settings() is None
    # Apply through the page: edit the value in the Status tab's editor, then press Apply.
    # Loading a rule set from a TOML file applies it, as the Apply button does.
    upload = app.file_uploader(key="settings_upload_0")
    upload.set_value(("rules.toml", new.to_toml().encode(), "application/toml")).run()
    assert not app.exception
    assert store.saved_settings().status["on_track"] == 85
    store.close()
    assert _new_session().session_state["settings"].status["on_track"] == 85


def test_trends_and_schools_across_terms(app, store_url):
    _upload(app, SAMPLE_FILES)
    _save_term(app, "Autumn 2026", "Oakfield Academy")
    _upload(app, SMALL_SCHOOL)
    _save_term(app, "Spring 2027", "Elm Park")
    _upload(app, SAMPLE_FILES)
    _save_term(app, "Spring 2027", "Oakfield Academy")
    options = _picker(app).options
    assert options[:3] == [  # newest first
        "Spring 2027 · Oakfield Academy",
        "Spring 2027 · Elm Park",
        "Autumn 2026 · Oakfield Academy",
    ]

    goto(app, "trends")
    app.selectbox(key="trend_school").select("Oakfield Academy").run()
    assert "Oakfield Academy: 2 saved terms (Autumn 2026, Spring 2027)" in texts(app)
    titles = chart_titles(app)
    assert len(titles) == len(["Strands", "Key Stage 3", "Key Stage 4", "Equity"])
    assert any("no change" in t for t in titles)  # the same files twice: nothing moved
    assert [m.value for m in app.metric if m.label == "Newly dropped an area"] == ["0"]
    app.selectbox(key="trend_pupil").select_index(0).run()
    assert not app.exception
    [history] = [d.value for d in app.dataframe if {"term", "overall_status"} <= set(d.value.columns)]
    assert list(history["term"]) == ["Autumn 2026", "Spring 2027"]

    goto(app, "schools")
    app.selectbox(key="schools_term").select("Spring 2027").run()
    titles = chart_titles(app)
    assert titles and all("Spring 2027" in t for t in titles)
    tables = [d.value for d in app.dataframe]
    both = ["Elm Park", "Oakfield Academy"]
    assert tables and all(set(t.columns) <= set(both) for t in tables)
    # Strands, KS3 and KS4 compare both schools; Elm Park's equity groups (3 pupils) are too small to show.
    assert sum(list(t.columns) == both for t in tables) >= 3
    ks4 = next(t for t in tables if "KS4 pupils with no language" in t.index)
    assert ks4.loc["KS4 pupils with no language", "Elm Park"] == 50  # one of the two Y10s takes French


def test_picking_a_stored_term_and_back_to_the_sample(app, store_url):
    _upload(app, SMALL_SCHOOL)
    _save_term(app, "Autumn 2026", "Elm Park")
    _picker(app).select("Oakfield Academy (sample school)").run()
    assert not app.exception
    assert app.session_state["snapshot_id"] is None
    assert "Synthetic pupils" in "\n".join(c.value for c in app.sidebar.caption)
    _picker(app).select("Autumn 2026 · Elm Park").run()
    goto(app, "overview")
    assert "Autumn 2026 · Elm Park" in "\n".join(c.value for c in app.caption)


def test_a_term_can_be_deleted_from_the_import_page(app, store_url):
    _upload(app, SMALL_SCHOOL)
    _save_term(app, "Autumn 2026", "Elm Park")
    goto(app, "import_data")
    delete = next(b for b in app.button if b.label == "Delete term")
    assert delete.disabled
    app.checkbox(key="confirm_delete_term").check().run()
    next(b for b in app.button if b.label == "Delete term").click().run()
    assert not app.exception
    assert "Deleted Autumn 2026 · Elm Park" in texts(app)
    store = Store.open(store_url)
    assert store.snapshots() == []
    store.close()


def test_history_pages_explain_an_empty_store(app):
    for page in ("trends", "schools"):
        goto(app, page)
        assert "none is saved yet" in texts(app)
