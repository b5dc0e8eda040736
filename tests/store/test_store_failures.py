"""A store that cannot be used says so in words, with advice, everywhere: library, CLI and dashboard.

An erasure request that fails must read as "the store is read-only", never as a bug (exit 70).
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from natbacc.cli import main
from natbacc.sample import sample_paths
from natbacc.store.database import StoreError, _explain
from natbacc.store.snapshots import Store

FILES = [str(p) for p in sample_paths()]


@pytest.fixture
def not_a_database(tmp_path) -> str:
    path = tmp_path / "natbacc.db"
    path.write_bytes(b"Adno,Name\n1,Ann\n" * 200)
    return f"sqlite:///{path}"


def test_a_file_that_is_not_a_database_is_named_as_such(not_a_database):
    with pytest.raises(StoreError, match="is not a natbacc store"):
        Store.open(not_a_database)


def test_a_store_from_a_newer_release_is_not_touched(tmp_path):
    url = f"sqlite:///{tmp_path / 'natbacc.db'}"
    Store.open(url).close()
    con = sqlite3.connect(tmp_path / "natbacc.db")
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer release of natbacc"):
        Store.open(url)


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://", "sqlite:///file:x?mode=memory&uri=true"])
def test_an_in_memory_store_is_refused(url):
    with pytest.raises(StoreError, match="forgets every term"):
        Store.open(url)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("sqlite:////proc/self/natbacc/natbacc.db", "cannot be created"),
        ("postgresql://user@host:notaport/db", "not a database URL"),
        ("mysql://x@localhost/db", "SQLite or PostgreSQL"),
    ],
)
def test_unusable_locations_get_advice(url, words):
    with pytest.raises(StoreError, match=words):
        Store.open(url)


def test_a_read_only_store_lists_but_refuses_writes_in_words(tmp_path, sample_result, sample_analysis):
    path = tmp_path / "natbacc.db"
    store = Store.open(f"sqlite:///{path}")
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    store.close()
    read_only = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [s.term for s in read_only.snapshots()] == ["Autumn 2026"]
    with pytest.raises(StoreError, match="cannot be written"):
        read_only.delete([read_only.snapshots()[0].id])
    with pytest.raises(StoreError, match="cannot be written"):
        read_only.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield")
    read_only.close()


def test_reading_never_waits_for_a_held_write_lock(tmp_path, sample_result, sample_analysis):
    """Opening the dashboard or listing terms while an import holds the lock answers at once."""
    path = tmp_path / "natbacc.db"
    store = Store.open(f"sqlite:///{path}")
    store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    store.close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process importing
    try:
        start = time.perf_counter()
        again = Store.open(f"sqlite:///{path}")
        listed = again.snapshots()
        loaded = again.load(listed[0].id)
        again.revision()
        elapsed = time.perf_counter() - start
        again.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(loaded.result.students) == 1320
    assert elapsed < 5, f"reading waited {elapsed:.1f} s for the write lock"


def test_a_write_waits_for_the_lock_and_then_succeeds(tmp_path, sample_result, sample_analysis):
    path = tmp_path / "natbacc.db"
    store = Store.open(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: holder.execute("ROLLBACK")).start()
    store.save_settings(None)
    store.set_preference("x", {"a": 1})
    assert store.preference("x") == {"a": 1}
    store.close()
    holder.close()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (sqlite3.OperationalError("database or disk is full"), "is full; nothing was changed"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot be written"),
        (sqlite3.OperationalError("database is locked"), "busy with another import"),
        (sqlite3.DatabaseError("file is not a database"), "is not a natbacc store"),
        (sa.exc.OperationalError("SELECT 1", {}, OSError("No space left on device")), "is full"),
        (OSError(13, "Permission denied"), "cannot be written"),
        (sqlite3.OperationalError("something new"), "could not be used (OperationalError)"),
    ],
)
def test_every_failure_is_explained_without_its_sql_or_values(error, words):
    message = str(_explain(error, "sqlite:////srv/natbacc/natbacc.db"))
    assert words in message and "/srv/natbacc/natbacc.db" in message
    assert "SELECT" not in message


def test_cli_erasure_on_an_unusable_store_is_an_error_in_words_not_a_bug(not_a_database, monkeypatch, capsys):
    monkeypatch.setenv("NATBACC_DATABASE_URL", not_a_database)
    for argv in (["delete", "--term", "Autumn 2026", "--all-schools"], ["purge", "--yes"], ["snapshots"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "is not a natbacc store" in err and "unexpected error" not in err


def test_cli_on_a_read_only_store(tmp_path, monkeypatch, capsys):
    path = tmp_path / "natbacc.db"
    monkeypatch.setenv("NATBACC_DATABASE_URL", f"sqlite:///{path}")
    assert main(["import", *FILES, "--term", "Autumn 2026", "--school", "Oakfield"]) == 0
    monkeypatch.setenv("NATBACC_DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    capsys.readouterr()
    assert main(["delete", "--term", "Autumn 2026", "--all-schools"]) == 1
    err = capsys.readouterr().err
    assert "cannot be written" in err and "unexpected error" not in err
    assert main(["snapshots", "--json"]) == 0  # reading still works
