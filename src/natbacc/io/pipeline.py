"""The import pipeline: any mix of files and sheets -> canonical tables + issues.

``import_files`` is the one entry point the CLI and the dashboard share::

    result = import_files(["pupils.xlsx", "timetable.csv", "options.xlsx"])
    result.tables["students"], result.issues, result.sheets

Every sheet of every file is recognised from its columns (never from its name); any single file is
enough (pupils are inferred from it); all tables are joined on ``pupil_key``: the pupil ID, or school and
pupil ID when the upload holds several schools (``natbacc.io.identity``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from natbacc.io.build import Built, build_sheet, recognise
from natbacc.io.foreign import foreign_format, grade_notes, reshape_foreign, tutor_holds_teachers
from natbacc.io.forms import KeyedSheet, form_header, keyed_sheet, match_keyed, missing_id_issue, pupil_emails
from natbacc.io.guards import max_file_bytes
from natbacc.io.header import find_header
from natbacc.io.identity import conflicting_facts, key_labels, key_pupils
from natbacc.io.intake import (
    cannot_apply,
    found_columns,
    give_classes_to_pupils,
    kinds_not_given,
    missing_for,
    nonblank_rows,
    rows_read,
    unused_files_do_not_block,
)
from natbacc.io.issues import where
from natbacc.io.layouts import SLOT_TIMETABLES, Reshaped, join_classes, reshape
from natbacc.io.lookups import apply_lookups
from natbacc.io.qualifications import grade_heading_fix
from natbacc.io.read import UnreadableFile, read_grids
from natbacc.io.rules import ImportRules
from natbacc.io.source import Grid, Source
from natbacc.model import (
    KIND_LABELS,
    TABLE_KINDS,
    UNMAPPED,
    ImportResult,
    Issue,
    SheetReport,
    TableKind,
    conform,
    empty_table,
    key_stage_of,
    plural,
)
from natbacc.settings import Settings
from natbacc.subjects import SubjectMap, apply_subject_map
from natbacc.vocabulary import STUDENT_SET_SOURCES, IssueCode

__all__ = ["PARALLEL_BYTES", "auto_workers", "import_files"]

_FACT_COLUMNS = (
    "name",
    "upn",
    "year_group",
    "reg_group",
    "sex",
    "pupil_premium",
    "sen",
    "eal",
    "school",
    "target_tier",
    "registered",
)
_LIST_IDS = 10
#: Uploads at least this big (and of two or more files) are read by a pool of processes.
PARALLEL_BYTES = 4 * 1_048_576
_HINT = (
    "natbacc reads pupil details, timetables or class lists, option choices, project logs, development "
    "logs and qualifications (entries and results); their header row needs columns such as 'Adno', 'Name', "
    "'Year', 'Class', 'Subject', 'Block A', 'Stage', 'Hours' or 'Qualification'."
)


def _as_source(item: Source | str | Path) -> Source:
    return item if isinstance(item, Source) else Source.from_path(item)


def import_files(
    items: Iterable[Source | str | Path],
    *,
    settings: Settings | ImportRules | None = None,
    subject_map: SubjectMap | None = None,
    kinds: dict[str, TableKind] | None = None,
    school: str | None = None,
    max_bytes: int | None = None,
    workers: int = 1,
    schools: Mapping[str, str] | None = None,
) -> ImportResult:
    """Read, recognise, validate and join files into the canonical tables.

    Args:
        items: file paths or in-memory ``Source`` objects (uploads).
        settings: the NBfE rule set, or just its ``ImportRules`` (timetable cycle, stage and category
            aliases: all the importer reads of it).
        subject_map: subject -> area mapping; the shipped default when omitted.
        kinds: overrides for ambiguous files, keyed by file name or ``"file:sheet"``.
        school: school name for pupils whose files carry none (trusts import per school).
        schools: the school of each file (file name, or ``"file:sheet"`` -> school as the trust names it,
            e.g. "SCH01"), for files without a school column. With two or more schools in an upload a pupil
            is identified by school and pupil ID (``natbacc.io.identity``).
        max_bytes: per-file size limit; ``max_file_bytes()`` (50 MB or ``NATBACC_MAX_FILE_MB``) by default.
        workers: processes to read a big upload with; 1 (the default) reads in this process. The
            CLI passes ``auto_workers()``. Worker processes are started with "spawn", which re-imports
            the calling program's main module: only pass more than 1 from a program whose main module
            is import-safe (``if __name__ == "__main__":``), as the ``natbacc`` command is.
    """
    sources = [_as_source(item) for item in items]
    if not isinstance(settings, ImportRules):
        settings = ImportRules.from_settings(settings or Settings.default())
    try:
        return _import_sources(sources, settings, subject_map, kinds, school, max_bytes, workers, schools or {})
    except Exception as exc:  # a bug in joining files: say so, never show the values (pupil data) in play
        message = (
            f"natbacc could not join these files ({type(exc).__name__}); nothing was imported. Check each file "
            "on its own (natbacc check FILE), and report the problem with the error name, not the files."
        )
        tables = {kind: empty_table(kind) for kind in TABLE_KINDS}
        return ImportResult(tables, [Issue("error", message, code=IssueCode.INTERNAL_ERROR)], [])


def _import_sources(
    sources: list[Source],
    rules: ImportRules,
    subject_map: SubjectMap | None,
    kinds: dict[str, TableKind] | None,
    school: str | None,
    max_bytes: int | None,
    workers: int,
    schools: Mapping[str, str],
) -> ImportResult:
    subject_map = subject_map or SubjectMap.default()
    kinds = kinds or {}
    max_bytes = max_file_bytes() if max_bytes is None else max_bytes
    issues: list[Issue] = []
    sheets: list[SheetReport] = []
    built: list[Built] = []

    memberships, classes, fallbacks = [], [], []
    joined = _FileOutcome()  # what the joins below contribute (sets, keyed sheets, emails)
    slot_timetable = False
    for outcome in _each_file(sources, kinds, rules, max_bytes, workers):
        issues += outcome.issues
        sheets += outcome.sheets
        built += outcome.built
        memberships += outcome.memberships
        classes += outcome.classes
        fallbacks += outcome.fallbacks
        slot_timetable |= outcome.slot_timetable
        joined.sets |= outcome.sets
        joined.keyed += outcome.keyed
        joined.emails += outcome.emails
        joined.lookups += outcome.lookups
        joined.class_files += outcome.class_files
    for layout in fallbacks:  # e.g. FET statistics: only when no slot-level timetable says it better
        if slot_timetable:
            issues.append(
                Issue(
                    "info",
                    f"'{layout.grids[0].file}' was not used: the timetable in the same upload gives the same periods "
                    "slot by slot.",
                    file=layout.grids[0].file,
                    code=IssueCode.FALLBACK_UNUSED,
                )
            )
            sheets.append(SheetReport(layout.grids[0].file, layout.grids[0].sheet, None, layout=layout.layout))
        else:
            issues.extend(layout.notes)
            for g in layout.grids:
                _build(g, kinds, rules, issues, sheets, built, [], joined)
    if memberships:
        pupils = {sid for b in built if b.kind == "students" for sid in b.table["student_id"]}
        grids, notes = join_classes(memberships, classes, pupils)
        issues.extend(notes)
        for grid in grids:
            _build(grid, kinds, rules, issues, sheets, built, [], joined)
    elif classes:
        issues.append(
            Issue(
                "warning",
                "A class table was given without the class memberships that say which pupils are in each class; "
                "add the memberships export (e.g. StudentEnrollment.csv).",
                file=joined.class_files[0] if joined.class_files else "",
                code=IssueCode.CLASSES_WITHOUT_MEMBERS,
            )
        )

    _match_keyed_sheets(joined, built, kinds, rules, issues, sheets)
    joined.sets = give_classes_to_pupils(built, joined.sets, issues)
    tables = _combine(built, issues, school, schools)
    origins: dict[str, tuple[str, str | None, str | None]] = {}
    for b in built:
        if b.kind in ("enrolments", "options") and "subject_label" in b.table:
            for label in b.table["subject_label"].unique():
                origins.setdefault(str(label), (b.file, b.sheet, b.subject_column))
    looked_up = apply_lookups(tables, joined.lookups, origins)
    tables = apply_subject_map(looked_up.tables, subject_map)
    issues.extend(looked_up.notes)
    for report in sheets:
        if report.layout == "Course table" and (report.file, report.sheet) in looked_up.unused:
            report.layout = "not used: a list of courses"
        elif report.layout == "Course table":  # kept with a stored term, for its subject-mapping view
            report.label_sources = looked_up.by_table.get((report.file, report.sheet), {})
    for code, label in looked_up.renamed.items():  # a looked-up name is located where its code was
        if code in origins:
            origins.setdefault(label, origins[code])
    issues.extend(unmapped_subject_issues(tables, origins))
    issues.extend(kinds_not_given(kinds, sheets, sources))
    unused_files_do_not_block(issues, tables, joined.sets)
    sets = frozenset(joined.sets) & frozenset(tables["students"]["student_id"])
    return ImportResult(tables, issues, sheets, student_sets=sets, label_sources=looked_up.sources)


@dataclass
class _FileOutcome:
    """Everything one file contributes, before files are joined (so files can be read in parallel)."""

    issues: list[Issue] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    built: list[Built] = field(default_factory=list)
    memberships: list[pd.DataFrame] = field(default_factory=list)
    classes: list[pd.DataFrame] = field(default_factory=list)
    fallbacks: list[Reshaped] = field(default_factory=list)
    slot_timetable: bool = False
    sets: set[str] = field(default_factory=set)  # student IDs that are classes or student sets
    keyed: list[KeyedSheet] = field(default_factory=list)  # sheets naming pupils without IDs, matched later
    emails: list[pd.DataFrame] = field(default_factory=list)  # pupil list emails -> IDs (matching only)
    lookups: list[pd.DataFrame] = field(default_factory=list)  # course tables: code -> course
    class_files: list[str] = field(default_factory=list)  # files read as class tables (for messages)


def _import_file(source: Source, kinds: dict[str, TableKind], rules: ImportRules, max_bytes: int) -> _FileOutcome:
    """Read one file and build every sheet in it that natbacc recognises.

    Whatever goes wrong stays with this file: an unforeseen failure becomes a blocking error that
    names the file and the kind of failure (never the values: they describe pupils), and the
    other files of the upload are still read and reported.
    """
    try:
        return _read_and_build(source, kinds, rules, max_bytes)
    except Exception as exc:
        out = _FileOutcome()
        out.issues.append(
            Issue(
                "error",
                f"natbacc could not read this file ({type(exc).__name__}); nothing from it was used. Check that it "
                "opens in Excel, save it again as .xlsx or CSV and upload it again. If it still fails, report it "
                "with the file's kind and the error name, not the file itself (it holds pupil data).",
                file=source.name,
                code=IssueCode.INTERNAL_ERROR,
            )
        )
        out.sheets.append(SheetReport(source.name, None, None))
        return out


def _read_and_build(source: Source, kinds: dict[str, TableKind], rules: ImportRules, max_bytes: int) -> _FileOutcome:
    out = _FileOutcome()
    try:
        grids, notes = read_grids(source, max_bytes=max_bytes)
    except UnreadableFile as exc:
        out.issues.append(exc.issue)
        out.sheets.append(SheetReport(source.name, None, None))
        return out
    out.issues.extend(notes)
    # a sheet refused while reading (damaged, or too big) is still listed, as "could not be read"
    out.sheets += [SheetReport(n.file, n.sheet, None) for n in notes if n.severity == "error" and n.sheet]
    recognised_any = False
    skipped: list[Issue] = []
    for grid in grids:
        forced = f"{grid.file}:{grid.sheet}" in kinds or grid.file in kinds
        layout = reshape(grid) or (None if forced else reshape_foreign(grid))
        if layout is not None:
            out.issues.extend([] if layout.fallback else layout.notes)
            out.memberships += [layout.memberships] if layout.memberships is not None else []
            out.classes += [layout.classes] if layout.classes is not None else []
            out.class_files += [grid.file] if layout.classes is not None else []
            out.lookups += [layout.lookup] if layout.lookup is not None else []
            recognised_any = True
            out.slot_timetable |= layout.layout in SLOT_TIMETABLES
            if layout.group_level:
                for g in layout.grids:
                    g.group_level = True
            if layout.fallback:
                out.fallbacks.append(layout)
                continue
            if not layout.grids:
                out.sheets.append(SheetReport(grid.file, grid.sheet, None, layout=layout.layout))
            before = len(out.sheets)
            for g in layout.grids:
                _build(g, kinds, rules, out.issues, out.sheets, out.built, skipped, out)
            read = nonblank_rows(grid.cells.iloc[layout.header_rows :])
            for report in out.sheets[before:]:  # the rows of the file as given, not of its reshaped form
                report.rows = read if report.kind else report.rows
        else:
            recognised_any |= _build(grid, kinds, rules, out.issues, out.sheets, out.built, skipped, out)
    if not recognised_any and skipped:
        out.issues.append(
            Issue(
                "error",
                _not_recognised(source.name, grids),
                file=source.name,
                code=IssueCode.NOT_RECOGNISED,
            )
        )
    else:
        out.issues.extend(skipped)
    return out


def _not_recognised(name: str, grids: list[Grid]) -> str:
    """Why nothing in a file was recognised: a known foreign format named, or what was found and what is missing."""
    for grid in grids:
        if (what := foreign_format(grid)) is not None:
            return f"'{name}' is {what}."
    for grid in grids:
        header = find_header(grid.cells) if len(grid.cells) else None
        if header is not None and header.fields:
            found = found_columns(header)
            return (
                f"'{name}' has {found} but no pupil ID: add a column headed 'Adno' or 'UPN' (or 'Student ID') so "
                f"the rows can be joined to the pupils. {_HINT}"
            )
    return f"Nothing in '{name}' could be recognised. {_HINT}"


def _each_file(
    sources: list[Source], kinds: dict[str, TableKind], rules: ImportRules, max_bytes: int, workers: int
) -> Iterable[_FileOutcome]:
    """``_import_file`` for every source, in order; spread over the machine's cores for a trust's upload.

    Files are independent until they are joined, so a big upload (many files, several megabytes) is
    read by a pool of worker processes. Small uploads and ``workers=1`` read in this process: starting
    workers costs more than it saves there. Should the pool fail (a worker killed for memory, say),
    the files are read again here, so an import never fails for that reason.
    """
    workers = min(len(sources), workers)
    if workers < 2 or sum(len(s.data) for s in sources) < PARALLEL_BYTES:
        return [_import_file(s, kinds, rules, max_bytes) for s in sources]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial

    # "spawn" starts clean interpreters: no locks inherited from other threads, the same on every OS.
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            work = partial(_import_file, kinds=kinds, rules=rules, max_bytes=max_bytes)
            return list(pool.map(work, sources, chunksize=max(1, len(sources) // (workers * 4))))
    except (BrokenProcessPool, OSError):
        return [_import_file(s, kinds, rules, max_bytes) for s in sources]


def auto_workers() -> int:
    """Worker processes for a big upload: ``NATBACC_WORKERS`` if set, else one per core, at most four."""
    import os

    configured = os.environ.get("NATBACC_WORKERS", "").strip()
    if configured.isdigit():
        return max(1, int(configured))
    return min(os.cpu_count() or 1, 4)


def _build(
    grid: Grid,
    kinds: dict[str, TableKind],
    rules: ImportRules,
    issues: list[Issue],
    sheets: list[SheetReport],
    built: list[Built],
    skipped: list[Issue],
    extra: _FileOutcome | None = None,
) -> bool:
    """Recognise and build one grid; False (with a note in ``skipped``) when it is not recognised.

    ``extra`` collects what is settled once every file is read: sheets that name pupils without an
    ID (matched to the pupil list later), pupil-list emails (for that matching only) and the IDs of
    rows that are classes or student sets rather than pupils.
    """
    header = find_header(grid.cells) if len(grid.cells) else None
    if header is None and extra is not None:  # a Google Forms export names only a timestamp, email and questions
        header = form_header(grid)
    override = kinds.get(f"{grid.file}:{grid.sheet}") or kinds.get(grid.file)
    if header is not None:
        if (note := tutor_holds_teachers(grid, header)) is not None:
            issues.append(note)
        if extra is not None and override in (None, "options", "enrolments"):
            keyed = keyed_sheet(grid, header)
            if keyed is not None and override in (None, keyed.kind):
                extra.keyed.append(keyed)
                return True
    kind = override or (recognise(header) if header else None)
    if header is None or kind is None:
        if grid.cells.empty or (grid.cells.map(str.strip) == "").all().all():
            return False
        if override:
            issues.append(cannot_apply(grid, override, None))
            sheets.append(SheetReport(grid.file, grid.sheet, None))
            return True
        found = f" It has {found_columns(header)}, but no pupil ID." if header is not None and header.fields else ""
        skipped.append(
            Issue(
                "warning",
                f"{where(grid.file, grid.sheet)} was not recognised, so it was skipped.{found} {_HINT}",
                file=grid.file,
                sheet=grid.sheet,
                code=IssueCode.NOT_RECOGNISED,
            )
        )
        sheets.append(SheetReport(grid.file, grid.sheet, None))
        return False
    if override and (missing := missing_for(kind, header)) is not None:
        issues.append(cannot_apply(grid, kind, header, missing))
        sheets.append(SheetReport(grid.file, grid.sheet, None, header_row=header.row + 1))
        return True
    if kind == "qualifications":  # its bare "Grade" is the result, never a (US) year group
        grade_heading_fix(header)
    issues.extend(grade_notes(grid, header))
    result = build_sheet(grid, header, kind, rules)
    issues.extend(result.issues)
    built.append(result)
    if extra is not None and not result.table.empty:
        if grid.group_level:
            extra.sets |= set(result.table["student_id"])
        if kind == "students":
            extra.emails.append(pupil_emails(grid, header, result.table))
    sheets.append(
        SheetReport(
            grid.file,
            grid.sheet,
            kind,
            rows=rows_read(grid, header),
            students=_pupils_in(result),
            header_row=header.row + 1,
            columns={header.names[c]: f for f, c in header.fields.items()}
            | {header.names[c]: f"option block {b}" for c, b in header.option_columns},
            ignored_columns=header.ignored,
            student_sets=sorted(set(result.table["student_id"])) if grid.group_level and not result.table.empty else [],
        )
    )
    return True


def _match_keyed_sheets(
    joined: _FileOutcome,
    built: list[Built],
    kinds: dict[str, TableKind],
    rules: ImportRules,
    issues: list[Issue],
    sheets: list[SheetReport],
) -> None:
    """Sheets that name pupils without an ID, matched to the pupil list (by email, then name) and built."""
    if not joined.keyed:
        return
    lists = [b.students for b in built if b.kind == "students" and not b.students.empty]
    pupils = pd.concat(lists, ignore_index=True).drop_duplicates("student_id") if lists else pd.DataFrame()
    emails = pd.concat(joined.emails, ignore_index=True) if joined.emails else pd.DataFrame(columns=["email"])
    for keyed in joined.keyed:
        if pupils.empty:
            issues.append(missing_id_issue(keyed))
            sheets.append(SheetReport(keyed.grid.file, keyed.grid.sheet, None, header_row=keyed.header_row + 1))
            continue
        grid, notes = match_keyed(keyed, pupils, emails)
        issues.extend(notes)
        if grid is None:
            sheets.append(SheetReport(keyed.grid.file, keyed.grid.sheet, None, header_row=keyed.header_row + 1))
            continue
        before = len(sheets)
        _build(grid, kinds, rules, issues, sheets, built, [], None)
        for report in sheets[before:]:  # counted as the file has them: every response read, from its header row
            report.rows = nonblank_rows(keyed.grid.cells.iloc[keyed.header_row + 1 :])
            report.header_row = keyed.header_row + 1


def _pupils_in(built: Built) -> int:
    """How many pupils a sheet's rows are about: pupil IDs, or (school, ID) pairs when it has a school column."""
    if "student_id" not in built.table:
        return 0
    cols = ["school", "student_id"] if "school" in built.students else ["student_id"]
    return len(built.students.loc[built.table.index.unique(), cols].drop_duplicates())


