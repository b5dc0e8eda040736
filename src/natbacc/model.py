"""The canonical tables every importer produces and every later stage consumes.

Schools' exports differ wildly; after import they all look like this. Each table is a pandas
DataFrame with exactly the columns below, in this order, with these dtypes. ``describe_tables``
renders the same declarations as documentation and as the downloadable templates, so the three can
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from pandas.api.types import pandas_dtype

from natbacc.vocabulary import READ_ERRORS, STUDENT_SET_SOURCES, IssueCode

TableKind = Literal["students", "enrolments", "options", "project", "development", "qualifications"]
TABLE_KINDS: tuple[TableKind, ...] = ("students", "enrolments", "options", "project", "development", "qualifications")
#: The canonical tables of one import, by kind: the one spelling every stage uses.
Tables = dict[TableKind, pd.DataFrame]

#: What a user calls each kind of file; "timetable" files become the enrolments table.
KIND_LABELS: dict[TableKind, str] = {
    "students": "Pupil details",
    "enrolments": "Timetable / class lists",
    "options": "KS4 option choices",
    "project": "Personal Project log",
    "development": "Personal Development log",
    "qualifications": "Qualifications (entries and results)",
}

#: Core Learning areas (issue #2), then the two non-scoring buckets.
AREAS: tuple[str, ...] = (
    "english",
    "maths",
    "science",
    "humanities",
    "languages",
    "arts",
    "technology",
    "computing",
    "physical_education",
    "religious_education",
    "pshe",
)
NON_CURRICULAR = "non_curricular"
UNMAPPED = "unmapped"
ALL_AREAS: tuple[str, ...] = (*AREAS, NON_CURRICULAR, UNMAPPED)

AREA_LABELS: dict[str, str] = {
    "english": "English",
    "maths": "Maths",
    "science": "Science",
    "humanities": "Humanities",
    "languages": "Languages",
    "arts": "Arts",
    "technology": "Technology",
    "computing": "Computing",
    "physical_education": "PE",
    "religious_education": "RE",
    "pshe": "PSHE/RSHE",
    NON_CURRICULAR: "Non-curricular",
    UNMAPPED: "Unmapped",
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, pandas dtype and what it means to a school."""

    name: str
    dtype: str
    description: str
    example: str = ""
    required: bool = False


#: The pupil's identity inside one import: the pupil ID, or school and pupil ID when an upload holds several
#: schools (trust exports restart IDs per school). Derived by the importer (``natbacc.io.identity``); every join
#: between tables uses it, and nothing shows it: people read ``school`` and ``student_id``.
_PUPIL_KEY = Column(
    "pupil_key", "str", "Derived: which pupil a row is about (the pupil ID, or school and pupil ID in a trust upload)."
)
#: Joins school and pupil ID in a ``pupil_key``: the ASCII unit separator, which the importer removes from every
#: cell it reads (a control character), so no school or ID can contain it and no two pupils share a key.
KEY_SEPARATOR = "\x1f"

