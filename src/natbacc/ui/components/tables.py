"""Tables shown on more than one page: import report, issues, pupil lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

import pandas as pd
import streamlit as st
from pandas.api.typing import NAType
from streamlit.delta_generator import DeltaGenerator
from streamlit.typing import DataframeState

if TYPE_CHECKING:  # what st.column_config's helpers return and st.dataframe takes; not re-exported publicly
    from streamlit.elements.lib.column_types import ColumnConfig

from natbacc.model import ImportResult, Issue, issues_frame
from natbacc.palette import series_colour
from natbacc.records import flags_words
from natbacc.vocabulary import Status

#: Words first, with a symbol that renders in any font (no emoji: they vanish on machines without colour fonts).
SEVERITY_LABELS = {"error": "✗ Error", "warning": "⚠ Warning", "info": "• Note"}
_STATUS_SYMBOLS = {Status.ON_TRACK: "✓", Status.AT_RISK: "⚠", Status.OFF_TRACK: "✗", Status.NOT_SCORED: "–"}
#: Each status in words with a symbol, so colour is never the only cue.
STATUS_LABELS = {status.value: f"{_STATUS_SYMBOLS[status]} {status.value}" for status in Status}
#: Score bars in pupil tables (``config/palette.toml``'s first series colour).
_SCORE_BAR = series_colour(0)


def sheets_frame(result: ImportResult) -> pd.DataFrame:
    """What each file or sheet was recognised as, in words."""
    unreadable = result.unreadable_sheets
    rows = []
    for s in result.sheets:
        if s.label is not None:
            what = s.label
        elif (s.file, s.sheet) in unreadable:
            what = "✗ could not be read"
        else:
            what = "⚠ not recognised (skipped)"
        rows.append(
            {
                "File": s.file,
                "Sheet": s.sheet or "",
                "Recognised as": what,
                "Rows": f"{s.rows:,}" if s.kind else "",
                "Pupils": f"{s.students:,}" if s.kind else "",
                "Header row": str(s.header_row or ""),
            }
        )
    return pd.DataFrame(rows, columns=["File", "Sheet", "Recognised as", "Rows", "Pupils", "Header row"])


def _row_text(row: int | NAType) -> str:
    """An issue's row number with thousands separators; blank, not "None", where no row applies."""
    return "" if pd.isna(row) else f"{row:,}"


def issues_table(issues: list[Issue], key: str) -> None:
    """The importer's issues, blocking errors first, located by file, sheet, row and column."""
    frame = issues_frame(issues)
    frame = frame.assign(
        severity=frame["severity"].map(SEVERITY_LABELS),
        row=frame["row"].map(_row_text),
        sheet=frame["sheet"].fillna(""),
        column=frame["column"].fillna(""),
    ).drop(columns="code")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "severity": st.column_config.TextColumn("Severity", width="small"),
            "file": "File",
            "sheet": "Sheet",
            "row": st.column_config.TextColumn("Row", width="small"),
            "column": "Column",
            "message": st.column_config.TextColumn("What to do", width="large"),
        },
    )


@overload
def pupil_table(
    records: pd.DataFrame,
    key: str,
    selectable: Literal[False] = False,
    height: int | None = None,
    why: str | None = None,
) -> DeltaGenerator: ...


@overload
def pupil_table(
    records: pd.DataFrame, key: str, selectable: Literal[True], height: int | None = None, why: str | None = None
) -> DataframeState: ...


def pupil_table(
    records: pd.DataFrame, key: str, selectable: bool = False, height: int | None = None, why: str | None = None
) -> DeltaGenerator | DataframeState:
    """Pupils with their strand scores and flags; returns the selection event when ``selectable``.

    ``why`` names a column (a strand's explanation) shown in place of the flags.
    """
    cols = [
        "name",
        "student_id",
        "year_group",
        "reg_group",
        "overall_status",
        "core_learning_score",
        "personal_project_score",
        "personal_development_score",
        "flags",
    ]
    if "school" in records and records["school"].nunique() > 1:  # a trust: pupil 17 of two schools, told apart
        cols.insert(2, "school")
    frame = records[[c for c in cols if c in records]].assign(
        overall_status=records["overall_status"].map(STATUS_LABELS),
        flags=flags_words(records),
    )
    if why:
        frame = frame.assign(flags=records[why])
    config: dict[str, ColumnConfig | str] = {
        "name": st.column_config.TextColumn("Name", pinned=True, width="medium"),
        "student_id": "ID",
        "school": st.column_config.TextColumn("School", width="small"),
        "year_group": st.column_config.NumberColumn("Year", format="%d", width="small"),
        "reg_group": st.column_config.TextColumn("Group", width="small"),
        "overall_status": st.column_config.TextColumn("Status", width="medium"),
        # A score is a length, not a verdict: one neutral blue (the status column carries the verdict), never
        # the theme's red, which made a score of 100 look like an alarm.
        "core_learning_score": st.column_config.ProgressColumn(
            "Core Learning", min_value=0, max_value=100, format="%.0f", width="small", color=_SCORE_BAR
        ),
        "personal_project_score": st.column_config.ProgressColumn(
            "Project", min_value=0, max_value=100, format="%.0f", width="small", color=_SCORE_BAR
        ),
        "personal_development_score": st.column_config.ProgressColumn(
            "Development", min_value=0, max_value=100, format="%.0f", width="small", color=_SCORE_BAR
        ),
        "flags": st.column_config.TextColumn("Why" if why else "Flags", width="large"),
    }
    if selectable:
        return st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config=config,
            key=key,
            height=height or "auto",
            on_select="rerun",
            selection_mode="single-row",
        )
    return st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key=key, height=height or "auto")
