"""The shared controls in the sidebar: which data is loaded, and which pupils every page shows.

Rendered by app.py on every run (not by a page), so the filters keep their values from page to
page.
"""

from __future__ import annotations

import streamlit as st

from natbacc.availability import student_noun
from natbacc.cohort import ALL_PUPILS, PUPIL_GROUPS
from natbacc.model import plural
from natbacc.ui import actions, state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.safe import md
from natbacc.ui.data import SAMPLE_LABEL, Loaded


def render_sidebar(loaded: Loaded, *, filters: bool = True) -> None:
    """Data source, then the cohort filters built from the pupils actually loaded.

    ``filters`` False (a page of saved terms, Import, Settings): the filters are not offered, since that page
    does not apply them; they are kept, and come back on the next page that does.
    """
    with st.sidebar:
        st.markdown("### Data")
        _source_picker(loaded)
        if loaded.is_sample:
            st.caption("Synthetic pupils, no real data.")
        elif loaded.snapshot is not None:
            s = loaded.snapshot
            st.caption(f"Stored term: {plural(s.students, 'pupil')}, as of {s.as_of:%d/%m/%Y}.")
        else:
            ds = state.dataset()
            names = ds.names if ds else []
            st.caption(
                ("Not saved yet: keep it as a term on the Import page. " if loaded.analysis is not None else "")
                + ", ".join(md(n) for n in names[:4])
                + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            )
        if loaded.analysis is None:
            st.error("Not scored: see the Import page.")
            return
        records = loaded.analysis.records
        st.markdown("### Pupils shown")
        if not filters:
            chosen = loaded.cohort.describe()
            st.caption(
                "This page does not use the pupil filters"
                + ("." if loaded.cohort.is_everyone else f" (kept for the other pages: {md(chosen)}).")
            )
            return
        for key in (state.FILTER_SCHOOLS, state.FILTER_YEARS, state.FILTER_GROUP):
            state.keep(key)
        schools = sorted(s for s in records["school"].dropna().unique())
        if len(schools) > 1:
            _keep_valid(state.FILTER_SCHOOLS, schools)
            st.multiselect("School", schools, key=state.FILTER_SCHOOLS, placeholder="All schools")
        years = sorted(int(y) for y in records["year_group"].dropna().unique())
        _keep_valid(state.FILTER_YEARS, years)
        st.multiselect(
            "Year groups",
            years,
            key=state.FILTER_YEARS,
            format_func=actions.year_label,
            placeholder="All year groups",
        )
        groups = [ALL_PUPILS.value] + [g.value for g, (col, _) in PUPIL_GROUPS.items() if records[col].notna().any()]
        _keep_valid(state.FILTER_GROUP, groups)
        st.selectbox(
            "Pupil group",
            groups,
            key=state.FILTER_GROUP,
            format_func=actions.pupil_group_label,
            help="Pupil Premium, SEN and EAL come from the pupil details file.",
        )
        for key in (state.FILTER_SCHOOLS, state.FILTER_YEARS, state.FILTER_GROUP):
            state.remember(key)
        if loaded.view is not None:
            shown = len(loaded.view.records)
            st.caption(f"Showing {plural(shown, student_noun(loaded.result))} of {len(records):,}.")
        if not loaded.cohort.is_everyone:
            st.button("Clear filters", on_click=state.reset_filters, icon=":material/filter_alt_off:")


def _source_picker(loaded: Loaded) -> None:
    """Stored terms (newest first), the unsaved upload and the sample school, in one picker."""
    options: dict[str, object] = {}
    for info in reversed(stored_terms.snapshots()):
        options[info.title] = info.id
    if state.dataset() is not None:
        options["Uploaded files (not saved)"] = "upload"
    options[SAMPLE_LABEL] = "sample"
    current = loaded.snapshot.id if loaded.snapshot is not None else ("sample" if loaded.is_sample else "upload")
    st.session_state[actions.SOURCE_OPTIONS] = options
    labels = list(options)
    st.session_state[actions.SOURCE_PICK] = next((k for k, v in options.items() if v == current), labels[0])
    st.selectbox(
        "Showing",
        labels,
        key=actions.SOURCE_PICK,
        on_change=actions.on_pick_source,
        help="Every term saved on the Import page is kept here; pick one to look at it again.",
    )


def _keep_valid(key: str, options: list) -> None:
    """Drop a remembered choice that the newly loaded data no longer offers."""
    current = st.session_state.get(key)
    if current is None:
        return
    if isinstance(current, list):
        valid = [v for v in current if v in options]
        if valid != current:
            st.session_state[key] = valid
    elif current not in options:
        st.session_state.pop(key)
