"""Cohort and equity indicators against hand-computed figures, and the findings they produce."""

import pandas as pd

from natbacc.settings import Settings
from natbacc.vocabulary import Entitlement, EquityGroup, EquityIndicator
from tests.scoring_helpers import KS3_FULL, KS4_CORE, cohort, pupil

WITH_LANGUAGE = [*KS4_CORE, ("Art", 4), ("History", 4), ("French", 4), ("Product Design", 4)]
WITHOUT_LANGUAGE = [*KS4_CORE, ("Art", 4), ("History", 4), ("Geography", 4), ("Product Design", 4)]


def _ks4_cohort(pp_with: int, pp_without: int, other_with: int, other_without: int, **kw):
    students, classes = [], {}
    spec = [
        (True, pp_with, WITH_LANGUAGE),
        (True, pp_without, WITHOUT_LANGUAGE),
        (False, other_with, WITH_LANGUAGE),
        (False, other_without, WITHOUT_LANGUAGE),
    ]
    for pp, count, timetable in spec:
        for _ in range(count):
            sid = str(len(students))
            students.append(pupil(sid, 10, pupil_premium=pp, sen="N", eal=False, sex="F" if len(students) % 2 else "M"))
            classes[sid] = timetable
    return cohort(students, classes, **kw)


def test_area_coverage_percentages_and_mean_periods():
    """It reports % of pupils with time in each area and mean periods, per year group."""
    a = _ks4_cohort(2, 2, 3, 3)
    cov = a.indicators.area_coverage.set_index("area")
    assert cov.loc["languages", "pct_students"] == 50.0
    assert cov.loc["arts", "pct_students"] == 100.0
    assert cov.loc["humanities", "mean_periods"] == 6.0  # 4 (History) + 4 for half of them (Geography): (4*5+8*5)/10
    assert cov.loc["languages", "students"] == 10


def test_equity_gap_in_percentage_points_with_threshold_boundary():
    """It computes group minus comparison in pp and highlights exactly 10 pp with groups of 10+."""
    # PP: 4 of 10 with a language (40%); others: 10 of 20 (50%) -> gap -10 pp.
    a = _ks4_cohort(4, 6, 10, 10)
    eq = a.indicators.equity.set_index(["indicator", "group"])
    row = eq.loc[(EquityIndicator.KS4_LANGUAGES, EquityGroup.DISADVANTAGED)]
    assert (row["pct_group"], row["pct_reference"], row["gap_pp"]) == (40.0, 50.0, -10.0)
    assert bool(row["highlight"])
    texts = [f.text for f in a.indicators.findings]
    assert (
        "Disadvantaged pupils are 10 pp less likely to study a language at KS4 (40% of 10 vs 50% of 20 other pupils)."
        in texts
    )


def test_equity_below_threshold_or_small_groups_not_highlighted():
    """It does not highlight a 9 pp gap, nor a gap between groups under the minimum size."""
    settings = Settings.from_overrides({"equity": {"gap_threshold_pp": 11}})
    a = _ks4_cohort(4, 6, 10, 10, settings=settings)
    pp = a.indicators.equity[a.indicators.equity["dimension"] == "pupil_premium"]
    assert pp.set_index("indicator").loc[EquityIndicator.KS4_LANGUAGES, "gap_pp"] == -10.0
    assert not pp["highlight"].any()
    b = _ks4_cohort(0, 9, 10, 10)
    row = b.indicators.equity.set_index(["indicator", "group"]).loc[
        (EquityIndicator.KS4_LANGUAGES, EquityGroup.DISADVANTAGED)
    ]
    # 9 disadvantaged pupils is under the default minimum of 10: sizes shown, figures suppressed.
    assert (row["n_group"], row["n_reference"]) == (9, 20) and not bool(row["highlight"])
    assert pd.isna(row["pct_group"]) and pd.isna(row["pct_reference"]) and pd.isna(row["gap_pp"])
    assert not [f for f in b.indicators.findings if f.topic == "Equity"]


