"""The scored records table, declared once: one row per pupil, as ``scoring.score_students`` builds it.

``model.py`` declares what the importer produces; this module declares what scoring produces, with
the same ``Column`` type, so the workbook, the store, trends and the dashboard read one list instead
of re-listing columns by hand. Some columns depend on the rule set (a Personal Development
category's hours): ``record_columns(settings)`` gives the full list for a rule set.

A pupil's flags are one boolean column per ``Flag`` (``flag_MISSING_ARTS`` ...). The text form, codes
joined by ``"; "``, exists only where one string is needed: the workbook's ``flags`` column (other
tools filter on it) and the store's pupil summaries. ``flags_text`` builds it.
"""

from __future__ import annotations

import pandas as pd

from natbacc.model import AREAS, TABLE_COLUMNS, Column
from natbacc.settings import Settings
from natbacc.text import join, per_pattern, when
from natbacc.vocabulary import FLAG_SEPARATOR, Flag, Strand

#: Every strand's score column, in strand order.
SCORE_COLUMNS: tuple[str, ...] = tuple(s.score for s in Strand)
#: Every flag's boolean column, in flag order.
FLAG_COLUMNS: tuple[str, ...] = tuple(f.column for f in Flag)

_SCORED: tuple[Column, ...] = (
    *(
        Column(f"periods_{a}", "float64", f"Periods per cycle in {a.replace('_', ' ')} (classes and options).")
        for a in AREAS
    ),
    Column("areas_covered", "Int64", "Core Learning areas the pupil studies (blank without a curriculum)."),
    *(
        Column(s.score, "Float64", f"{s.label} score, 0 to 100 (blank where the strand does not apply).")
        for s in Strand
    ),
    Column("overall_status", "str", "on track, at risk, off track or not scored (natbacc.vocabulary.Status)."),
    *(Column(f.column, "bool", f"Flag {f.value}: {f.help}") for f in Flag),
    Column("explanation", "str", "The three strands' explanations in one sentence each."),
    *(Column(s.explanation, "str", f"Why the {s.label} score is what it is.") for s in Strand),
    Column("project_stage", "str", "Personal Project stage reached, as the rule set names it (e.g. research)."),
    Column("project_hours", "float64", "Personal Project hours logged (blank without a project)."),
    Column("pd_hours", "float64", "Personal Development hours counted this school year (the per-year view)."),
    Column(
        "pd_programme_hours",
        "float64",
        "Personal Development hours since the start of the pupil's programme (what PD_BEHIND is judged on).",
    ),
)


#: Columns the workbook's Students sheet leaves out: the UPN (an identifier the school already holds in its
#: MIS), the internal ``pupil_key`` (``school`` and ``student_id`` say the same in words), each strand's own
#: explanation (``explanation`` has all three), hours per category (record cards show them) and the NBfE
#: registration and target tier (the Award sheet shows them).
_NOT_IN_WORKBOOK = frozenset({"upn", "pupil_key", "target_tier", "registered", *(s.explanation for s in Strand)})
#: The flags are one column in the workbook: the codes joined by "; " (other tools filter on it).
WORKBOOK_FLAGS = "flags"


def workbook_columns() -> tuple[str, ...]:
    """The Students sheet's columns, in the declaration's order, the flag columns collapsed into ``flags``."""
    names: list[str] = []
    for column in (*TABLE_COLUMNS["students"], *_SCORED):
        if column.name in _NOT_IN_WORKBOOK:
            continue
        if column.name in FLAG_COLUMNS:
            if WORKBOOK_FLAGS not in names:
                names.append(WORKBOOK_FLAGS)
            continue
        names.append(column.name)
    return tuple(names)


#: What a workbook column holds where its declaration is written for programmers rather than for the reader of
#: the workbook (or where the column is the workbook's own: the flag codes, the pseudonym).
_WORKBOOK_MEANINGS = {
    "key_stage": "Key stage, worked out from the year group: 3 for Years 7 to 9, 4 for Years 10 and 11, 5 for "
    "the sixth form.",
    "overall_status": "On track, at risk, off track or not scored: off track if any strand that applies scores "
    "below the off-track line, at risk if any is below the on-track line (the Settings sheet gives both lines).",
    WORKBOOK_FLAGS: 'What the pupil is flagged for, as short codes separated by "; " (for example MISSING_ARTS; '
    "FEW_AREAS), so filters and formulas can rely on them. The Flags sheet says what each code means; the "
    "dashboard shows the same flags in words.",
    "pupil_code": "A pseudonym for the pupil: the same pupil gets the same code from the same school key, and "
    "nobody can work back from the code to the pupil without it.",
    "project_stage": "The Personal Project stage the pupil has reached, in words (for example Research).",
}


