"""Is an indicator measured for the pupils shown? The one answer every page, finding and all-clear uses.

Each ``Measure`` declares what it needs (``vocabulary.Measure.needs``): Years 7, 8 and 9 together, KS4
pupils with a timetable, pupils with a year group. ``availability`` checks those needs on the pupils
shown (the filtered view) and on the whole school, so a page can say the true thing:

- measured: show the figure (and, only then, an all-clear);
- *not available for this filter*: the school has what the indicator needs, but the filter removed it
  ("it compares Years 7 to 9");
- *not measured*: the data itself lacks it, with what to upload.

A green "nothing wrong" is never shown for something that was not measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from natbacc.analysis import Analysis
from natbacc.indicators import EQUITY_GROUPS
from natbacc.model import ImportResult, plural
from natbacc.scoring import breadth_aligned
from natbacc.vocabulary import Measure, Need

#: An indicator "comparing Years 7 to 9" needs at least this many KS3 years side by side.
MIN_KS3_YEARS = 2
#: The sidebar words for the filter an unavailable measure points at.
NOT_AVAILABLE = "not available for this filter"


class Verdict(StrEnum):
    """Whether a measure can be shown for the pupils in view."""

    MEASURED = "measured"
    FILTERED_OUT = "filtered_out"
    NOT_IMPORTED = "not_imported"


@dataclass(frozen=True)
class Availability:
    """A measure's verdict and the needs that are missing (empty when measured)."""

    measure: Measure
    verdict: Verdict
    missing: tuple[Need, ...] = ()

    @property
    def measured(self) -> bool:
        """True when the figure may be shown (and, if nothing is wrong, an all-clear)."""
        return self.verdict is Verdict.MEASURED

    @property
    def reason(self) -> str:
        """Why not, in words: "not available for this filter — it compares Years 7 to 9"."""
        if self.measured:
            return ""
        why = " and ".join(need.reason for need in self.missing)
        if self.verdict is Verdict.FILTERED_OUT:
            return f"{NOT_AVAILABLE} — {why}"
        uploads = "; ".join(need.upload for need in self.missing)
        return f"not measured — {why}, and the files imported do not have it (upload {uploads})"


def ks3_years(analysis: Analysis) -> frozenset[int]:
    """The KS3 year groups with a timetable among the pupils of ``analysis``."""
    records = analysis.records
    has = breadth_aligned(analysis.breadth, records).has_curriculum.to_numpy(bool)
    ks3 = (records["key_stage"] == 3).fillna(False).to_numpy(bool) & has
    return frozenset(int(y) for y in records.loc[ks3, "year_group"].dropna().unique())


def needs_met(analysis: Analysis, school_ks3_years: frozenset[int] | None = None) -> frozenset[Need]:
    """Which needs the pupils of ``analysis`` satisfy (a handful of vectorised checks).

    ``school_ks3_years``: the KS3 years the whole school has; Years 7 to 9 "together" means every one of
    them (at least two) is among the pupils shown. None: the pupils' own years are the school's.
    """
    records = analysis.records
    breadth = breadth_aligned(analysis.breadth, records)
    has = breadth.has_curriculum.to_numpy(bool)
    stage = records["key_stage"]
    year = records["year_group"]
    ks3 = (stage == 3).fillna(False).to_numpy(bool) & has
    ks4 = (stage == 4).fillna(False).to_numpy(bool) & has
    met: set[Need] = set()
    if ks3.any():
        met.add(Need.KS3_PUPILS)
        shown_years = {int(y) for y in year[ks3].dropna().unique()}
        required = shown_years if school_ks3_years is None else school_ks3_years
        if len(required) >= MIN_KS3_YEARS and required <= shown_years:
            met.add(Need.KS3_YEARS)
        if (breadth.has_periods.to_numpy(bool) & ks3).any():
            met.add(Need.KS3_PERIODS)
    if ks4.any():
        met.add(Need.KS4_PUPILS)
    if breadth.has_options.to_numpy(bool).any():
        met.add(Need.OPTIONS)
    scored = scorable(records)
    if scored.any():
        met.add(Need.SCORED_PUPILS)
    if _some_group_and_its_reference(records[scored.to_numpy(bool)]):
        met.add(Need.PUPIL_CONTEXT)
    return frozenset(met)


def _some_group_and_its_reference(records: pd.DataFrame) -> bool:
    """True when at least one equity group and its comparison group both have pupils here (a filter to one
    group, e.g. girls only, leaves girls' gaps unmeasurable, but others may remain)."""
    for _, column, value, reference in EQUITY_GROUPS:
        if column in records:
            values = records[column]
            if (values == value).fillna(False).any() and (values == reference).fillna(False).any():
                return True
    return False


def availability(view: Analysis, whole: Analysis | None = None) -> dict[Measure, Availability]:
    """Every measure's verdict for the pupils of ``view``; ``whole`` (the unfiltered school) tells a filter
    that removed a need apart from data that never had it."""
    if whole is None or whole is view:
        shown = school = needs_met(view)
    else:
        shown, school = needs_met(view, ks3_years(whole)), needs_met(whole)
    out = {}
    for measure in Measure:
        missing = tuple(n for n in measure.needs if n not in shown)
        if not missing:
            out[measure] = Availability(measure, Verdict.MEASURED)
        elif all(n in school for n in missing):
            out[measure] = Availability(measure, Verdict.FILTERED_OUT, missing)
        else:
            out[measure] = Availability(measure, Verdict.NOT_IMPORTED, tuple(n for n in missing if n not in school))
    return out


def unmeasured(verdicts: dict[Measure, Availability], measures: Iterable[Measure] | None = None) -> list[Availability]:
    """The verdicts (of ``measures``, default all) that are not measured, in declaration order."""
    wanted = set(measures) if measures is not None else set(Measure)
    return [v for m, v in verdicts.items() if m in wanted and not v.measured]


def scorable(records: pd.DataFrame) -> pd.Series:
    """Pupils that can be scored: a year group places a pupil in a key stage and sets every target."""
    return records["year_group"].notna()


def student_noun(result: ImportResult) -> str:
    """ "student set" when the upload gives a timetabler's classes or student sets and no pupil
    (``ImportResult.sets_only``), else "pupil": a set of students is never counted as a pupil."""
    return "student set" if result.sets_only else "pupil"


def nothing_scored(records: pd.DataFrame, result: ImportResult) -> str:
    """Why nothing can be scored, and what to upload ("" when at least one pupil shown can be scored): the
    importer's reason (the same words as `natbacc check`), else the pupils shown have no year group."""
    if len(records) == 0:
        return ""
    if result.nothing_scored is not None:
        return result.nothing_scored
    if scorable(records).any():
        return ""
    return (
        f"Nothing is scored: none of the {plural(len(records), 'pupil')} shown has a year group, and every target, "
        "key stage and entitlement depends on it. Upload a pupil details export (admission number and year group) "
        "with these files."
    )
