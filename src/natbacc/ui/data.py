"""Load, score and filter the data a session looks at, once per upload, through cached core calls.

Reading and scoring are cached on a fingerprint of the file bytes plus everything that changes the
result (settings, subject mapping, school name, file kinds, the as-of date), in the *session*
cache: another school's identical file never shares an entry, and memory goes when the tab closes.
Filtering is cached on the same key plus the filter, so moving between pages or changing a
filter back never re-reads or re-scores anything.

The caches are ``st.cache_resource``: a hit hands back the same objects (nothing is pickled or
copied, which at 30,000 pupils would cost more than a page's own work), so pages treat what they get
as read-only, as they treat every core result. Uploads are cached per *session*. The sample school
and stored terms are the same for every session of the server, so their reading and scoring are
cached once per *process* and shared: eight colleagues opening the dashboard at once used to score
the newest term eight times over.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, cached_property

import pandas as pd
import streamlit as st

from natbacc.analysis import Analysis, analyse
from natbacc.availability import Availability, availability, scorable, student_noun
from natbacc.cohort import CohortFilter, apply_filter
from natbacc.io import ImportRules, Source, import_files
from natbacc.model import ImportResult, plural
from natbacc.programme_log import with_programme_log
from natbacc.sample import AS_OF as SAMPLE_AS_OF
from natbacc.sample import SCHOOL as SAMPLE_SCHOOL
from natbacc.sample import sample_paths
from natbacc.settings import Settings
from natbacc.store.snapshots import SnapshotInfo, school_label
from natbacc.subjects import SubjectMap
from natbacc.ui import state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.safe import md
from natbacc.vocabulary import Measure

SAMPLE_LABEL = f"{SAMPLE_SCHOOL} (sample school)"
#: The Loaded of the script run in progress: app.py loads once per run, its pages read it back.
#: Each session's script runs in its own thread, so a thread-local never crosses sessions.
_RUN = threading.local()


@dataclass
class Loaded:
    """What the pages show: the import report, the whole-school analysis and the filtered view."""

    result: ImportResult
    analysis: Analysis | None  # None when a blocking error (or no pupils) stops scoring
    view: Analysis | None  # ``analysis`` restricted to the sidebar's filter
    cohort: CohortFilter
    is_sample: bool
    label: str
    failure: str = ""  # a message when scoring itself failed
    snapshot: SnapshotInfo | None = None  # the stored term shown, if any
    #: What earlier stored terms added to Personal Development over the programme ('' when nothing).
    programme_note: str = ""

    @property
    def ready(self) -> bool:
        """True when there is a scored cohort to show."""
        return self.view is not None

    @cached_property
    def verdicts(self) -> dict[Measure, Availability]:
        """Which measures the filtered pupils can show (and why not), judged against the whole school."""
        if self.view is None:
            return {}
        return availability(self.view, self.analysis)


@cache
def _sample_files() -> tuple[tuple[str, bytes], ...]:
    return tuple((p.name, p.read_bytes()) for p in sample_paths())


@cache
def subject_map(overrides: tuple[tuple[str, str, str], ...]) -> SubjectMap:
    """The shipped mapping with the school's decisions applied (built once per set of decisions)."""
    if not overrides:
        return SubjectMap.default()
    return SubjectMap.default().with_overrides(pd.DataFrame(list(overrides), columns=["label", "subject", "area"]))


def _read(
    files: tuple[tuple[str, bytes], ...], settings: Settings, overrides, school: str, kinds: dict, schools: dict
) -> ImportResult:
    return import_files(
        [Source(name, data) for name, data in files],
        settings=settings,
        subject_map=subject_map(overrides),
        kinds=kinds,
        school=school or None,
        schools=schools,
        # One process: Streamlit runs pages as the __main__ module, which worker processes would re-run,
        # and on a shared server concurrent sessions already use the cores.
        workers=1,
    )