def workbook_column_meanings(columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The workbook's *Columns* sheet: each column key of the Students sheet and what it holds, in plain English.

    The keys stay as they are (formulas and other tools rely on them); this sheet is where a reader learns
    them. Every column gets a line: its declaration's description, or a plainer one where that is written for
    programmers.
    """
    declared = {c.name: c.description for c in (*TABLE_COLUMNS["students"], *_SCORED)}
    meanings = [_WORKBOOK_MEANINGS.get(c) or declared.get(c) or "" for c in columns]
    missing = [c for c, m in zip(columns, meanings, strict=True) if not m]
    if missing:
        raise ValueError(f"workbook columns with no explanation: {', '.join(missing)}")
    return pd.DataFrame({"column": list(columns), "what it holds": meanings})


def record_columns(settings: Settings) -> tuple[Column, ...]:
    """Every column of the records table for this rule set, in order."""
    categories = tuple(settings.development["categories"])
    per_category = tuple(
        Column(f"pd_hours_{c}", "float64", f"Personal Development hours in {c} this year.") for c in categories
    )
    return (*TABLE_COLUMNS["students"], *_SCORED, *per_category)


def conform_records(records: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``records`` with exactly the declared columns, in order: a strand with nothing imported (no project
    log, say) still has its columns, blank, so every consumer sees one shape."""
    columns = record_columns(settings)
    missing = {
        c.name: pd.Series(False if c.dtype == "bool" else None, index=records.index, dtype=c.dtype)
        for c in columns
        if c.name not in records
    }
    out = records.assign(**missing) if missing else records
    return out[[c.name for c in columns]]


def stage_words(codes: pd.Series) -> pd.Series:
    """Project stages as people read them ("not_started" -> "Not started"): the records keep the codes."""
    return codes.str.replace("_", " ").str.capitalize()


def pd_category_columns(records: pd.DataFrame) -> list[str]:
    """The per-category hour columns present in ``records`` (``pd_hours_Leadership & Service`` ...)."""
    return [c for c in records.columns if c.startswith("pd_hours_")]


def flag_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The flag columns, renamed to the flag codes (a boolean column per ``Flag``)."""
    return records[list(FLAG_COLUMNS)].set_axis([f.value for f in Flag], axis=1)


def any_flag(records: pd.DataFrame) -> pd.Series:
    """True for pupils with at least one flag."""
    return records[list(FLAG_COLUMNS)].any(axis=1)


def flags_of(pupil: pd.Series) -> list[Flag]:
    """One pupil's flags, in flag order."""
    return [f for f in Flag if bool(pupil.get(f.column, False))]


def flags_text(records: pd.DataFrame) -> pd.Series:
    """Each pupil's flag codes joined by ``"; "`` ("" for none): the form the workbook and the store keep."""
    if records.empty:
        return pd.Series([], index=records.index, dtype="str")
    frame = flag_frame(records)
    return per_pattern(frame, lambda d: join([when(d[f.value].to_numpy(bool), f.value) for f in Flag], FLAG_SEPARATOR))


def flags_words(records: pd.DataFrame) -> pd.Series:
    """Each pupil's flags as people read them ("No arts subject; Few areas"), for tables on screen.

    The codes stay in the records and in the workbook's ``flags`` column; only what is shown changes.
    """
    if records.empty:
        return pd.Series([], index=records.index, dtype="str")
    frame = flag_frame(records)
    return per_pattern(frame, lambda d: join([when(d[f.value].to_numpy(bool), f.label) for f in Flag], FLAG_SEPARATOR))


def flags_from_text(text: pd.Series) -> pd.DataFrame:
    """The flag columns from the joined text form (a stored pupil summary), unknown codes ignored."""
    padded = FLAG_SEPARATOR + text.fillna("").astype("str") + FLAG_SEPARATOR
    return pd.DataFrame(
        {f.column: padded.str.contains(f"{FLAG_SEPARATOR}{f.value}{FLAG_SEPARATOR}", regex=False) for f in Flag},
        index=text.index,
    )
