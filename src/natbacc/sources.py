"""The sources behind natbacc's defaults: ``docs/sources.md``, shipped in the package as ``natbacc/docs``.

Code, configuration and the Settings page cite an entry by its anchor, e.g.
``docs/sources.md#nbt-three-strands``. The file marks each entry with an ``<a id="...">`` line above its
``###`` heading, so the anchor opens on GitHub and in any Markdown viewer; the dashboard's Sources page
renders the same entries with the same anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: A citation in code, configuration or a setting's note.
CITATION = re.compile(r"docs/sources\.md#([a-z0-9][a-z0-9-]*)")
_ANCHOR = re.compile(r'^<a id="([a-z0-9][a-z0-9-]*)"></a>\s*$')


@dataclass(frozen=True)
class Entry:
    """One source: its anchor, heading, the section it sits in, and its Markdown body."""

    anchor: str
    title: str
    section: str
    body: str


def sources_text() -> str:
    """The text of ``docs/sources.md`` as shipped in the package."""
    return resources.files("natbacc").joinpath("docs", "sources.md").read_text(encoding="utf-8")


def parse(text: str) -> tuple[str, list[Entry]]:
    """The introduction (before the first section) and the entries, in order."""
    intro: list[str] = []
    entries: list[Entry] = []
    section, anchor, title = "", "", ""
    body: list[str] = []

    def close() -> None:
        if anchor:
            entries.append(Entry(anchor, title, section, "\n".join(body).strip()))

    for line in text.splitlines():
        if match := _ANCHOR.match(line):
            close()
            anchor, title, body = match[1], "", []
        elif line.startswith("### ") and anchor and not title:
            title = line[4:].strip()
        elif line.startswith("## "):
            close()
            section, anchor, title, body = line[3:].strip(), "", "", []
        elif line.startswith("# ") and not section:
            continue
        elif anchor:
            body.append(line)
        elif not section:
            intro.append(line)
    close()
    return "\n".join(intro).strip(), entries


@cache
def entries() -> dict[str, Entry]:
    """The shipped entries by anchor."""
    return {entry.anchor: entry for entry in parse(sources_text())[1]}


def cited(text: str) -> list[str]:
    """The anchors ``text`` cites, in order, each once."""
    return list(dict.fromkeys(CITATION.findall(text)))
