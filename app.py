"""natbacc dashboard entry point (foundation version: the sample school's pupils and import report)."""

import streamlit as st

from natbacc.io import import_files
from natbacc.model import KIND_LABELS, issues_frame
from natbacc.sample import sample_paths

st.set_page_config(page_title="natbacc", layout="wide")
st.title("natbacc: curriculum breadth tracker")
st.info("Showing the bundled **sample school** (synthetic data, no real pupils).")


@st.cache_data(show_spinner="Reading the sample school...")
def _sample():
    result = import_files(sample_paths())
    return result.tables, result.issues, result.sheets


tables, issues, sheets = _sample()
st.subheader("What each file was recognised as")
st.dataframe(
    [
        {
            "file": s.file,
            "sheet": s.sheet,
            "kind": KIND_LABELS.get(s.kind, "not recognised"),
            "rows": s.rows,
            "pupils": s.students,
        }
        for s in sheets
    ],
    hide_index=True,
)
st.subheader("Import issues")
st.dataframe(issues_frame(issues), hide_index=True)
st.subheader(f"Pupils ({len(tables['students']):,})")
st.dataframe(tables["students"], hide_index=True)
