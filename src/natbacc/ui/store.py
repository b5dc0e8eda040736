"""The dashboard's side of the store: one connection pool per server, cached reads per session.

The store is opened once per server process (``st.cache_resource``) at ``NATBACC_DATABASE_URL`` or
the per-user default. If it cannot be opened the dashboard still works on uploads alone and says
why nothing can be kept. Snapshot reads are shared by every session (keyed on the snapshot id and
the store's revision, which changes whenever anything is saved or deleted); trends are cached on
that revision too.
"""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import streamlit as st

from natbacc.model import Tables
from natbacc.programme_log import ProgrammeLog, programme_log
from natbacc.store.database import StoreError, default_url
from natbacc.store.snapshots import SnapshotInfo, Store, StoredSnapshot
from natbacc.ui.components.safe import md


@st.cache_resource(show_spinner=False)
def _open(url: str) -> tuple[Store | None, str]:
    try:
        return Store.open(url), ""
    except StoreError as exc:
        return None, str(exc)


def store() -> Store | None:
    """The open store, or None when it could not be opened (``problem()`` says why)."""
    return _open(default_url())[0]


def opened() -> Store:
    """The open store; raises StoreError saying why when it could not be opened."""
    s = store()
    if s is None:
        raise StoreError(problem())
    return s


def problem() -> str:
    """Why the store is unavailable ('' when it is fine)."""
    return _open(default_url())[1]


def snapshots() -> list[SnapshotInfo]:
    """Every stored snapshot, oldest first (empty without a store)."""
    s = store()
    if s is None:
        return []
    try:
        return s.snapshots()
    except StoreError:
        return []


def upgrade_notice() -> str:
    """What opening the store did to its schema, for the person who runs natbacc ('' when nothing)."""
    s = store()
    return s.notice if s is not None else ""


def revision() -> str:
    """A key that changes whenever the store changes.

    When the store cannot say, the key is new every time: nothing read before (a term deleted since,
    say) may be served from the shared cache while the store is unavailable.
    """
    s = store()
    if s is None:
        return ""
    try:
        return s.revision()
    except StoreError:
        return f"unavailable:{time.monotonic_ns()}"


@st.cache_resource(max_entries=8, show_spinner=False)
def load_snapshot(snapshot_id: int, revision: str) -> StoredSnapshot:
    """A snapshot's tables and configuration, read once per server process and shared by every session.

    Keyed on the store's revision, which changes with every save and delete: a deleted term is never
    served from here, and a replaced one is read again. Raises StoreError when the store cannot be opened.
    """
    return opened().load(snapshot_id)


@st.cache_resource(max_entries=2, scope="session", show_spinner=False)
def indicators(revision: str) -> pd.DataFrame:
    """Every stored headline indicator with its term and school."""
    s = store()
    try:
        return s.indicators() if s is not None else pd.DataFrame()
    except StoreError:
        return pd.DataFrame()


@st.cache_resource(max_entries=4, scope="session", show_spinner=False)
def pupils(snapshot_ids: tuple[int, ...], revision: str) -> pd.DataFrame:
    """Pupil summaries of these snapshots, with names and tutor groups (StoreError without a store)."""
    return opened().pupils(list(snapshot_ids))


def _remember(write, value) -> None:
    s = store()
    if s is None:
        return
    try:
        write(s, value)
    except StoreError as exc:
        from natbacc.ui import state

        state.set_notice("warning", f"Applied for this session only: {md(str(exc))}")


def remember_settings(settings) -> None:
    """Keep the rule set for later sessions and imports (None: back to the defaults)."""
    _remember(Store.save_settings, settings)


def remember_overrides(overrides) -> None:
    """Keep the subject-mapping decisions for later sessions and imports."""
    _remember(Store.save_overrides, overrides)


@st.cache_resource(max_entries=4, scope="session", show_spinner=False)
def programme_log_for(
    key: str, _tables: Tables, school: str, as_of: date, exclude: tuple[int, ...], revision: str
) -> ProgrammeLog:
    """The shown import's Personal Development log merged with the logs of ``school``'s earlier stored terms
    (as of ``as_of``), read once per session and store revision. Without a store, this import's log alone."""
    s = store()
    earlier: list = []
    if s is not None and school:
        try:
            earlier = s.earlier_logs(school, as_of, exclude=exclude)
        except StoreError:
            earlier = []
    return programme_log(_tables, [(info.title, frame) for info, frame in earlier])
