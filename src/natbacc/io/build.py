"""Turn one recognised sheet into rows of a canonical table, checking every value.

Each builder reads only the columns it needs (anything else in the file is never stored), parses
values with the vectorised parsers in ``values``, and reports each problem at its row and column.
A row is dropped only when it cannot mean anything (no pupil ID, an activity with no hours);
questionable values are kept blank and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from natbacc.distinct import by_unique
from natbacc.io import values as v
from natbacc.io.header import Header, load_aliases
from natbacc.io.issues import IssueLog
from natbacc.io.issues import where as describe
from natbacc.io.next_year import mark_next_year
from natbacc.io.qualifications import build_qualifications, grade_heading_fix, parse_tier
from natbacc.io.rules import ImportRules
from natbacc.io.source import Grid
from natbacc.model import FIRST_YEAR, KIND_LABELS, LAST_YEAR, Issue, TableKind, secondary_years
from natbacc.subjects import parse_class_codes
from natbacc.upn import invalid_mask
from natbacc.vocabulary import IssueCode, Sen

_TOTAL_ROW = re.compile(r"(?i)^\s*(total|totals|count|sum|average|mean|number of|grand total)\b")
#: Control characters (C0 except tab, newline and carriage return; DEL; C1). They are invisible, mean nothing
#: in a name or subject, and a NUL cannot be stored in PostgreSQL text at all.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_REG_YEAR = re.compile(r"^\s*(?:y(?:ear|r)?\s*)?(\d{1,2})(?!\d)", re.IGNORECASE)


def recognise(header: Header) -> TableKind | None:
    """What a sheet holds, from which fields its header names."""
    f = header.fields
    if "qualification_label" in f and ({"grade", "status", "level", "size", "subject"} & f.keys()):
        return "qualifications"
    if len(header.option_columns) >= 2 or ("block" in f and "subject" in f):
        return "options"
    if "stage" in f and ({"title", "supervisor", "hours"} & f.keys()):
        return "project"
    if "title" in f and "supervisor" in f:
        return "project"
    if "hours" in f and ({"activity", "category"} & f.keys()):
        return "development"
    if "category" in f and "date" in f:
        return "development"
    if "class_code" in f or "subject" in f:
        return "enrolments"
    if {"student_id", "upn"} & f.keys():
        return "students"
    return None


@dataclass
class Built:
    """The rows one sheet contributed, and what it said about pupils along the way."""

    kind: TableKind
    table: pd.DataFrame
    students: pd.DataFrame
    keyed_by_upn: bool = False
    issues: list[Issue] = field(default_factory=list)
    file: str = ""
    sheet: str | None = None
    subject_column: str | None = None
    #: The heading of the pupil ID column, for messages about a row's pupil.
    id_column: str | None = None
    #: True when the pupils' year groups were worked out from class codes ("10X/Ge2"), not read from a column:
    #: a pupil may be in a class of another year, so such years are not checked against each other.
    year_from_codes: bool = False


def _col(data: pd.DataFrame, header: Header, fld: str) -> pd.Series | None:
    if fld not in header.fields:
        return None
    return data[header.fields[fld]].str.strip()


def _required_col(data: pd.DataFrame, header: Header, fld: str) -> pd.Series:
    """``_col`` for a field the sheet is known to have (its kind or its ID column was recognised from it)."""
    return data[header.fields[fld]].str.strip()


def _student_facts(data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog) -> pd.DataFrame:
    """Whatever the sheet says about each pupil: name, year, group, context flags."""
    facts = pd.DataFrame({"student_id": ids}, index=data.index)
    name = _col(data, header, "name")
    if name is None:
        first = _col(data, header, "forename")
        if first is None:
            first = _col(data, header, "preferred_forename")
        last = _col(data, header, "surname")
        if last is None:
            last = _col(data, header, "preferred_surname")
        if first is not None or last is not None:
            parts = [p.fillna("") for p in (first, last) if p is not None]
            name = parts[0] if len(parts) == 1 else (parts[0] + " " + parts[1]).str.strip()
    if name is not None:
        facts["name"] = name.where(name != "")

    upn = _col(data, header, "upn")
    if upn is not None:
        upn = upn.str.upper().where(upn != "")
        facts["upn"] = upn
        log.rows(
            invalid_mask(upn),
            upn,
            "UPN '{value}' fails the DfE check letter test; the pupil is kept. Check it against the MIS.",
            column=header.column_name("upn"),
            code=IssueCode.BAD_UPN,
        )

    reg = _col(data, header, "reg_group")
    if reg is not None:
        facts["reg_group"] = reg.where(reg != "")

    year: pd.Series | None = None
    if (year_raw := _col(data, header, "year_group")) is not None:
        year, bad = v.parse_year_group(year_raw)
        log.rows(
            bad,
            year_raw,
            f"Year group '{{value}}' is not a secondary year ({FIRST_YEAR} to {LAST_YEAR}); the pupil is kept "
            "without a year. Correct it in the export.",
            column=header.column_name("year_group"),
            code=IssueCode.BAD_YEAR,
        )
    if reg is not None:
        # A blank year is filled from the registration group ("10X" -> 10); a wrong one is not guessed.
        from_reg = pd.to_numeric(reg.str.extract(_REG_YEAR)[0], errors="coerce").astype("Int64")
        from_reg = secondary_years(from_reg)
        year = from_reg if year is None else year.mask(year.isna() & (year_raw == ""), from_reg)
    if year is not None:
        facts["year_group"] = year

    if (raw := _col(data, header, "sex")) is not None:
        facts["sex"] = v.parse_sex(raw)
    for fld in ("pupil_premium", "fsm"):
        if (raw := _col(data, header, fld)) is not None and "pupil_premium" not in facts:
            flags, bad = v.parse_bool(raw)
            log.rows(
                bad,
                raw,
                "'{value}' is not Yes or No; Pupil Premium is left unknown for this pupil.",
                column=header.column_name(fld),
                code=IssueCode.BAD_FLAG,
            )
            facts["pupil_premium"] = flags
    if (raw := _col(data, header, "sen")) is not None:
        sen, bad = v.parse_sen(raw)
        log.rows(
            bad,
            raw,
            "SEN code '{value}' is not N, K or E (or yes/no); recorded as N (no SEN). Check the export.",
            column=header.column_name("sen"),
            code=IssueCode.BAD_SEN,
        )
        facts["sen"] = sen
    if (raw := _col(data, header, "ehcp")) is not None:  # a yes/no "has an EHC plan" column sets E
        plan, bad = v.parse_bool(raw)
        log.rows(
            bad,
            raw,
            "'{value}' is not Yes or No; the EHC plan is left as the SEN column says.",
            column=header.column_name("ehcp"),
            code=IssueCode.BAD_FLAG,
        )
        has_plan = plan.fillna(False).astype(bool)
        if "sen" in facts:
            facts["sen"] = facts["sen"].mask(has_plan, Sen.EHC_PLAN.value)
        else:  # "no plan" alone does not say whether the pupil has SEN support: unknown, not N
            facts["sen"] = pd.Series(pd.NA, index=facts.index, dtype="str").mask(has_plan, Sen.EHC_PLAN.value)
    if (raw := _col(data, header, "eal")) is not None:
        flags, bad = v.parse_bool(raw)
        log.rows(
            bad,
            raw,
            "'{value}' is not Yes or No; EAL is left unknown for this pupil.",
            column=header.column_name("eal"),
            code=IssueCode.BAD_FLAG,
        )
        facts["eal"] = flags
    elif (raw := _col(data, header, "first_language")) is not None:
        facts["eal"] = v.eal_from_first_language(raw)
    if (raw := _col(data, header, "school")) is not None:
        facts["school"] = raw.where(raw != "")
    if (raw := _col(data, header, "target_tier")) is not None:
        facts["target_tier"] = parse_tier(raw, log, header.column_name("target_tier"))
    if (raw := _col(data, header, "registered")) is not None:
        flags, bad = v.parse_bool(raw)
        log.rows(
            bad,
            raw,
            "'{value}' is not Yes or No; the pupil's NBfE registration is left unknown.",
            column=header.column_name("registered"),
            code=IssueCode.BAD_FLAG,
        )
        facts["registered"] = flags
    return facts


def _remove_control_characters(data: pd.DataFrame, header: Header, log: IssueLog) -> pd.DataFrame:
    """``data`` with control characters taken out of every column natbacc reads, each cell reported.

    The warning names the row and column but not the value: the value is what cannot be shown.
    """
    used = {*header.fields.values(), *(c for c, _ in header.option_columns), *header.reserve_columns}
    copied = False
    # Column labels are positions (0, 1, ...), in order, so this is the order of ``data.columns``.
    for col in sorted(used):
        if col not in data.columns:
            continue
        has = by_unique(data[col], lambda s: s.str.contains(_CONTROL, regex=True))
        if has.any():
            log.rows(
                has,
                None,
                "This cell held invisible control characters; they were removed and the rest of the text kept.",
                column=header.names.get(col, str(col)),
                code=IssueCode.CONTROL_CHARACTERS,
            )
            if not copied:
                data, copied = data.copy(), True
            data[col] = data[col].str.replace(_CONTROL, "", regex=True)
    return data


def build_sheet(grid: Grid, header: Header, kind: TableKind, rules: ImportRules) -> Built:
    """Rows of ``kind`` from one sheet (an empty table, with the reason in its issues, when nothing is usable)."""
    log = IssueLog(grid.file, grid.sheet)
    data = grid.cells.iloc[header.row + 1 :]
    if len(data):
        blank = np.ones(len(data), dtype=bool)
        for col in data.columns:  # empty or whitespace in every column (C-level string kernels, no strip copy)
            cells = data[col]
            blank &= ((cells == "") | cells.str.isspace()).to_numpy(bool)
            if not blank.any():
                break
        data = data[~blank]
        data = _remove_control_characters(data, header, log)
    where = describe(grid.file, grid.sheet)
    if data.empty:
        log.add(
            "error",
            f"{where} has a header row but no data rows. Export it again with the pupils included.",
            row=header.row + 1,
            code=IssueCode.NO_ROWS,
        )
        return Built(kind, pd.DataFrame(), pd.DataFrame(), issues=log.issues)

    id_field = "student_id" if "student_id" in header.fields else "upn" if "upn" in header.fields else None
    if id_field is None:
        found = ", ".join(f"'{n}'" for n in header.names.values()) or "none"
        log.add(
            "error",
            f"{where} looks like {KIND_LABELS[kind].lower()} but has no pupil ID column (found: "
            f"{found}). Add a column headed 'Adno', 'UPN' or 'Student ID'.",
            row=header.row + 1,
            code=IssueCode.NO_ID_COLUMN,
        )
        return Built(kind, pd.DataFrame(), pd.DataFrame(), issues=log.issues)

    ids = _required_col(data, header, id_field)
    if id_field == "upn":
        ids = ids.str.upper()
    no_id = (ids == "").to_numpy(bool)
    labelled_total = np.zeros(len(data), dtype=bool)
    if no_id.any():  # a "Total" row has no pupil ID and says so in some column
        labelled_total[no_id] = data[no_id].apply(lambda s: s.str.match(_TOTAL_ROW)).any(axis=1).to_numpy(bool)
    totals = pd.Series(labelled_total, index=ids.index) | by_unique(ids, lambda s: s.str.match(_TOTAL_ROW))
    missing = (ids == "") | totals
    log.rows(
        missing & ~totals,
        None,
        f"This row has no pupil ID, so it was skipped. Fill in the '{header.column_name(id_field)}' column.",
        column=header.column_name(id_field),
        code=IssueCode.MISSING_ID,
    )
    data, ids = data[~missing], ids[~missing]
    log.data_rows = len(data)
    if data.empty:
        log.add(
            "error",
            f"{where}: no row has a pupil ID in '{header.column_name(id_field)}', so nothing could be imported.",
            code=IssueCode.NO_VALID_ROWS,
        )
        return Built(kind, pd.DataFrame(), pd.DataFrame(), issues=log.issues)

    if kind == "qualifications":
        grade_heading_fix(header)
    facts = _student_facts(data, header, ids, log)
    year_read = "year_group" in facts
    builder = _BUILDERS[kind]
    table = builder(data, header, ids, log, rules, facts)
    if kind == "options" and not table.empty:
        table = mark_next_year(table, grid, header, data, facts)
    if table.empty and kind != "students":
        log.add(
            "error",
            f"{where}: none of its rows could be used (see the row messages above).",
            code=IssueCode.NO_VALID_ROWS,
        )
    subject_field = "subject" if "subject" in header.fields else "class_code" if "class_code" in header.fields else None
    return Built(
        kind,
        table,
        facts,
        id_field == "upn",
        log.issues,
        grid.file,
        grid.sheet,
        header.column_name(subject_field) if subject_field else None,
        header.column_name(id_field),
        not year_read and "year_group" in facts,
    )


def _students(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    # A trust's export restarts pupil IDs in every school: there a pupil is the pair (school, ID).
    dupes = facts[["school", "student_id"]].duplicated() if "school" in facts else ids.duplicated(keep="first")
    log.rows(
        dupes,
        ids,
        "Pupil ID '{value}' appears again; the first row for this pupil is used.",
        column=header.column_name("student_id" if "student_id" in header.fields else "upn"),
        code=IssueCode.DUPLICATE_ID,
    )
    return facts[~dupes]


def _enrolments(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    code = _col(data, header, "class_code")
    subject = _col(data, header, "subject")
    label = subject if subject is not None else code
    if label is None:
        # Only a sheet forced to this kind (--kind, the Import page) could lack both columns, and the pipeline
        # refuses that first with a located NO_SUCH_COLUMN issue; reaching here is a bug.
        raise TypeError("an enrolments sheet needs a class or a subject column")
    if subject is not None and code is not None:
        label = subject.where(subject != "", code)
    no_label = label == ""
    log.rows(
        no_label,
        None,
        "This row names no class or subject, so it was skipped.",
        column=header.names.get(header.fields.get("subject", header.fields.get("class_code", -1))),
        code=IssueCode.MISSING_SUBJECT,
    )
    table = pd.DataFrame({"student_id": ids, "subject_label": label}, index=data.index)
    table["class_code"] = code.where(code != "") if code is not None else pd.NA
    if code is not None and "year_group" not in facts:
        facts["year_group"] = parse_class_codes(code)["year_group"]  # Y7-Y13 only

    periods = None
    for fld, factor in (
        ("periods", 1.0),
        ("periods_per_week", float(rules.cycle_weeks)),
        ("periods_per_fortnight", rules.cycle_weeks / 2),
    ):
        if (raw := _col(data, header, fld)) is None:
            continue
        values, not_number, negative = v.parse_number(raw)
        name = header.column_name(fld)
        log.rows(
            not_number,
            raw,
            "Periods '{value}' is not a number; the class is kept without a period count.",
            column=name,
            code=IssueCode.BAD_NUMBER,
        )
        log.rows(
            negative,
            raw,
            "Periods '{value}' is negative; the class is kept without a period count.",
            column=name,
            code=IssueCode.NEGATIVE_NUMBER,
        )
        values = values * factor
        too_many = values.gt(rules.periods_per_cycle).fillna(False).astype(bool)
        log.rows(
            too_many,
            raw,
            f"'{{value}}' periods is more than the {rules.periods_per_cycle}-period "
            "timetable cycle; the class is kept without a period count. Check the cycle length in Settings.",
            column=name,
            code=IssueCode.TOO_MANY_PERIODS,
        )
        periods = values.mask(too_many)
        break
    table["periods"] = periods if periods is not None else pd.NA
    table = table[~no_label]
    same = ["student_id", "class_code", "subject_label"]
    if "school" in facts:  # pupil 17 of two schools of a trust, both in a class "10X/Ma1": two pupils
        table["_school"], same = facts["school"], [*same, "_school"]
    dupes = table.duplicated(same, keep="first")
    if dupes.any():
        log.add(
            "info",
            f"{int(dupes.sum()):,} rows repeat a pupil's class exactly; each class is counted once.",
            code=IssueCode.DUPLICATE_CLASS,
        )
    return table[~dupes].drop(columns="_school", errors="ignore")


def _options(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    empties = load_aliases().empty_values
    if header.option_columns:
        parts: list[pd.DataFrame] = []
        for col, block_name in header.option_columns:
            subject = data[col].str.strip()
            keep = (subject != "") & ~subject.str.lower().isin(empties)
            parts.append(pd.DataFrame({"student_id": ids[keep], "block": block_name, "subject_label": subject[keep]}))
        table = pd.concat(parts) if parts else pd.DataFrame(columns=["student_id", "block", "subject_label"])
        if header.reserve_columns:
            log.add(
                "info",
                "Reserve choices are not counted as options (only allocated or first choices are).",
                column=header.names[header.reserve_columns[0]],
                code=IssueCode.RESERVE_IGNORED,
            )
    else:
        subject_or_none, block = _col(data, header, "subject"), _col(data, header, "block")
        if subject_or_none is None or block is None:
            # Only a sheet forced to this kind could lack them; the pipeline refuses it first (see _enrolments).
            raise AttributeError("an options sheet needs option-block columns, or a block and a subject column")
        subject = subject_or_none
        keep = (subject != "") & ~subject.str.lower().isin(empties)
        table = pd.DataFrame({"student_id": ids, "block": block.str.upper(), "subject_label": subject})[keep]
    return table.sort_index(kind="stable")


def _project(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    table = pd.DataFrame({"student_id": ids}, index=data.index)
    for fld in ("title", "supervisor"):
        raw = _col(data, header, fld)
        table[fld] = raw.where(raw != "") if raw is not None else pd.NA
    if (raw := _col(data, header, "stage")) is not None:
        stage, unknown = v.lookup_aliases(raw, rules.stage_aliases)
        log.rows(
            unknown,
            raw,
            "Project stage '{value}' is not one of proposal, research, production, "
            "presentation or complete; the stage is left unknown. Use one of those words.",
            column=header.column_name("stage"),
            code=IssueCode.BAD_STAGE,
        )
        table["stage"] = stage.mask(unknown)
    if (raw := _col(data, header, "hours")) is not None:
        hours, not_number, negative = v.parse_number(raw)
        log.rows(
            not_number | negative,
            raw,
            "Hours '{value}' is not a number of hours; left blank.",
            column=header.column_name("hours"),
            code=IssueCode.BAD_NUMBER,
        )
        table["hours"] = hours
    return table


def _development(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    table = pd.DataFrame({"student_id": ids}, index=data.index)
    if (raw := _col(data, header, "date")) is not None:
        dates, bad = v.parse_date(raw)
        log.rows(
            bad,
            raw,
            "Date '{value}' is not a date (use day/month/year, e.g. 03/10/2026); the activity is kept without a date.",
            column=header.column_name("date"),
            code=IssueCode.BAD_DATE,
        )
        table["date"] = dates
    if (raw := _col(data, header, "activity")) is not None:
        table["activity"] = raw.where(raw != "")
    if (raw := _col(data, header, "category")) is not None:
        category, unknown = v.lookup_aliases(raw, rules.category_aliases)
        log.rows(
            unknown,
            raw,
            "Category '{value}' is not a PDP category; its hours count towards the total but "
            "not towards the spread across categories. Map it in Settings or rename it.",
            column=header.column_name("category"),
            code=IssueCode.UNKNOWN_CATEGORY,
            severity="info",
        )
        table["category"] = category
    if (raw := _col(data, header, "hours")) is None:
        log.add(
            "error",
            "The Personal Development log has no Hours column. Add one with the hours of each activity.",
            code=IssueCode.NO_HOURS_COLUMN,
        )
        return table.iloc[0:0]
    hours, not_number, negative = v.parse_number(raw)
    bad = not_number | negative | hours.isna()
    log.rows(
        bad,
        raw,
        "Hours '{value}' is not a number of hours, so this activity was skipped.",
        column=header.column_name("hours"),
        code=IssueCode.BAD_HOURS,
    )
    table["hours"] = hours
    return table[~bad]


#: Rows of one kind from a sheet's data rows: (data, header, ids, log, rules, pupil facts) -> table.
Builder = Callable[[pd.DataFrame, Header, pd.Series, IssueLog, ImportRules, pd.DataFrame], pd.DataFrame]

_BUILDERS: dict[TableKind, Builder] = {
    "students": _students,
    "enrolments": _enrolments,
    "options": _options,
    "project": _project,
    "development": _development,
    "qualifications": build_qualifications,
}