_STUDENT_COLUMNS = (
    Column("student_id", "str", "The school's own pupil ID (Adno); text, leading zeros kept.", "001234", True),
    Column("upn", "str", "Unique Pupil Number; checked with the DfE check letter.", "B801200005001"),
    Column("name", "str", "Name as exported (accents and apostrophes kept).", "Zoë O'Brien"),
    Column("year_group", "Int64", "National curriculum year 7-13.", "10"),
    Column("key_stage", "Int64", "Derived: 3 = Y7-9, 4 = Y10-11, 5 = Y12-13.", "4"),
    Column("reg_group", "str", "Registration / tutor group.", "10X"),
    Column("sex", "str", "M, F or as exported.", "F"),
    Column("pupil_premium", "boolean", "Disadvantaged / Pupil Premium (Ever-6 FSM, LAC, PLAC).", "Yes"),
    Column(
        "sen",
        "str",
        "SEN provision: N none, K SEN support, E EHC plan, U SEN with the type not given (a yes/no column).",
        "K",
    ),
    Column("eal", "boolean", "English as an additional language.", "No"),
    Column("school", "str", "The school as the files name it (a name or a code such as SCH01).", "Oakfield Academy"),
    _PUPIL_KEY,
    Column(
        "target_tier",
        "str",
        "NBfE tier the school registered the pupil for: entry, foundation, intermediate or advanced (blank: none set).",
        "intermediate",
    ),
    Column("registered", "boolean", "Registered for the school's NBfE programme (blank: not said).", "Yes"),
)
_ENROLMENT_COLUMNS = (
    Column("student_id", "str", "Pupil ID, as in the pupil details.", "001234", True),
    Column("class_code", "str", "Teaching group, e.g. SIMS-style 10X/Ge2.", "10X/Ge2"),
    Column("subject_label", "str", "Subject exactly as the file names it.", "Geog"),
    Column("subject", "str", "Canonical subject (from the subject mapping).", "Geography"),
    Column("area", "str", "Core Learning area (from the subject mapping).", "humanities"),
    Column("periods", "Float64", "Periods per timetable cycle; blank when the export has none.", "4"),
    _PUPIL_KEY,
)
_OPTION_COLUMNS = (
    Column("student_id", "str", "Pupil ID.", "001234", True),
    Column("block", "str", "Option block (A, B, ...) or choice rank (1, 2, ...).", "A"),
    Column("subject_label", "str", "Subject exactly as the file names it.", "Fr"),
    Column("subject", "str", "Canonical subject.", "French"),
    Column("area", "str", "Core Learning area.", "languages"),
    _PUPIL_KEY,
    Column(
        "next_year",
        "boolean",
        "True when the choices are for next school year (Year 9's choices for Year 10), as the file's name, title, "
        "sheet or a 'For year' column says: kept out of this year's curriculum.",
        "No",
    ),
)
_PROJECT_COLUMNS = (
    Column("student_id", "str", "Pupil ID.", "001234", True),
    Column("title", "str", "Project title.", "Can our town run on tidal power?"),
    Column("stage", "str", "not_started, proposal, research, production, presentation or complete.", "research"),
    Column("hours", "Float64", "Hours logged so far.", "12.5"),
    Column("supervisor", "str", "Supervising teacher.", "Mr Adeyemi"),
    _PUPIL_KEY,
)
_DEVELOPMENT_COLUMNS = (
    Column("student_id", "str", "Pupil ID.", "001234", True),
    Column("date", "datetime64[s]", "Date of the activity (UK day-first: 03/10/2026).", "03/10/2026"),
    Column("activity", "str", "What the pupil did.", "Food bank volunteering"),
    Column(
        "category",
        "str",
        "PDP category: Leadership & Service, Creative & Cultural, ...",
        "Leadership & Service",
    ),
    Column("hours", "Float64", "Hours.", "2"),
    _PUPIL_KEY,
)

_QUALIFICATION_COLUMNS = (
    Column("student_id", "str", "Pupil ID.", "001234", True),
    Column("qualification_label", "str", "Qualification as the file names it.", "GCSE (9-1)", True),
    Column(
        "qualification",
        "str",
        "Derived: the qualification type (config/qualifications.toml), e.g. gcse, a_level, extended_diploma.",
        "gcse",
    ),
    Column("subject_label", "str", "Subject exactly as the file names it.", "English Language"),
    Column("level", "Int64", "Level: 0 = Entry level, 1, 2 or 3 (from the type when the file has none).", "2"),
    Column(
        "size",
        "Float64",
        "Size in GCSEs (Entry, Level 1 and 2) or A levels (Level 3); from the type when the file has none.",
        "1",
    ),
    Column(
        "status", "str", "entered (no result yet) or achieved (natbacc.vocabulary.QualificationStatus).", "achieved"
    ),
    Column("grade", "str", "Grade awarded, as the file writes it (compound grades such as 6-6 or D*D*D kept).", "5"),
    Column("date", "datetime64[s]", "Date of the entry or result (UK day-first).", "21/08/2026"),
    Column(
        "level_achieved",
        "Int64",
        "Derived: the level the grade reaches on the type's scale (blank: no result, or a fail).",
        "2",
    ),
    _PUPIL_KEY,
)

TABLE_COLUMNS: dict[TableKind, tuple[Column, ...]] = {
    "students": _STUDENT_COLUMNS,
    "enrolments": _ENROLMENT_COLUMNS,
    "options": _OPTION_COLUMNS,
    "project": _PROJECT_COLUMNS,
    "development": _DEVELOPMENT_COLUMNS,
    "qualifications": _QUALIFICATION_COLUMNS,
}


