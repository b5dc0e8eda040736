"""Codes become words where people read them: flags in the Students table and its filter, tutor groups in the
order people count, and a search that ignores accents."""

from __future__ import annotations

import unicodedata

from natbacc.vocabulary import Flag

from .conftest import goto, texts


def test_students_page_shows_flags_in_words_and_groups_in_natural_order(app):
    goto(app, "students")
    flags = next(m for m in app.multiselect if m.label == "Flags")
    assert Flag.MISSING_ARTS.label in flags.options and "MISSING_ARTS" not in flags.options
    groups = next(m for m in app.multiselect if m.label == "Tutor group").options
    assert groups.index("7A") < groups.index("10A")
    table = app.dataframe[0].value
    shown_flags = " ".join(table["flags"].dropna())
    assert "No arts subject" in shown_flags or "Few areas" in shown_flags
    assert not any(f.value in shown_flags for f in Flag)
    flags.set_value([Flag.MISSING_ARTS.value]).run()
    assert all("No arts subject" in v for v in app.dataframe[0].value["flags"])


def test_student_search_ignores_accents(app):
    goto(app, "students")
    names = app.dataframe[0].value["name"]
    accented = next(n for n in names if any(ord(ch) > 127 for ch in n))
    plain = "".join(c for c in unicodedata.normalize("NFKD", accented) if not unicodedata.combining(c)).lower()
    app.text_input(key="student_search").set_value(plain).run()
    assert accented in app.dataframe[0].value["name"].tolist(), (accented, plain)
    assert "pupil" in texts(app)


def test_settings_rows_read_as_words_with_their_key_beside_them(app):
    goto(app, "settings")
    tables = [d.value for d in app.dataframe if "label" in d.value.columns]
    table = next(t for t in tables if "equity.min_group_size" in t["setting"].tolist())
    row = table[table["setting"] == "equity.min_group_size"].iloc[0]
    assert row["label"] == "Minimum group size for equity gaps"
    assert "docs/sources.md" not in " ".join(table["source"]) and "Sources: " in " ".join(table["source"])
