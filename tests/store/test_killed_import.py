"""A process killed in the middle of an import leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import sqlalchemy as sa

from natbacc.store import schema
from natbacc.store.snapshots import Store

# Run in a child process: save the sample school, but stop for good half-way through writing it
# (after the enrolments, before the options, scores and indicators), telling the parent when.
_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import natbacc.store.snapshots as snapshots
    from natbacc.analysis import analyse
    from natbacc.io import import_files
    from natbacc.sample import AS_OF, sample_paths
    from natbacc.store import schema

    url, marker = sys.argv[1], Path(sys.argv[2])
    real = snapshots._insert

    def stall(conn, table, frame, snapshot_id):
        real(conn, table, frame, snapshot_id)
        if table is schema.canonical["enrolments"]:
            marker.write_text(str(snapshot_id))
            time.sleep(120)

    snapshots._insert = stall
    result = import_files(sample_paths())
    store = snapshots.Store.open(url)
    store.save(result, analyse(result.tables, as_of=AS_OF), term="Spring 2027", school="Oakfield")
    """
)


def _rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in schema.PUPIL_DATA_TABLES
        }


def test_killed_import_leaves_no_partial_snapshot(store, store_url, sample_result, sample_analysis, tmp_path):
    kept = store.save(sample_result, sample_analysis, term="Autumn 2026", school="Oakfield")
    before = _rows(store)
    marker = tmp_path / "half-written"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, store_url, str(marker)], env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the import finished or failed before it reached the half-way point"
            assert time.monotonic() < deadline, "the import never reached the half-way point"
            time.sleep(0.05)
        # The child has written the snapshot row and its enrolments inside its transaction: kill it.
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()

    reopened = Store.open(store_url)
    try:
        assert [s.id for s in reopened.snapshots()] == [kept.id]
        assert _rows(reopened) == before
        # The store is usable straight away: the same term can now be imported properly.
        done = reopened.save(sample_result, sample_analysis, term="Spring 2027", school="Oakfield")
        assert [s.term for s in reopened.snapshots()] == ["Autumn 2026", "Spring 2027"]
        assert reopened.load(done.id).result.students.shape == sample_result.students.shape
    finally:
        reopened.close()
