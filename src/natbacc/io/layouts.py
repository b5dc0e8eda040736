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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from natbacc.io.header import load_aliases, normalise_header
from natbacc.io.source import Grid
from natbacc.model import Issue, plural
from natbacc.vocabulary import IssueCode

#: Layouts that list every lesson slot (better than any per-group summary in the same upload).
SLOT_TIMETABLES = {"FET timetable", "SIMS lesson-slot timetable"}
_BLOCK_HOUR = re.compile(r"(?i)^\s*block\s+([A-Za-z0-9]+)\b")
#: An option block named in FET activity tags: "Y10-Block5" -> 5, "10-OP3" -> OP3.
_BLOCK_TAG = re.compile(r"(?i)(?:block\s*-?\s*(?P<block>\w+)|(?P<op>\bop\s*\d+))\s*$")
_INDIVIDUAL = re.compile(r"(?i)^\s*(student|pupil)\b")


@dataclass
class Reshaped:
    """What a layout made of one grid: new grids in canonical shape, and what it told the user.

    Class-membership exports need a second file to mean anything (the class table that says what
    each class is), so they come back as ``memberships`` / ``classes`` frames that ``join_classes``
    turns into a class list once every file has been read.
    """

    grids: list[Grid]
    notes: list[Issue] = field(default_factory=list)
    layout: str = ""
    memberships: pd.DataFrame | None = None  # student_id, class_id, row (spreadsheet row)
    classes: pd.DataFrame | None = None  # class_id, class_code, subject_label
    fallback: bool = False  # use ``grids`` only when no slot-level timetable came in the same upload
    group_level: bool = False  # rows are classes or student sets, not pupils (nothing scored per pupil)
    lookup: pd.DataFrame | None = None  # a course table: code -> course name (``natbacc.io.lookups``)
    header_rows: int = 1  # rows above the data in the file as given (0 for headerless exports)


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip().lower()


def _pupil_column(headings: Iterable[str]) -> str | None:
    """The heading ``config/columns.toml`` names as a pupil ID (Adno, UPN, Student ID, Id, ...), if any."""
    field_of = load_aliases().field_of
    return next((h for h in headings if field_of.get(normalise_header(h)) in ("student_id", "upn")), None)


def _frame(grid: Grid) -> tuple[pd.DataFrame, list[str]]:
    """The grid below its first row, with that row (normalised) as column names."""
    header = [_normal(c) for c in grid.cells.iloc[0].tolist()]
    body = grid.cells.iloc[1:].copy()
    body.columns = header
    body.index = pd.RangeIndex(2, 2 + len(body))  # spreadsheet row numbers
    return body, header


def _grid(like: Grid, headings: list[str], rows: pd.DataFrame) -> Grid:
    return Grid(like.file, like.sheet, _grid_cells(headings, rows))


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
                code=IssueCode.FET_EMPTY_SLOT,
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
    grids = [out]
    if not block_planning and "activity tags" in body.columns:
        tags = body.loc[slots.index.unique(), "activity tags"].str.split("+").explode().str.strip()
        found = tags.str.extract(_BLOCK_TAG)
        block_of = found["block"].fillna(found["op"]).str.upper().str.replace(" ", "").dropna()
        block_of = block_of[~block_of.index.duplicated()]
        if len(block_of):
            tagged = slots.join(block_of.rename("block"), how="inner").drop_duplicates(["student", "block", "subject"])
            grids.append(_grid(grid, ["Student ID", "Block", "Subject"], tagged[["student", "block", "subject"]]))
            what += (
                f" Option blocks come from the activity tags: {plural(tagged['block'].nunique(), 'block')}, "
                f"{plural(len(tagged), 'choice')}."
            )
    notes.insert(0, Issue("info", what, file=grid.file, sheet=grid.sheet, code=IssueCode.FET_TIMETABLE))
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
                code=IssueCode.FET_GROUP_SETS,
            )
        )
    return Reshaped(grids, notes, "FET timetable", group_level=not individual)


# ---- The rest of an FET export folder ----------------------------------------------------------

_FET_STATISTICS = {"students sets", "subject", "teachers", "total duration"}
_FET_REFERENCE = {"activity tag", "room", "room capacity", "building", "subject", "teacher", "comments"}


