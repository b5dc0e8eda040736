"""The sample school and stored terms are scored once per server process, not once per session.

Eight colleagues opening the dashboard at once used to wait 25-33 s each while every new session
re-scored the same term. Uploads stay private to their session.
"""

from __future__ import annotations

import itertools

import pytest
from streamlit.testing.v1 import AppTest

import natbacc.ui.data as data
from natbacc.analysis import analyse
from natbacc.sample import AS_OF
from natbacc.store.snapshots import Store
from tests.helpers import import_one

from .conftest import APP, goto
from .test_pages import SMALL_SCHOOL


@pytest.fixture
def scorings(monkeypatch) -> list[int]:
    """How many times the dashboard scored a cohort (the number of pupils each time)."""
    calls: list[int] = []

    def counting(tables, *args, **kwargs):
        calls.append(len(tables["students"]))
        return analyse(tables, *args, **kwargs)

    monkeypatch.setattr(data, "analyse", counting)
    return calls


@pytest.fixture(autouse=True)
def distinct_sessions(monkeypatch):
    """AppTest gives every session the id "test session id"; here each new session gets its own, as in a server."""
    import streamlit.runtime.caching.cache_resource_api as api

    monkeypatch.setattr(api, "get_session_id_or_throw", lambda: _SESSION["id"])


_SESSION = {"id": "session 0"}
_NEXT = itertools.count(1)


def _session() -> AppTest:
    _SESSION["id"] = f"session {next(_NEXT)}"
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_sessions_share_the_sample_schools_scoring(scorings):
    for _ in range(3):
        _session()
    assert scorings == [1320]


def test_sessions_share_a_stored_terms_scoring_until_the_store_changes(scorings, store_url):
    small = import_one("pupils.csv", SMALL_SCHOOL[1][1])
    store = Store.open(store_url)
    info = store.save(small, analyse(small.tables, as_of=AS_OF), term="Autumn 2026", school="Elm Park")
    for _ in range(3):
        _session()  # each opens the newest stored term
    assert scorings == [len(small.students)]
    # A replaced term is read and scored again, never served from the shared cache.
    store.save(small, analyse(small.tables, as_of=AS_OF), term="Autumn 2026", school="Elm Park", replace=True)
    store.close()
    _session()
    assert len(scorings) == 2
    assert info.id not in [s.id for s in Store.open(store_url).snapshots()]


def test_uploads_are_read_and_scored_per_session(scorings):
    for _ in range(2):
        at = _session()
        goto(at, "import_data")
        at.file_uploader(key="uploader_0").set_value(SMALL_SCHOOL).run()
        assert not at.exception, [e.message for e in at.exception]
    assert scorings.count(1320) == 1  # the sample, shared
    assert scorings.count(3) == 2  # the same upload in two sessions is scored in each: nothing crosses sessions
