"""About the scores: what NBfE is, and how every score, status and flag is worked out under the rule set in force.

The words come from ``natbacc.about``, which reads every number from the session's settings, so changing a
threshold in Settings changes this page. Each section links the Sources entries its defaults come from.
"""

import streamlit as st

from natbacc.about import about_sections
from natbacc.sources import entries
from natbacc.ui import state
from natbacc.ui.components.safe import md

st.title("About the scores")
st.caption(
    "How natbacc works out each score, status and flag, with the values of the rule set in force now. Change them "
    "on the Settings page; every default's origin is on the Sources page."
)
known = entries()
for section in about_sections(state.settings()):
    st.subheader(md(section.title), anchor=False)
    st.markdown(md(section.intro))
    for point in section.points:
        st.markdown("- " + md(point))
    if any(a in known for a in section.sources):
        # plain Markdown, not a caption: a caption draws links in a pale blue that fails WCAG AA contrast (2.96:1)
        st.markdown(
            "Where these come from: "
            + " · ".join(f"[{md(known[a].title)}](sources#{md(a)})" for a in section.sources if a in known)
        )