def _fet_statistics(grid: Grid) -> Reshaped:
    """FET ``*_statistics_activities.csv``: periods per week per students set and subject.

    It says the same as the timetable, set by set, so it is used only when no timetable came
    with it (``fallback``); its sets are groups, so breadth from it is per group.
    """
    body, _ = _frame(grid)
    rows = body[["students sets", "subject", "total duration"]].apply(lambda c: c.str.strip())
    rows = rows.assign(student=rows["students sets"].str.split("+")).explode("student")
    rows["student"] = rows["student"].str.strip()
    rows["periods"] = pd.to_numeric(rows["total duration"], errors="coerce")
    rows = rows[(rows["student"] != "") & rows["student"].notna() & (rows["subject"] != "")]
    periods = rows.groupby(["student", "subject"], sort=False)["periods"].sum(min_count=1).reset_index()
    periods["reg"] = periods["student"]
    out = _grid(grid, ["Student ID", "Subject", "Periods per week", "Reg Group"], periods.fillna(""))
    note = Issue(
        "info",
        f"Read '{grid.file}' as FET activity statistics: periods per week for "
        f"{plural(periods['student'].nunique(), 'students set')} (groups, not pupils: breadth is per group).",
        file=grid.file,
        sheet=grid.sheet,
        code=IssueCode.FET_STATISTICS,
    )
    sets = periods["student"].unique()
    individual = len(sets) > 0 and all(_INDIVIDUAL.match(s) for s in sets)  # block planning: one student per set
    return Reshaped([out], [note], "FET activity statistics", fallback=True, group_level=not individual)


# ---- SIMS Report Designer student timetable (one row per pupil per lesson slot) -----------------

_SLOT = re.compile(r"^\s*(?P<week>\d*)\s*(?P<day>[A-Za-z]{3})\s*:\s*(?P<period>[A-Za-z0-9]+)\s*$")
_REGISTRATION = {"am", "pm", "reg", "am reg", "pm reg"}


def _is_slot_timetable(first: set[str], grid: Grid) -> bool:
    if (
        "period" not in first
        or not ({"subject code", "subject"} & first)
        or not ({"name", "reg"} & first or _pupil_column(first))
    ):
        return False
    header = [_normal(c) for c in grid.cells.iloc[0].tolist()]
    values = grid.cells.iloc[1:51, header.index("period")].str.strip()
    values = values[values != ""]
    return len(values) > 0 and values.str.match(_SLOT).mean() >= 0.6


def _slot_timetable(grid: Grid) -> Reshaped:
    """Lesson slots (``Period`` like ``1Mon:4``) counted into periods per cycle per pupil and subject.

    - a slot counts once per pupil and subject, however many rows list it (split classes);
    - registration slots (``am``/``pm``), blank periods and subjects that map to no Core Learning
      area (tutor time, study, enrichment: ``config/subject_aliases.csv``) are left out;
    - the cycle length is the highest week number in the ``Period`` codes (``2Fri:6`` -> 2 weeks);
    - pupils without an ID column are keyed by name, kept apart by tutor group when names repeat.
    """
    from natbacc.subjects import SubjectMap  # the shipped mapping decides what is not a lesson

    body, header = _frame(grid)
    subject_col = "subject code" if "subject code" in header else "subject"
    id_col = _pupil_column(header)
    slots = pd.DataFrame(
        {
            "name": body["name"].str.strip() if "name" in header else "",
            "reg": body["reg"].str.strip() if "reg" in header else "",
            "id": body[id_col].str.strip() if id_col else "",
            "subject": body[subject_col].str.strip(),
            "period": body["period"].str.strip(),
        },
        index=body.index,
    )
    parts = slots["period"].str.extract(_SLOT)
    registration = parts["period"].str.lower().isin(_REGISTRATION)
    blank = (slots["period"] == "") | parts["day"].isna() | (slots["subject"] == "")
    areas = SubjectMap.default().map_labels(slots["subject"])["area"]
    not_lesson = areas.eq("non_curricular") & ~blank
    notes: list[Issue] = []
    where = f"'{grid.file}'"
    dropped = {
        "registration slots": int((registration & ~blank).sum()),
        "blank or unreadable periods": int(blank.sum()),
        "tutor, study or enrichment slots": int((not_lesson & ~registration).sum()),
    }
    keep = ~(registration | blank | not_lesson)
    slots, parts = slots[keep], parts[keep]
    weeks = pd.to_numeric(parts["week"], errors="coerce").max()
    weeks = int(weeks) if weeks == weeks and weeks >= 1 else 1

    key = slots["id"]
    if not id_col:
        regs_per_name = slots.groupby("name")["reg"].nunique()
        repeated = regs_per_name[regs_per_name > 1].index
        key = slots["name"].where(~slots["name"].isin(repeated), slots["name"] + " (" + slots["reg"] + ")")
        if len(repeated):
            notes.append(
                Issue(
                    "warning",
                    f"{where} has no pupil ID column, and {plural(len(repeated), 'name')} belong to pupils in "
                    f"different tutor groups ({', '.join(list(repeated)[:5])}); they are kept apart by tutor "
                    "group. Add an Adno column to the report to be sure.",
                    file=grid.file,
                    sheet=grid.sheet,
                    column="Name",
                    code=IssueCode.REPEATED_NAMES,
                )
            )
        notes.append(
            Issue(
                "warning",
                f"{where} has no pupil ID column, so pupils are matched by name. Add Adno (or UPN) to the SIMS "
                "report so they join to the pupil details.",
                file=grid.file,
                sheet=grid.sheet,
                code=IssueCode.KEYED_BY_NAME,
            )
        )
    slots = slots.assign(key=key)
    counts = (
        slots.drop_duplicates(["key", "subject", "period"])
        .groupby(["key", "subject"], sort=False)
        .agg(periods=("period", "size"), name=("name", "first"), reg=("reg", "first"))
        .reset_index()
    )
    per = {1: "Periods per week", 2: "Periods per fortnight"}.get(weeks, "Periods")
    out = _grid(
        grid, ["Student ID", "Name", "Reg Group", "Subject", per], counts[["key", "name", "reg", "subject", "periods"]]
    )
    left = "; ".join(f"{n:,} {what}" for what, n in dropped.items() if n)
    notes.insert(
        0,
        Issue(
            "info",
            f"Read {where} as a SIMS lesson-slot timetable ({weeks}-week cycle): {plural(len(counts), 'class')} "
            f"for {plural(counts['key'].nunique(), 'pupil')}, periods counted from distinct slots"
            + (f"; left out {left}." if left else "."),
            file=grid.file,
            sheet=grid.sheet,
            code=IssueCode.SLOT_TIMETABLE,
        ),
    )
    return Reshaped([out], notes, "SIMS lesson-slot timetable")