def _combine(
    built: list[Built], issues: list[Issue], school: str | None, schools: Mapping[str, str]
) -> dict[TableKind, pd.DataFrame]:
    good = [b for b in built if not b.table.empty]
    detail_facts = [b.students for b in good if b.kind == "students"]
    upn_to_id: dict[str, str] = {}
    upn_school = pd.Series(dtype="str")
    if detail_facts:
        details = pd.concat(detail_facts)
        if "upn" in details:
            pairs = details.dropna(subset=["upn"])
            upn_to_id = dict(zip(pairs["upn"], pairs["student_id"], strict=False))
            if "school" in pairs:  # a UPN is national: it also says which school of a trust the pupil is at
                upn_school = pairs.dropna(subset=["school"]).drop_duplicates("upn").set_index("upn")["school"]
    for b in good:
        if b.keyed_by_upn and upn_to_id and b.kind != "students":
            if len(upn_school):
                at = b.students["student_id"].map(upn_school).astype("str")
                b.students["school"] = b.students["school"].fillna(at) if "school" in b.students else at
            b.table["student_id"] = b.table["student_id"].map(lambda u: upn_to_id.get(u, u))
            b.students["student_id"] = b.students["student_id"].map(lambda u: upn_to_id.get(u, u))
    issues.extend(key_pupils(good, schools))
    good = [b for b in good if not b.table.empty]
    detail_facts = [b.students for b in good if b.kind == "students"]

    tables: dict[TableKind, pd.DataFrame] = {}
    for kind in TABLE_KINDS:
        if kind == "students":
            continue
        parts = [b.table for b in good if b.kind == kind]
        tables[kind] = conform(kind, pd.concat(parts, ignore_index=True)) if parts else empty_table(kind)

    # Pupils: the pupil-details sheets first, then whatever other sheets say about pupils they miss.
    ranked = [b.students.assign(_rank=0 if b.kind == "students" else 1) for b in good if not b.students.empty]
    if ranked:
        facts = pd.concat(ranked, ignore_index=True).sort_values("_rank", kind="stable")
        cols = [c for c in ("student_id", *_FACT_COLUMNS) if c in facts.columns]
        students = facts.groupby("pupil_key", sort=False)[cols].first().reset_index()
    else:
        students = pd.DataFrame({"student_id": pd.Series(dtype="str"), "pupil_key": pd.Series(dtype="str")})
    if school:
        students["school"] = students["school"].fillna(school) if "school" in students else school
    if "year_group" in students:
        students["key_stage"] = key_stage_of(students["year_group"].astype("Int64"))
    tables["students"] = conform("students", students)
    _cross_check(tables, detail_facts, good, issues)
    issues.extend(conflicting_facts(good, tables["students"]))
    return tables


