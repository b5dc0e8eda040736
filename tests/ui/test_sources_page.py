"""The Sources page and the Settings page's links to it: a deputy head can open where a default comes from."""

from __future__ import annotations

from natbacc.sources import entries
from tests.ui.conftest import goto


def test_the_sources_page_shows_every_entry_under_its_anchor(app):
    """Each entry of docs/sources.md is a heading whose anchor is the one citations use."""
    goto(app, "sources")
    assert app.title[0].value == "Sources"
    shown = {h.proto.anchor: h.value for h in app.subheader}
    assert shown == {anchor: entry.title for anchor, entry in entries().items()}
    assert any("https://www.nationalbacctrust.org/accreditation" in m.value for m in app.markdown)


def test_settings_links_every_cited_source_and_names_it_in_the_source_column(app):
    """Under each table, the entries its notes cite are links to the Sources page at their anchor."""
    goto(app, "settings")
    captions = [c.value for c in app.caption if c.value.startswith("Sources cited above:")]
    assert len(captions) == 5
    linked = " ".join(captions)
    assert "(sources#nbt-three-strands)" in linked and "(sources#natbacc-defaults)" in linked
    for anchor in entries():
        if anchor in linked:
            assert f"[{entries()[anchor].title}](sources#{anchor})" in linked
    frames = [table.value for table in app.dataframe]
    assert len(frames) == 5
    column = [note for frame in frames for note in frame["source"]]
    assert all("Sources: " in note for note in column), "every setting names the entry it relies on"
    assert not any("docs/sources.md#" in note for note in column)
