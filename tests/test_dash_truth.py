"""Truth under filters and drill-down, in the pure core: what each indicator needs, and the pupils behind a mark.

The sample school (imported once per session) under a Year 9 filter must report the Years-7-to-9 and KS4
measures as not available for this filter, never as zeros; every KS4 entitlement bar's pupils must be exactly
as many as its percentage says; a timetabler's student sets with no year group are never "scored".
"""

from __future__ import annotations

import pandas as pd
import pytest

from natbacc.availability import Verdict, availability, nothing_scored, student_noun
from natbacc.cohort import CohortFilter, apply_filter
from natbacc.drill import Mark, download_frame, mark, pupil_key, pupils_behind, selected_mark
from natbacc.formulas import csv_bytes
from natbacc.model import Issue
from natbacc.vocabulary import DrillChart, Entitlement, IssueCode, Measure, Need, Status, Strand


@pytest.fixture(scope="module")
def year9(sample_analysis):
    return apply_filter(sample_analysis, CohortFilter(years=(9,)))


def test_year_9_filter_makes_the_years_7_to_9_and_ks4_measures_unavailable(sample_analysis, year9):
    verdicts = availability(year9, sample_analysis)
    for measure in (Measure.KS3_DROPPED, Measure.KS3_LENGTH):
        assert verdicts[measure].verdict is Verdict.FILTERED_OUT
        assert verdicts[measure].reason == "not available for this filter — it compares Years 7 to 9"
    for measure in (Measure.KS4_ENTITLEMENT, Measure.KS4_AREAS, Measure.KS4_ZERO_TAKEUP):
        assert verdicts[measure].verdict is Verdict.FILTERED_OUT
        assert "it is about KS4 pupils" in verdicts[measure].reason
    # what Year 9 alone can answer stays measured
    assert verdicts[Measure.KS3_STATUTORY].measured and verdicts[Measure.STRANDS].measured
    # and on the whole school everything is measured
    assert all(v.measured for v in availability(sample_analysis).values())


def test_a_need_the_data_never_had_is_not_measured_with_what_to_upload(sample_analysis, year9):
    # looked at on its own (no whole school to compare with), Year 9 lacks Years 7 and 8 in the data itself
    alone = availability(year9)[Measure.KS3_DROPPED]
    assert alone.verdict is Verdict.NOT_IMPORTED
    assert alone.missing == (Need.KS3_YEARS,)
    assert "upload class lists for each of Years 7, 8 and 9" in alone.reason


@pytest.mark.parametrize("code", list(Entitlement))
def test_each_ks4_entitlement_bar_lists_exactly_its_pupils(sample_analysis, code):
    bar = sample_analysis.indicators.ks4_entitlement.set_index("indicator").loc[code, "pct_pupils"]
    behind = pupils_behind(sample_analysis, Mark.decode(mark(DrillChart.KS4_ENTITLEMENT, code)))
    assert behind is not None and behind.others is not None
    n, rest = len(behind.pupils), len(behind.others)
    assert round(n / (n + rest) * 100, 1) == bar
    assert (behind.pupils["key_stage"] == 4).all() and (behind.others["key_stage"] == 4).all()
    assert behind.title.startswith(f"{n} of {n + rest} KS4 pupils study")
    assert set(pupil_key(behind.pupils)).isdisjoint(pupil_key(behind.others))


def test_statutory_and_strand_marks_match_their_cells(sample_analysis):
    stat = sample_analysis.indicators.statutory_coverage
    row = stat[(stat["year_group"] == 9) & (stat["statutory"] == "music")].iloc[0]
    behind = pupils_behind(sample_analysis, Mark(DrillChart.KS3_STATUTORY, ("9", "music")))
    n, total = len(behind.pupils), len(behind.pupils) + len(behind.others)
    assert round(n / total * 100, 1) == row["pct_students"]
    strand = pupils_behind(
        sample_analysis, Mark(DrillChart.STRAND_STATUS, (Strand.CORE_LEARNING, "9", Status.OFF_TRACK))
    )
    on_track_line = sample_analysis.settings.status["off_track"]
    assert (strand.pupils["core_learning_score"] < on_track_line).all()
    assert (strand.pupils["year_group"] == 9).all()


def test_a_click_on_an_unmarked_point_or_a_stale_mark_drills_into_nothing(sample_analysis):
    assert selected_mark([{"customdata": ["above the national figure", "DfE 2016"]}]) is None
    assert selected_mark([{"customdata": [12, mark(DrillChart.FLAG, "PD_BEHIND")]}]) == Mark(
        DrillChart.FLAG, ("PD_BEHIND",)
    )
    assert pupils_behind(sample_analysis, Mark(DrillChart.FLAG, ("NO_SUCH_FLAG",))) is None


def test_the_download_neutralises_formulas(sample_analysis):
    pupils = sample_analysis.records.head(2).assign(name=['=HYPERLINK("x")', "Łukasz"])
    text = csv_bytes(download_frame(pupils)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "Łukasz" in text and "core_learning_explanation" not in text


def test_student_sets_without_a_year_group_are_named_as_such_and_nothing_is_scored():
    records = pd.DataFrame({"year_group": pd.array([None, None], dtype="Int64")})
    notes = [Issue("info", "read", code=IssueCode.FET_TIMETABLE), Issue("info", "x", code=IssueCode.STUDENTS_INFERRED)]
    assert student_noun(notes) == "student set"
    why = nothing_scored(records, notes)
    assert why.startswith("Nothing is scored: the 2 student sets") and "pupil details export" in why
    assert student_noun(notes[1:]) == "pupil"
    assert nothing_scored(records.assign(year_group=pd.array([9, None], dtype="Int64")), notes) == ""
