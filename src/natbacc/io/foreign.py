"""Other programs' exports, files natbacc does not use, and headings that do not mean what they say.

``reshape_foreign`` is tried after ``layouts.reshape``: Untis GPU files (headerless), course tables
(looked up once every file is read), and files that are not about pupils (listed as not used).
``foreign_format`` names a known format natbacc cannot read, so the message says what the file is.
``tutor_holds_teachers`` and ``grade_notes`` catch two headings that mislead: a ``Tutor`` column of
teachers' names is not the registration group, and ``Grade`` may be a US grade rather than a year.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from natbacc.io.header import Header, normalise_header
from natbacc.io.layouts import Reshaped, _normal
from natbacc.io.lookups import course_table, is_course_table
from natbacc.io.notused import not_pupil_data, not_used_issue
from natbacc.io.source import Grid
from natbacc.io.untis import UNTIS_LAYOUTS
from natbacc.model import Issue
from natbacc.vocabulary import IssueCode

__all__ = ["foreign_format", "grade_notes", "reshape_foreign", "tutor_holds_teachers"]


def _not_used(grid: Grid) -> Reshaped | None:
    found = not_pupil_data(grid.cells.iloc[0].tolist())
    if found is None:
        return None
    return Reshaped([], [not_used_issue(grid, found.what, found.reason)], f"not used: {found.what}")


def reshape_foreign(grid: Grid) -> Reshaped | None:
    """The grid as an Untis export, a course table or a file not used; None when it is none of them."""
    if grid.cells.empty:
        return None
    for matches, reshaper in UNTIS_LAYOUTS:
        if matches(grid):
            return reshaper(grid)
    first = {_normal(c) for c in grid.cells.iloc[0].tolist()}
    if is_course_table(first, grid):
        return course_table(grid)
    return _not_used(grid)


#: Known formats natbacc does not read, by the headings (normalised) their files start with.
_FOREIGN: list[tuple[Callable[[set[str], Grid], bool], str]] = [
    (
        lambda h, g: {"sourcedid", "orgsourcedids"} <= h or {"sourcedid", "role", "username"} <= h,
        "a OneRoster / School Data Sync v2 export: natbacc reads the enrolments from its enrollments.csv and "
        "classes.csv together with users.csv; upload those three files",
    ),
    (
        lambda h, g: g.cells.shape[1] >= 5 and bool(g.cells.iloc[:20, 0].str.strip().str.fullmatch(r"\d+").all()),
        "headerless with a number first, like an Untis text export (GPU file) natbacc does not read; upload "
        "GPU001 (timetable), GPU002 (lessons) or GPU010 (students), or add a header row",
    ),
]


def foreign_format(grid: Grid) -> str | None:
    """What a known, unreadable format is and what to upload instead, or None."""
    if grid.cells.empty:
        return None
    first = {normalise_header(c) for c in grid.cells.iloc[0].tolist()} - {""}
    words = {w for w in first if not w.isdigit()}
    for matches, what in _FOREIGN:
        if matches(words, grid):
            return what
    return None


_TITLE = re.compile(r"(?i)^\s*(mr|mrs|ms|miss|mx|dr|prof|sir)\.?\s")
_TUTOR_HEADINGS = {"tutor", "tutorname", "formtutor", "tutorgroupteacher"}


def tutor_holds_teachers(grid: Grid, header: Header) -> Issue | None:
    """When a ``Tutor`` column holds teachers' names, stop reading it as the registration group.

    A reg group almost always carries its year (``10X``, ``Y9-B``); "Mr Smith" does not. Returns the
    note (and takes the column out of ``header``), or None when the column looks like groups.
    """
    col = header.fields.get("reg_group")
    if col is None or normalise_header(header.names[col]) not in _TUTOR_HEADINGS:
        return None
    values = grid.cells.iloc[header.row + 1 :, col].str.strip()
    values = values[values != ""]
    if values.empty:
        return None
    titled = values.str.match(_TITLE).mean()
    no_digit = (~values.str.contains(r"\d")).mean()
    if titled < 0.5 and no_digit < 0.9:
        return None
    heading = header.names[col]
    del header.fields["reg_group"]
    header.ignored.append(heading)
    return Issue(
        "info",
        f"Column '{heading}' holds teachers' names (e.g. titles like 'Mr', no year in them), not registration "
        "groups, so it was not read. Add a 'Reg Group' column if the year should come from the tutor group.",
        file=grid.file,
        sheet=grid.sheet,
        column=heading,
        code=IssueCode.TUTOR_IS_TEACHER,
    )


_US_SIGNS = {"graduationyear", "stateid", "gradelow", "gradehigh"}


def grade_notes(grid: Grid, header: Header) -> list[Issue]:
    """Say how a ``Grade`` column was read: as the English year (7 to 13), or, when the file looks American,
    that its grades are US grade numbers (grade 9 is Year 10 in England) and were read as they stand."""
    col = header.fields.get("year_group")
    if col is None or not normalise_header(header.names[col]).startswith("grade"):
        return []
    heading = header.names[col]
    values = grid.cells.iloc[header.row + 1 :, col].str.strip()
    values = values[values != ""]
    keys = {normalise_header(n) for n in header.names.values()}
    low = values.str.fullmatch(r"(?i)(k|pk|tk|0?[1-6])").any()
    if keys & _US_SIGNS or low:
        sign = "grades below 7 or Kindergarten" if low else "US columns such as 'Graduation Year' or 'State ID'"
        return [
            Issue(
                "warning",
                f"'{heading}' looks like US grade numbers ({sign}). natbacc reads grades 7 to 13 as English year "
                "groups as they stand, but US grade 9 is Year 10 in England: if these are US grades, add a 'Year' "
                "column with the English year group, or correct the grades in the export.",
                file=grid.file,
                sheet=grid.sheet,
                column=heading,
                code=IssueCode.US_GRADES,
            )
        ]
    return [
        Issue(
            "info",
            f"'{heading}' was read as the English National Curriculum year (7 to 13).",
            file=grid.file,
            sheet=grid.sheet,
            column=heading,
            code=IssueCode.GRADE_AS_YEAR,
        )
    ]
