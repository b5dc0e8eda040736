"""Pages that tell the truth under a filter, and filters that stay: AppTest on the sample school.

A Year 9 filter on Key Stage 3 and Key Stage 4 gives "not available for this filter", never an all-clear or a
zero for something that compares Years 7 to 9 or is about KS4 pupils; the filter lives in the address, so a
reload (a new session on the same address) keeps it.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from natbacc.ui import state

from .conftest import APP, goto, texts


def _year9(app):
    app.sidebar.multiselect(key=state.FILTER_YEARS).set_value([9]).run()
    assert not app.exception, app.exception
    return app


def test_overview_and_key_stage_3_under_a_year_9_filter_say_not_available_never_an_all_clear(app):
    _year9(app)
    words = texts(app)
    assert "No narrowing or progress concern was found" not in words
    assert "Areas dropped before Year 10**: not available for this filter — it compares Years 7 to 9" in words
    goto(app, "ks3")
    words = texts(app)
    assert "Areas dropped before Year 10**: not available for this filter — it compares Years 7 to 9" in words
    assert "KS3 length and when options begin**: not available for this filter" in words
    assert "Every KS3 pupil keeps every area" not in words
    values = {m.label: m.value for m in app.metric}
    assert values["Areas dropped before Y10"] == "n/a" and values["KS3 length"] == "n/a"
    # what Year 9 alone does answer is still shown, and says which year it is
    assert "All statutory (Year 9)" in values


def test_key_stage_4_under_a_year_9_filter_shows_no_ks4_all_clear(app):
    goto(_year9(app), "ks4")
    words = texts(app)
    assert "KS4 entitlement take-up**: not available for this filter — it is about KS4 pupils" in words
    assert "Subjects with zero take-up at KS4**: not available for this filter" in words
    assert "taken by at least one KS4 pupil" not in words and not app.success
    assert "No KS4 curriculum imported" not in words


def test_the_filters_stay_across_pages_and_in_the_address_and_a_reload_keeps_them(app):
    goto(app, "students")
    app.multiselect(key=state.STUDENT_GROUPS).set_value(["8C"]).run()
    app.multiselect(key=state.STUDENT_STATUS).set_value(["off track"]).run()
    assert app.query_params.get("tutor") in ("8C", ["8C"])
    goto(app, "trends")  # a page without the filters ...
    assert any("This page does not use the pupil filters" in c.value for c in app.sidebar.caption)
    goto(app, "students")  # ... and back: the Students filters are still set
    assert app.multiselect(key=state.STUDENT_GROUPS).value == ["8C"]
    assert app.multiselect(key=state.STUDENT_STATUS).value == ["off track"]
    assert app.query_params.get("status") in ("off track", ["off track"])
    _year9(app)
    assert app.query_params.get("year") in ("9", ["9"]) and "group" not in app.query_params
    reloaded = AppTest.from_file(str(APP), default_timeout=60)
    reloaded.query_params["year"] = "9"
    reloaded.run()
    assert reloaded.sidebar.multiselect(key=state.FILTER_YEARS).value == [9]
    assert "Showing 240 pupils" in " ".join(c.value for c in reloaded.sidebar.caption)


def test_applying_unchanged_settings_says_nothing_changed(app):
    goto(app, "settings")
    app.button[[b.label for b in app.button].index("Apply settings")].click().run()
    words = texts(app)
    assert "Nothing changed" in words and "Settings applied" not in words


def test_pages_are_data_and_import_and_export_stay_in_their_own_group():
    from natbacc.ui.router import PAGE_SPECS, PAGES, SECTIONS, PageSpec, navigation_groups

    groups = navigation_groups()
    assert list(groups) == [s for s in SECTIONS if s in groups]
    assert {"Import", "Export"} <= {spec.title for spec in groups["Data"]}
    assert all((PAGES / spec.script).is_file() for spec in PAGE_SPECS)
    # a page added with a new group gets that group, after the known ones; nothing else moves
    extra = (*PAGE_SPECS, PageSpec("award.py", "Award", ":material/workspace_premium:", "Award"))
    assert list(navigation_groups(extra))[-1] == "Award"
    assert navigation_groups(extra)["Data"] == groups["Data"]
