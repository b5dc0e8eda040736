"""Every session-state key the dashboard uses, with typed accessors.

Pages never touch ``st.session_state`` directly: a key named in one place cannot be misspelt in
another, and the shape of what is stored is documented here. What is stored is small and
picklable (``runner.enforceSerializableSessionState`` is on): the uploaded files' bytes once, the
school's settings and mapping decisions. Parsed and scored data live in the session-scoped cache
(``natbacc.ui.data``), never in session state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import streamlit as st

from natbacc.cohort import ALL_PUPILS, CohortFilter
from natbacc.settings import Settings
from natbacc.vocabulary import PupilGroup

# Non-widget keys (owned by this module).
_DATASET = "dataset"
_SETTINGS = "settings"
_SUBJECT_OVERRIDES = "subject_overrides"
_KIND_OVERRIDES = "kind_overrides"
_AS_OF = "as_of"
_SCHOOL_NAME = "school_name"
_FILE_SCHOOLS = "file_schools"
_VERSIONS = "widget_versions"
_LOADED = "loaded_key"
_NOTICE = "notice"
_SNAPSHOT = "snapshot_id"
_STARTED = "session_started"

# Widget keys (shared controls in the sidebar are rendered by app.py on every run, so they persist
# across pages; page widgets are keyed here so tests and the browser suite can find them).
FILTER_SCHOOLS = "filter_schools"
FILTER_YEARS = "filter_years"
FILTER_GROUP = "filter_group"
STUDENT_SEARCH = "student_search"
STUDENT_TABLE = "student_table"
STUDENT_PICK = "student_pick"
EXPORT_SCOPE = "export_scope"
EXPORT_PSEUDONYMISE = "export_pseudonymise"
EXPORT_CARDS = "export_cards"
EQUITY_DIMENSION = "equity_dimension"
STUDENT_GROUPS = "student_groups"
STUDENT_STATUS = "student_status"
STUDENT_FLAGS = "student_flags"

#: Filters kept in the address (widget key -> query parameter), so a reload, a bookmark or a link shared inside
#: the school opens the same view. Never a name or a search: only year groups, codes, tutor groups and an ID.
URL_FILTERS: dict[str, str] = {
    FILTER_SCHOOLS: "school",
    FILTER_YEARS: "year",
    FILTER_GROUP: "group",
    STUDENT_GROUPS: "tutor",
    STUDENT_STATUS: "status",
    STUDENT_FLAGS: "flag",
    STUDENT_PICK: "pupil",
}
_LIST_FILTERS = frozenset({FILTER_SCHOOLS, FILTER_YEARS, STUDENT_GROUPS, STUDENT_STATUS, STUDENT_FLAGS})
#: A filter at this value is everyone: it is left out of the address.
_EVERYONE: dict[str, str] = {FILTER_GROUP: ALL_PUPILS.value}
_KEPT = "kept_filters"
_RESTORED = "filters_restored"


@dataclass(frozen=True)
class Dataset:
    """Uploaded files as (name, bytes) pairs, with a fingerprint the caches key on."""

    files: tuple[tuple[str, bytes], ...]
    fingerprint: str

    @classmethod
    def of(cls, files: list[tuple[str, bytes]]) -> Dataset:
        """A dataset from uploaded files (order-independent fingerprint)."""
        ordered = tuple(sorted(files, key=lambda f: f[0]))
        digest = hashlib.sha256()
        for name, data in ordered:
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        return cls(ordered, digest.hexdigest())

    @property
    def names(self) -> list[str]:
        """The file names, for captions."""
        return [name for name, _ in self.files]


def _ss():
    return st.session_state


def started() -> bool:
    """False on a session's first run (before saved settings and the last term are brought in)."""
    return bool(_ss().get(_STARTED))


def set_started() -> None:
    """Mark the session as set up."""
    _ss()[_STARTED] = True


def snapshot_id() -> int | None:
    """The stored term being looked at (None: the upload, or the sample school)."""
    return _ss().get(_SNAPSHOT)


def set_snapshot(value: int | None) -> None:
    """Look at stored snapshot ``value`` (None: back to the upload or the sample school)."""
    _ss()[_SNAPSHOT] = value


def dataset() -> Dataset | None:
    """The user's uploaded files, or None while the sample school is shown."""
    return _ss().get(_DATASET)


def set_dataset(value: Dataset | None) -> None:
    """Replace the uploaded files (None: back to the sample school)."""
    _ss()[_DATASET] = value
    _ss()[_KIND_OVERRIDES] = {}


def settings() -> Settings:
    """The NBfE rule set in force for this session."""
    return _ss().get(_SETTINGS) or Settings.default()


def set_settings(value: Settings | None) -> None:
    """Use ``value`` from now on (None: the shipped defaults)."""
    _ss()[_SETTINGS] = value


def subject_overrides() -> tuple[tuple[str, str, str], ...]:
    """The school's subject-mapping decisions: (label, subject, area) triples."""
    return _ss().get(_SUBJECT_OVERRIDES, ())


def set_subject_overrides(value: tuple[tuple[str, str, str], ...]) -> None:
    """Replace the subject-mapping decisions."""
    _ss()[_SUBJECT_OVERRIDES] = tuple(value)


def kind_overrides() -> dict[str, str]:
    """What the user said an unrecognised file or sheet holds ("file" or "file:sheet" -> kind)."""
    return dict(_ss().get(_KIND_OVERRIDES, {}))


def set_kind_override(target: str, kind: str | None) -> None:
    """Record (or with None, forget) what ``target`` holds."""
    current = kind_overrides()
    if kind:
        current[target] = kind
    else:
        current.pop(target, None)
    _ss()[_KIND_OVERRIDES] = current


