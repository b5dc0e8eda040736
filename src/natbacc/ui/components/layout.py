"""Page furniture: the header every page starts with, the no-data guard, charts and metrics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from natbacc.analysis import Analysis
from natbacc.availability import Availability, nothing_scored, scorable, student_noun
from natbacc.cohort import summary_line
from natbacc.model import plural
from natbacc.ui.components.safe import md
from natbacc.ui.data import Loaded

#: Resolved inside the package, so the link works from a checkout and from an installed wheel alike.
IMPORT_PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "import_data.py")
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"scale": 2},
}


def page_header(title: str, loaded: Loaded, intro: str = "") -> None:
    """Title, what is being shown (school/sample, pupils, filter) and a one-line purpose."""
    st.title(title)
    if loaded.view is not None:
        noun = student_noun(loaded.result.issues)
        st.caption(f"{md(loaded.label)} · {md(summary_line(loaded.view, loaded.cohort, noun))}")
    if intro:
        st.markdown(intro)


def require_view(loaded: Loaded, *, scored: bool = True) -> Analysis:
    """The filtered analysis; stops the page with a way forward when there is none.

    ``scored`` (every page but the pupil list): also stop, saying why and what to upload, when not one pupil
    could be scored, so no page shows an all-clear for pupils it never measured.
    """
    if loaded.failure:
        st.error(loaded.failure)
    if loaded.view is None:
        st.warning(
            "There is nothing to show yet: the uploaded files could not be scored. "
            "The Import page lists what needs fixing."
        )
        st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
        st.stop()
    if len(loaded.view.records) == 0:
        st.info("No pupils match the filters in the sidebar. Clear a filter to see pupils again.")
        st.stop()
    why = nothing_scored(loaded.view.records, loaded.result.issues)
    if why:
        st.warning(md(why), icon=":material/warning:")
        if scored:
            st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
            st.stop()
    elif unscored := int((~scorable(loaded.view.records)).sum()):
        noun = student_noun(loaded.result.issues)
        st.caption(
            f"{plural(unscored, noun)} without a year group {'is' if unscored == 1 else 'are'} not scored and not "
            "counted in any figure below; the Import page lists them."
        )
    return loaded.view


def not_available(verdict: Availability) -> None:
    """Say, in place of a figure, that it is not available for this filter (or not measured) and why."""
    st.info(f"**{md(verdict.measure.label)}**: {md(verdict.reason)}.", icon=":material/filter_alt:")


def shown(verdict: Availability, value: str) -> str:
    """A metric's value, or "n/a" when its measure is not measured for these pupils."""
    return value if verdict.measured else "n/a"


def chart(fig: go.Figure, key: str, height: int | None = None) -> None:
    """A Plotly figure at full width with the house config (no logo, PNG export at 2x)."""
    if height:
        fig.update_layout(height=height)
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, theme=None)


def metrics(items: Sequence[tuple[str, str, str | None]]) -> None:
    """A row of headline figures: (label, value, help)."""
    for col, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=help_text, border=True)


def pct(value: float) -> str:
    """A percentage for a metric ("n/a" when there is nothing to divide)."""
    return "n/a" if value != value else f"{value:.0f}%"
