"""Keeping an upload as a term, and deleting a stored term: the Import page's store controls."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from natbacc.history import term_label
from natbacc.model import plural
from natbacc.store.database import StoreError
from natbacc.store.snapshots import SnapshotInfo, school_label
from natbacc.ui import actions, state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.safe import md
from natbacc.ui.data import Loaded, open_snapshot

TERM_INPUT = "keep_term"
SCHOOL_INPUT = "keep_school"
REPLACE = "keep_replace"
CONFIRM_DELETE = "confirm_delete_term"


def keep_term_form(loaded: Loaded) -> None:
    """Save the current upload as a term snapshot, so it never needs uploading again (nothing unscored)."""
    analysis = loaded.analysis
    if analysis is None:  # the Import page offers this only for a scored import; an unscored one has nothing to keep
        return
    store = stored_terms.store()
    st.subheader("Keep this import as a term")
    if store is None:
        st.warning(f"This import cannot be kept: {md(stored_terms.problem())}")
        return
    st.caption(
        "Saved terms stay after you close the browser and build the Trends and Schools pages. natbacc keeps only "
        f"the columns it read (never the files themselves, which hold much more) in {md(store.location)}."
    )
    with st.form("keep_term_form"):
        left, right = st.columns(2)
        term = left.text_input("Term", value=term_label(date.today()), key=TERM_INPUT, max_chars=100)
        school = right.text_input(
            "School", value=state.school_name() or school_label(loaded.result), key=SCHOOL_INPUT, max_chars=200
        )
        replace = st.checkbox("Replace this term if it is already saved for this school", key=REPLACE)
        submitted = st.form_submit_button("Save term", type="primary", icon=":material/save:")
    if submitted:
        dataset = state.dataset()
        try:
            info = store.save(
                loaded.result,
                analysis,
                term=term,
                school=school,
                files=dataset.files if dataset else (),
                replace=replace,
                kinds=state.kind_overrides(),
            )
        except StoreError as exc:
            st.error(f"Not saved: {md(exc)}")
            return
        open_snapshot(info.id)
        state.set_notice("success", f"Saved {md(info.title)} ({plural(info.students, 'pupil')}).")
        st.rerun()


def delete_term_control(info: SnapshotInfo) -> None:
    """Delete the stored term being shown (for data-protection requests), after a confirmation tick."""
    with st.expander("Delete this term from the store"):
        st.markdown(
            f"Deletes **{md(info.title)}** and every pupil's data in it ({plural(info.students, 'pupil')}). "
            "This cannot be undone; other terms are kept."
        )
        sure = st.checkbox(f"Yes, delete {md(info.title)}", key=CONFIRM_DELETE)
        if st.button("Delete term", type="primary", disabled=not sure, icon=":material/delete_forever:"):
            try:
                stored_terms.opened().delete([info.id])
            except StoreError as exc:
                st.error(f"Not deleted: {md(str(exc))}")
                return
            st.session_state.pop(CONFIRM_DELETE, None)
            actions.back_to_sample()
            state.set_notice("success", f"Deleted {md(info.title)} and its pupils' data.")
            st.rerun()


def no_terms_yet(what: str) -> None:
    """Stop a history page that has nothing to show, saying how to get there."""
    from natbacc.ui.components.layout import IMPORT_PAGE

    problem = stored_terms.problem()
    if problem:
        st.warning(f"The store is not available: {md(problem)}")
    else:
        st.info(
            f"{what}, and none is saved yet. Upload a term's exports on the Import page and press "
            "**Save term**; each term you save is kept and shown here."
        )
    st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
    st.stop()


def equity_group(frame: pd.DataFrame, key: str) -> tuple[pd.DataFrame, str]:
    """A picker of the pupil groups in equity rows (by id, shown by label), and the rows of the group picked,
    labelled by indicator alone. ``frame`` comes from ``history.with_labels``."""
    groups = list(dict.fromkeys(g for g in frame["equity_group"] if isinstance(g, str) and g))
    names = dict(zip(frame["equity_group"], frame["group_label"], strict=True))
    group = st.selectbox("Group", groups, format_func=names.__getitem__, key=key)
    rows = frame[frame["equity_group"] == group]
    return rows.assign(label=rows["indicator_label"]), names.get(group, "")
