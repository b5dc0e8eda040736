"""Page furniture: the header every page starts with, the no-data guard, charts and metrics."""

from __future__ import annotations

import html
import re
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
        noun = student_noun(loaded.result)
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
    why = nothing_scored(loaded.view.records, loaded.result)
    if why:
        st.warning(md(why), icon=":material/warning:")
        if scored:
            st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
            st.stop()
    elif unscored := int((~scorable(loaded.view.records)).sum()):
        noun = student_noun(loaded.result)
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


#: Streamlit's own styles cut metric labels and values with an ellipsis ("1,…", "Pers…") when a row of cards
#: is narrower than its text (a 1024 px laptop, a phone); these let them wrap instead. Chart headings are HTML
#: (``chart``), so they wrap like any paragraph.
_STYLE = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* a row of cards wraps onto a second line rather than squeezing each card below a word's width */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) { flex-wrap: wrap; }
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
  min-width: 10rem;
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.6vw, 2.25rem); line-height: 1.15; }
.natbacc-chart-title { font-weight: 600; font-size: 1.05rem; margin: 0.6rem 0 0.1rem 0; }
</style>"""


def page_style() -> None:
    """The few style rules above, once per run (a ``<style>`` block takes no space on the page)."""
    st.html(_STYLE)


_TAG = re.compile(r"<[^>]+>")


def _words(plotly_text: str | None) -> str:
    """A Plotly title as plain words: line breaks become spaces, tags go, entities are read back."""
    return " ".join(html.unescape(_TAG.sub(" ", plotly_text or "")).split())


def _legend_entries(fig: go.Figure) -> int:
    """How many entries the figure's legend shows (Plotly shows none for a lone trace unless asked to)."""
    if fig.layout.showlegend is False:
        return 0
    names = {
        (t.legendgroup or t.name)
        for t in fig.data
        if t.type not in {"heatmap", "sankey"} and (t.showlegend or (t.showlegend is None and len(fig.data) > 1))
    }
    return len(names)


def chart(fig: go.Figure, key: str, height: int | None = None) -> None:
    """A Plotly figure at full width with the house config (no logo, PNG export at 2x), its finding above it."""
    st.plotly_chart(present(fig, height), width="stretch", config=PLOTLY_CONFIG, key=key, theme=None)


def present(fig: go.Figure, height: int | None = None) -> go.Figure:
    """Draw the figure's finding and subtitle as page text, and lay the figure out to sit under them.

    Every chart goes through here, clickable (``drill_chart``) or not. The title (the finding) and subtitle
    are drawn above the chart as page text, not inside the SVG: Plotly never wraps a title, so on a laptop
    or a phone the finding was cut mid-sentence, and a screen reader reads page text where it skips a
    chart's SVG. The figure itself (the core's) keeps both.
    """
    title, subtitle = _words(fig.layout.title.text), _words(fig.layout.title.subtitle.text)
    if title:
        st.html(f'<p class="natbacc-chart-title" role="heading" aria-level="3">{html.escape(title)}</p>')
    if subtitle:
        st.caption(md(subtitle))
    # The key goes above the plot, at the top left (beside the plot it squeezed the plot to a sliver on a
    # phone); Plotly makes the top margin as tall as the key needs. Panel titles sit above the plot too, so a
    # figure with them keeps room for a key of one entry per line plus the titles. The finding stays in the
    # figure's metadata (it names the chart for tests and tools reading the spec).
    entries = _legend_entries(fig)
    panel_titles = any(a.yref == "paper" and (a.y or 0) >= 0.999 for a in fig.layout.annotations)
    top = 22 * entries + 44 if panel_titles else 16
    fig.update_layout(
        title={"text": "", "subtitle": {"text": ""}},
        margin={"t": max(top, 24)},
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0, "xanchor": "left"},
        meta={"title": title},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def metrics(items: Sequence[tuple[str, str, str | None]]) -> None:
    """A row of headline figures: (label, value, help)."""
    for col, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=help_text, border=True)


def pct(value: float) -> str:
    """A percentage for a metric ("n/a" when there is nothing to divide)."""
    return "n/a" if value != value else f"{value:.0f}%"
