"""Migration 0006: option choices keep whether they are for next school year (issue #15).

A store of the previous revision keeps its choices, read as this year's (NULL), and a term saved now gives
its next-year flags back exactly. SQLite and PostgreSQL (tests/store/conftest.py).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from natbacc.analysis import analyse
from natbacc.io import Source, import_files
from natbacc.store.database import MIGRATIONS, _config, create_engine, migrate
from natbacc.store.snapshots import Store
from tests.helpers import csv_bytes
from tests.store.test_migrations import fill_every_table


def test_choices_stored_before_the_migration_read_as_this_years(store_url):
    from alembic import command

    engine = create_engine(store_url)
    with engine.begin() as conn:
        config = _config(MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    fill_every_table(engine)
    done = migrate(engine)
    assert done.upgraded and done.before == "0003"
    with engine.connect() as conn:
        flags = conn.execute(sa.text("SELECT next_year FROM option_choices")).scalars().all()
    assert len(flags) == 3 and all(f is None for f in flags)
    engine.dispose()


def test_a_terms_next_year_choices_round_trip(store: Store):
    files = [
        Source("pupils.csv", csv_bytes([["Adno", "Name", "Year"], ["1", "Ann", 9], ["2", "Bo", 10]])),
        Source("classes.csv", csv_bytes([["Adno", "Subject", "Periods"], ["1", "English", 8], ["2", "English", 8]])),
        Source("choices for Year 10.csv", csv_bytes([["Adno", "Option A", "Option B"], ["1", "Music", "History"]])),
        Source("options.csv", csv_bytes([["Adno", "Option A", "Option B"], ["2", "Drama", "French"]])),
    ]
    result = import_files(files)
    options = result.tables["options"]
    assert options.groupby("student_id")["next_year"].agg(lambda s: set(s)).to_dict() == {"1": {True}, "2": {False}}
    info = store.save(result, analyse(result.tables, as_of=date(2027, 2, 10)), term="Spring 2027", school="Elm")
    back = store.load(info.id).result.tables["options"]
    assert back["next_year"].dtype == "boolean"
    assert list(back["next_year"]) == list(result.tables["options"]["next_year"])