# ---- Option lists with no header row (choices only) -------------------------------------------

_ID_LIKE = re.compile(r"^[A-Za-z]{0,3}\d{3,}[A-Za-z]?$")


def _known_subject_share(cells: pd.DataFrame) -> float:
    from natbacc.subjects import SubjectMap

    values = pd.Series(cells.to_numpy().ravel()).str.strip()
    values = values[values != ""]
    if values.empty:
        return 0.0
    return float((SubjectMap.default().map_labels(values)["area"] != "unmapped").mean())


def _is_headerless_options(first: set[str], grid: Grid) -> bool:
    """Rows of subject names from the very first row: choices with no header (and maybe no IDs)."""
    if len(grid.cells.columns) < 2 or len(grid.cells) < 2:
        return False
    # Cheap refusals first (this runs for every sheet): a title line, or a header naming the ID column.
    if sum(1 for c in first if c) < 2 or _pupil_column(first) is not None:
        return False
    top = grid.cells.iloc[:20]
    body = top.iloc[:, 1:] if top.iloc[:, 0].str.strip().str.match(_ID_LIKE).mean() >= 0.9 else top
    return _known_subject_share(top.iloc[:1, -body.shape[1] :]) >= 0.5 and _known_subject_share(body) >= 0.6


def _headerless_options(grid: Grid) -> Reshaped:
    """Choices with pupil IDs in the first column become an option list; without IDs, a clear request."""
    cells = grid.cells
    ids = cells.iloc[:, 0].str.strip()
    if ids.str.match(_ID_LIKE).mean() >= 0.9:
        choices = cells.iloc[:, 1:]
        headings = ["Student ID", *[f"Choice {n}" for n in range(1, choices.shape[1] + 1)]]
        note = Issue(
            "info",
            f"'{grid.file}' has no header row: read as option choices with the pupil ID in the first column and "
            f"{plural(choices.shape[1], 'choice')} per pupil (no blocks).",
            file=grid.file,
            sheet=grid.sheet,
            code=IssueCode.HEADERLESS_OPTIONS,
        )
        return Reshaped([_grid(grid, headings, cells)], [note], "Option choices (no header row)", header_rows=0)
    sample = ", ".join(v for v in cells.iloc[0].str.strip().tolist() if v)
    issue = Issue(
        "error",
        f"'{grid.file}' looks like option choices (first row: {sample}) but has no pupil ID column and no header "
        "row, so the choices cannot be matched to pupils. Add a first column with each pupil's admission number "
        "(Adno) and a header row such as 'Adno, Choice 1, Choice 2, ...', then upload it again.",
        file=grid.file,
        sheet=grid.sheet,
        row=1,
        code=IssueCode.OPTIONS_WITHOUT_IDS,
    )
    return Reshaped([], [issue], "Option choices without pupil IDs")