@st.cache_resource(max_entries=3, scope="session", show_spinner=False)
def _import(
    key: str,
    _files: tuple[tuple[str, bytes], ...],
    _settings: Settings,
    _overrides,
    _school: str,
    _kinds: dict,
    _schools: dict,
) -> ImportResult:
    """An upload read once, for this session only."""
    return _read(_files, _settings, _overrides, _school, _kinds, _schools)


@st.cache_resource(max_entries=3, scope="session", show_spinner=False)
def _analyse(key: str, _result: ImportResult, _settings: Settings, _overrides, as_of: date) -> Analysis:
    """An upload's scoring, kept for this session only."""
    # A copy of the dict (same frames; analyse copies it anyway) fits analyse's str keys and TableKind keys alike.
    return analyse(_result.tables, _settings, subject_map(_overrides), as_of)


@st.cache_resource(max_entries=3, show_spinner=False)
def _import_sample(
    key: str,
    _files: tuple[tuple[str, bytes], ...],
    _settings: Settings,
    _overrides,
    _school: str,
    _kinds: dict,
    _schools: dict,
) -> ImportResult:
    """The sample school read once per server process and shared by every session (it holds no real pupils)."""
    return _read(_files, _settings, _overrides, _school, _kinds, _schools)


@st.cache_resource(max_entries=8, show_spinner=False)
def _analyse_shared(key: str, _result: ImportResult, _settings: Settings, _overrides, as_of: date) -> Analysis:
    """The sample's or a stored term's scoring, once per server process, shared read-only by every session.

    Every signed-in session may open every stored term, so sharing shows nobody anything new; ``key``
    includes the store's revision, so a deleted or replaced term is never served from here.
    """
    # A copy of the dict (same frames; analyse copies it anyway) fits analyse's str keys and TableKind keys alike.
    return analyse(_result.tables, _settings, subject_map(_overrides), as_of)


@st.cache_resource(max_entries=12, scope="session", show_spinner=False)
def _view(key: str, _analysis: Analysis, _cohort: CohortFilter) -> Analysis:
    return apply_filter(_analysis, _cohort)


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def open_snapshot(snapshot_id: int) -> bool:
    """Look at a stored term with the rule set, mapping and date it was saved with; False if it is gone."""
    try:
        stored = stored_terms.load_snapshot(snapshot_id, stored_terms.revision())
    except Exception:  # deleted meanwhile, or the store went away: fall back quietly
        state.set_snapshot(None)
        return False
    state.set_snapshot(snapshot_id)
    state.set_settings(stored.settings)
    state.set_subject_overrides(stored.subject_overrides)
    state.set_as_of(stored.info.as_of)
    state.reset_filters()
    for widgets in ("settings", "mapping"):
        state.bump(widgets)
    st.query_params["term"] = str(snapshot_id)
    return True


def _start_session() -> None:
    """First run of a session: bring back the saved settings and mapping, and the last term looked at
    (from the address, so a reload keeps it) or else the newest one."""
    if state.started():
        return
    state.set_started()
    store = stored_terms.store()
    if store is None:
        return
    try:
        saved, overrides = store.saved_settings(), store.saved_overrides()
    except Exception:
        return
    if saved is not None:
        state.set_settings(saved)
    if overrides:
        state.set_subject_overrides(overrides)
    terms = stored_terms.snapshots()
    wanted = st.query_params.get("term")
    pick = next((t for t in terms if str(t.id) == wanted), None) or (terms[-1] if terms else None)
    if pick is not None:
        open_snapshot(pick.id)


