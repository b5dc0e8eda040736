"""Find the header row of a grid and work out which column is which field.

Exports put title rows, print dates and blank lines above the real header, and name columns in
a dozen ways. The header is the row (among the first 30) whose cells match the most known column
aliases; cells of a merged two-row header are combined ("Option blocks" over "A" -> "Option A").
The aliases live in ``config/columns.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from natbacc.text import match_key

SCAN_ROWS = 30


#: The key a header cell is matched on: case-, spacing- and punctuation-insensitive (``natbacc.text.match_key``).
normalise_header = match_key


@dataclass(frozen=True)
class Aliases:
    """The column alias table, ready for lookups."""

    field_of: dict[str, str]
    option_pattern: re.Pattern[str]
    reserve: frozenset[str]
    #: A reserve heading, numbered or not ("Reserve", "Reserve 2", "Backup choice 1", "Second reserve").
    reserve_pattern: re.Pattern[str]
    #: "First choice", "Second option": an option column whose rank is the ordinal (group 1).
    ordinal_pattern: re.Pattern[str]
    ordinals: tuple[str, ...]
    empty_values: frozenset[str]
    by_field: dict[str, list[str]]


@cache
def load_aliases() -> Aliases:
    """Parse ``config/columns.toml`` once."""
    text = resources.files("natbacc.config").joinpath("columns.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    options = table.pop("option_columns")
    field_of: dict[str, str] = {}
    for name, spec in table.items():
        for alias in spec["aliases"]:
            field_of.setdefault(normalise_header(alias), name)
    prefixes = "|".join(sorted((normalise_header(p) for p in options["prefixes"]), key=len, reverse=True))
    pattern = re.compile(rf"^(?:{prefixes})s?(?:no|number)?([a-j]|\d{{1,2}})$")
    reserves = "|".join(sorted((normalise_header(r) for r in options["reserve"]), key=len, reverse=True))
    ordinals = tuple(normalise_header(o) for o in options.get("ordinals", []))
    words = "|".join(ordinals) or "(?!)"
    choices = "|".join(normalise_header(c) for c in options.get("ordinal_choices", [])) or "(?!)"
    return Aliases(
        field_of=field_of,
        option_pattern=pattern,
        reserve=frozenset(normalise_header(r) for r in options["reserve"]),
        reserve_pattern=re.compile(rf"^(?:(?:{words})(?:{reserves})|(?:{reserves})(?:no|number)?\d{{0,2}})$"),
        ordinal_pattern=re.compile(rf"^({words})(?:{choices})$"),
        ordinals=ordinals,
        empty_values=frozenset(v.strip().lower() for v in options["empty_values"]),
        by_field={name: spec["aliases"] for name, spec in table.items()},
    )


@dataclass
class Header:
    """Where the header is and what each column means."""

    row: int
    names: dict[int, str]
    fields: dict[str, int] = field(default_factory=dict)
    option_columns: list[tuple[int, str]] = field(default_factory=list)
    reserve_columns: list[int] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        """How many columns were recognised."""
        return len(self.fields) + len(self.option_columns) + len(self.reserve_columns)

    def column_name(self, fld: str) -> str:
        """The header text, as the user wrote it, of the column holding ``fld``."""
        return self.names[self.fields[fld]]


def _interpret(cells: list[str], above: list[str] | None, aliases: Aliases, row: int) -> Header:
    names: dict[int, str] = {}
    header = Header(row=row, names=names)
    for col, raw in enumerate(cells):
        text = raw.strip()
        candidates = [text] if text else []
        if above is not None and above[col].strip():
            up = above[col].strip()
            candidates = [*candidates, f"{up} {text}".strip()] if text else [up]
        matched = False
        for cand in candidates:
            key = normalise_header(cand)
            if not key:
                continue
            if key in aliases.field_of:
                fld = aliases.field_of[key]
                if fld not in header.fields:
                    header.fields[fld] = col
                    names[col] = cand
                    matched = True
                    break
            if (m := aliases.option_pattern.match(key)) is not None:
                header.option_columns.append((col, m.group(1).upper()))
                names[col] = cand
                matched = True
                break
            if (o := aliases.ordinal_pattern.match(key)) is not None:
                header.option_columns.append((col, str(aliases.ordinals.index(o.group(1)) + 1)))
                names[col] = cand
                matched = True
                break
            if key in aliases.reserve or aliases.reserve_pattern.match(key):
                header.reserve_columns.append(col)
                names[col] = cand
                matched = True
                break
        if not matched and text:
            names[col] = text
            header.ignored.append(text)
    return header


def find_header(cells: pd.DataFrame) -> Header | None:
    """The best header among the first rows, or None when no row looks like one."""
    aliases = load_aliases()
    best: Header | None = None
    limit = min(SCAN_ROWS, len(cells))
    rows = cells.iloc[:limit].to_numpy().tolist()
    for r in range(limit):
        plain = _interpret(rows[r], None, aliases, r)
        candidate = plain
        if r > 0 and any(c.strip() for c in rows[r - 1]):
            combined = _interpret(rows[r], rows[r - 1], aliases, r)
            if combined.score > plain.score:
                candidate = combined
        if candidate.score >= 2 and (best is None or candidate.score > best.score):
            best = candidate
    return best