# ---- Lists natbacc must not read (staff, schools) --------------------------------------------

_STAFF_HINTS = {"teacher number", "teacher id", "staff id", "staff code", "qualification"}
_SCHOOL_LIST = {"dfe number", "school number"}


def _skip(what: str, why: str) -> Callable[[Grid], Reshaped]:
    def reshaper(grid: Grid) -> Reshaped:
        return Reshaped(
            [],
            [
                Issue(
                    "info",
                    f"Not used: '{grid.file}' is {what}: {why}",
                    file=grid.file,
                    sheet=grid.sheet,
                    code=IssueCode.SKIPPED_LIST,
                )
            ],
            f"not used: {what}",
        )

    return reshaper


# ---- Class memberships and class tables (MS School Data Sync, iSAMS, Arbor style) -------------

_CLASS_KEYS = ("section id", "section sis id", "set id", "setid", "class id", "group id")
_SUBJECT_KEYS = ("course subject", "subject", "subject name", "course name", "section name")
#: Period-count columns a class table may carry -> the heading the class-list builder reads. SDS's
#: bare "Periods" (which periods a section meets, not how many) is deliberately absent.
_PERIOD_COUNTS = {
    "periods per week": "Periods per week",
    "lessons per week": "Periods per week",
    "periods per fortnight": "Periods per fortnight",
    "periods per cycle": "Periods",
    "lessons per cycle": "Periods",
}


def _first(header: list[str], keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if k in header), None)


def _is_membership(first: set[str]) -> bool:
    """Two IDs and nothing about subjects: "which person is in which class"."""
    return (
        _first(list(first), _CLASS_KEYS) is not None
        and _pupil_column(first) is not None
        and not first & {"subject", "course subject", "course name", "section name", "subject name"}
        and len(first - {""}) <= 4
    )


def _membership(grid: Grid) -> Reshaped:
    body, header = _frame(grid)
    cls, person = _first(header, _CLASS_KEYS), _pupil_column(header)
    frame = pd.DataFrame({"student_id": body[person].str.strip(), "class_id": body[cls].str.strip(), "row": body.index})
    frame = frame[(frame["student_id"] != "") & (frame["class_id"] != "")]
    return Reshaped([], [], "Class memberships", memberships=frame.assign(file=grid.file, sheet=grid.sheet))


def _is_class_table(first: set[str]) -> bool:
    return (bool({"id", "sis id"} & first) and "section name" in first) or (
        _first(list(first), _CLASS_KEYS) is not None
        and _first(list(first), _SUBJECT_KEYS) is not None
        and _pupil_column(first - {"id"}) is None
    )


def _class_table(grid: Grid) -> Reshaped:
    """One row per class: its ID, a code or name, and the subject (SDS Section.csv and similar).

    SDS "Periods" says *which* periods a section meets, not how many, so it is not read: breadth
    then comes from membership alone and the time-based measures say they are unavailable.
    """
    body, header = _frame(grid)
    key = (_first(header, ("id", "sis id")) if "section name" in header else None) or _first(header, _CLASS_KEYS)
    subject = pd.Series("", index=body.index)
    for k in _SUBJECT_KEYS:  # the most specific subject column that has a value wins
        if k in header:
            subject = subject.where(subject != "", body[k].str.strip())
    code = body["section name"].str.strip() if "section name" in header else body[key].str.strip()
    frame = pd.DataFrame({"class_id": body[key].str.strip(), "class_code": code, "subject_label": subject})
    counted = next((c for c in _PERIOD_COUNTS if c in header), None)
    frame["periods"] = body[counted].str.strip() if counted else ""
    frame["per"] = _PERIOD_COUNTS[counted] if counted else "Periods"
    return Reshaped([], [], "Class table", classes=frame[frame["class_id"] != ""].drop_duplicates("class_id"))


