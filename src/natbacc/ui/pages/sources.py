"""Sources: where every default and national figure comes from (docs/sources.md, shipped in the package).

Each entry's heading carries the anchor that code, configuration and the Settings page cite, so
``/sources#nbt-three-strands`` opens this page at that entry.
"""

import streamlit as st

from natbacc.sources import parse, sources_text

intro, entries = parse(sources_text())
st.title("Sources")
st.markdown(intro)
section = None
for entry in entries:
    if entry.section != section:
        section = entry.section
        st.header(section, anchor=False)
    st.subheader(entry.title, anchor=entry.anchor)
    st.markdown(entry.body)
