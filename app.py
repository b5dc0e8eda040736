"""natbacc dashboard: the router and the frame around every page.

Run with ``make run`` (or ``streamlit run app.py``). This file only wires things together: it loads
the session's data once per run (cached: see ``natbacc.ui.data``), draws the sidebar's shared
controls, labels the sample school, and runs the page the user chose. Pages live in
``src/natbacc/ui/pages``; everything they compute comes from the pure core in ``src/natbacc``.
"""

from pathlib import Path

import streamlit as st

from natbacc.ui import state
from natbacc.ui.auth import gate
from natbacc.ui.components.sidebar import render_sidebar
from natbacc.ui.data import load

PAGES = "src/natbacc/ui/pages"
#: The tab icon, shipped in the package: a ``:material/...:`` page icon makes every browser fetch it from Google.
ICON = Path(state.__file__).parent / "static" / "favicon.svg"

st.set_page_config(
    page_title="natbacc · curriculum breadth",
    page_icon=str(ICON),
    layout="wide",
    initial_sidebar_state="expanded",
)

# Deployed with sign-in ([auth] in secrets.toml): nothing below runs until an allowed user is signed in.
gate()

pages = {
    "Breadth": [
        st.Page(f"{PAGES}/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(f"{PAGES}/ks3.py", title="Key Stage 3", icon=":material/looks_3:"),
        st.Page(f"{PAGES}/ks4.py", title="Key Stage 4", icon=":material/looks_4:"),
        st.Page(f"{PAGES}/equity.py", title="Equity", icon=":material/balance:"),
    ],
    "Over time": [
        st.Page(f"{PAGES}/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page(f"{PAGES}/schools.py", title="Schools", icon=":material/domain:"),
    ],
    "Pupils": [
        st.Page(f"{PAGES}/students.py", title="Students", icon=":material/person_search:"),
        st.Page(f"{PAGES}/project_development.py", title="Project & Development", icon=":material/hiking:"),
    ],
    "Data": [
        st.Page(f"{PAGES}/import_data.py", title="Import", icon=":material/upload_file:"),
        st.Page(f"{PAGES}/settings.py", title="Settings", icon=":material/tune:"),
        st.Page(f"{PAGES}/export.py", title="Export", icon=":material/download:"),
    ],
}
page = st.navigation(pages, position="sidebar")

loaded = load()
render_sidebar(loaded)
if notice := state.notice():
    kind, text = notice
    getattr(st, kind)(text)
if loaded.is_sample:
    st.info(
        "You are looking at **Oakfield Academy, a sample school** with synthetic pupils. "
        "Upload your own exports on the **Import** page; nothing leaves this server.",
        icon=":material/science:",
    )
page.run()
