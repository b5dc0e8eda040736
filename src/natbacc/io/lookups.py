"""Course-code lookup tables: class lists that carry codes (``GCS-HIS``, ``Ge``, ``1043``) and a table saying
what each code is (code -> course name, sometimes subject and level).

A course table is recognised from its header (a code column and a name column, no pupil column),
whether it is its own file or another sheet of the same workbook. Once every file is read, the class
lists' and option sheets' subject labels are looked up in it *before* the subject alias table: the
label becomes the course's subject (or name), so the mapping works from words rather than codes, and
``sources`` records where each name came from for the subject-mapping view. A table none of whose
codes appear anywhere is listed as not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from natbacc.io.header import normalise_header
from natbacc.io.layouts import Reshaped
from natbacc.io.source import Grid
from natbacc.model import Issue, TableKind, plural
from natbacc.subjects import parse_class_codes
from natbacc.vocabulary import IssueCode

_CODE = ("course id", "courseid", "course code", "course number", "course no", "code", "subject code", "c code")
_NAME = ("course name", "course title", "course", "title", "name", "description", "course description", "subject name")
_SUBJECT = ("subject", "course subject", "department", "subject area")
_LEVEL = ("level", "qualification", "qualification type", "course level")
#: Headings that make a sheet something else: pupils, classes, memberships (SDS, iSAMS) or a timetable.
_NOT_A_LOOKUP = (
    "adno", "upn", "student id", "pupil id", "student number", "sis id", "section id", "section name", "class",
    "class code", "set", "block", "periods", "student", "pupil", "student name", "pupil name", "year", "grade",
    "students sets", "teachers",
)  # fmt: skip


def _keys(grid: Grid) -> list[str]:
    return [normalise_header(c) for c in grid.cells.iloc[0].tolist()]


def _find(keys: list[str], names: tuple[str, ...]) -> int | None:
    wanted = [normalise_header(n) for n in names]
    return next((keys.index(w) for w in wanted if w in keys), None)


def is_course_table(first: set[str], grid: Grid) -> bool:
    """A code column and a course-name column, and nothing that names pupils or classes."""
    keys = _keys(grid)
    if {normalise_header(k) for k in _NOT_A_LOOKUP} & set(keys):
        return False
    code, name = _find(keys, _CODE), _find(keys, _NAME)
    return code is not None and name is not None and code != name and len(grid.cells) > 1


def course_table(grid: Grid) -> Reshaped:
    """The code -> label rows of a course table (used once every file is read)."""
    keys = _keys(grid)
    body = grid.cells.iloc[1:].apply(lambda c: c.str.strip())
    code_col, name_col = _find(keys, _CODE), _find(keys, _NAME)
    subject_col, level_col = _find(keys, _SUBJECT), _find(keys, _LEVEL)
    assert code_col is not None and name_col is not None  # is_course_table said so
    name = body.iloc[:, name_col]
    label = body.iloc[:, subject_col].where(body.iloc[:, subject_col] != "", name) if subject_col is not None else name
    frame = pd.DataFrame(
        {
            "code": body.iloc[:, code_col],
            "label": label,
            "name": name,
            "level": body.iloc[:, level_col] if level_col is not None else "",
            "row": range(2, 2 + len(body)),
        }
    )
    frame = frame[(frame["code"] != "") & (frame["label"] != "")].drop_duplicates("code")
    return Reshaped([], [], "Course table", lookup=frame.assign(file=grid.file, sheet=grid.sheet or ""))


def _key(values: pd.Series) -> pd.Series:
    return values.fillna("").astype("str").str.strip().str.casefold()


@dataclass
class Lookup:
    """What the course tables did to an import: the new labels, where each came from, and notes."""

    tables: dict[TableKind, pd.DataFrame]
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[Issue] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # the label as the file gave it -> the looked-up one
    unused: set[tuple[str, str | None]] = field(default_factory=set)  # course tables none of whose codes appear
    by_table: dict[tuple[str, str | None], dict[str, str]] = field(default_factory=dict)  # ``sources`` per table


def apply_lookups(
    tables: dict[TableKind, pd.DataFrame],
    lookups: list[pd.DataFrame],
    origins: dict[str, tuple[str, str | None, str | None]],
) -> Lookup:
    """Class lists' and option choices' codes replaced by their course's subject (or name).

    A label is looked up whole (``GCS-HIS``), then by the subject part of a SIMS class code
    (``10X/Ge2`` -> ``Ge``). Codes that match no table entry, in a column where others matched, are
    reported by name: they stay as they are and the alias table maps them if it can.
    """
    out = Lookup(dict(tables))
    if not lookups:
        return out
    table = pd.concat(lookups, ignore_index=True)
    table = table.assign(key=_key(table["code"])).drop_duplicates("key")
    by_key = table.set_index("key")
    used: set[str] = set()
    for kind in ("enrolments", "options"):
        frame = tables[kind]
        if frame.empty:
            continue
        labels = frame["subject_label"]
        whole = _key(labels)
        part = _key(parse_class_codes(labels)["subject_code"])
        key = whole.where(whole.isin(by_key.index), part.where(part.isin(by_key.index)))
        hit = key.notna()
        if not hit.any():
            continue
        new = key[hit].map(by_key["label"])
        out.tables[kind] = frame.assign(subject_label=labels.mask(hit, new))
        out.renamed.update(dict(zip(labels[hit].astype(str), new.astype(str), strict=True)))
        for code_key, label in by_key.loc[key[hit].unique(), "label"].items():
            entry = by_key.loc[code_key]
            used.add(str(entry["file"]) + "\x00" + str(entry["sheet"]))
            where = f"'{entry['file']}'" + (f" sheet '{entry['sheet']}'" if entry["sheet"] else "")
            level = f", {entry['level']}" if entry["level"] else ""
            source = f"course table {where} row {entry['row']}: code {entry['code']} ({entry['name']}{level})"
            if out.sources.setdefault(str(label), source) == source:
                table_key = (str(entry["file"]), str(entry["sheet"]) or None)
                out.by_table.setdefault(table_key, {})[str(label)] = source
        missing = [
            m
            for m in labels[~hit & (labels != "")].unique()
            if any(ch.isdigit() for ch in str(m)) or "-" in str(m) or "/" in str(m)
        ]
        if missing:
            file, sheet, column = origins.get(str(missing[0]), ("", None, None))
            what = "class lists" if kind == "enrolments" else "option choices"
            shown = ", ".join(map(str, missing[:10])) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            out.notes.append(
                Issue(
                    "warning",
                    f"{plural(len(missing), 'code')} in the {what} "
                    f"are not in the course table: {shown}. They are kept as written; add them to the course table "
                    "or map them on the Import page.",
                    file=file or str(table["file"].iloc[0]),
                    sheet=sheet,
                    column=column,
                    code=IssueCode.UNKNOWN_CODE,
                )
            )
    for (table_file, table_sheet), rows in table.groupby(["file", "sheet"], sort=False):
        file, sheet = str(table_file), str(table_sheet)
        where = f"'{file}'" + (f" sheet '{sheet}'" if sheet else "")
        if f"{file}\x00{sheet}" in used:
            out.notes.append(
                Issue(
                    "info",
                    f"Read {where} as a course table ({plural(len(rows), 'course')}): codes in the class lists and "
                    "option choices were looked up in it before the subject mapping; the Import page's subject "
                    "mapping shows which name came from it.",
                    file=file,
                    sheet=sheet or None,
                    code=IssueCode.COURSE_LOOKUP,
                )
            )
        else:
            out.unused.add((file, sheet or None))
            out.notes.append(
                Issue(
                    "info",
                    f"Not used: {where} is a list of courses, and none of its codes appears in the class lists or "
                    "option choices of this upload; courses without pupils say nothing about pupils.",
                    file=file,
                    sheet=sheet or None,
                    code=IssueCode.NOT_USED,
                )
            )
    return out