#: Columns a school fills in, per kind of file (derived columns such as key_stage, subject and area are
#: worked out by natbacc and left out of the templates).
_DERIVED = {"key_stage", "subject", "area", "pupil_key", "qualification", "level_achieved", "next_year"}
#: Headings used in the downloadable templates: the names schools' own exports use (columns.toml aliases).
TEMPLATE_HEADINGS = {
    "student_id": "Adno",
    "upn": "UPN",
    "name": "Name",
    "year_group": "Year",
    "reg_group": "Reg Group",
    "sex": "Gender",
    "pupil_premium": "PP",
    "sen": "SEN",
    "eal": "EAL",
    "school": "School",
    "class_code": "Class",
    "subject_label": "Subject",
    "periods": "Periods",
    "block": "Block",
    "title": "Title",
    "stage": "Stage",
    "hours": "Hours",
    "supervisor": "Supervisor",
    "date": "Date",
    "activity": "Activity",
    "category": "Category",
    "target_tier": "NBfE target tier",
    "registered": "NBfE registered",
    "qualification_label": "Qualification",
    "level": "Level",
    "size": "Size",
    "status": "Status",
    "grade": "Result",
}


def describe_tables() -> pd.DataFrame:
    """The canonical tables as documentation: one row per column, with meaning and example."""
    rows = [
        {
            "table": kind,
            "column": c.name,
            "dtype": c.dtype,
            "required": c.required,
            "description": c.description,
            "example": c.example,
        }
        for kind, cols in TABLE_COLUMNS.items()
        for c in cols
    ]
    return pd.DataFrame(rows)


def template(kind: TableKind) -> pd.DataFrame:
    """A one-row example file for ``kind``, headed the way natbacc reads it back."""
    cols = [c for c in TABLE_COLUMNS[kind] if c.name not in _DERIVED]
    return pd.DataFrame({TEMPLATE_HEADINGS[c.name]: [c.example] for c in cols}, dtype="str")


def empty_table(kind: TableKind) -> pd.DataFrame:
    """An empty canonical table with the right columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLE_COLUMNS[kind]})


def conform(kind: TableKind, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns of ``kind``, in order, with their dtypes.

    Missing columns are added empty; extra columns are dropped. Importers build what they can and
    call this last, so downstream code never meets a surprise column or dtype. A row without a
    ``pupil_key`` is keyed by its pupil ID (what every single-school import means).
    """
    out: dict[str, pd.Series] = {}
    n = len(frame)
    for col in TABLE_COLUMNS[kind]:
        if col.name in frame.columns:
            series = frame[col.name]
            out[col.name] = series if str(series.dtype) == col.dtype else series.astype(pandas_dtype(col.dtype))
        else:
            out[col.name] = pd.Series([pd.NA] * n, dtype=col.dtype, index=frame.index)
    if "pupil_key" in out:  # a table built without keys (one school, or by hand): each pupil is its ID
        out["pupil_key"] = out["pupil_key"].fillna(out["student_id"])
    return pd.DataFrame(out).reset_index(drop=True)


#: The national curriculum years of a secondary school, the only year groups natbacc reads (Y7 to Y13).
FIRST_YEAR, LAST_YEAR = 7, 13


def secondary_years(years: pd.Series) -> pd.Series:
    """``years`` with anything outside Y7 to Y13 made missing."""
    return years.where(years.between(FIRST_YEAR, LAST_YEAR).fillna(False))


