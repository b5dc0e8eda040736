"""Each finding rule on its own: what it says about the sample school, and when it says nothing."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from natbacc import findings as rules
from natbacc.scoring import breadth_aligned, early_option_years


@pytest.fixture(scope="module")
def ctx(sample_analysis) -> rules.FindingContext:
    a = sample_analysis
    breadth = breadth_aligned(a.breadth, a.records)
    return rules.FindingContext(
        a.records, breadth, a.indicators, early_option_years(a.records, breadth, a.settings), a.settings
    )


def texts(rule, ctx) -> list[str]:
    return [f.text for f in rule(ctx)]


def test_find_runs_every_rule_most_serious_first(ctx, sample_analysis):
    found = rules.find(ctx)
    assert found == sample_analysis.indicators.findings
    assert [f.priority for f in found] == sorted(f.priority for f in found)
    assert len(found) == sum(len(rule(ctx)) for rule in rules.RULES)


def test_early_options_says_how_long_ks3_lasts(ctx):
    assert texts(rules.early_options, ctx) == [
        "Year 9 follows a KS4-style options curriculum: KS3 lasts two years (5 areas are studied by only some "
        "of Year 9, as option blocks do, and 100% of the year study without a statutory KS3 subject)."
    ]
    assert rules.early_options(replace(ctx, early={})) == []


def test_tutor_group_gaps_name_the_group_and_subject(ctx):
    assert texts(rules.tutor_groups_missing_a_subject, ctx) == [
        "8C has no music: 30 pupils miss a statutory KS3 subject the rest of their year studies."
    ]


def test_years_missing_statutory_subjects_name_the_subjects_missed_most(ctx):
    [text] = texts(rules.years_missing_statutory_subjects, ctx)
    assert text.startswith("In Year 9, 100% of pupils miss at least one statutory KS3 subject, most often music (80%")


def test_dropped_areas_say_how_many_still_study_them(ctx):
    [text] = texts(rules.areas_dropped_before_year_10, ctx)
    assert "arts (Year 9: 70% still study it; art and design 30%, music 20%)" in text
    assert "computing (Year 9: 30% still study it)" in text
    assert "humanities (Year 9: 83% still study it; history 53%, geography 33%)" in text
    empty = replace(ctx, indicators=replace(ctx.indicators, dropped_before_y10=pd.DataFrame()))
    assert rules.areas_dropped_before_year_10(empty) == []


def test_ks4_entitlement_gaps_only_above_the_share_worth_saying(ctx):
    found = texts(rules.ks4_entitlement_gaps, ctx)
    assert "10% of KS4 pupils study no humanity." in found
    assert (
        "20% of KS4 pupils study no arts subject; 80% study at least one, above the national figure of 53.5% of "
        "KS4 pupils entered for at least one arts subject (exam entries, 2016; this school's figure is timetabled "
        "study, a different measure)."
    ) in found
    assert all(int(t.split("%")[0]) >= rules.ENTITLEMENT_SHARE_WORTH_SAYING for t in found)


def test_equity_gaps_behind_are_more_serious_than_ahead(ctx):
    found = rules.equity_gaps(ctx)
    assert [f.priority for f in found] == [2, 2]
    assert found[0].text == (
        "Disadvantaged pupils are 19 pp less likely to study a language at KS4 (41% of 123 vs 60% of 357 other pupils)."
    )


def test_next_year_choices_are_information_only(ctx):
    assert rules.next_year_choices(ctx) == []
    [found] = rules.next_year_choices(replace(ctx, choices={9: 240}))
    assert found.priority == 6 and found.text == (
        "Year 9's choices for Year 10 are recorded (240 pupils); they are next year's choices, not Year 9's "
        "curriculum this year."
    )


def test_national_comparison_names_direction_measure_and_year():
    above = rules.national_comparison(80.0, 53.5, "2016", "entered for arts", "exam entries", "timetabled study")
    assert above == (
        "above the national figure of 53.5% entered for arts (exam entries, 2016; this school's figure is "
        "timetabled study, a different measure)"
    )
    below = rules.national_comparison(30.0, 45.9, "2024/25", "entered for a language", "exam entries", "exam entries")
    assert below == "below the national figure of 45.9% entered for a language (exam entries, 2024/25)"


def test_zero_take_up_lists_each_subject(ctx):
    assert rules.zero_take_up(ctx) == []
    offered = pd.DataFrame([{"subject": "latin", "ks3_pupils": 0, "ks4_pupils": 0, "why": "no pupil takes it"}])
    with_zero = replace(ctx, indicators=replace(ctx.indicators, zero_takeup=offered))
    assert texts(rules.zero_take_up, with_zero) == ["Latin: no pupil takes it."]


def test_strand_progress_counts_pupils_by_flag(ctx):
    assert texts(rules.strand_progress, ctx) == [
        "60 pupils have not started a Personal Project where one is expected.",
        "303 pupils are behind on Personal Development hours for their programme so far.",
    ]


def test_no_development_hours_only_when_a_log_was_imported(ctx):
    assert texts(rules.no_development_hours, ctx) == ["66 pupils have logged no Personal Development hours this year."]
    no_log = replace(ctx, records=ctx.records.assign(pd_hours=float("nan")))
    assert rules.no_development_hours(no_log) == []
