"""Exports that are not one row per pupil per fact, reshaped into a layout the builders read.

A timetabler lists *slots* (one row per lesson, students as sets), not enrolments. Rather than
teach every builder these shapes, each layout here recognises its export from the header row's
content (never the file name) and rewrites the grid as an ordinary class list or option list with
canonical headings, so the same validation, messages and joins apply afterwards. Row numbers in
later messages then refer to the reshaped rows, so each reshaper reports its own problems with
the original row numbers first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from natbacc.io.read import Grid
from natbacc.model import Issue, plural

_BLOCK_HOUR = re.compile(r"(?i)^\s*block\s+([A-Za-z0-9]+)\b")
_INDIVIDUAL = re.compile(r"(?i)^\s*(student|pupil)\b")


@dataclass
class Reshaped:
    """What a layout made of one grid: new grids in canonical shape, and what it told the user."""

    grids: list[Grid]
    notes: list[Issue] = field(default_factory=list)
    layout: str = ""


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip().lower()


def _frame(grid: Grid) -> tuple[pd.DataFrame, list[str]]:
    """The grid below its first row, with that row (normalised) as column names."""
    header = [_normal(c) for c in grid.cells.iloc[0].tolist()]
    body = grid.cells.iloc[1:].copy()
    body.columns = header
    body.index = pd.RangeIndex(2, 2 + len(body))  # spreadsheet row numbers
    return body, header


def _grid(like: Grid, headings: list[str], rows: pd.DataFrame) -> Grid:
    cells = pd.concat(
        [pd.DataFrame([headings]), pd.DataFrame(rows.astype(str).to_numpy().tolist())], ignore_index=True
    )
    return Grid(like.file, like.sheet, cells.fillna(""))


# ---- FET timetable (*_timetable.csv) -------------------------------------------------------

_FET_TIMETABLE = {"activity id", "day", "hour", "students sets", "subject"}


def _fet_timetable(grid: Grid) -> Reshaped:
    """FET's timetable export: one row per occupied slot, students as '+'-joined sets.

    Official mode gives periods per week = distinct (day, hour) slots per set and subject (a
    two-period activity has two rows; a split class listed twice in one slot counts once).
    Block-planning mode puts the block in "Hour" ("Block C HL") and a teacher in "Day": each row
    is then an option choice in that block, not a lesson.
    """
    body, _ = _frame(grid)
    where = f"'{grid.file}'"
    slots = body[["day", "hour", "students sets", "subject"]].apply(lambda s: s.str.strip())
    slots = slots.assign(student=slots["students sets"].str.split("+")).explode("student")
    slots["student"] = slots["student"].str.strip()
    missing = slots["student"].isna() | (slots["student"] == "") | (slots["subject"] == "")
    notes = []
    if missing.any():
        rows = sorted(set(slots.index[missing]))
        notes.append(
            Issue(
                "warning",
                f"{plural(len(rows), 'timetable slot')} in {where} name no students set or no subject and were "
                f"skipped (rows {', '.join(map(str, rows[:10]))}{'...' if len(rows) > 10 else ''}).",
                file=grid.file,
                sheet=grid.sheet,
                column="Students Sets",
                code="fet_empty_slot",
            )
        )
    slots = slots[~missing]
    block = slots["hour"].str.extract(_BLOCK_HOUR)[0]
    block_planning = len(slots) > 0 and block.notna().mean() >= 0.5
    sets = slots["student"].unique()
    individual = len(sets) > 0 and all(_INDIVIDUAL.match(s) for s in sets)
    if block_planning:
        choices = slots.assign(block=block.fillna(slots["hour"])).drop_duplicates(["student", "block", "subject"])
        out = _grid(grid, ["Student ID", "Block", "Subject"], choices[["student", "block", "subject"]])
        what = (
            f"Read {where} as an FET block-planning timetable: {plural(len(choices), 'option choice')} in "
            f"{plural(choices['block'].nunique(), 'block')} for {plural(len(sets), 'student set')}."
        )
    else:
        periods = (
            slots.drop_duplicates(["student", "subject", "day", "hour"])
            .groupby(["student", "subject"], sort=False)
            .size()
            .rename("periods")
            .reset_index()
        )
        headings = ["Student ID", "Subject", "Periods per week"]
        if not individual:  # a set named like a form ("Y7A", "10B") also says the year
            periods["reg"] = periods["student"]
            headings.append("Reg Group")
        out = _grid(grid, headings, periods)
        what = (
            f"Read {where} as an FET timetable: {plural(len(slots), 'slot')} give periods per week for "
            f"{plural(len(sets), 'student set')} and {plural(periods['subject'].nunique(), 'subject')}."
        )
    notes.insert(0, Issue("info", what, file=grid.file, sheet=grid.sheet, code="fet_timetable"))
    if not individual:
        examples = ", ".join(f"'{s}'" for s in list(sets)[:3])
        notes.append(
            Issue(
                "info",
                f"FET lists students as sets ({examples}), not as individual pupils: natbacc treats each set as "
                "one row, so breadth in these results is per group. For pupil-level results add a class list "
                "with one row per pupil and class.",
                file=grid.file,
                sheet=grid.sheet,
                column="Students Sets",
                code="fet_group_sets",
            )
        )
    return Reshaped([out], notes, "FET timetable")


#: (required normalised headings, reshaper), tried in order.
LAYOUTS: list[tuple[set[str], Callable[[Grid], Reshaped]]] = [
    (_FET_TIMETABLE, _fet_timetable),
]


def reshape(grid: Grid) -> Reshaped | None:
    """The grid rewritten in canonical shape when its first row names a known layout, else None."""
    if grid.cells.empty:
        return None
    first = {_normal(c) for c in grid.cells.iloc[0].tolist()}
    for required, reshaper in LAYOUTS:
        if required <= first:
            return reshaper(grid)
    return None
