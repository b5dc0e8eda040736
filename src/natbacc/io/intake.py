"""What the import decides about a sheet or the whole upload, beyond reading it (issue #16).

- ``found_columns`` / ``missing_for`` / ``cannot_apply``: say what a sheet has and, for a kind the
  user chose (``--kind``, the Import page), exactly which column it lacks;
- ``rows_read``: the rows a report shows for a sheet (rows read, before any de-duplication);
- ``give_classes_to_pupils``: a timetabler's class-level rows given to the pupils of that class;
- ``kinds_not_given`` / ``unused_files_do_not_block``: a ``--kind`` naming no file is an error, and a
  file natbacc cannot use blocks only when nothing usable remains.
"""

from __future__ import annotations

import pandas as pd

from natbacc.io.build import Built
from natbacc.io.header import Header
from natbacc.io.issues import where
from natbacc.io.source import Grid, Source
from natbacc.model import KIND_LABELS, Issue, SheetReport, TableKind, plural
from natbacc.text import match_key
from natbacc.vocabulary import IssueCode

_LISTED = 10  # group names listed in a message before "and more"


def found_columns(header: Header) -> str:
    """ "'Name', 'Grade' and 10 choice columns": the columns natbacc recognised, as the file heads them."""
    parts = [f"'{header.names[c]}'" for c in sorted(header.fields.values())]
    if header.option_columns:
        parts.append(plural(len(header.option_columns), "choice column"))
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def rows_read(grid: Grid, header: Header) -> int:
    """Data rows below the header that hold anything: what the report calls rows (before any de-duplication)."""
    return nonblank_rows(grid.cells.iloc[header.row + 1 :])


def nonblank_rows(data: pd.DataFrame) -> int:
    if data.empty:
        return 0
    return int(data.apply(lambda c: c.str.strip().ne("")).any(axis=1).sum())


#: What each kind of file cannot be read without: (fields, any one of which will do; how to say it).
_NEEDS: dict[TableKind, tuple[tuple[str, ...], str]] = {
    "students": (("student_id", "upn"), "a pupil ID column ('Adno', 'UPN' or 'Student ID')"),
    "enrolments": (("class_code", "subject"), "a class or subject column ('Class' or 'Subject')"),
    "options": (("block",), "option-block columns ('Block A', 'Choice 1', ...) or a 'Block' and a 'Subject' column"),
    "project": (("title", "stage", "hours", "supervisor"), "a 'Title', 'Stage', 'Hours' or 'Supervisor' column"),
    "development": (("hours",), "an 'Hours' column"),
}


def missing_for(kind: TableKind, header: Header) -> str | None:
    """What the columns of ``header`` lack for ``kind`` (a --kind the user chose), or None when nothing."""
    fields, what = _NEEDS[kind]
    if kind == "options":
        ok = len(header.option_columns) >= 1 or {"block", "subject"} <= header.fields.keys()
    else:
        ok = bool(set(fields) & header.fields.keys())
    return None if ok else what


def cannot_apply(grid: Grid, kind: TableKind, header: Header | None, missing: str | None = None) -> Issue:
    """The located error for a --kind (or Import page choice) the sheet's columns cannot support."""
    label = KIND_LABELS[kind].lower()
    if header is None:
        detail = "no header row natbacc can read"
    else:
        found = ", ".join(f"'{n}'" for n in header.names.values()) or "none"
        detail = f"no such column: it needs {missing} (found: {found})"
    return Issue(
        "error",
        f"{where(grid.file, grid.sheet)} was given as {label} (--kind), but it has {detail}. Choose the kind that "
        "matches the file, or leave natbacc to recognise it.",
        file=grid.file,
        sheet=grid.sheet,
        row=header.row + 1 if header is not None else None,
        code=IssueCode.NO_SUCH_COLUMN,
    )


