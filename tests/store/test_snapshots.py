"""The store keeps each term whole and gives it back exactly; deleting really deletes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from natbacc.analysis import analyse
from natbacc.history import ALL_SCHOOLS
from natbacc.sample import AS_OF, sample_paths
from natbacc.settings import Settings
from natbacc.store import schema
from natbacc.store.database import StoreError, create_engine, describe_url
from natbacc.store.snapshots import Store, map_overrides
from natbacc.subjects import SubjectMap
from natbacc.vocabulary import Strand
from tests.helpers import csv_bytes, import_one

SPRING = date(2027, 3, 20)


def _files():
    return [(p.name, p.read_bytes()) for p in sample_paths()]


def _counts(store: Store, snapshot_id: int | None = None) -> dict[str, int]:
    with store.engine.connect() as conn:
        out = {}
        for table in schema.PUPIL_DATA_TABLES:
            query = sa.select(sa.func.count()).select_from(table)
            if snapshot_id is not None:
                column = table.c.id if table is schema.snapshots else table.c.snapshot_id
                query = query.where(column == snapshot_id)
            out[table.name] = conn.execute(query).scalar_one()
    return out


def test_snapshot_round_trip_is_exact(store, sample_result, sample_analysis):
    info = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield Academy", files=_files())
    assert (info.term, info.school, info.students, info.as_of) == ("Autumn 2026", "Oakfield Academy", 1320, AS_OF)
    assert info.files == tuple(name for name, _ in _files())

    stored = store.load(info.id)
    for kind, table in sample_result.tables.items():
        pd.testing.assert_frame_equal(stored.result.tables[kind], table, obj=kind)
    assert stored.result.issues == sample_result.issues
    assert stored.result.sheets == sample_result.sheets
    assert stored.settings.data == sample_analysis.settings.data
    again = stored.analyse()
    pd.testing.assert_frame_equal(again.records, sample_analysis.records)
    assert again.indicators.findings == sample_analysis.indicators.findings


def test_names_ids_and_dates_survive_unchanged(store):
    data = csv_bytes(
        [
            ["Adno", "Name", "Year", "Class", "Subject"],
            ["000123", "Zoë O'Brien-Ó Súilleabháin", "7", "7A/Ma1", "Maths"],
            ["0456", "李小龍", "8", "8B/En1", "English"],
        ]
    )
    result = import_one("pupils.csv", data)
    analysis = analyse(result.tables, as_of=AS_OF)
    stored = store.load(store.save(result, analysis, term="Autumn 2026", school="Test").id)
    students = stored.result.tables["students"]
    assert list(students["student_id"]) == ["000123", "0456"]
    assert list(students["name"]) == ["Zoë O'Brien-Ó Súilleabháin", "李小龍"]


def test_settings_and_mapping_are_kept_with_the_snapshot(store, sample_result):
    settings = Settings.default().with_overrides({"status": {"on_track": 80}})
    mapping = SubjectMap.default().with_overrides(pd.DataFrame([{"label": "Life Skills", "area": "pshe"}]))
    analysis = analyse(sample_result.tables, settings, mapping, AS_OF)
    stored = store.load(store.save(sample_result, analysis, term="Autumn 2026", school="Oakfield").id)
    assert stored.settings.status["on_track"] == 80
    assert stored.subject_overrides == map_overrides(mapping)
    assert stored.subject_map.resolve("Life Skills")[1] == "pshe"


def test_same_term_and_school_is_refused_unless_replaced(store, sample_result, sample_analysis):
    first = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    with pytest.raises(StoreError, match=r"already stored \(snapshot \d+\)"):
        store.save(sample_result, sample_analysis, term="autumn  2026".title(), school="Oakfield")
    second = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield", replace=True)
    assert [s.id for s in store.snapshots()] == [second.id] != [first.id]
    assert _counts(store, first.id)["pupils"] == 0


def test_bad_labels_and_blocked_imports_are_refused(store, sample_result, sample_analysis):
    with pytest.raises(StoreError, match="label"):
        store.save(sample_result, sample_analysis, term="   ", school="Oakfield")
    with pytest.raises(StoreError, match="under 100"):
        store.save(sample_result, sample_analysis, term="x" * 101, school="Oakfield")
    blocked = replace(sample_result, issues=[*sample_result.issues, type(sample_result.issues[0])("error", "bad")])
    with pytest.raises(StoreError, match="blocking"):
        store.save(blocked, sample_analysis, term="Autumn 2026")
    assert store.snapshots() == []


def test_a_failure_mid_import_leaves_nothing(store, sample_result, sample_analysis, monkeypatch):
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    before = _counts(store)
    import natbacc.store.snapshots as snapshots

    real = snapshots._insert

    def failing(conn, table, frame, snapshot_id):
        if table is schema.pupil_scores:
            raise RuntimeError("disk full")
        real(conn, table, frame, snapshot_id)

    monkeypatch.setattr(snapshots, "_insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield")
    assert _counts(store) == before
    assert [s.term for s in store.snapshots()] == ["Autumn 2026"]


def test_files_are_never_kept_only_their_names_sizes_and_hashes(store, sample_result, sample_analysis):
    info = store.save(sample_result, sample_analysis, term="Autumn 2026", school="A", files=_files())
    assert info.files == tuple(name for name, _ in _files())
    assert "kept_files" not in info.as_dict()
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.source_files)).mappings().all()
    assert len(rows) == len(_files())
    assert all(set(r) == {"snapshot_id", "position", "name", "sha256", "size"} for r in rows)
    assert [r["size"] for r in rows] == [len(data) for _, data in _files()]


def test_columns_natbacc_does_not_read_are_nowhere_in_the_store(tmp_path):
    """A pupil file with dates of birth, addresses and medical notes: none of it reaches the store's file."""
    from natbacc.analysis import analyse

    path = tmp_path / "natbacc.db"
    store = Store.open(f"sqlite:///{path}")
    data = csv_bytes(
        [
            ["Adno", "Name", "Year", "Class", "Subject", "DOB", "Address", "Medical notes"],
            ["000123", "Ann Lee", "7", "7A/Ma1", "Maths", "14/03/2014", "12 Quarry Lane Oakfield", "Epipen: peanuts"],
            ["0456", "Bo Chan", "8", "8B/En1", "English", "02/11/2012", "3 Mill Row Oakfield", "Asthma inhaler"],
        ]
    )
    result = import_one("pupils.csv", data)
    store.save(result, analyse(result.tables, as_of=AS_OF), term="Autumn 2026", files=[("pupils.csv", data)])
    store.close()
    blob = path.read_bytes()
    assert b"Ann Lee" in blob
    for private in (b"14/03/2014", b"2014-03-14", b"Quarry Lane", b"Epipen", b"Asthma"):
        assert private not in blob, private