def join_classes(
    memberships: list[pd.DataFrame], classes: list[pd.DataFrame], pupil_ids: set[str]
) -> tuple[list[Grid], list[Issue]]:
    """Class lists from memberships joined to the class tables, one grid per membership file.

    A membership file none of whose people are pupils (when pupils are known) is a staff roster
    (SDS TeacherRoster.csv has the same two columns as StudentEnrollment.csv) and is skipped.
    """
    table = (
        pd.concat(classes, ignore_index=True).drop_duplicates("class_id")
        if classes
        else pd.DataFrame(columns=["class_id", "class_code", "subject_label", "periods", "per"])
    )
    grids, notes = [], []
    for m in memberships:
        file, sheet = m["file"].iloc[0], m["sheet"].iloc[0]
        if pupil_ids and not m["student_id"].isin(pupil_ids).any():
            notes.append(
                Issue(
                    "info",
                    f"'{file}' lists people in classes, but none of them is a pupil in the pupil details "
                    "(a staff roster?); it was skipped.",
                    file=file,
                    sheet=sheet,
                    code=IssueCode.ROSTER_SKIPPED,
                )
            )
            continue
        joined = m.merge(table, on="class_id", how="left")
        unknown = joined["subject_label"].isna()
        if unknown.any() and len(table):
            rows = joined.loc[unknown, "row"].tolist()
            notes.append(
                Issue(
                    "warning",
                    f"{plural(int(unknown.sum()), 'membership')} in '{file}' name a class that is not in the class "
                    f"table (rows {', '.join(map(str, rows[:10]))}{'...' if len(rows) > 10 else ''}); natbacc reads "
                    "the subject from the class code where it can.",
                    file=file,
                    sheet=sheet,
                    code=IssueCode.UNKNOWN_CLASS,
                )
            )
        joined["class_code"] = joined["class_code"].fillna(joined["class_id"])
        joined["subject_label"] = joined["subject_label"].fillna("")
        notes.append(
            Issue(
                "info",
                f"Read '{file}' as class memberships: {plural(len(joined), 'enrolment')} joined to "
                f"{plural(len(table), 'class', 'classes')} in the class table."
                + (
                    ""
                    if joined["periods"].fillna("").ne("").any()
                    else " No period counts: time-based measures (balance, time per area) are unavailable for "
                    "these classes."
                ),
                file=file,
                sheet=sheet,
                code=IssueCode.MEMBERSHIPS,
            )
        )
        headings = ["Student ID", "Class", "Subject"]
        columns = ["student_id", "class_code", "subject_label"]
        if joined["periods"].fillna("").ne("").any():
            per = joined["per"].dropna().iloc[0]
            headings, columns = [*headings, per], [*columns, "periods"]
        grids.append(Grid(file, sheet, _grid_cells(headings, joined[columns].fillna(""))))
    return grids, notes


def _grid_cells(headings: list[str], rows: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(
        [pd.DataFrame([headings]), pd.DataFrame(rows.astype(str).to_numpy().tolist())], ignore_index=True
    ).fillna("")


#: (test on the normalised first row and the grid, reshaper), tried in order.
LAYOUTS: list[tuple[Callable[[set[str], Grid], bool], Callable[[Grid], Reshaped]]] = [
    (lambda h, g: h >= _FET_TIMETABLE, _fet_timetable),
    (lambda h, g: h >= _FET_STATISTICS and "split duration" not in h, _fet_statistics),
    (
        lambda h, g: h >= {"students sets", "subject", "total duration", "split duration"},
        _skip(
            "an FET activities list",
            "the FET timetable (or statistics) file gives the same periods, so it was not read.",
        ),
    ),
    (
        lambda h, g: h >= {"year", "number of students per year", "group"},
        _skip("an FET list of student sets", "it gives group sizes, not pupils, so it was not read."),
    ),
    (
        lambda h, g: "comments" in h and h - {""} <= _FET_REFERENCE,
        _skip("an FET reference list (subjects, teachers, rooms or tags)", "nothing in it is about pupils."),
    ),
    (_is_slot_timetable, _slot_timetable),
    (
        lambda h, g: bool(h & _STAFF_HINTS) and not h & {"adno", "upn", "student id"},
        _skip("a staff list", "natbacc reads pupils only, so staff details are not read."),
    ),
    (
        lambda h, g: h >= _SCHOOL_LIST or ({"dfe number", "name"} <= h and "first name" not in h),
        _skip("a list of schools", "nothing in it is about pupils, so it was not read."),
    ),
    (lambda h, g: _is_membership(h), _membership),
    (lambda h, g: _is_class_table(h), _class_table),
    (_is_headerless_options, _headerless_options),
]


def reshape(grid: Grid) -> Reshaped | None:
    """The grid rewritten in canonical shape when its first row names a known layout, else None."""
    if grid.cells.empty:
        return None
    first = {_normal(c) for c in grid.cells.iloc[0].tolist()}
    for matches, reshaper in LAYOUTS:
        if matches(first, grid):
            return reshaper(grid)
    return None