def load() -> Loaded:
    """The current session's data, read and scored if (and only if) something changed.

    The data is a stored term (when one is picked), else the user's upload, else the sample
    school. When new files or settings are being read, a status box says what is happening and
    how long it took; afterwards every call is a cache hit.
    """
    _start_session()
    state.restore_filters()
    stored = None
    if (snapshot_id := state.snapshot_id()) is not None:
        try:
            stored = stored_terms.load_snapshot(snapshot_id, stored_terms.revision())
        except Exception:
            state.set_snapshot(None)
    ds = state.dataset()
    is_sample = ds is None and stored is None
    files: tuple[tuple[str, bytes], ...]
    if stored is not None:
        files, fingerprint = (), f"snapshot:{snapshot_id}"
    elif ds is not None:
        files, fingerprint = ds.files, ds.fingerprint
    else:
        files, fingerprint = _sample_files(), "sample"
    settings = state.settings()
    overrides = state.subject_overrides()
    school = state.school_name()
    kinds = state.kind_overrides()
    names = {name for name, _ in files}
    schools = {f: s for f, s in state.file_schools().items() if f in names}
    as_of = state.as_of(SAMPLE_AS_OF if is_sample else date.today())
    shared = stored is not None or is_sample
    revision = stored_terms.revision() if stored is not None else ""
    import_key = _key(
        fingerprint,
        revision,
        repr(ImportRules.from_settings(settings)),
        overrides,
        school,
        sorted(kinds.items()),
        sorted(schools.items()),
    )
    score_key = _key(import_key, repr(settings.data), as_of)  # any setting may change the scores
    if stored is not None:
        label = stored.info.title
    else:
        label = SAMPLE_LABEL if is_sample else f"Your files ({plural(len(files), 'file')})"

    fresh = state.loaded_key() != score_key
    started = time.perf_counter()
    what = md(stored.info.title) if stored is not None else plural(len(files), "file")
    status = st.status(f"Reading {what}...", expanded=False) if fresh else None
    if stored is not None:
        result = stored.result
    else:
        read = _import_sample if is_sample else _import
        result = read(import_key, files, settings, overrides, school, kinds, schools)
    analysis, failure, note, analysis_key = None, "", "", score_key
    if not result.blocking and not result.students.empty:
        if status is not None:
            status.update(label=f"Scoring {plural(len(result.students), 'pupil')}...")
        try:
            scored, analysis_key = result, score_key
            if not is_sample:
                # Earlier stored terms' Personal Development logs count over the programme.
                filed = stored.info.school if stored is not None else school_label(result, school)
                exclude = (stored.info.id,) if stored is not None else ()
                log = stored_terms.programme_log_for(
                    import_key, result.tables, filed, as_of, exclude, stored_terms.revision()
                )
                note = log.sentence()
                if log.added:
                    scored = replace(result, tables=with_programme_log(result.tables, log))
                    analysis_key = _key(score_key, log.added, log.terms)
            analysis = (_analyse_shared if shared else _analyse)(analysis_key, scored, settings, overrides, as_of)
        except Exception as exc:  # a bug must not show pupils' data in a traceback
            failure = (
                f"natbacc could not score these files ({type(exc).__name__}). The import report below is "
                "complete; please send the data manager's note of what was uploaded to the natbacc team."
            )
    if status is not None:
        took = time.perf_counter() - started
        if analysis is not None:
            noun = student_noun(result)
            n_scored = int(scorable(analysis.records).sum())
            status.update(
                label=f"Read {what} and scored {plural(n_scored, 'pupil')} in {took:.1f} s"
                if n_scored
                else f"Read {what} in {took:.1f} s: {plural(len(analysis.records), noun)}, none could be scored",
                state="complete" if n_scored else "error",
            )
        else:
            status.update(label="The files could not be scored: see the Import page", state="error")
        state.set_loaded_key(score_key)

    cohort = state.cohort_filter()
    view = None
    if analysis is not None:
        try:
            view = _view(_key(analysis_key, cohort), analysis, cohort) if not cohort.is_everyone else analysis
        except Exception as exc:
            failure = f"natbacc could not apply this filter ({type(exc).__name__}); clear the filters to continue."
    info = stored.info if stored is not None else None
    _RUN.loaded = Loaded(result, analysis, view, cohort, is_sample, label, failure, info, note)
    return _RUN.loaded


def current() -> Loaded:
    """The data ``load`` prepared for this run (pages call this; app.py calls ``load``)."""
    loaded = getattr(_RUN, "loaded", None)
    return loaded if loaded is not None else load()
