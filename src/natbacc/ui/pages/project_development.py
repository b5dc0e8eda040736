"""Project & Development: progress across the cohort on the two personal strands, and who is behind."""

import streamlit as st

from natbacc import figures
from natbacc.drill import flagged_split
from natbacc.model import plural
from natbacc.ui.components.layout import chart, metrics, page_header, pct, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import pupil_table
from natbacc.ui.data import current
from natbacc.vocabulary import Flag, Strand

loaded = current()
page_header(
    "Project & Development",
    loaded,
    "The Personal Project and the Personal Development Programme: where each year group is, and who needs a nudge.",
)
view = require_view(loaded)
records = view.records
settings = view.settings


strands = view.strand_summary()
on = settings.status["on_track"]
# The metric, the heading and the list count the same pupils; flagged pupils whose score is still on track
# are listed apart ("slipping"), never under "behind".
project = flagged_split(records, (Flag.PROJECT_BEHIND, Flag.PROJECT_NOT_STARTED), Strand.PERSONAL_PROJECT, on)
development = flagged_split(records, (Flag.PD_BEHIND, Flag.PD_CATEGORY_GAP), Strand.PERSONAL_DEVELOPMENT, on)
metrics(
    [
        ("Personal Project: on track", pct(strands[Strand.PERSONAL_PROJECT]), None),
        (
            "Projects behind or not started",
            f"{len(project.behind):,}",
            f"Flagged and scoring under {on} on the Personal Project (the list on the Personal Project tab).",
        ),
        ("Personal Development: on track", pct(strands[Strand.PERSONAL_DEVELOPMENT]), None),
        (
            "Behind on PD hours or a category",
            f"{len(development.behind):,}",
            f"Flagged and scoring under {on} on Personal Development (the list on its tab).",
        ),
    ]
)


def _slipping(split, key: str, why: str) -> None:
    if len(split.slipping):
        with st.expander(f"Slipping but still on track: {plural(len(split.slipping), 'pupil')}"):
            st.caption(f"Behind what is expected by now, but still scoring {on} or more: worth a nudge.")
            pupil_table(split.slipping, key=key, height=320, why=why)


project_tab, development_tab = st.tabs(["Personal Project", "Personal Development"])
with project_tab:
    project_log = loaded.analysis is not None and not loaded.analysis.tables["project"].empty
    chart(figures.project_stages(records, settings, log_imported=project_log), key="pd_project_stages")
    st.subheader(f"Behind or not started: {plural(len(project.behind), 'pupil')}")
    if len(project.behind):
        pupil_table(project.behind, key="pd_project_behind", height=320, why="personal_project_explanation")
    _slipping(project, "pd_project_slipping", "personal_project_explanation")
with development_tab:
    chart(figures.pd_hours_by_year(records, settings, view.as_of), key="pd_hours")
    if loaded.programme_note:
        st.caption(md(loaded.programme_note))
    st.subheader(f"Behind on hours or missing a category: {plural(len(development.behind), 'pupil')}")
    if len(development.behind):
        pupil_table(development.behind, key="pd_dev_behind", height=320, why="personal_development_explanation")
    _slipping(development, "pd_dev_slipping", "personal_development_explanation")
