"""Migrations keep every row: a schema change never costs a school its stored terms.

SQLite cannot alter most columns in place, so Alembic's "batch" mode copies a table, drops the
original and renames the copy. Dropping ``snapshots`` with foreign keys on used to cascade to every
pupil row while the listing still said "1,320 pupils". These tests run real migrations on populated
stores of the previous revision, on SQLite and PostgreSQL, and compare row counts table by table.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

import natbacc.store
from natbacc.store import schema
from natbacc.store.database import MIGRATIONS, _config, create_engine, migrate, revisions
from natbacc.store.snapshots import Store

SHIPPED = Path(natbacc.store.__file__).parent / "migrations"

#: A migration of the kind that wiped stores: a batch ALTER of the table every pupil row hangs off,
#: plus one of a child table.
BATCH_REVISION = '''"""test: lengthen snapshots.school (batch)"""
import sqlalchemy as sa
from alembic import op

revision = "9999_test_batch"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.alter_column("school", type_=sa.String(300), existing_nullable=False)
    with op.batch_alter_table("pupils") as batch:
        batch.add_column(sa.Column("test_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupils") as batch:
        batch.drop_column("test_note")
    with op.batch_alter_table("snapshots") as batch:
        batch.alter_column("school", type_=sa.String(200), existing_nullable=False)
'''


def _with_batch_revision(tmp_path: Path) -> str:
    """The shipped migrations plus a batch migration on top, as a script directory on disk."""
    target = tmp_path / "migrations"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory.from_config(_config(MIGRATIONS)).get_current_head()
    (target / "versions" / "9999_test_batch.py").write_text(BATCH_REVISION.format(head=head), encoding="utf-8")
    return str(target)


def row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows in every table of the store (alembic's own table aside)."""
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in inspector.get_table_names()
            if name != "alembic_version"
        }


def _value(column: sa.Column, n: int) -> object:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return n % 2 == 0
    if isinstance(kind, sa.Integer):
        return n
    if isinstance(kind, sa.Float | sa.Numeric):
        return n + 0.5
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 11, 20, 9, n % 60)
    if isinstance(kind, sa.Date):
        return date(2026, 11, 20)
    if isinstance(kind, sa.LargeBinary):
        return b"x%d" % n
    if isinstance(kind, sa.JSON):
        return {"n": n}
    return f"value {n}"