def test_delete_and_purge_remove_every_pupil_row(store, sample_result, sample_analysis):
    one = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    two = store.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield")
    store.save_settings(Settings.default().with_overrides({"status": {"on_track": 70}}))
    assert store.delete([one.id]) == 1
    assert all(n == 0 for n in _counts(store, one.id).values())
    assert _counts(store, two.id)["pupils"] == 1320
    assert store.purge() == 1
    assert all(n == 0 for n in _counts(store).values())
    assert store.saved_settings() is None


def test_purged_sqlite_file_holds_no_pupil_names(tmp_path, sample_result, sample_analysis):
    path = tmp_path / "natbacc.db"
    store = Store.open(f"sqlite:///{path}")
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    name = sample_result.students["name"].iloc[0].encode("utf-8")
    assert name in path.read_bytes()
    store.purge()
    store.close()
    assert name not in path.read_bytes()


def test_find_matches_loosely_and_explains_misses(store, sample_result, sample_analysis):
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Elm Park")
    assert len(store.find("  autumn 2026 ")) == 2
    assert store.find_one("AUTUMN 2026", "elm park").school == "Elm Park"
    with pytest.raises(StoreError, match="several schools"):
        store.find_one("Autumn 2026")
    with pytest.raises(StoreError, match="Stored terms: Autumn 2026"):
        store.find_one("Summer 2027")


def test_trends_and_trust_indicators(store, sample_result):
    autumn = analyse(sample_result.tables, as_of=AS_OF)
    # Spring: Year 10 drop languages, so "no language" at KS4 rises.
    tables = dict(sample_result.tables)
    students = tables["students"]
    y10 = set(students.loc[students["year_group"] == 10, "student_id"])
    for kind in ("enrolments", "options"):
        t = tables[kind]
        tables[kind] = t[~(t["student_id"].isin(y10) & (t["area"] == "languages"))].reset_index(drop=True)
    spring_result = replace(sample_result, tables=tables)
    spring = analyse(tables, as_of=SPRING)
    store.save(sample_result, autumn, term="Autumn 2026", school="Oakfield")
    spring_info = store.save(spring_result, spring, term="Spring 2027", school="Oakfield")
    store.save(sample_result, autumn, term="Autumn 2026", school="Elm Park")

    frame = store.indicators()
    lang = frame[(frame["indicator"] == "ks4:no_languages") & (frame["school"] == "Oakfield")]
    assert list(lang["term"]) == ["Autumn 2026", "Spring 2027"]
    assert lang["value"].iloc[1] > lang["value"].iloc[0]
    strands = frame[(frame["indicator"] == "on_track:core_learning_score") & (frame["term"] == "Autumn 2026")]
    assert sorted(strands["school"]) == ["Elm Park", "Oakfield"]
    assert strands["value"].iloc[0] == autumn.strand_summary()[Strand.CORE_LEARNING]
    assert store.schools() == ["Elm Park", "Oakfield"]
    assert ALL_SCHOOLS not in set(frame["school"])

    pupils = store.pupils([spring_info.id])
    assert len(pupils) == 1320 and set(pupils["school"]) == {"Oakfield"}
    assert pupils["name"].iloc[0] == students["name"].iloc[0]


