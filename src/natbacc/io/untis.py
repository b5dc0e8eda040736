"""Untis "GPU" text exports: headerless, ``;``-separated, recognised by their column pattern (never the name).

The layouts are described in docs/sources.md#timetabler-and-sync-formats.

- GPU001 (timetable): ``lesson no; class; teacher; subject; room; day; period; ...`` one row per
  class per lesson slot. Periods per week = distinct (day, period) slots per class and subject.
- GPU002 (lessons): ``lesson no; periods/week; periods/week (class); periods/week (teacher); class;
  teacher; subject; room; ...`` about 45 fields. Periods per week per class and subject come from
  the class's periods (field 3, else field 2), counted once per lesson and class.
- GPU010 (students): ``short name; surname; text; description; stat 1; stat 2; code; first name;
  student number; class; gender (1 female, 2 male); ...`` read as pupil details.

Classes in GPU001/GPU002 are groups, not pupils: the rows are marked ``group_level`` so the import
counts classes and says nothing is scored per pupil. Teachers and rooms are never read.
"""

from __future__ import annotations

import pandas as pd

from natbacc.io.layouts import Reshaped, _grid_cells
from natbacc.io.source import Grid
from natbacc.model import Issue, plural
from natbacc.vocabulary import IssueCode

_SAMPLE = 50


def _share(values: pd.Series, pattern: str) -> float:
    values = values.str.strip()
    return float(values.str.fullmatch(pattern).mean()) if len(values) else 0.0


def _is_gpu001(grid: Grid) -> bool:
    cells = grid.cells
    if not 7 <= cells.shape[1] <= 12 or len(cells) < 1:
        return False
    top = cells.iloc[:_SAMPLE]
    return (
        _share(top[0], r"\d+") == 1.0
        and _share(top[5], r"[1-7]") >= 0.95
        and _share(top[6], r"\d{1,2}") >= 0.95
        and _share(top[3], r".*\S.*") >= 0.9
        # a lesson fills several slots, so its number repeats (a headerless pupil list's IDs do not)
        and (len(top) < 10 or bool(top[0].duplicated().any()))
    )


def _is_gpu002(grid: Grid) -> bool:
    cells = grid.cells
    if cells.shape[1] < 15 or len(cells) < 1:
        return False
    top = cells.iloc[:_SAMPLE]
    return (
        _share(top[0], r"\d+") == 1.0 and _share(top[1], r"\d+(?:[.,]\d+)?") >= 0.8 and _share(top[6], r".*\S.*") >= 0.8
    )


def _is_gpu010(grid: Grid) -> bool:
    cells = grid.cells
    if cells.shape[1] < 11 or len(cells) < 1:
        return False
    top = cells.iloc[:_SAMPLE]
    return (
        _share(top[10], r"[12]?") == 1.0
        and _share(top[9], r".*\S.*") >= 0.9
        and _share(top[1], r".*\S.*") == 1.0
        and _share(top[0], r"\d+") < 1.0  # not a lesson list (those start with the lesson number)
    )


def _note(grid: Grid, text: str) -> Issue:
    return Issue("info", text, file=grid.file, sheet=grid.sheet, code=IssueCode.UNTIS_EXPORT)


def _group_note(grid: Grid, classes: int) -> str:
    return (
        f" These are {plural(classes, 'class', 'classes')}, not pupils: nothing is scored per pupil. For pupil-level "
        "results add a class list with one row per pupil and class (or the pupils' course choices)."
    )


def _gpu001(grid: Grid) -> Reshaped:
    cells = grid.cells.apply(lambda c: c.str.strip())
    slots = pd.DataFrame({"class": cells[1], "subject": cells[3], "day": cells[5], "period": cells[6]})
    slots = slots[(slots["class"] != "") & (slots["subject"] != "")]
    periods = slots.drop_duplicates().groupby(["class", "subject"], sort=False).size().rename("periods").reset_index()
    periods["reg"] = periods["class"]
    out = Grid(grid.file, grid.sheet, _grid_cells(["Student ID", "Subject", "Periods per week", "Reg Group"], periods))
    text = (
        f"Read '{grid.file}' as an Untis timetable (GPU001): {plural(len(slots), 'lesson slot')} give periods per "
        f"week for {plural(periods['class'].nunique(), 'class', 'classes')} and "
        f"{plural(periods['subject'].nunique(), 'subject')}; teachers and rooms were not read."
    )
    text += _group_note(grid, periods["class"].nunique())
    return Reshaped([out], [_note(grid, text)], "Untis timetable (GPU001)", group_level=True, header_rows=0)


def _gpu002(grid: Grid) -> Reshaped:
    cells = grid.cells.apply(lambda c: c.str.strip())
    per_class = cells[2].where(cells[2].str.fullmatch(r"\d+(?:[.,]\d+)?"), cells[1]).str.replace(",", ".")
    lessons = pd.DataFrame({"lesson": cells[0], "class": cells[4], "subject": cells[6], "periods": per_class})
    lessons = lessons[(lessons["class"] != "") & (lessons["subject"] != "")]
    # One Untis lesson listing several classes is one row per class; a class may appear on several lines of
    # one lesson (one per teacher): its periods count once.
    lessons = lessons.assign(class_=lessons["class"].str.split(",")).explode("class_")
    lessons["class_"] = lessons["class_"].str.strip()
    lessons = lessons.drop_duplicates(["lesson", "class_", "subject"])
    lessons["periods"] = pd.to_numeric(lessons["periods"], errors="coerce")
    periods = lessons.groupby(["class_", "subject"], sort=False)["periods"].sum(min_count=1).reset_index()
    periods["reg"] = periods["class_"]
    out = Grid(
        grid.file,
        grid.sheet,
        _grid_cells(["Student ID", "Subject", "Periods per week", "Reg Group"], periods.fillna("")),
    )
    text = (
        f"Read '{grid.file}' as an Untis lesson list (GPU002): {plural(lessons['lesson'].nunique(), 'lesson')} give "
        f"periods per week for {plural(periods['class_'].nunique(), 'class', 'classes')} and "
        f"{plural(periods['subject'].nunique(), 'subject')}; teachers and rooms were not read."
    )
    text += _group_note(grid, periods["class_"].nunique())
    return Reshaped([out], [_note(grid, text)], "Untis lesson list (GPU002)", group_level=True, header_rows=0)


def _gpu010(grid: Grid) -> Reshaped:
    cells = grid.cells.apply(lambda c: c.str.strip())
    number = cells[8].where(cells[8] != "", cells[0])
    name = (cells[7] + " " + cells[1]).str.strip()
    sex = cells[10].map({"1": "F", "2": "M"}).fillna("")
    rows = pd.DataFrame({"id": number, "name": name, "reg": cells[9], "sex": sex})
    out = Grid(grid.file, grid.sheet, _grid_cells(["Student ID", "Name", "Reg Group", "Gender"], rows))
    text = (
        f"Read '{grid.file}' as an Untis student list (GPU010): {plural(len(rows), 'pupil')}; only the student "
        "number, name, class and gender were read."
    )
    return Reshaped([out], [_note(grid, text)], "Untis student list (GPU010)", header_rows=0)


#: (test on the grid, reshaper), tried in order; every test looks at the cells, not the file name.
UNTIS_LAYOUTS = [(_is_gpu001, _gpu001), (_is_gpu002, _gpu002), (_is_gpu010, _gpu010)]
