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
    # looked at on its own (as if only Year 9 were imported), one KS3 year cannot be compared with another
    alone = availability(year9)[Measure.KS3_DROPPED]
    assert alone.verdict is Verdict.NOT_IMPORTED
    assert alone.missing == (Need.KS3_YEARS,)
    assert "upload class lists for at least two of Years 7, 8 and 9" in alone.reason
    # a school that imported only Years 8 and 9 is judged on the years it has; a filter to Years 7 and 8 of
    # a school with all three is not
    eight_nine = apply_filter(sample_analysis, CohortFilter(years=(8, 9)))
    assert availability(eight_nine)[Measure.KS3_LENGTH].measured
    seven_eight = apply_filter(sample_analysis, CohortFilter(years=(7, 8)))
    assert availability(seven_eight, sample_analysis)[Measure.KS3_LENGTH].verdict is Verdict.FILTERED_OUT


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
    from natbacc.model import TABLE_COLUMNS, ImportResult, conform

    records = conform("students", pd.DataFrame({"student_id": ["A", "B"]}))
    tables = {kind: conform(kind, pd.DataFrame()) for kind in TABLE_COLUMNS} | {"students": records}
    notes = [Issue("info", "read", code=IssueCode.FET_TIMETABLE), Issue("info", "x", code=IssueCode.STUDENTS_INFERRED)]
    sets = ImportResult(tables, notes)
    assert student_noun(sets) == "student set"
    why = nothing_scored(records, sets)
    assert why.startswith("Nothing is scored per pupil: the files give 2 classes or student sets")
    assert "pupil details export" in why and why == sets.nothing_scored  # the CLI's words too
    pupils = ImportResult(tables, notes[1:])
    assert student_noun(pupils) == "pupil"
    assert "none of the 2 pupils has a year group" in nothing_scored(records, pupils)  # the importer's words
    with_year = records.assign(year_group=pd.array([9, None], dtype="Int64"))
    assert nothing_scored(with_year, ImportResult(tables | {"students": with_year}, notes[1:])) == ""


def test_a_timetable_of_student_sets_never_says_ks3_lasts_0_years_or_year_7_0(real_exports):
    from natbacc.analysis import analyse
    from natbacc.io import Source, import_files

    folder = real_exports / "fet-csv-export" / "HK-YewChung-2008-09"
    result = import_files([Source(p.name, p.read_bytes()) for p in sorted(folder.iterdir())], workers=1)
    analysis = analyse(result.tables)
    words = " ".join(f.text for f in analysis.indicators.findings) + str(analysis.indicators.ks3_length["evidence"][0])
    assert "0 years" not in words and "Year 7.0" not in words
    assert "KS3 length cannot be judged" in words
    assert student_noun(result) == "student set"


def test_tutor_groups_under_the_settings_minimum_are_named_as_too_small(sample_analysis):
    from natbacc.indicators import compute_indicators
    from natbacc.scoring import breadth_aligned

    big = sample_analysis.settings.with_overrides({"core_learning": {"min_tutor_group_size": 1000}})
    breadth = breadth_aligned(sample_analysis.breadth, sample_analysis.records)
    ind = compute_indicators(sample_analysis.records, breadth, sample_analysis.tables, big)
    assert ind.group_statutory_gaps.empty  # nothing is judged ...
    ks3_groups = sample_analysis.records.loc[sample_analysis.records["key_stage"] == 3, "reg_group"].nunique()
    assert len(ind.small_tutor_groups) == ks3_groups  # ... and every KS3 group is named as too small to judge


def test_pupils_flagged_but_on_track_are_never_listed_as_behind(sample_analysis):
    from natbacc.drill import flagged_split
    from natbacc.vocabulary import Flag

    on = sample_analysis.settings.status["on_track"]
    split = flagged_split(
        sample_analysis.records, (Flag.PROJECT_BEHIND, Flag.PROJECT_NOT_STARTED), Strand.PERSONAL_PROJECT, on
    )
    assert not (split.behind["personal_project_score"] >= on).any()
    assert (split.slipping["personal_project_score"] >= on).all()
    flagged = (
        sample_analysis.records[Flag.PROJECT_BEHIND.column] | sample_analysis.records[Flag.PROJECT_NOT_STARTED.column]
    )
    assert len(split.behind) + len(split.slipping) == int(flagged.sum())


