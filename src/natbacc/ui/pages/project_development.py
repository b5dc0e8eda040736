"""Project & Development: progress across the cohort on the two personal strands, and who is behind."""

import streamlit as st

from natbacc import figures
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


def has(flag: Flag):
    """Pupils carrying ``flag``."""
    return records[flag.column]


strands = view.strand_summary()
metrics(
    [
        ("Personal Project: on track", pct(strands[Strand.PERSONAL_PROJECT]), None),
        (
            "Projects behind or not started",
            f"{int((has(Flag.PROJECT_BEHIND) | has(Flag.PROJECT_NOT_STARTED)).sum()):,}",
            None,
        ),
        ("Personal Development: on track", pct(strands[Strand.PERSONAL_DEVELOPMENT]), None),
        ("Behind on PD hours", f"{int(has(Flag.PD_BEHIND).sum()):,}", None),
    ]
)
project_tab, development_tab = st.tabs(["Personal Project", "Personal Development"])
with project_tab:
    project_log = loaded.analysis is not None and not loaded.analysis.tables["project"].empty
    chart(figures.project_stages(records, settings, log_imported=project_log), key="pd_project_stages")
    behind = records[(has(Flag.PROJECT_BEHIND) | has(Flag.PROJECT_NOT_STARTED)).to_numpy()]
    st.subheader(f"Behind or not started: {plural(len(behind), 'pupil')}")
    if len(behind):
        pupil_table(behind, key="pd_project_behind", height=320, why="personal_project_explanation")
with development_tab:
    chart(figures.pd_hours_by_year(records, settings, view.as_of), key="pd_hours")
    if loaded.programme_note:
        st.caption(md(loaded.programme_note))
    behind = records[(has(Flag.PD_BEHIND) | has(Flag.PD_CATEGORY_GAP)).to_numpy()]
    st.subheader(f"Behind on hours or missing a category: {plural(len(behind), 'pupil')}")
    if len(behind):
        pupil_table(behind, key="pd_dev_behind", height=320, why="personal_development_explanation")
