"""natbacc dashboard entry point.

Foundation version: the bundled sample school's findings, strand summary, import report and
pupils. The full multipage dashboard (upload, KS3/KS4/equity pages, export) is issue #4.
"""

import streamlit as st

from natbacc.analysis import analyse
from natbacc.io import import_files
from natbacc.model import KIND_LABELS, issues_frame
from natbacc.sample import AS_OF, sample_paths

st.set_page_config(page_title="natbacc", layout="wide")
st.title("natbacc: curriculum breadth tracker")
st.info("Showing the bundled **sample school**, Oakfield Academy (synthetic data: no real pupils).")


@st.cache_data(show_spinner="Reading and scoring the sample school...")
def _sample():
    result = import_files(sample_paths())
    analysis = analyse(result.tables, as_of=AS_OF)
    return result.issues, result.sheets, analysis.records, analysis.strand_summary(), analysis.indicators.findings


issues, sheets, records, strands, findings = _sample()
cols = st.columns(4)
cols[0].metric("Pupils", f"{len(records):,}")
for col, (label, pct) in zip(cols[1:], strands.items(), strict=True):
    col.metric(f"{label}: on track", f"{pct:.0f}%")

st.subheader("What natbacc found")
for finding in findings:
    st.markdown(f"- {finding.text}")

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
st.subheader("Pupils")
st.dataframe(
    records[
        [
            "student_id",
            "name",
            "year_group",
            "reg_group",
            "core_learning_score",
            "personal_project_score",
            "personal_development_score",
            "overall_status",
            "flags",
            "explanation",
        ]
    ],
    hide_index=True,
)