def test_year_headline_names_the_biggest_story_and_its_ties():
    from natbacc import figures

    statuses = {7: ["on track"] * 9 + ["at risk"] * 11, 8: ["on track"] * 16 + ["at risk"] * 4}
    statuses[9] = statuses[7]
    records = pd.DataFrame([{"year_group": y, "overall_status": s} for y, ss in statuses.items() for s in ss])
    assert figures.status_by_year(records).layout.title.text == "Years 7 and 9: 55% at risk"
    # off track and at risk together are the story: the year with most pupils not on track leads
    at_risk_7 = records.index[(records["year_group"] == 7) & (records["overall_status"] == "at risk")]
    records.loc[at_risk_7[:2], "overall_status"] = "off track"  # Year 7: 10% off track, 45% at risk
    assert figures.status_by_year(records).layout.title.text == "Years 7 and 9: 55% not on track"
    later = records[records["year_group"] != 9]
    assert figures.status_by_year(later).layout.title.text == "Year 7: 55% not on track (45% at risk, 10% off track)"


def test_ks3_time_shares_are_over_every_pupil_of_the_year(sample_analysis):
    from natbacc import figures

    coverage = pd.DataFrame(
        {
            "school": "S",
            "key_stage": 3,
            "year_group": 9,
            "area": ["english", "computing"],
            "students": 100,
            "pct_students": [100.0, 30.0],
            "mean_periods": [8.0, 6.0],  # computing: 6 periods for the 30% who take it
        }
    )
    fig = figures.ks3_time_share(coverage, sample_analysis.settings)
    bars = next(t for t in fig.data if t.type == "bar")  # horizontal: areas down the side, shares along
    share = dict(zip(bars.y, bars.x, strict=True))
    assert share["Computing"] == pytest.approx(6 * 0.3 / (8 + 6 * 0.3) * 100)


def test_flags_chart_breaks_the_flagged_count_down_and_drills_into_each_flag(sample_analysis):
    from natbacc import figures
    from natbacc.vocabulary import Flag

    fig = figures.flag_counts(sample_analysis.records)
    bar = fig.data[0]
    for label, n, data in zip(bar.y, bar.x, bar.customdata, strict=True):
        behind = pupils_behind(sample_analysis, Mark.decode(data))
        assert behind is not None and len(behind.pupils) == n
        assert label == Flag(Mark.decode(data).args[0]).label


def test_tied_weakest_strands_are_named_as_a_tie(sample_analysis):
    from natbacc import figures

    n = 20
    records = pd.DataFrame(
        {
            "year_group": [10] * n,
            Strand.CORE_LEARNING.score: [90.0] * n,
            Strand.PERSONAL_PROJECT.score: [90.0] * 17 + [10.0] * 3,
            Strand.PERSONAL_DEVELOPMENT.score: [90.0] * 17 + [10.0] * 3,
        }
    )
    title = figures.strand_distribution(records, sample_analysis.settings).layout.title.text
    assert title == "Personal Project and Personal Development are the weakest strands: 85% of pupils on track"


def test_the_equity_headline_leads_with_the_largest_deficit_not_a_group_ahead(sample_analysis):
    from natbacc import figures
    from natbacc.vocabulary import EquityGroup, EquityIndicator

    def row(group, pct_group, pct_ref):
        return {
            "indicator": EquityIndicator.KS4_LANGUAGES,
            "dimension": "x",
            "group": group,
            "pct_group": pct_group,
            "pct_reference": pct_ref,
            "gap_pp": pct_group - pct_ref,
            "n_group": 60,
            "n_reference": 60,
            "highlight": True,
        }

    equity = pd.DataFrame([row(EquityGroup.GIRLS, 75.0, 50.0), row(EquityGroup.DISADVANTAGED, 40.0, 55.0)])
    title = figures.equity_gaps(equity, sample_analysis.settings).layout.title.text.replace("<br>", " ")
    assert title.startswith("Disadvantaged pupils are 15 pp less likely to study a language at KS4")


def test_equity_under_a_filter_to_one_sex_keeps_other_comparisons_and_says_so_when_none_remain(sample_analysis):
    from natbacc.cohort import subset
    from natbacc.vocabulary import PupilGroup

    girls = apply_filter(sample_analysis, CohortFilter(group=PupilGroup.GIRLS))
    assert availability(girls, sample_analysis)[Measure.EQUITY].measured  # PP, SEN, EAL gaps among girls remain
    r = sample_analysis.records
    # girls, all disadvantaged, none with SEN, none EAL: no group is left beside its comparison group
    alike = (r["sex"] == "F") & r["pupil_premium"].fillna(False) & (r["sen"] == "N") & ~r["eal"].fillna(True)
    assert alike.sum() > 0
    verdict = availability(subset(sample_analysis, alike.to_numpy(bool)), sample_analysis)[Measure.EQUITY]
    assert verdict.verdict is Verdict.FILTERED_OUT
    assert verdict.reason == (
        "not available for this filter — it compares a pupil group (Pupil Premium, SEN, EAL, sex) with its "
        "comparison group"
    )
