"""Widget callbacks and label formatters, in an importable module.

Streamlit keeps references to callbacks and ``format_func``s with the widgets; with
``runner.enforceSerializableSessionState`` on they must be picklable, which functions defined in
a page script (or lambdas) are not. Keeping them here also keeps the pages declarative.
"""

from __future__ import annotations

import streamlit as st

from natbacc.model import KIND_LABELS, TableKind
from natbacc.ui import state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.tables import STATUS_LABELS
from natbacc.vocabulary import EquityGroup, Flag, PupilGroup

UPLOADER = "uploader"
SOURCE_PICK = "source_pick"
#: What the sidebar's data picker offers, label -> source ("sample", "upload" or a snapshot id).
SOURCE_OPTIONS = "source_options"
SCHOOL_INPUT = "school_name_input"
AS_OF_INPUT = "as_of_input"


def uploader_key() -> str:
    """The uploader's current key (a new one empties it)."""
    return f"{UPLOADER}_{state.version(UPLOADER)}"


def on_upload() -> None:
    """Files were added or removed: load them (or, with none left, the sample school)."""
    files = st.session_state.get(uploader_key()) or []
    state.reset_filters()
    state.set_dataset(state.Dataset.of([(f.name, f.getvalue()) for f in files]) if files else None)
    _leave_snapshot()


def _leave_snapshot() -> None:
    """Stop looking at a stored term (its date and the picker's choice go with it)."""
    if state.snapshot_id() is not None:
        state.set_snapshot(None)
        state.set_as_of(None)
        st.session_state.pop(AS_OF_INPUT, None)
    st.query_params.pop("term", None)
    st.session_state.pop(SOURCE_PICK, None)


def back_to_sample() -> None:
    """Forget the uploads and show the sample school."""
    state.set_dataset(None)
    state.reset_filters()
    state.bump(UPLOADER)
    _leave_snapshot()


def on_pick_source() -> None:
    """The sidebar's data picker changed: a stored term, the unsaved upload or the sample school."""
    from natbacc.ui.data import open_snapshot

    choice = st.session_state.get(SOURCE_OPTIONS, {}).get(st.session_state.get(SOURCE_PICK))
    if isinstance(choice, int):
        if not open_snapshot(choice):
            state.set_notice("warning", "That term is no longer in the store.")
        return
    state.reset_filters()
    if choice == "sample":
        state.set_dataset(None)
        state.bump(UPLOADER)
    _leave_snapshot()


def on_school_name() -> None:
    """The school-name box changed."""
    state.set_school_name(st.session_state.get(SCHOOL_INPUT, ""))


def on_file_school(file: str, key: str) -> None:
    """A file's school box on the Import page changed."""
    state.set_file_school(file, st.session_state.get(key, ""))


def reset_mapping() -> None:
    """Undo every subject-mapping decision."""
    state.set_subject_overrides(())
    stored_terms.remember_overrides(())
    state.bump("mapping")


def on_as_of() -> None:
    """The pro-rating date changed."""
    state.set_as_of(st.session_state.get(AS_OF_INPUT))


def reset_settings() -> None:
    """Back to the shipped rule set and the default date."""
    state.set_settings(None)
    stored_terms.remember_settings(None)
    state.set_as_of(None)
    state.bump("settings")
    st.session_state.pop(AS_OF_INPUT, None)


def year_label(year: int) -> str:
    """7 -> "Year 7"."""
    return f"Year {year}"


def kind_label(kind: TableKind | None) -> str:
    """A table kind in words ("Not set" for None)."""
    return "Not set" if kind is None else KIND_LABELS[kind]


def none_label(value: str | None) -> str:
    """A choice that may be None."""
    return "None" if value is None else value


def status_label(status: str) -> str:
    """An overall status with its symbol."""
    return STATUS_LABELS[status]


def flag_label(code: str) -> str:
    """A flag in words ("No arts subject"), for pickers that keep the code as their value. A named function,
    not a lambda: Streamlit keeps a widget's format function in session state, which must pickle."""
    flag = Flag.of(code)
    return flag.label if flag is not None else code


def pupil_group_label(code: str) -> str:
    """A pupil group's id in words, for the sidebar's picker."""
    group = PupilGroup.of(code)
    return group.label if group else code


#: The Equity page's "every group" choice.
ALL_EQUITY_GROUPS = "all"


def equity_group_label(code: str) -> str:
    """An equity group's id in words ("All groups" for every group)."""
    group = EquityGroup.of(code)
    return group.label if group else "All groups"
