"""Cohort filters: the right pupils, indicators recomputed for them, pupils' own scores untouched."""

from __future__ import annotations

import numpy as np

from natbacc.cohort import ALL_PUPILS, CohortFilter, apply_filter, summary_line
from natbacc.records import FLAG_COLUMNS
from natbacc.vocabulary import Entitlement, EquityGroup, EquityIndicator, PupilGroup


def test_everyone_is_the_same_analysis(sample_analysis):
    assert CohortFilter().is_everyone
    assert apply_filter(sample_analysis, CohortFilter()) is sample_analysis


def test_year_and_group_filters_keep_only_those_pupils(sample_analysis):
    cohort = CohortFilter(years=(10, 11), group=PupilGroup.DISADVANTAGED)
    view = apply_filter(sample_analysis, cohort)
    assert set(view.records["year_group"]) == {10, 11}
    assert view.records["pupil_premium"].all()
    records = sample_analysis.records
    expected = records["year_group"].isin([10, 11]) & records["pupil_premium"].fillna(False).astype(bool)
    assert len(view.records) == int(expected.sum())


def test_pupils_keep_their_whole_school_scores(sample_analysis):
    view = apply_filter(sample_analysis, CohortFilter(years=(8,)))
    whole = sample_analysis.records.set_index("student_id").loc[view.records["student_id"]]
    assert np.array_equal(
        whole["core_learning_score"].to_numpy(float),
        view.records["core_learning_score"].to_numpy(float),
        equal_nan=True,
    )
    flag_columns = list(FLAG_COLUMNS)
    assert (whole[flag_columns].to_numpy() == view.records[flag_columns].to_numpy()).all()


def test_indicators_are_recomputed_for_the_filter(sample_analysis):
    """The KS4 language take-up of disadvantaged pupils equals the equity table's group figure."""
    view = apply_filter(sample_analysis, CohortFilter(group=PupilGroup.DISADVANTAGED))
    eq = sample_analysis.indicators.equity.set_index(["indicator", "group"])
    expected = eq.loc[(EquityIndicator.KS4_LANGUAGES, EquityGroup.DISADVANTAGED), "pct_group"]
    got = view.indicators.ks4_entitlement.set_index("indicator").loc[Entitlement.LANGUAGES, "pct_pupils"]
    assert got == expected
    assert len(view.breadth.covered) == len(view.records)


def test_filters_describe_themselves(sample_analysis):
    assert CohortFilter().describe() == ALL_PUPILS.label
    cohort = CohortFilter(years=(9, 10, 11), group=PupilGroup.EAL)
    assert cohort.describe() == "Years 9, 10 and 11; EAL"
    assert CohortFilter(years=(7,)).describe() == "Year 7"
    view = apply_filter(sample_analysis, CohortFilter(years=(7,)))
    assert summary_line(view, CohortFilter(years=(7,))) == "240 pupils: Year 7"


def test_a_filter_matching_nobody_gives_an_empty_view(sample_analysis):
    view = apply_filter(sample_analysis, CohortFilter(years=(6,)))
    assert len(view.records) == 0
