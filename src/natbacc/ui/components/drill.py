"""Drill-down on a chart: click a bar, a heatmap cell or a marker, see exactly the pupils behind it.

Which pupils, and how many, comes from the core (``natbacc.drill.pupils_behind``); this module only reads
the click (Streamlit's Plotly selection event), lists the pupils, opens a pupil's profile and offers a
download of the list with formulas neutralised (like the workbook).
"""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import streamlit as st

from natbacc.analysis import Analysis
from natbacc.drill import download_frame, pupil_key, pupils_behind, selected_mark
from natbacc.formulas import csv_bytes
from natbacc.ui import state
from natbacc.ui.components.layout import PLOTLY_CONFIG, present
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import pupil_table
from natbacc.ui.paths import STUDENTS_PAGE


def open_profile(key: str) -> None:
    """Open pupil ``key``'s profile on the Students page (its list filters cleared, so the pupil is there)."""
    for widget in (state.STUDENT_GROUPS, state.STUDENT_STATUS, state.STUDENT_FLAGS):
        state.set_kept(widget, [])
    st.session_state.pop(state.STUDENT_SEARCH, None)
    state.set_kept(state.STUDENT_PICK, key)
    st.switch_page(STUDENTS_PAGE)


def drill_chart(fig: go.Figure, key: str, view: Analysis, height: int | None = None) -> None:
    """A chart whose marks can be clicked; under it, the pupils behind the clicked mark."""
    event = st.plotly_chart(
        present(fig, height),
        width="stretch",
        config=PLOTLY_CONFIG,
        key=key,
        theme=None,
        on_select="rerun",
        selection_mode="points",
    )
    chosen = selected_mark(event.selection.points)
    if chosen is None:
        st.caption("Click a bar, cell or marker to list the pupils behind it.")
        return
    behind = pupils_behind(view, chosen)
    if behind is None:
        return
    # widgets under the list are keyed by the mark too: another bar starts with a fresh choice and no row picked
    own = f"{key}_{hashlib.sha256(chosen.encode().encode('utf-8')).hexdigest()[:12]}"
    with st.container(border=True, key=f"{key}_drill"):
        sides = [behind.title] + ([behind.others_title] if behind.others is not None else [])
        side = st.radio("Pupils", sides, horizontal=True, key=f"{own}_side", label_visibility="collapsed")
        pupils = behind.others if side != behind.title and behind.others is not None else behind.pupils
        st.markdown(f"**{md(side)}**")
        if pupils.empty:
            st.caption("No pupils.")
            return
        table = pupils.reset_index(drop=True)
        picked = pupil_table(table, key=f"{own}_pupils", selectable=True, height=min(38 + 35 * len(table), 360))
        st.caption("Click a row to open the pupil's profile.")
        st.download_button(
            f"Download this list ({len(table):,} pupils, CSV)",
            data=csv_bytes(download_frame(table)),
            file_name=f"natbacc-pupils-{chosen.chart.value}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"{own}_download",
            icon=":material/download:",
        )
        rows = picked.selection.rows
        if rows and rows[0] < len(table):
            open_profile(str(pupil_key(table).iloc[rows[0]]))