def _id_list(keys: pd.Index | pd.Series) -> str:
    """Pupils by ``pupil_key``, as people read them: "17 (SCH01)" in a trust's upload, the ID otherwise."""
    shown = ", ".join(key_labels(keys[:_LIST_IDS]))
    return shown + (f" and {len(keys) - _LIST_IDS:,} more" if len(keys) > _LIST_IDS else "")


def _file_of(good: list[Built], ids: pd.Index, kind: TableKind | None) -> str:
    """The first file (of ``kind``, if given) that names any of ``ids``: where a warning about them points."""
    for b in good:
        if (kind is None or b.kind == kind) and b.students["student_id"].isin(ids).any():
            return b.file
    return next((b.file for b in good if kind is None or b.kind == kind), "")


def _cross_check(
    tables: dict[TableKind, pd.DataFrame], detail_facts: list[pd.DataFrame], good: list[Built], issues: list[Issue]
) -> None:
    students = tables["students"]
    if detail_facts:
        listed = pd.Index(pd.concat(detail_facts)["pupil_key"].unique())
        for kind in ("enrolments", "options", "project", "development", "qualifications"):
            ids = pd.Index(tables[kind]["pupil_key"].unique())
            extra = ids.difference(listed)
            if len(extra):
                issues.append(
                    Issue(
                        "warning",
                        f"{plural(len(extra), 'pupil')} in the {KIND_LABELS[kind].lower()} are not in the pupil "
                        f"details: {_id_list(extra)}. They are included with what that file says about them; "
                        "check their IDs.",
                        file=_file_of(good, extra, kind),
                        code=IssueCode.NOT_IN_DETAILS,
                    )
                )
        if not tables["enrolments"].empty:
            without = listed.difference(pd.Index(tables["enrolments"]["pupil_key"].unique()))
            if len(without):
                issues.append(
                    Issue(
                        "warning",
                        f"{plural(len(without), 'pupil')} in the pupil details have no timetable: "
                        f"{_id_list(without)}. Their Core Learning cannot be scored until their classes are imported.",
                        file=_file_of(good, without, "students"),
                        code=IssueCode.NO_TIMETABLE,
                    )
                )
    # A timetabler's export without pupil details gives student sets, never pupils (ImportResult.set_rows).
    noun = "student set" if not detail_facts and {i.code for i in issues} & STUDENT_SET_SOURCES else "pupil"
    if not detail_facts and not students.empty:
        sources = sorted({b.kind for b in good})
        issues.append(
            Issue(
                "info",
                f"No pupil details file was given: {plural(len(students), noun)} were taken from the "
                f"{', '.join(KIND_LABELS[k].lower() for k in sources)}. Add a pupil details export for Pupil "
                "Premium, SEN and EAL.",
                file=good[0].file if good else "",
                code=IssueCode.STUDENTS_INFERRED,
            )
        )
    no_year = students[students["year_group"].isna()]
    if len(no_year):
        issues.append(
            Issue(
                "warning",
                f"{plural(len(no_year), noun)} without a year group cannot be placed in a key stage, so they "
                f"cannot be scored: {_id_list(no_year['pupil_key'])}. "
                + (
                    "Add a Year or Reg Group column to the pupil details."
                    if detail_facts
                    else "Add the pupil details export from your MIS (with a Year or Reg Group column): it "
                    "supplies every pupil's year group."
                ),
                file=_file_of(good, pd.Index(no_year["student_id"]), None),
                code=IssueCode.NO_YEAR,
            )
        )


def unmapped_subject_issues(
    tables: dict[TableKind, pd.DataFrame],
    origins: dict[str, tuple[str, str | None, str | None]] | None = None,
) -> list[Issue]:
    """One warning per subject label that maps to no Core Learning area (located where first seen)."""
    origins = origins or {}
    frames = [tables[k][["subject_label", "area"]] for k in ("enrolments", "options") if not tables[k].empty]
    if not frames:
        return []
    both = pd.concat(frames)
    counts = both[both["area"] == UNMAPPED]["subject_label"].value_counts()
    return [
        Issue(
            "warning",
            f"Subject '{label}' ({plural(n, 'row')}) is not mapped to a Core Learning area; it is kept as "
            "'unmapped' and does not count towards breadth. Map it on the Import page or with --subjects.",
            file=origins.get(str(label), ("",))[0],
            sheet=origins.get(str(label), ("", None))[1],
            column=origins.get(str(label), ("", None, "subject"))[2],
            code=IssueCode.UNMAPPED_SUBJECT,
        )
        for label, n in counts.items()
    ]
