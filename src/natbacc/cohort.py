"""Cohort filters: which pupils a view is about (school, year groups, a pupil group).

The dashboard's sidebar and the export's "current filter" share one ``CohortFilter``; it is a
frozen, hashable value so a filtered analysis can be cached on it. Filtering recomputes the cohort
indicators for the chosen pupils only (percentages, equity gaps and findings all change), while
each pupil's own scores stay exactly what they were for the whole school.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from natbacc.analysis import Analysis
from natbacc.indicators import compute_indicators
from natbacc.model import plural
from natbacc.scoring import breadth_aligned
from natbacc.vocabulary import ANY_SEN, PupilGroup

#: Pupil groups a user can narrow to: group -> (column, accepted values).
PUPIL_GROUPS: dict[PupilGroup, tuple[str, tuple[object, ...]]] = {
    PupilGroup.DISADVANTAGED: ("pupil_premium", (True,)),
    PupilGroup.NOT_DISADVANTAGED: ("pupil_premium", (False,)),
    PupilGroup.ANY_SEN: ("sen", ANY_SEN),
    PupilGroup.SEN_SUPPORT: ("sen", ("K",)),
    PupilGroup.EHC_PLAN: ("sen", ("E",)),
    PupilGroup.NO_SEN: ("sen", ("N",)),
    PupilGroup.EAL: ("eal", (True,)),
    PupilGroup.NOT_EAL: ("eal", (False,)),
    PupilGroup.GIRLS: ("sex", ("F",)),
    PupilGroup.BOYS: ("sex", ("M",)),
}
ALL_PUPILS = PupilGroup.ALL


@dataclass(frozen=True)
class CohortFilter:
    """A selection of pupils. Empty tuples mean "no restriction"."""

    schools: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    group: PupilGroup = PupilGroup.ALL

    @property
    def is_everyone(self) -> bool:
        """True when nothing is filtered out."""
        return not self.schools and not self.years and self.group == ALL_PUPILS

    def mask(self, records: pd.DataFrame) -> np.ndarray:
        """Boolean mask over ``records`` (one row per pupil)."""
        keep = np.ones(len(records), dtype=bool)
        if self.schools:
            keep &= records["school"].isin(self.schools).fillna(False).to_numpy(bool)
        if self.years:
            keep &= records["year_group"].isin(self.years).fillna(False).to_numpy(bool)
        if self.group != ALL_PUPILS:
            column, values = PUPIL_GROUPS[PupilGroup(self.group)]
            keep &= records[column].isin(values).fillna(False).to_numpy(bool)
        return keep

    def describe(self) -> str:
        """Plain words for captions and the export ("Year 10 and 11, disadvantaged (Pupil Premium)")."""
        parts = []
        if self.schools:
            parts.append(", ".join(self.schools))
        if self.years:
            ys = sorted(self.years)
            parts.append(
                f"Year {ys[0]}" if len(ys) == 1 else "Years " + ", ".join(map(str, ys[:-1])) + f" and {ys[-1]}"
            )
        if self.group != ALL_PUPILS:
            parts.append(PupilGroup(self.group).label)
        return "; ".join(parts) if parts else PupilGroup.ALL.label


def subset(analysis: Analysis, keep: np.ndarray) -> Analysis:
    """The analysis restricted to the pupils in ``keep``, with indicators recomputed for them.

    ``records`` and the breadth matrices share the students table's order, so one positional mask
    selects both; no scoring is repeated.
    """
    if keep.all():
        return analysis
    records = analysis.records.loc[keep].reset_index(drop=True)
    breadth = analysis.breadth.select(keep)
    indicators = compute_indicators(records, breadth_aligned(breadth, records), analysis.tables, analysis.settings)
    return replace(analysis, breadth=breadth, records=records, indicators=indicators)


def apply_filter(analysis: Analysis, cohort: CohortFilter) -> Analysis:
    """``subset`` for a ``CohortFilter``."""
    return subset(analysis, cohort.mask(analysis.records))


def summary_line(analysis: Analysis, cohort: CohortFilter, noun: str = "pupil") -> str:
    """ "1,320 pupils: All pupils" — for captions above every filtered view (``noun`` "student set" for a
    timetabler's student sets, which are never called pupils)."""
    return f"{plural(len(analysis.records), noun)}: {cohort.describe()}"