def give_classes_to_pupils(built: list[Built], sets: set[str], issues: list[Issue]) -> set[str]:
    """A timetabler's class-level rows given to the pupils of that class, when a pupil list says who is in it.

    A class named like a tutor group in the pupil list (``7A``) is taught to every pupil of that group, so
    its subjects and periods become theirs. A group that is not a tutor group (``7B Set 1``, an option set)
    cannot be given to pupils without a class list, so it is left out, with a warning, rather than kept as a
    pretend pupil beside the real ones. Returns the sets still standing in for pupils.
    """
    lists = [b.students for b in built if b.kind == "students" and "reg_group" in b.students]
    if not sets or not lists:
        return sets
    pupils = pd.concat(lists, ignore_index=True).dropna(subset=["reg_group"]).drop_duplicates("student_id")
    members = pd.DataFrame({"student_id": pupils["student_id"], "_key": pupils["reg_group"].map(match_key)})
    if members.empty:
        return sets
    given: set[str] = set()
    left: set[str] = set()
    for b in built:
        if b.kind not in ("enrolments", "options") or b.table.empty:
            continue
        is_set = b.table["student_id"].isin(sets)
        if not is_set.any():
            continue
        rows = b.table[is_set].assign(_key=b.table.loc[is_set, "student_id"].map(match_key))
        found = rows["_key"].isin(members["_key"])
        given |= set(rows.loc[found, "student_id"])
        left |= set(rows.loc[~found, "student_id"])
        expanded = rows[found].drop(columns="student_id").merge(members, on="_key").drop(columns="_key")
        b.table = pd.concat([b.table[~is_set], expanded[b.table.columns]], ignore_index=True)
        b.students = b.students[~b.students["student_id"].isin(sets)]
    files = sorted({b.file for b in built if b.kind in ("enrolments", "options")})
    if given:
        issues.append(
            Issue(
                "info",
                f"{plural(len(given), 'class', 'classes')} of the timetable were given to the pupils of the tutor "
                "group of the same name in the pupil list, so these pupils are scored on their classes' subjects.",
                file=files[0] if files else "",
                code=IssueCode.GROUP_LEVEL,
            )
        )
    if left:
        shown = ", ".join(f"'{g}'" for g in sorted(left)[:_LISTED])
        issues.append(
            Issue(
                "warning",
                f"{plural(len(left), 'group')} in the timetable are not a tutor group of the pupil list ({shown}"
                f"{' and more' if len(left) > _LISTED else ''}), so their lessons could not be given to pupils "
                "and were left out. Add a class list with one row per pupil and class for these groups.",
                file=files[0] if files else "",
                code=IssueCode.GROUP_LEVEL,
            )
        )
    return set()


def kinds_not_given(kinds: dict[str, TableKind], sheets: list[SheetReport], sources: list[Source]) -> list[Issue]:
    """A --kind naming a file (or sheet) that is not in the upload: an error, not silence."""
    files = {s.name for s in sources}
    given = files | {f"{r.file}:{r.sheet}" for r in sheets if r.sheet}
    return [
        Issue(
            "error",
            f"--kind names '{target}', which is not one of the files given"
            + (f" ({', '.join(sorted(files))})" if files else "")
            + ". Check the file name (and sheet name, as FILE:SHEET=KIND).",
            file=target.split(":", 1)[0],
            sheet=target.split(":", 1)[1] if ":" in target else None,
            code=IssueCode.KIND_NOT_GIVEN,
        )
        for target in kinds
        if target not in given
    ]


#: Errors that mean "this file is not something natbacc uses": they block only when nothing usable remains.
_UNUSED_FILE = {IssueCode.NOT_RECOGNISED, IssueCode.FOREIGN_FORMAT, IssueCode.NOT_CTF}


def unused_files_do_not_block(issues: list[Issue], tables: dict[TableKind, pd.DataFrame], sets: set[str]) -> None:
    """Unrecognised files become warnings ("not used") when the rest of the upload gives pupils to work on."""
    if tables["students"].empty:
        return
    for n, issue in enumerate(issues):
        if issue.severity == "error" and issue.code in _UNUSED_FILE:
            issues[n] = Issue(
                "warning",
                f"Not used: {issue.message} The other files were imported without it.",
                issue.file,
                issue.sheet,
                issue.row,
                issue.column,
                issue.code,
            )
