"""Every citation points to an entry of docs/sources.md, and every entry says where, who, when and what.

The background notes natbacc was built from are not in this repository, so nothing a user can read may cite
them; a citation is ``docs/sources.md#<anchor>`` and the anchor must exist.
"""

from __future__ import annotations

import re

import pytest

from natbacc.settings import Settings, note_for
from natbacc.sources import CITATION, cited, entries, parse, sources_text
from tests.conftest import REPO

DOCS = REPO / "docs" / "sources.md"
#: What users and contributors read: code, configuration, the dashboard, the docs.
SCANNED = [
    *(REPO / "src").rglob("*.py"),
    *(REPO / "src").rglob("*.toml"),
    *(REPO / "src").rglob("*.csv"),
    *(REPO / "src").rglob("*.md"),
    *(REPO / "docs").rglob("*.md"),
    *(REPO / ".streamlit").glob("*.toml"),
    REPO / "README.md",
    REPO / "SECURITY.md",
    REPO / "app.py",
    REPO / "Makefile",
    REPO / "pyproject.toml",
    REPO / "tests" / "helpers.py",
]
#: Any way of pointing at the sources file, so a citation in another spelling cannot slip past.
ANY_CITATION = re.compile(r"sources\.md#([^\s)\"'`,;.:]*)")
#: Files outside this repository that citations once pointed to.
DANGLING = ("natbacc-domain", "import-formats", "formats-wave2", "engineering-notes")


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_sources_md_is_shipped_in_the_package_unchanged():
    """The dashboard (installed or not) shows the same file as docs/sources.md."""
    assert sources_text() == _text(DOCS), "copy docs/sources.md to src/natbacc/docs/sources.md"


def test_every_citation_resolves_to_an_entry():
    """Each `sources.md#anchor` in code, configuration, docs and the app names an entry that exists."""
    anchors = set(entries())
    found, missing = 0, []
    for path in SCANNED:
        for number, line in enumerate(_text(path).splitlines(), 1):
            for anchor in ANY_CITATION.findall(line):
                found += 1
                if anchor not in anchors:
                    missing.append(f"{path.relative_to(REPO)}:{number}: #{anchor}")
    assert found > 40
    assert not missing, "citations to no entry of docs/sources.md:\n" + "\n".join(missing)


def test_nothing_cites_the_background_notes_that_are_not_in_the_repository():
    """No file users read names natbacc-domain.md, import-formats.md, formats-wave2.md or engineering-notes.md,
    or cites a section sign of theirs."""
    stale = [
        f"{path.relative_to(REPO)}:{number}"
        for path in SCANNED
        for number, line in enumerate(_text(path).splitlines(), 1)
        if any(name in line for name in DANGLING) or "§" in line
    ]
    assert not stale


def test_every_setting_shows_a_source_that_opens():
    """Each setting's note in the Settings page cites at least one entry, and every cited entry exists."""
    for name, _ in Settings.default().rows():
        anchors = cited(note_for(name))
        assert anchors, f"{name}: its note cites no entry of docs/sources.md"
        assert set(anchors) <= set(entries()), name


_ENTRIES = parse(sources_text())[1]


@pytest.mark.parametrize("entry", _ENTRIES, ids=[e.anchor for e in _ENTRIES])
def test_every_entry_gives_its_url_publisher_year_and_what_it_measures(entry):
    """A public https URL, a year (or "undated"), what it measures and what natbacc uses it for; or it says
    plainly that no public source stands behind the value."""
    assert entry.title and entry.section
    if "No public source" in entry.body:
        assert "**Year:**" in entry.body and "natbacc" in entry.body
        return
    url = re.search(r"^- \*\*URL:\*\* (.+)$", entry.body, re.MULTILINE)
    assert url and re.search(r"https://\S+", url[1]), "no https URL"
    year = re.search(r"^- \*\*Publisher, year:\*\* (.+(?:\n  .+)*)", entry.body, re.MULTILINE)
    assert year and re.search(r"\b(19|20)\d\d\b|undated", year[1]), "no year"
    assert "- **Measures:**" in entry.body and "- **Used for:**" in entry.body


def test_anchors_are_unique_and_every_entry_is_cited_somewhere():
    anchors = [e.anchor for e in _ENTRIES]
    assert len(anchors) == len(set(anchors))
    text = "\n".join(_text(path) for path in SCANNED if path.name != "sources.md")
    # entries cite one another too ("see natbacc-defaults"): a link inside sources.md counts.
    text += "\n".join(re.findall(r"\]\(#([a-z0-9-]+)\)", _text(DOCS)))
    uncited = [a for a in anchors if f"sources.md#{a}" not in text and a not in text]
    assert not uncited


def test_citation_pattern_is_the_one_the_dashboard_links():
    """natbacc.sources.CITATION reads the same anchors the test above checks."""
    line = "x (docs/sources.md#nbt-three-strands, docs/sources.md#trinity-case-study)."
    assert CITATION.findall(line) == ANY_CITATION.findall(line) == ["nbt-three-strands", "trinity-case-study"]
