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
#: MIS), each strand's own explanation (``explanation`` has all three), hours per category (record cards
#: show them) and the NBfE registration and target tier (the Award sheet shows them).
_NOT_IN_WORKBOOK = frozenset({"upn", "target_tier", "registered", *(s.explanation for s in Strand)})
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


def flags_from_text(text: pd.Series) -> pd.DataFrame:
    """The flag columns from the joined text form (a stored pupil summary), unknown codes ignored."""
    padded = FLAG_SEPARATOR + text.fillna("").astype("str") + FLAG_SEPARATOR
    return pd.DataFrame(
        {f.column: padded.str.contains(f"{FLAG_SEPARATOR}{f.value}{FLAG_SEPARATOR}", regex=False) for f in Flag},
        index=text.index,
    )
