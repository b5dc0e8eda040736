"""Overview: how the whole cohort (or the filtered pupils) stands on the three strands."""

import streamlit as st

from natbacc import figures
from natbacc.availability import Verdict, unmeasured
from natbacc.model import plural
from natbacc.records import any_flag
from natbacc.ui.components.drill import drill_chart
from natbacc.ui.components.layout import chart, metrics, page_header, pct, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.data import current

loaded = current()
page_header(
    "Overview",
    loaded,
    "Where each pupil stands on the three NBfE strands, and where the curriculum narrows.",
)
view = require_view(loaded)
records = view.records
strands = view.strand_summary()
flagged = int(any_flag(records).sum())
on = view.settings.status["on_track"]
metrics(
    [
        ("Pupils", f"{len(records):,}", None),
        *(
            (strand.label, pct(value), f"% of scored pupils with a {strand.label} score of {on} or more (on track)")
            for strand, value in strands.items()
        ),
        (
            "Flagged",
            f"{flagged:,}",
            f"{flagged / len(records) * 100:.0f}% of pupils have at least one narrowing or progress flag; "
            "the chart of flags below breaks them down",
        ),
    ]
)
st.caption(f"Strand figures: % of scored pupils on track (a score of {on} or more out of 100).")

st.subheader("What natbacc found")
findings = view.indicators.findings
missing = unmeasured(loaded.verdicts)
if findings:
    for finding in findings[:6]:
        st.markdown(f"- **{md(finding.topic)}.** {md(finding.text)}")
    if len(findings) > 6:
        with st.expander(f"{plural(len(findings) - 6, 'more finding')}"):
            for finding in findings[6:]:
                st.markdown(f"- **{md(finding.topic)}.** {md(finding.text)}")
elif not missing:
    st.success("No narrowing or progress concern was found for these pupils.")
else:
    st.info("No concern was found in what could be measured for these pupils; some checks could not be made.")
if missing:
    # open when the sidebar's filter is why (the user should see what their filter hides), or nothing was found
    filtered = any(v.verdict is Verdict.FILTERED_OUT for v in missing)
    with st.expander(f"Not measured here ({plural(len(missing), 'check')})", expanded=filtered or not findings):
        for verdict in missing:
            st.markdown(f"- **{md(verdict.measure.label)}**: {md(verdict.reason)}.")

drill_chart(figures.strand_distribution(records, view.settings), key="overview_strands", view=view)
coverage = view.indicators.area_coverage
drill_chart(figures.coverage_heatmap(coverage), key="overview_heatmap", view=view)
if len(coverage) and coverage["year_group"].ge(12).any():
    st.caption(
        "Years 12 and 13 are the sixth form: pupils are expected to specialise in three or four subjects, so "
        "fewer areas there is not narrowing (the chart's headline looks at Years 7 to 11 only)."
    )
chart(figures.status_by_year(records), key="overview_status", height=420)
drill_chart(figures.flag_counts(records), key="overview_flags", view=view)
