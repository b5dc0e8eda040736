"""natbacc dashboard: the router and the frame around every page.

``main()`` runs once per script run: it loads the session's data once per run (cached: see
``natbacc.ui.data``), draws the sidebar's shared controls, labels the sample school, and runs the page
the user chose. Streamlit needs a script to run, and two thin ones call ``main()``: ``app.py`` at the
repository root (``make run``, ``streamlit run app.py``) and ``natbacc/ui/entry/app.py`` in the
installed package (``natbacc serve``). Pages are found next to this module, so both work from a
checkout and from an installed wheel; everything they compute comes from the pure core in ``natbacc``.
"""

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from natbacc.ui import state
from natbacc.ui.auth import gate
from natbacc.ui.components.layout import page_style
from natbacc.ui.components.sidebar import render_sidebar
from natbacc.ui.data import load

#: The page scripts, shipped in the package beside this module.
PAGES = Path(__file__).resolve().parent / "pages"
#: The tab icon, shipped in the package: a ``:material/...:`` page icon makes every browser fetch it from Google.
ICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard: its script, title, icon, navigation group, and whether the sidebar's pupil
    filters apply to it (pages of saved terms show whole-school figures, so the filters are not offered there)."""

    script: str
    title: str
    icon: str
    section: str
    default: bool = False
    filtered: bool = True


#: The navigation groups, in order. "Data" holds Import and Export, so they stay in reach however many pages
#: the other groups gain; the navigation is drawn expanded, never cut to "View more".
SECTIONS: tuple[str, ...] = ("Breadth", "Pupils", "Over time", "Data")

#: Every page, as data: a new page is one line here (its group must be one of ``SECTIONS``).
PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Overview", ":material/dashboard:", "Breadth", default=True),
    PageSpec("ks3.py", "Key Stage 3", ":material/looks_3:", "Breadth"),
    PageSpec("ks4.py", "Key Stage 4", ":material/looks_4:", "Breadth"),
    PageSpec("equity.py", "Equity", ":material/balance:", "Breadth"),
    PageSpec("options.py", "Options", ":material/view_column:", "Breadth", filtered=False),
    PageSpec("students.py", "Students", ":material/person_search:", "Pupils"),
    PageSpec("project_development.py", "Project & Development", ":material/hiking:", "Pupils"),
    PageSpec("award.py", "Award", ":material/workspace_premium:", "Pupils"),
    PageSpec("trends.py", "Trends", ":material/trending_up:", "Over time", filtered=False),
    PageSpec("schools.py", "Schools", ":material/domain:", "Over time", filtered=False),
    PageSpec("import_data.py", "Import", ":material/upload_file:", "Data", filtered=False),
    PageSpec("export.py", "Export", ":material/download:", "Data"),
    PageSpec("settings.py", "Settings", ":material/tune:", "Data", filtered=False),
    PageSpec("sources.py", "Sources", ":material/menu_book:", "Data", filtered=False),
    PageSpec("about.py", "About the scores", ":material/help:", "Data", filtered=False),
)


def navigation_groups(specs: tuple[PageSpec, ...] = PAGE_SPECS) -> dict[str, list[PageSpec]]:
    """The pages grouped by section, in ``SECTIONS`` order (a section of its own for an unknown group)."""
    order = list(SECTIONS) + [s.section for s in specs if s.section not in SECTIONS]
    groups: dict[str, list[PageSpec]] = {name: [] for name in dict.fromkeys(order)}
    for spec in specs:
        groups[spec.section].append(spec)
    return {name: pages for name, pages in groups.items() if pages}


def _page(spec: PageSpec) -> StreamlitPage:
    return st.Page(PAGES / spec.script, title=spec.title, icon=spec.icon, default=spec.default)


def main() -> None:
    """One run of the dashboard: page config, sign-in gate, navigation, data, sidebar, the chosen page."""
    st.set_page_config(
        page_title="natbacc · curriculum breadth",
        page_icon=str(ICON),
        layout="wide",
        # expanded on a desktop, collapsed on a phone (where it would cover the page)
        initial_sidebar_state="auto",
    )

    # Deployed with sign-in ([auth] in secrets.toml): nothing below runs until an allowed user is signed in.
    gate()

    built = {name: [(_page(spec), spec) for spec in specs] for name, specs in navigation_groups().items()}
    pages = {name: [p for p, _ in entries] for name, entries in built.items()}
    page = st.navigation(pages, position="sidebar", expanded=True)
    spec = next((sp for entries in built.values() for p, sp in entries if p.url_path == page.url_path), None)

    page_style()
    loaded = load()
    render_sidebar(loaded, filters=spec is None or spec.filtered)
    state.sync_url()
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
