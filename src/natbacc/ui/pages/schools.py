"""Schools: a trust's schools side by side on the same indicators, term by term."""

import streamlit as st

from natbacc.figures import school_comparison
from natbacc.history import ALL_SCHOOLS, SECTIONS
from natbacc.ui import store as stored_terms
from natbacc.ui.components.layout import chart
from natbacc.ui.components.terms import no_terms_yet

st.title("Schools")
st.markdown(
    "A trust's schools compared on the same indicators, each on its own pupils. Save each school's import "
    "as the same term (or one trust-wide file with a School column) to see them here."
)
if not stored_terms.snapshots():
    no_terms_yet("School comparisons need saved terms")
frame = stored_terms.indicators(stored_terms.revision())
terms = list(dict.fromkeys(frame["term"]))
term = st.selectbox("Term", terms[::-1], key="schools_term")
this = frame[frame["term"] == term].drop_duplicates(["school", "key"], keep="last")
schools = sorted(set(this["school"]) - {ALL_SCHOOLS})
if len(schools) < 2:
    st.info(
        f"Only {schools[0] if schools else 'one school'} is saved for {term}. Save the other schools' imports "
        "under the same term label to compare them."
    )
tabs = st.tabs(list(SECTIONS))
for tab, section in zip(tabs, SECTIONS, strict=True):
    with tab:
        part = this[(this["section"] == section) & (this["school"] != ALL_SCHOOLS)]
        if section == "Equity" and not part.empty:
            groups = sorted({label.split(": ", 1)[0] for label in part["label"]})
            group = st.selectbox("Group", groups, key="schools_equity_group")
            part = part[part["label"].str.startswith(f"{group}: ")]
        chart(school_comparison(part, f"{section}, {term}"), key=f"schools_{section}")
        table = this[this["section"] == section].pivot_table(
            index="label", columns="school", values="value", sort=False, aggfunc="last"
        )
        if section == "Equity" and not part.empty:
            table = table[table.index.str.startswith(f"{group}: ")]
        st.dataframe(table, width="stretch", key=f"schools_table_{section}", column_config={"label": "Indicator"})