def key_stage_of(year_group: pd.Series) -> pd.Series:
    """Key stage from NC year: 3 = Y7-9, 4 = Y10-11, 5 = Y12-13 (docs/sources.md#national-curriculum-ks3-ks4)."""
    ks = pd.Series(pd.NA, index=year_group.index, dtype="Int64")
    for stage, (low, high) in {3: (7, 9), 4: (10, 11), 5: (12, 13)}.items():
        ks = ks.mask(year_group.between(low, high).fillna(False).astype(bool), stage)
    return ks


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 pupil", "2 pupils", "1,204 pupils"."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Issue:
    """One problem found while importing, located as precisely as the user needs to fix it.

    ``error`` blocks the import of that file or sheet; ``warning`` means a row or value was skipped
    or questioned but the rest was imported; ``info`` says what natbacc did on the user's behalf.
    ``row`` is the 1-based row number a spreadsheet program shows.
    """

    severity: Severity
    message: str
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    code: str = ""

    @property
    def location(self) -> str:
        """Where the issue is, as a spreadsheet user looks for it: "pupils.xlsx, sheet 'Y7', row 12, column 'UPN'"."""
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the shape ``natbacc check --json`` prints)."""
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "code": self.code,
        }


@dataclass
class SheetReport:
    """What one file or sheet was recognised as, for the import summary."""

    file: str
    sheet: str | None
    kind: TableKind | None
    rows: int = 0
    students: int = 0
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    layout: str = ""  # what a file read through a layout was ("Class table", "a staff list")
    #: IDs this sheet gave that are classes or student sets, not pupils (kept with a stored term).
    student_sets: list[str] = field(default_factory=list)
    #: For a course table: the subject labels it supplied and where each came from (kept with a stored term).
    label_sources: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str | None:
        """What the file or sheet was recognised as, in words; None when it was not recognised."""
        if self.kind is not None:
            return KIND_LABELS[self.kind]
        return self.layout[:1].upper() + self.layout[1:] if self.layout else None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (``student_sets`` and ``label_sources`` only when the sheet has some)."""
        out: dict[str, object] = {
            "file": self.file,
            "sheet": self.sheet,
            "kind": self.kind,
            "rows": self.rows,
            "students": self.students,
            "header_row": self.header_row,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "layout": self.layout,
        }
        if self.student_sets:
            out["student_sets"] = self.student_sets
        if self.label_sources:
            out["label_sources"] = self.label_sources
        return out


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table, blocking errors first, then warnings, then information."""
    cols = ["severity", "file", "sheet", "row", "column", "message", "code"]
    if not issues:
        return pd.DataFrame({c: pd.Series(dtype="str" if c != "row" else "Int64") for c in cols})
    frame = pd.DataFrame([i.as_dict() for i in issues], columns=cols)
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map(SEVERITY_ORDER)
    return frame.assign(_o=order).sort_values(["_o", "file", "sheet", "row"], kind="stable").drop(columns="_o")


@dataclass
class ImportResult:
    """Canonical tables, every issue found, and what each file/sheet was recognised as."""

    tables: dict[TableKind, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    #: Rows of the students table that are classes or student sets (a timetabler's groups), not pupils.
    student_sets: frozenset[str] = frozenset()
    #: Subject labels that came from a course table, and where: "course table 'courses.csv' row 4: code 1043 ...".
    label_sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A stored term is rebuilt from its tables and sheet reports: its sets are the ones its sheets recorded.
        if not self.student_sets and any(s.student_sets for s in self.sheets):
            recorded = {i for s in self.sheets for i in s.student_sets}
            self.student_sets = frozenset(recorded & set(self.tables["students"]["student_id"]))
        if not self.label_sources:
            self.label_sources = {k: v for s in self.sheets for k, v in s.label_sources.items()}

    def set_rows(self) -> pd.Series:
        """Which rows of the students table are a timetabler's classes or student sets, not pupils: the rows the
        importer marked (``student_sets``), or every row when they were inferred from an FET, aSc or Untis
        export with no pupil details file (the importer's notes say so)."""
        students = self.tables["students"]
        codes = {i.code for i in self.issues}
        if IssueCode.STUDENTS_INFERRED in codes and codes & STUDENT_SET_SOURCES:
            return pd.Series(True, index=students.index)
        return students["student_id"].isin(self.student_sets)

    @property
    def pupils(self) -> int:
        """How many pupils were imported (classes and student sets are not pupils)."""
        return int((~self.set_rows()).sum())

    @property
    def sets_only(self) -> bool:
        """True when the upload gives classes or student sets and no pupil at all."""
        return len(self.tables["students"]) > 0 and self.pupils == 0

    @property
    def nothing_scored(self) -> str | None:
        """Why nothing can be scored per pupil, in words, or None when some pupils can be scored."""
        students = self.tables["students"]
        if students.empty:
            return None
        if self.sets_only:
            many = "classes or student sets"
            return (
                f"Nothing is scored per pupil: the files give {plural(len(students), 'class or student set', many)} "
                "(a timetabler's groups), not pupils, and every target, key stage and entitlement depends on a "
                "pupil's year group. Upload a pupil details export (admission number, name and year group) with "
                "them, or a class list with one row per pupil and class, so each pupil is matched to their sets."
            )
        pupils = students[~self.set_rows()]
        if pupils["year_group"].isna().all():
            return (
                f"Nothing can be scored yet: none of the {plural(len(pupils), 'pupil')} has a year group. Add the "
                "pupil details export (with a Year or Reg Group column) from your MIS."
            )
        return None

    @property
    def blocking(self) -> bool:
        """True when an error stopped a file or sheet from importing."""
        return any(i.severity == "error" for i in self.issues)

    @property
    def students(self) -> pd.DataFrame:
        """The students table."""
        return self.tables["students"]

    @property
    def unreadable_sheets(self) -> set[tuple[str, str | None]]:
        """(file, sheet) pairs refused while reading; sheet None when the whole file was refused."""
        return {(i.file, i.sheet) for i in self.issues if i.severity == "error" and i.code in READ_ERRORS}