def test_ks4_entitlement_beside_national_references():
    """It puts the school's KS4 take-up beside the national figure with year and source."""
    a = _ks4_cohort(2, 2, 3, 3)
    ent = a.indicators.ks4_entitlement.set_index("indicator")
    assert ent.loc[Entitlement.LANGUAGES, "pct_pupils"] == 50.0
    assert ent.loc[Entitlement.LANGUAGES, "national_pct"] == 45.9
    assert ent.loc[Entitlement.ARTS, "national_year"] == "2016"
    assert "DfE" in ent.loc[Entitlement.EBACC_PATTERN, "national_source"]
    assert ent.loc[Entitlement.EBACC_PATTERN, "pct_pupils"] == 50.0


def test_ks4_area_count_distribution():
    """It counts pupils by number of Core Learning areas (the KS4 core covers seven)."""
    a = _ks4_cohort(1, 1, 1, 1)
    counts = a.indicators.ks4_area_counts.set_index("areas_covered")["pupils"].to_dict()
    assert counts == {10: 2, 11: 2}


def test_ks3_length_areas_dropped_and_group_gap():
    """It finds a two-year KS3, areas dropped in Year 9 and a tutor group without music."""
    students, classes, options = [], {}, {}
    y9 = [("English", 8), ("Maths", 8), ("Science", 8), ("PE", 3), ("RE", 2), ("PSHE", 1)]
    for year in (7, 8, 9):
        for i in range(10):
            sid = f"{year}-{i}"
            group = f"{year}{'A' if i < 5 else 'B'}"
            students.append(pupil(sid, year, reg_group=group))
            if year == 9:
                # Two option blocks: half take history and art, half French and D&T.
                chosen = [("History", 6), ("Art", 6)] if i % 2 else [("French", 6), ("D&T", 6)]
                classes[sid] = [*y9, *chosen]
                options[sid] = [c for c, _ in chosen]
            elif year == 8 and group == "8B":
                classes[sid] = [c for c in KS3_FULL if c[0] != "Music"]
            else:
                classes[sid] = KS3_FULL
    a = cohort(students, classes, options=options)
    ind = a.indicators
    assert ind.ks3_length.iloc[0]["options_start_year"] == 9 and ind.ks3_length.iloc[0]["ks3_years"] == 2
    dropped = ind.dropped_before_y10.set_index("area")
    assert dropped.loc["languages", "dropped_in_year"] == 9 and dropped.loc["languages", "Y9"] == 50
    assert dropped.loc["arts", "Y8"] == 100.0
    gaps = ind.group_statutory_gaps
    assert gaps[["reg_group", "subject", "pupils"]].values.tolist() == [["8B", "music", 5]]
    texts = " ".join(f.text for f in ind.findings)
    assert "Year 9 follows a KS4-style options curriculum: KS3 lasts two years" in texts
    assert "8B has no music: 5 pupils miss a statutory KS3 subject" in texts
    stat = ind.statutory_coverage.set_index(["year_group", "statutory"])["pct_students"]
    assert stat[(8, "music")] == 50.0 and stat[(7, "all_statutory")] == 100.0


def test_zero_take_up_of_a_subject_taught_at_ks3():
    """It reports a subject family taught at KS3 that no KS4 pupil takes."""
    students = [pupil("a", 8), pupil("b", 10)]
    a = cohort(students, {"a": KS3_FULL, "b": list(WITH_LANGUAGE)})
    zero = set(a.indicators.zero_takeup["subject"])
    assert "music" in zero and "geography" in zero and "a language" not in zero
    assert any(f.text.startswith("Music: taught at KS3") for f in a.indicators.findings)


def test_findings_are_ranked_most_serious_first():
    """It orders findings by priority."""
    a = _ks4_cohort(1, 4, 5, 5)
    priorities = [f.priority for f in a.indicators.findings]
    assert priorities == sorted(priorities)
