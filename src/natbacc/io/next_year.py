"""Option choices for next school year, told from what the file says about them.

Schools record next year's option choices every spring: Year 9 chooses its GCSEs for Year 10, Year 11
its A levels. Those choices are not this year's curriculum, and counting them as such makes a full-KS3
Year 9 look as if it had started KS4 (or hides a subject a pupil does not study this year). A file says
when its choices are for: its name or a title row ("Options 2027", "Year 9 choices for Year 10", "next
year's options"), its sheet name, or a column ("For year", "Academic year", "Year of entry") whose values
name a year group above the pupil's or a later academic year.

``mark_next_year`` sets the options table's ``next_year`` column from those signals; the scoring keeps
such rows out of this year's breadth and reports them as next year's choices.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from natbacc.io.header import Header
from natbacc.io.source import Grid

#: A phrase saying the choices are for next year.
_NEXT_PHRASE = re.compile(r"\bnext\s+(school\s+|academic\s+)?year\b", re.IGNORECASE)
#: "... for Year 10": choices for a named year group (next year's when it is above the pupils' own).
_FOR_YEAR = re.compile(r"\bfor\s+(?:year|yr|y)\s*(\d{1,2})\b", re.IGNORECASE)
#: An academic year: "2027/28", "2027-28", "2027/2028", or a calendar year beside "options"/"choices".
_ACADEMIC_YEAR = re.compile(r"\b(20\d\d)\s*[/-]\s*(?:\d\d|20\d\d)\b")
_OPTIONS_YEAR = re.compile(
    r"\b(?:options?|choices?|pathways?)\D{0,12}(20\d\d)\b|\b(20\d\d)\D{0,12}(?:options?|choices?|pathways?)\b",
    re.IGNORECASE,
)
#: Headings of a column that says which year the choices are for (never the pupil's own "Year").
_FOR_YEAR_COLUMN = re.compile(
    r"^\s*(for\s+(year|yr)(\s+group)?|academic\s+year|year\s+of\s+(entry|study|course)|entry\s+year|"
    r"course\s+year|starting\s+year|start\s+year)\s*$",
    re.IGNORECASE,
)
_YEAR_GROUP_VALUE = re.compile(r"^\s*(?:year|yr|y)?\s*(\d{1,2})\s*$", re.IGNORECASE)


def academic_year_start(today: date, start_month: int = 9) -> int:
    """The calendar year the current academic year began in (2026 for any day from September 2026 to August 2027)."""
    return today.year if today.month >= start_month else today.year - 1


def _later_year(text: str, current: int) -> bool:
    """True when ``text`` names an academic year after the current one ("2027/28", "Options 2027")."""
    years = [int(m.group(1)) for m in _ACADEMIC_YEAR.finditer(text)]
    years += [int(m.group(1) or m.group(2)) for m in _OPTIONS_YEAR.finditer(text)]
    return any(y > current for y in years)


def says_next_year(text: str, today: date | None = None, pupil_year: float | None = None) -> bool:
    """True when a file name, sheet name or title says its choices are for next school year: "next year", a
    later academic year ("Options 2027" in 2026/27), or "for Year N" above the pupils' year (any N from 7 to
    13 when the file does not say the pupils' year)."""
    current = academic_year_start(today or date.today())
    if _NEXT_PHRASE.search(text) or _later_year(text, current):
        return True
    targets = [int(n) for n in _FOR_YEAR.findall(text) if 7 <= int(n) <= 13]
    if pupil_year is None or pupil_year != pupil_year:
        return bool(targets)
    return any(t > pupil_year for t in targets)


def _column_values(values: pd.Series, years: pd.Series | None, current: int) -> np.ndarray:
    """Per row: does the 'for year' cell name a year group above the pupil's, or a later academic year?"""
    text = values.fillna("").astype("str")
    group = pd.to_numeric(text.str.extract(_YEAR_GROUP_VALUE, expand=False), errors="coerce")
    later_group = group.notna() & (group >= 7) & (group <= 13)
    if years is not None:
        later_group &= (group > pd.to_numeric(years, errors="coerce")).fillna(True)
    academic = text.map(lambda v: _later_year(v, current)) if len(text) else text.astype(bool)
    return (later_group | academic.astype(bool)).to_numpy(bool)


def mark_next_year(
    table: pd.DataFrame,
    grid: Grid,
    header: Header,
    data: pd.DataFrame,
    facts: pd.DataFrame,
    today: date | None = None,
) -> pd.DataFrame:
    """``table`` (options rows built from ``data``) with ``next_year`` set from the file's own words."""
    today = today or date.today()
    current = academic_year_start(today)
    title_rows = grid.cells.iloc[: header.row].fillna("").astype("str")
    titles = [grid.file, grid.sheet or "", *(" ".join(title_rows.iloc[r].tolist()) for r in range(len(title_rows)))]
    years = facts.get("year_group")
    pupil_year = float(pd.to_numeric(years, errors="coerce").max()) if years is not None and len(years) else None
    whole = any(says_next_year(t, today, pupil_year) for t in titles if t)
    marked = pd.Series(whole, index=table.index, dtype="boolean")
    column = next((col for col, name in header.names.items() if _FOR_YEAR_COLUMN.match(name or "")), None)
    if column is not None and not whole and len(table):
        per_row = pd.Series(
            _column_values(data[column], years.reindex(data.index) if years is not None else None, current),
            index=data.index,
        )
        marked = per_row.reindex(table.index).fillna(False).astype("boolean")
    return table.assign(next_year=marked)