def as_of(default: date) -> date:
    """The date targets are pro-rated to (``default`` until the user picks one)."""
    return _ss().get(_AS_OF) or default


def set_as_of(value: date | None) -> None:
    """Pro-rate targets to ``value`` (None: today, or the sample's date)."""
    _ss()[_AS_OF] = value


def school_name() -> str:
    """School name for pupils whose files carry none ('' for none)."""
    return _ss().get(_SCHOOL_NAME, "")


def set_school_name(value: str) -> None:
    """Set the school name used for files that carry none."""
    _ss()[_SCHOOL_NAME] = value.strip()


def file_schools() -> dict[str, str]:
    """The school of each uploaded file, as the user named it on the Import page (file name -> school).

    Kept across uploads (a trust adds files one school at a time); only names of files present are used.
    """
    return dict(_ss().get(_FILE_SCHOOLS, {}))


def set_file_school(file: str, school: str) -> None:
    """Say which school ``file`` is from ("" forgets it)."""
    current = file_schools()
    if school.strip():
        current[file] = school.strip()
    else:
        current.pop(file, None)
    _ss()[_FILE_SCHOOLS] = current


def version(name: str) -> int:
    """A counter appended to a widget's key; bumping it gives the widget a fresh, empty state."""
    return _ss().get(_VERSIONS, {}).get(name, 0)


def bump(name: str) -> None:
    """Reset the widget(s) keyed with ``version(name)``."""
    versions = dict(_ss().get(_VERSIONS, {}))
    versions[name] = versions.get(name, 0) + 1
    _ss()[_VERSIONS] = versions


def loaded_key() -> str | None:
    """The cache key of the data last shown (a new key means reading and scoring will happen)."""
    return _ss().get(_LOADED)


def set_loaded_key(key: str) -> None:
    """Remember which data is on screen."""
    _ss()[_LOADED] = key


def notice() -> tuple[str, str] | None:
    """A one-off message (kind, text) to show on the next run, then forget."""
    return _ss().pop(_NOTICE, None)


def set_notice(kind: str, text: str) -> None:
    """Show ``text`` once on the next run (kind: success, info, warning, error)."""
    _ss()[_NOTICE] = (kind, text)


def _filter_value(key: str) -> object:
    """A kept filter's value: the widget's while it is on screen, else the value kept for it."""
    return _ss()[key] if key in _ss() else _ss().get(_KEPT, {}).get(key)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def cohort_filter() -> CohortFilter:
    """The sidebar's selection as a hashable filter."""
    years = [int(str(y)) for y in _as_list(_filter_value(FILTER_YEARS)) if str(y).isdigit()]
    return CohortFilter(
        schools=tuple(str(s) for s in _as_list(_filter_value(FILTER_SCHOOLS))),
        years=tuple(years),
        group=PupilGroup.of(_filter_value(FILTER_GROUP)) or ALL_PUPILS,
    )


def _parse(key: str, values: list[str]) -> object:
    if key == FILTER_YEARS:
        return [int(v) for v in values if v.strip().isdigit()]
    return list(values) if key in _LIST_FILTERS else (values[-1] if values else None)


def restore_filters() -> None:
    """On a session's first run, take the filters from the address (a reload, a bookmark, a shared link).

    Values the data does not offer are dropped by the widgets' own checks (``sidebar._keep_valid`` and the
    Students page), so a stale link shows everyone rather than failing.
    """
    if _ss().get(_RESTORED):
        return
    _ss()[_RESTORED] = True
    kept = {}
    for key, param in URL_FILTERS.items():
        values = st.query_params.get_all(param)
        if values:
            kept[key] = _parse(key, values)
            _ss()[key] = kept[key]
    _ss()[_KEPT] = kept


def keep(key: str) -> None:
    """Before drawing a kept filter's widget: give it back the value kept while it was off screen
    (Streamlit forgets a widget's state on a run that does not draw it, e.g. on another page)."""
    kept = _ss().get(_KEPT, {})
    if key not in _ss() and kept.get(key) is not None:
        _ss()[key] = kept[key]


def remember(key: str) -> None:
    """After drawing a kept filter's widget: keep its value for other pages and the address."""
    kept = dict(_ss().get(_KEPT, {}))
    kept[key] = _ss().get(key)
    _ss()[_KEPT] = kept


def set_kept(key: str, value: object) -> None:
    """Set a kept filter from code (drill-down opening a pupil): used the next time its widget is drawn."""
    kept = dict(_ss().get(_KEPT, {}))
    kept[key] = value
    _ss()[_KEPT] = kept
    _ss().pop(key, None)


def sync_url() -> None:
    """Write the kept filters into the address (only what changed, so the browser history stays quiet)."""
    kept = _ss().get(_KEPT, {})
    for key, param in URL_FILTERS.items():
        value = kept.get(key)
        if isinstance(value, list | tuple):
            values = [str(v) for v in value]
        else:
            values = [] if value in (None, "", _EVERYONE.get(key)) else [str(value)]
        if values == st.query_params.get_all(param):
            continue
        if values:
            st.query_params[param] = values if key in _LIST_FILTERS else values[0]
        else:
            del st.query_params[param]


def reset_filters() -> None:
    """Clear the sidebar filters (new data may not have the same years or schools)."""
    for key in (FILTER_SCHOOLS, FILTER_YEARS, FILTER_GROUP, STUDENT_PICK, STUDENT_SEARCH, *URL_FILTERS):
        _ss().pop(key, None)
    _ss()[_KEPT] = {}
