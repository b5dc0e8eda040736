"""Read an exams-office export of entries and results: one row per pupil and qualification.

The qualification column (with the subject) names the type ("GCSE", "BTEC National Extended Diploma",
"EPQ"); the types table (``config/qualifications.toml``) gives its level, size and grade scale where the
file has no Level or Size column. The level each grade reaches is computed from the scale. Every value
that cannot be read is reported at its row and column and left blank; the row is kept.
"""

from __future__ import annotations

import pandas as pd

from natbacc.award.qualifications import QualificationTypes, parse_level
from natbacc.distinct import by_unique
from natbacc.io import values as v
from natbacc.io.header import Header, normalise_header
from natbacc.io.issues import IssueLog
from natbacc.io.rules import ImportRules
from natbacc.vocabulary import IssueCode, QualificationStatus, Tier

#: Words exams offices write for an entry still to be sat, and for a result.
STATUS_ALIASES: dict[str, list[str]] = {
    QualificationStatus.ENTERED: [
        "entered",
        "entry",
        "pending",
        "sitting",
        "registered",
        "studying",
        "in progress",
        "enrolled",
        "on course",
        "awaiting result",
        "awaiting results",
    ],
    QualificationStatus.ACHIEVED: [
        "achieved",
        "awarded",
        "result",
        "certificated",
        "complete",
        "completed",
        "passed",
        "failed",
        "resulted",
        "final",
    ],
}
#: Words schools write for each NBfE tier in the pupil list.
TIER_ALIASES: dict[str, list[str]] = {
    Tier.ENTRY: ["entry", "entry level", "e"],
    Tier.FOUNDATION: ["foundation", "level 1", "f", "l1"],
    Tier.INTERMEDIATE: ["intermediate", "level 2", "i", "l2"],
    Tier.ADVANCED: ["advanced", "level 3", "a", "l3"],
}


def grade_heading_fix(header: Header) -> None:
    """In a qualifications file a bare "Grade" column is the result, not the year group (as SDS uses it)."""
    col = header.fields.get("year_group")
    if "grade" not in header.fields and col is not None and normalise_header(header.names[col]) == "grade":
        header.fields["grade"] = header.fields.pop("year_group")


def parse_tier(raw: pd.Series, log: IssueLog, column: str) -> pd.Series:
    """The target tier column: tier codes, blank where not set; unknown words reported and left blank."""
    tier, unknown = v.lookup_aliases(raw, {t: list(names) for t, names in TIER_ALIASES.items()})
    log.rows(
        unknown,
        raw,
        "NBfE tier '{value}' is not Entry, Foundation, Intermediate or Advanced; the pupil is kept without a "
        "target tier. Use one of those words.",
        column=column,
        code=IssueCode.BAD_TIER,
    )
    return tier.mask(unknown)


def _col(data: pd.DataFrame, header: Header, fld: str) -> pd.Series | None:
    return data[header.fields[fld]].str.strip() if fld in header.fields else None


