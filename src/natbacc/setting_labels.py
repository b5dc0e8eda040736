"""Settings by name in words ("Minimum group size for equity gaps"), not by key (``equity.min_group_size``).

The key stays what settings files, the CLI and the workbook use; ``config/setting_labels.toml`` holds the words,
with ``*`` for the parts of a name that vary (a year group, a key stage, an area, a category).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from natbacc.model import AREA_LABELS

_KEY_STAGE = re.compile(r"^ks(\d)$", re.IGNORECASE)


@cache
def _patterns() -> tuple[tuple[tuple[str, ...], str], ...]:
    text = resources.files("natbacc.config").joinpath("setting_labels.toml").read_text(encoding="utf-8")
    labels = tomllib.loads(text)["labels"]
    # most specific first: fewer wildcards, then longer names
    items = sorted(labels.items(), key=lambda kv: (kv[0].count("*"), -kv[0].count(".")))
    return tuple((tuple(key.split(".")), str(label)) for key, label in items)


def _part_words(part: str) -> str:
    """One varying part of a setting's name in words: "ks3" -> "KS3", "10" -> "Year 10", "pshe" -> "PSHE/RSHE"."""
    if part.isdigit():
        return f"Year {part}"
    if match := _KEY_STAGE.match(part):
        return f"KS{match[1]}"
    return AREA_LABELS.get(part, part.replace("_", " "))


def setting_label(name: str) -> str | None:
    """The words for a dotted setting name, or None when no pattern covers it (a setting added by a school)."""
    parts = tuple(name.split("."))
    for pattern, label in _patterns():
        if len(pattern) == len(parts) and all(p in ("*", q) for p, q in zip(pattern, parts, strict=True)):
            varying = [_part_words(q) for p, q in zip(pattern, parts, strict=True) if p == "*"]
            return label.format(None, *varying)
    return None


def setting_words(name: str) -> str:
    """The words for a setting, falling back to its name where none are declared."""
    return setting_label(name) or name
