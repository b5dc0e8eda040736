"""Schools: a trust's schools side by side on the same indicators, term by term."""

import streamlit as st

from natbacc.figures import school_comparison
from natbacc.history import ALL_SCHOOLS, SECTIONS, with_labels
from natbacc.ui import store as stored_terms
from natbacc.ui.components.layout import chart
from natbacc.ui.components.safe import md
from natbacc.ui.components.terms import equity_group, no_terms_yet
from natbacc.vocabulary import Section

st.title("Schools")
st.markdown(
    "A trust's schools compared on the same indicators, each on its own pupils. Save each school's import "
    "as the same term (or one trust-wide file with a School column) to see them here."
)
if not stored_terms.snapshots():
    no_terms_yet("School comparisons need saved terms")
frame = with_labels(stored_terms.indicators(stored_terms.revision()))
terms = list(dict.fromkeys(frame["term"]))
term = st.selectbox("Term", terms[::-1], key="schools_term")
this = frame[frame["term"] == term].drop_duplicates(["school", "indicator", "equity_group"], keep="last")
schools = sorted(set(this["school"]) - {ALL_SCHOOLS})
if len(schools) < 2:
    st.info(
        f"Only {md(schools[0]) if schools else 'one school'} is saved for {md(term)}. Save the other schools' imports "
        "under the same term label to compare them."
    )
tabs = st.tabs([section.label for section in SECTIONS])
for tab, section in zip(tabs, SECTIONS, strict=True):
    with tab:
        rows, title = this[this["section"] == section], f"{section.label}, {term}"
        if section is Section.EQUITY and not rows.empty:
            rows, group = equity_group(rows, "schools_equity_group")
            title = f"Equity gaps for {group}, {term}"
        chart(school_comparison(rows[rows["school"] != ALL_SCHOOLS], title), key=f"schools_{section.label}")
        table = rows.pivot_table(index="label", columns="school", values="value", sort=False, aggfunc="last")
        st.dataframe(table, width="stretch", key=f"schools_table_{section.label}", column_config={"label": "Indicator"})