def build_qualifications(
    data: pd.DataFrame, header: Header, ids: pd.Series, log: IssueLog, rules: ImportRules, facts: pd.DataFrame
) -> pd.DataFrame:
    """Rows of the qualifications table from one sheet (see the module docstring)."""
    types_table = QualificationTypes.default()
    label = _col(data, header, "qualification_label")
    if label is None:
        raise TypeError("a qualifications sheet needs a qualification column")  # only a forced --kind lacks it
    subject = _col(data, header, "subject")
    table = pd.DataFrame({"student_id": ids}, index=data.index)
    table["qualification_label"] = label.where(label != "")
    table["subject_label"] = subject.where(subject != "") if subject is not None else pd.NA
    named = label if subject is None else (label + " " + subject.fillna(""))
    qual = types_table.types_of(named).replace("None", pd.NA)
    unknown = qual.isna()
    log.rows(
        unknown,
        label,
        "Qualification '{value}' is not a type natbacc knows (GCSE, A level, AS, BTEC or Cambridge National, "
        "Technical Award, T Level, Diploma, Extended Diploma, HPQ, EPQ, FSMQ, Entry Level Certificate, ...); it is "
        "kept but counts towards no tier unless the row gives its Level and Size. Name the type in the column.",
        column=header.column_name("qualification_label"),
        code=IssueCode.UNKNOWN_QUALIFICATION,
    )
    table["qualification"] = qual
    type_level = qual.map({k: t.level for k, t in types_table.types.items()}).astype("Int64")
    type_size = qual.map({k: t.size for k, t in types_table.types.items()}).astype("Float64")

    level = type_level
    if (raw := _col(data, header, "level")) is not None:
        parsed = by_unique(raw, lambda part: part.map(parse_level).astype("Int64"))
        bad = (raw != "") & parsed.isna()
        log.rows(
            bad,
            raw,
            "Level '{value}' is not Entry, 1, 2 or 3; the type's level is used. Correct it in the export.",
            column=header.column_name("level"),
            code=IssueCode.BAD_LEVEL,
        )
        level = parsed.fillna(type_level)
    table["level"] = level

    size = type_size
    if (raw := _col(data, header, "size")) is not None:
        values, not_number, negative = v.parse_number(raw)
        log.rows(
            not_number | negative,
            raw,
            "Size '{value}' is not a number of GCSEs or A levels; the qualification type's size is used.",
            column=header.column_name("size"),
            code=IssueCode.BAD_NUMBER,
        )
        size = values.fillna(type_size)
    table["size"] = size

    grade = _col(data, header, "grade")
    grade = grade.where(grade != "") if grade is not None else pd.Series(pd.NA, index=data.index, dtype="str")
    table["grade"] = grade
    status = pd.Series(QualificationStatus.ACHIEVED.value, index=data.index, dtype="str").where(
        grade.notna(), QualificationStatus.ENTERED.value
    )
    if (raw := _col(data, header, "status")) is not None:
        mapped, bad = v.lookup_aliases(raw, {s: list(names) for s, names in STATUS_ALIASES.items()})
        log.rows(
            bad,
            raw,
            "Status '{value}' is not entered or achieved; it is read from the grade (a grade means achieved).",
            column=header.column_name("status"),
            code=IssueCode.BAD_QUALIFICATION_STATUS,
        )
        status = mapped.mask(bad | (raw == ""), status)
    table["status"] = status

    reached, bad_grade = types_table.level_achieved(qual, level, grade)
    achieved = status == QualificationStatus.ACHIEVED.value
    column = header.column_name("grade") if "grade" in header.fields else None
    for key in sorted(set(qual[bad_grade & achieved].dropna())):  # one message template per scale
        scale = types_table.scale_of(str(key))
        grades = scale.grades_text() if scale else ""
        log.rows(
            bad_grade & achieved & (qual == key),
            grade,
            f"Grade '{{value}}' is not on the {types_table.types[str(key)].label} scale ({grades}); the result "
            "is kept but reaches no level. Correct it in the export.",
            column=column,
            code=IssueCode.BAD_GRADE,
        )
    table["level_achieved"] = reached.where(achieved)

    if (raw := _col(data, header, "date")) is not None:
        dates, bad = v.parse_date(raw)
        log.rows(
            bad,
            raw,
            "Date '{value}' is not a date (use day/month/year, e.g. 21/08/2026); the row is kept without a date.",
            column=header.column_name("date"),
            code=IssueCode.BAD_DATE,
        )
        table["date"] = dates

    # An entry row and a result row for the same qualification: the result wins; exact repeats count once.
    key_cols = ["student_id", "qualification_label", "subject_label"]
    order = table.assign(_r=(table["status"] == QualificationStatus.ACHIEVED.value).astype(int))
    order = order.sort_values("_r", ascending=False, kind="stable")
    dupes = order.duplicated(key_cols, keep="first")
    if dupes.any():
        log.add(
            "info",
            f"{int(dupes.sum()):,} rows repeat a pupil's qualification (an entry and its result, or the same row "
            "twice); each qualification is counted once, its result where there is one.",
            code=IssueCode.DUPLICATE_QUALIFICATION,
        )
    return order[~dupes].drop(columns="_r").sort_index(kind="stable")
