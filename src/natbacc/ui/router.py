"""natbacc dashboard: the router and the frame around every page.

``main()`` runs once per script run: it loads the session's data once per run (cached: see
``natbacc.ui.data``), draws the sidebar's shared controls, labels the sample school, and runs the page
the user chose. Streamlit needs a script to run, and two thin ones call ``main()``: ``app.py`` at the
repository root (``make run``, ``streamlit run app.py``) and ``natbacc/ui/entry/app.py`` in the
installed package (``natbacc serve``). Pages are found next to this module, so both work from a
checkout and from an installed wheel; everything they compute comes from the pure core in ``natbacc``.
"""

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from natbacc.ui import state
from natbacc.ui.auth import gate
from natbacc.ui.components.sidebar import render_sidebar
from natbacc.ui.data import load

#: The page scripts, shipped in the package beside this module.
PAGES = Path(__file__).resolve().parent / "pages"
#: The tab icon, shipped in the package: a ``:material/...:`` page icon makes every browser fetch it from Google.
ICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


def _page(script: str, title: str, icon: str, *, default: bool = False) -> StreamlitPage:
    return st.Page(PAGES / script, title=title, icon=icon, default=default)


def main() -> None:
    """One run of the dashboard: page config, sign-in gate, navigation, data, sidebar, the chosen page."""
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
            _page("overview.py", "Overview", ":material/dashboard:", default=True),
            _page("ks3.py", "Key Stage 3", ":material/looks_3:"),
            _page("ks4.py", "Key Stage 4", ":material/looks_4:"),
            _page("equity.py", "Equity", ":material/balance:"),
            _page("options.py", "Options", ":material/view_column:"),
        ],
        "Over time": [
            _page("trends.py", "Trends", ":material/trending_up:"),
            _page("schools.py", "Schools", ":material/domain:"),
        ],
        "Pupils": [
            _page("students.py", "Students", ":material/person_search:"),
            _page("project_development.py", "Project & Development", ":material/hiking:"),
        ],
        "Data": [
            _page("import_data.py", "Import", ":material/upload_file:"),
            _page("settings.py", "Settings", ":material/tune:"),
            _page("sources.py", "Sources", ":material/menu_book:"),
            _page("export.py", "Export", ":material/download:"),
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
