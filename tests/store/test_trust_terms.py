"""A trust's pupil 17 at school A and pupil 17 at school B stay two pupils in the store and across terms."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

from natbacc.analysis import analyse
from natbacc.history import pupil_changes
from natbacc.io import Source, import_files
from natbacc.store.database import MIGRATIONS, _config, create_engine, migrate
from natbacc.store.snapshots import Store
from tests.helpers import csv_bytes

AUTUMN, SPRING = date(2026, 11, 20), date(2027, 3, 10)


def _term(a_subjects: list[str], b_subjects: list[str]):
    head = ["Adno", "School", "Name", "Year", "Subject", "Periods"]
    rows = [head]
    rows += [["17", "Ash Academy", "Ann Lee", "9", s, "2"] for s in a_subjects]
    rows += [["17", "Beech School", "Tom Roe", "9", s, "2"] for s in b_subjects]
    return import_files([Source("classes.csv", csv_bytes(rows))])


def test_two_schools_pupil_17_are_two_pupils_in_the_store_and_in_trends(store):
    first = _term(["Art", "Maths", "English"], ["Music", "Maths", "English"])
    second = _term(["Maths", "English"], ["Music", "Maths", "English"])  # only Ash's pupil 17 stops the arts
    a = store.save(first, analyse(first.tables, as_of=AUTUMN), term="Autumn 2026")
    b = store.save(second, analyse(second.tables, as_of=SPRING), term="Spring 2027")

    loaded = store.load(a.id)
    students = loaded.result.students
    assert sorted(zip(students["school"], students["student_id"], strict=True)) == [
        ("Ash Academy", "17"),
        ("Beech School", "17"),
    ]
    # Scored again from the store, each keeps their own classes.
    again = loaded.analyse().records.set_index("school")
    fresh = analyse(first.tables, as_of=AUTUMN).records.set_index("school")
    pd.testing.assert_series_equal(again["periods_arts"], fresh["periods_arts"])
    assert again.loc["Ash Academy", "periods_arts"] == again.loc["Beech School", "periods_arts"] == 2

    pupils = store.pupils([a.id, b.id])
    before, after = pupils[pupils["snapshot_id"] == a.id], pupils[pupils["snapshot_id"] == b.id]
    changes = pupil_changes(before, after)
    assert list(zip(changes["school"], changes["student_id"], changes["dropped"], strict=True)) == [
        ("Ash Academy", "17", "Arts")
    ]


def test_terms_stored_before_pupil_keys_read_back_keyed_by_their_pupil_id(store_url):
    """Migration 0004 on a store of revision 0003 holding a term: its rows get pupil_key = student_id."""
    from alembic import command

    engine = create_engine(store_url)
    with engine.begin() as conn:
        config = _config(MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.execute(
            sa.text(
                "INSERT INTO snapshots (term, school, as_of, imported_at, students, natbacc_version, settings_toml,"
                " subject_overrides, kinds, sheets, issues) VALUES ('Autumn 2026', 'Oakfield', '2026-11-20',"
                " '2026-11-20 09:00:00', 2, '0.1.0', '', '[]', '{}', '[]', '[]')"
            )
        )
        sid = conn.execute(sa.text("SELECT max(id) FROM snapshots")).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO pupils (snapshot_id, position, student_id, year_group, key_stage) VALUES "
                "(:s, 0, '001', 9, 3), (:s, 1, '002', 9, 3)"
            ),
            {"s": sid},
        )
        conn.execute(
            sa.text(
                "INSERT INTO enrolments (snapshot_id, position, student_id, subject_label, periods) VALUES "
                "(:s, 0, '001', 'Art', 2), (:s, 1, '002', 'French', 3)"
            ),
            {"s": sid},
        )
    done = migrate(engine)
    assert done.before == "0003" and done.upgraded
    store = Store(engine, store_url)
    loaded = store.load(sid)
    assert list(loaded.result.students["pupil_key"]) == ["001", "002"]
    assert list(loaded.result.tables["enrolments"]["pupil_key"]) == ["001", "002"]
    records = loaded.analyse().records.set_index("student_id")
    assert records.loc["001", "periods_arts"] == 2 and records.loc["002", "periods_languages"] == 3
    engine.dispose()
