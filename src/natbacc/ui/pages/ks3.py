"""Key Stage 3: is it three years, is every statutory subject taught, and which areas are dropped early?"""

import streamlit as st

from natbacc import figures
from natbacc.ui.components.layout import chart, metrics, page_header, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.data import current

loaded = current()
page_header(
    "Key Stage 3",
    loaded,
    "Shortened KS3, statutory subjects missing, and areas pupils stop studying before Year 10.",
)
view = require_view(loaded)
ind = view.indicators
length = ind.ks3_length.iloc[0]
stat = ind.statutory_coverage
every = stat[stat["statutory"] == "all_statutory"]
lost = ind.dropped_before_y10
lost = lost[lost["dropped_in_year"].notna()] if len(lost) else lost


def _year(value) -> str:
    return "n/a" if value is None or value != value else f"{int(value)}"


weakest = every.iloc[int(every["pct_students"].argmin())] if len(every) else None
metrics(
    [
        ("KS3 length", f"{_year(length['ks3_years'])} years", "From Year 7 until option choices begin."),
        (
            "Options begin",
            f"Year {_year(length['options_start_year'])}",
            "The first year group whose curriculum diverges the way option blocks do.",
        ),
        (
            "Study every statutory subject",
            "n/a" if weakest is None else f"{weakest['pct_students']:.0f}%",
            "n/a"
            if weakest is None
            else f"Lowest year: Year {int(weakest['year_group'])}. Share of pupils timetabled for every statutory "
            "KS3 subject.",
        ),
        ("Areas dropped before Y10", f"{len(lost)}", "Areas some pupils stop studying during KS3."),
    ]
)
st.caption(f"How KS3 length was judged: {md(length['evidence'])}.")

chart(figures.ks3_time_share(ind.area_coverage, view.settings), key="ks3_time")
chart(figures.statutory_heatmap(stat), key="ks3_statutory")
gaps = ind.group_statutory_gaps
st.subheader("Tutor groups missing a statutory subject")
if gaps.empty:
    st.success("No tutor group misses a statutory subject that the rest of its year studies.")
else:
    st.dataframe(
        gaps[["year_group", "reg_group", "subject", "pupils"]],
        hide_index=True,
        column_config={
            "year_group": st.column_config.NumberColumn("Year", format="%d"),
            "reg_group": "Tutor group",
            "subject": "Missing subject",
            "pupils": "Pupils affected",
        },
    )
chart(figures.area_coverage_lines(ind.area_coverage, ind.dropped_before_y10), key="ks3_dropped")
if len(lost):
    st.dataframe(
        lost.drop(columns=["school", "area"]).rename(
            columns={"area_label": "Area", "dropped_in_year": "Dropped in year"}
        ),
        hide_index=True,
        column_config={
            "Dropped in year": st.column_config.NumberColumn(format="Year %d"),
            **{y: st.column_config.NumberColumn(f"{y} % studying", format="%.0f%%") for y in ("Y7", "Y8", "Y9")},
        },
    )