def fill_every_table(engine: sa.Engine, rows: int = 3) -> None:
    """Rows of plausible values in every table, whatever its schema revision (parents first)."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            batch = []
            for n in range(1, rows + 1):
                row = {}
                for column in table.columns:
                    # A foreign key names parent row n: every parent table has ids 1..rows.
                    row[column.name] = n if column.foreign_keys else _value(column, n)
                batch.append(row)
            conn.execute(table.insert(), batch)


def test_a_batch_migration_on_sqlite_keeps_every_pupil_and_backs_up_first(
    tmp_path, sample_result, sample_analysis, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'natbacc.db'}"
    store = Store.open(url)
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    store.close()
    engine = create_engine(url)
    before = row_counts(engine)
    assert before["pupils"] == 1320 and before["enrolments"] > 0

    done = migrate(engine, _with_batch_revision(tmp_path))

    assert done.upgraded and done.after == "9999_test_batch"
    assert row_counts(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again for cascading deletes
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # The copy taken before the change holds the same rows and is readable only by its owner.
    assert done.backup is not None and done.backup.parent == tmp_path
    assert oct(done.backup.stat().st_mode & 0o777) == "0o600"
    copy = sqlite3.connect(done.backup)
    assert copy.execute("SELECT count(*) FROM pupils").fetchone()[0] == 1320
    copy.close()
    # And the term still opens with all its pupils.
    reopened = Store(engine, url)
    assert len(reopened.load(reopened.snapshots()[0].id).result.students) == 1320
    # Deleting still cascades after the migration.
    reopened.delete([reopened.snapshots()[0].id])
    assert row_counts(engine)["pupils"] == 0
    engine.dispose()


def test_a_batch_migration_on_every_backend_keeps_row_counts(store_url, tmp_path):
    engine = create_engine(store_url)
    migrate(engine)
    fill_every_table(engine)
    before = row_counts(engine)
    assert all(count == 3 for count in before.values()), before

    done = migrate(engine, _with_batch_revision(tmp_path))

    assert done.upgraded and row_counts(engine) == before
    if engine.dialect.name == "postgresql":
        assert done.backup is None and "pg_dump" in done.advice
    engine.dispose()


def _shipped_steps() -> list[tuple[str, str]]:
    script = ScriptDirectory.from_config(_config(MIGRATIONS))
    return [(rev.down_revision, rev.revision) for rev in script.walk_revisions() if isinstance(rev.down_revision, str)]


_ONLY_INITIAL = pytest.param(
    None, None, marks=pytest.mark.skip(reason="only the initial schema is shipped; each later migration runs here")
)


@pytest.mark.parametrize(("previous", "revision"), _shipped_steps() or [_ONLY_INITIAL])
def test_every_shipped_migration_keeps_every_row(store_url, previous, revision):
    """A populated store of the previous revision keeps its rows, table by table, through each migration."""
    from alembic import command

    engine = create_engine(store_url)
    with engine.begin() as conn:
        config = _config(MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, previous)
    fill_every_table(engine)
    before = row_counts(engine)
    done = migrate(engine)
    after = row_counts(engine)
    assert done.before == previous
    assert {name: after.get(name) for name in before} == before  # tables a migration adds may start empty
    engine.dispose()


def test_an_up_to_date_store_is_not_migrated_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'natbacc.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    current, head = revisions(engine)
    assert current == head
    done = migrate(engine)
    assert not done.upgraded and done.backup is None
    assert [p.name for p in tmp_path.iterdir()] == ["natbacc.db"]  # no backup for nothing
    engine.dispose()


def test_schema_tables_are_all_covered_by_the_row_count_comparison(store_url):
    engine = create_engine(store_url)
    migrate(engine)
    assert set(row_counts(engine)) == {t.name for t in schema.metadata.sorted_tables}
    engine.dispose()


def test_files_kept_by_an_earlier_release_are_gone_after_the_upgrade(tmp_path, sample_result, sample_analysis, caplog):
    """Migration 0002 drops the bytes that "Keep files" stored (whole exports, dates of birth included)."""
    from alembic import command

    path = tmp_path / "natbacc.db"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        config = _config(MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    export = b"Adno,Name,DOB,Address\n000123,Ann Lee,14/03/2014,12 Quarry Lane\n"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO snapshots (id, term, school, as_of, imported_at, students, natbacc_version, settings_toml,"
                " subject_overrides, kinds, sheets, issues) VALUES (1, 'Autumn 2025', 'Oakfield', '2025-11-20',"
                " '2025-11-20 09:00:00', 1, '0.1.0', '', '[]', '{}', '[]', '[]')"
            )
        )
        conn.execute(
            sa.text("INSERT INTO source_files VALUES (1, 0, 'pupils.csv', :sha, :size, :content)"),
            {"sha": "0" * 64, "size": len(export), "content": export},
        )
    engine.dispose()
    assert b"Quarry Lane" in path.read_bytes()

    import logging

    with caplog.at_level(logging.WARNING, logger="natbacc.store"):
        store = Store.open(url)
    assert store.migration is not None and store.migration.upgraded
    assert "a copy from before is at" in store.notice
    assert [s.files for s in store.snapshots()] == [("pupils.csv",)]
    store.close()
    assert b"Quarry Lane" not in path.read_bytes()
    # The copy taken before the upgrade protects the terms, not the exports' other columns.
    backup = store.migration.backup
    assert backup is not None and b"Quarry Lane" not in backup.read_bytes()
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
    # The operator hears of it wherever the store was opened (the dashboard too), without pupil data.
    assert any("upgraded the store" in r.getMessage() and str(backup) in r.getMessage() for r in caplog.records)


def test_indicators_saved_by_the_previous_release_trend_identically_after_migration(
    store_url, sample_result, sample_analysis
):
    """Rows written by the release before 0003 (label-keyed) become id-keyed rows that read exactly as before."""
    import pandas as pd

    from natbacc.history import with_labels

    old = pd.read_csv(Path(__file__).parents[1] / "golden" / "indicators_0002.csv", dtype={"unit": "str"})
    engine = create_engine(store_url)
    from alembic import command

    with engine.begin() as conn:
        config = _config(MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(
            sa.text(
                "INSERT INTO snapshots (term, school, as_of, imported_at, students, natbacc_version, settings_toml,"
                " subject_overrides, kinds, sheets, issues) VALUES ('Autumn 2026', 'Oakfield Academy', '2026-11-20',"
                " '2026-11-20 09:00:00', 1320, '0.1.0', '', '[]', '{}', '[]', '[]')"
            )
        )
        snapshot_id = conn.execute(sa.text("SELECT max(id) FROM snapshots")).scalar_one()
        rows = old.astype(object).where(old.notna(), None).to_dict("records")
        conn.execute(
            sa.text(
                "INSERT INTO indicators (snapshot_id, position, school, section, key, label, value, pupils, unit, "
                "better) VALUES (:snapshot_id, :position, :school, :section, :key, :label, :value, :pupils, :unit, "
                ":better)"
            ),
            [{**row, "snapshot_id": snapshot_id, "position": n} for n, row in enumerate(rows)],
        )
    migrate(engine)
    store = Store(engine, store_url)
    migrated = with_labels(store.indicators([snapshot_id]))
    # Every row keeps its value and reads as it did (one label was reworded on purpose: it named a number
    # from the settings).
    pd.testing.assert_series_equal(
        migrated["value"].reset_index(drop=True), old["value"].astype("Float64"), check_names=False
    )
    reworded = old["key"] == "ks4:few_areas"
    assert list(migrated["label"][~reworded]) == list(old["label"][~reworded])
    assert migrated["equity_group"].notna().sum() == (old["section"] == "Equity").sum()
    # ... under the same ids, sections and labels as a term saved by this release (whatever its values).
    fresh = store.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield Academy")
    now = with_labels(store.indicators([fresh.id]))
    columns = ["school", "section", "indicator", "equity_group", "label", "unit", "better"]
    known = {tuple(row) for row in now[columns].astype(str).itertuples(index=False)}
    assert all(tuple(row) in known for row in migrated[columns].astype(str).itertuples(index=False))
    engine.dispose()


def test_a_gap_of_a_group_the_migration_does_not_know_stays_a_gap():
    import importlib.util

    spec = importlib.util.spec_from_file_location("m0003", SHIPPED / "versions" / "0003_indicator_ids.py")
    assert spec is not None and spec.loader is not None
    m0003 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m0003)
    assert m0003.convert("Equity", "gap:EAL:KS4: studies languages") == ("equity", "ks4_studies:languages", "eal")
    assert m0003.convert("Equity", "gap:Young carers:KS4: studies arts") == (
        "equity",
        "ks4_studies:arts",
        "Young carers",
    )
    assert m0003.convert("Key Stage 4", "ks4:no_arts") == ("ks4", "ks4:no_arts", None)
