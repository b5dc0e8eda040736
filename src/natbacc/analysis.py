"""One call from imported tables to everything the reports show: records, indicators, findings.

The CLI's ``report`` and the dashboard both call ``analyse``; nothing is computed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from natbacc.breadth import Breadth, build_breadth
from natbacc.indicators import Indicators, compute_indicators
from natbacc.model import Tables
from natbacc.scoring import breadth_aligned, mark_implied_next_year, on_track_shares, score_students
from natbacc.settings import Settings
from natbacc.subjects import SubjectMap, apply_subject_map
from natbacc.vocabulary import Strand


@dataclass
class Analysis:
    """The scored cohort and its indicators, with the inputs that produced them."""

    tables: Tables
    settings: Settings
    subject_map: SubjectMap
    as_of: date
    breadth: Breadth
    records: pd.DataFrame
    indicators: Indicators

    def strand_summary(self) -> dict[Strand, float]:
        """% of scored pupils on track per strand (at or above the on-track threshold)."""
        return on_track_shares(self.records, self.settings)


def analyse(
    tables: Tables,
    settings: Settings | None = None,
    subject_map: SubjectMap | None = None,
    as_of: date | None = None,
) -> Analysis:
    """Map subjects, score every pupil and compute the cohort indicators."""
    settings = settings or Settings.default()
    subject_map = subject_map or SubjectMap.default()
    as_of = as_of or date.today()
    tables = apply_subject_map(tables, subject_map)
    breadth = build_breadth(tables, subject_map, settings.core["ks3_statutory"], settings)
    # A full-KS3 year's option choices are next year's: kept out of this year's curriculum, then rebuilt.
    if (marked := mark_implied_next_year(tables, breadth, settings)) is not None:
        tables = marked
        breadth = build_breadth(tables, subject_map, settings.core["ks3_statutory"], settings)
    records = score_students(tables, settings, subject_map, as_of, breadth=breadth)
    aligned = breadth_aligned(breadth, records)
    indicators = compute_indicators(records, aligned, tables, settings)
    return Analysis(tables, settings, subject_map, as_of, breadth, records, indicators)