def test_preferences_round_trip(store):
    assert store.saved_settings() is None and store.saved_overrides() == ()
    settings = Settings.default().with_overrides({"equity": {"gap_threshold_pp": 12}})
    store.save_settings(settings)
    store.save_overrides([("lifeskills", "Life Skills", "pshe")])
    again = Store.open(store.url)
    assert again.saved_settings().equity["gap_threshold_pp"] == 12
    assert again.saved_overrides() == (("lifeskills", "Life Skills", "pshe"),)
    again.close()


def test_migrations_create_exactly_the_declared_schema(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []


def test_reopening_is_idempotent_and_revision_tracks_writes(store, sample_result, sample_analysis):
    before = store.revision()
    Store.open(store.url).close()
    assert store.revision() == before
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    assert store.revision() != before


def test_unusable_urls_get_advice():
    with pytest.raises(StoreError, match="not a database URL"):
        create_engine("not a url")
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        create_engine("mysql://x@localhost/db")
    assert describe_url("postgresql://u:secret@host/db") == "postgresql://u:***@host/db"
    with pytest.raises(StoreError, match="could not be opened"):
        Store.open("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")


def test_trust_import_files_indicators_per_school(store):
    rows = [
        ["1", "Ann", "10", "Oak", "10A/Fr1", "French"],
        ["2", "Bob", "10", "Elm", "10A/Ar1", "Art"],
        ["3", "Cy", "10", "Elm", "10A/Hi1", "History"],
    ]
    result = import_one("trust.csv", csv_bytes([["Adno", "Name", "Year", "School", "Class", "Subject"], *rows]))
    info = store.save(result, analyse(result.tables, as_of=AS_OF), term="Autumn 2026")
    assert info.school == "Elm, Oak"
    frame = store.indicators([info.id])
    assert set(frame["school"]) == {"Elm", "Oak", ALL_SCHOOLS}
    arts = frame[frame["indicator"] == "ks4:no_arts"].set_index("school")["value"]
    assert arts["Oak"] == 100 and arts["Elm"] == 50


def _heap_files(store: Store) -> list:
    """Every file of the store's database on the PostgreSQL server (tables, TOAST, indexes; not WAL)."""
    from pathlib import Path

    with store.engine.connect() as conn:
        data = conn.exec_driver_sql("SHOW data_directory").scalar_one()
        oid = conn.exec_driver_sql("SELECT oid FROM pg_database WHERE datname = current_database()").scalar_one()
    folder = Path(data) / "base" / str(oid)
    if not folder.is_dir():
        pytest.skip("the PostgreSQL data directory is not readable from the tests")
    return [p for p in folder.iterdir() if p.is_file()]


def test_deleted_pupils_are_gone_from_postgresql_heap_files(store, sample_result, sample_analysis):
    """A plain VACUUM leaves deleted rows' bytes in the table files; erasure must rewrite them (VACUUM FULL)."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has its own test: test_purged_sqlite_file_holds_no_pupil_names")
    names = [n.encode("utf-8") for n in sample_result.students["name"].iloc[:50]]

    def copies() -> int:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CHECKPOINT")  # every change written to the table files
        blob = b"".join(p.read_bytes() for p in _heap_files(store))
        return sum(blob.count(name) for name in names)

    store.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield")
    one_term = copies()
    assert one_term >= len(names)
    gone = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Elm Park")
    assert copies() >= 2 * one_term
    store.delete([gone.id])
    assert copies() == one_term  # only the term that was kept
    store.purge()
    assert copies() == 0


def test_control_characters_are_removed_at_import_and_the_term_saves_on_every_backend(store):
    """A NUL in a cell used to make saving fail on PostgreSQL with "unexpected error (DataError)"."""
    import io

    import xlsxwriter

    from natbacc.analysis import analyse

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("Pupils")
    rows = [
        ["Adno", "Name", "Year", "Class", "Subject"],
        ["0001", "Zoë\x00 O'Brien\x07", "7", "7A\x1b/Ma1", "Maths"],
        ["0002", "Bob Ng", "7", "7A/Ma1", "Ma\x0bths"],
    ]
    for n, row in enumerate(rows):
        sheet.write_row(n, 0, row)
    book.close()
    result = import_one("pupils.xlsx", buf.getvalue())
    found = [(i.severity, i.row, i.column) for i in result.issues if i.code == "control_characters"]
    assert found == [("warning", 2, "Name"), ("warning", 2, "Class"), ("warning", 3, "Subject")]
    assert list(result.students["name"]) == ["Zoë O'Brien", "Bob Ng"]
    info = store.save(result, analyse(result.tables, as_of=AS_OF), term="Autumn\x00 2026", school="Elm\x07 Park")
    assert (info.term, info.school) == ("Autumn 2026", "Elm Park")
    stored = store.load(info.id).result
    assert list(stored.students["name"]) == ["Zoë O'Brien", "Bob Ng"]
    assert set(stored.tables["enrolments"]["subject"]) == {"Mathematics"}
