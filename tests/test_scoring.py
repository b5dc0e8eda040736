"""Every score rule and flag, pinned on small hand-made cohorts (boundaries included)."""

import pandas as pd
import pytest

from natbacc.settings import Settings
from tests.scoring_helpers import KS3_FULL, KS4_CORE, MID_YEAR, cohort, flags, pupil, row

# ---- Core Learning: KS3 -------------------------------------------------------------------


def _due(year: int) -> float:
    """Share of the year's part of a target due on MID_YEAR (teaching days after the grace period)."""
    return Settings.default().calendar.progress(MID_YEAR, year).expected_fraction


def test_full_ks3_curriculum_scores_100_without_flags():
    """It gives a pupil with every statutory subject and a balanced timetable 100 and no curriculum flag."""
    a = cohort([pupil("1", 7)], {"1": KS3_FULL})
    r = row(a, "1")
    assert r["core_learning_score"] == 100
    assert r["areas_covered"] == 11
    assert "13 of 13 statutory KS3 subjects" in r["core_learning_explanation"]
    assert flags(a, "1") == set()


def test_missing_statutory_subject_is_named_and_flagged():
    """It names the missing statutory subject and flags KS3_STATUTORY_GAP."""
    timetable = [c for c in KS3_FULL if c[0] != "Music"]
    a = cohort([pupil("1", 8)], {"1": timetable})
    r = row(a, "1")
    assert "12 of 13 statutory KS3 subjects (missing: music)" in r["core_learning_explanation"]
    assert "KS3_STATUTORY_GAP" in flags(a, "1")
    # 0.6 * 12/13 + 0.25 * 11/11 (drama-less arts still covered by art) + 0.15 * 1
    assert r["core_learning_score"] == round(100 * (0.6 * 12 / 13 + 0.25 + 0.15))


def test_pshe_counts_for_citizenship_and_food_for_dt():
    """It counts 'PSHE & Citizenship' for citizenship and Food for KS3 design and technology (cooking and
    nutrition is part of the KS3 D&T programme of study)."""
    timetable = [c if c[0] != "D&T" else ("Food Tech", 2) for c in KS3_FULL]
    a = cohort([pupil("1", 7)], {"1": timetable})
    assert "KS3_STATUTORY_GAP" not in flags(a, "1")


@pytest.mark.parametrize(("english", "balanced"), [(30, True), (31, False)])
def test_balance_boundary_at_30_percent(english, balanced):
    """It calls a timetable balanced up to 30% in one area and penalises beyond it (70 other periods)."""
    other = [
        ("Maths", 10),
        ("Science", 10),
        ("History", 5),
        ("French", 5),
        ("Art", 5),
        ("D&T", 5),
        ("Computing", 5),
        ("PE", 5),
        ("RE", 5),
        ("PSHE & Citizenship", 5),
        ("Music", 5),
        ("Geography", 5),
    ]
    a = cohort([pupil("1", 7)], {"1": [("English", english), *other]})
    r = row(a, "1")
    assert ("balanced timetable" in r["core_learning_explanation"]) is balanced
    expected = 100 if balanced else round(100 * (0.6 + 0.25 + 0.15 * (1 - (31 / 101 - 0.3) / 0.3)))
    assert r["core_learning_score"] == expected


def test_balance_text_names_the_crowding_area():
    """It says which area crowds out the rest and by how much."""
    a = cohort([pupil("1", 7)], {"1": [("English", 40), *[(s, 1) for s, _ in KS3_FULL if s != "English"]]})
    assert "English takes 77% of curricular time" in row(a, "1")["core_learning_explanation"]


# ---- Core Learning: KS4 -------------------------------------------------------------------


def test_ks4_core_plus_four_entitlement_areas_scores_100():
    """It gives KS4 core plus arts, a humanity, a language and technology 100."""
    a = cohort([pupil("1", 10)], {"1": [*KS4_CORE, ("Art", 4), ("History", 4), ("French", 4), ("Product Design", 4)]})
    assert row(a, "1")["core_learning_score"] == 100
    assert flags(a, "1") == set()


def test_ks4_two_of_four_entitlement_areas():
    """It scores 0.4 core + 0.4 x 2/4 + 0.2 balance = 80 and flags the two missing areas."""
    a = cohort([pupil("1", 10)], {"1": [*KS4_CORE, ("Art", 4), ("History", 4), ("Business", 4), ("Sociology", 4)]})
    r = row(a, "1")
    assert r["core_learning_score"] == 80
    assert {"MISSING_LANGUAGES", "MISSING_TECHNOLOGY"} <= flags(a, "1")
    assert "(none in languages, technology)" in r["core_learning_explanation"]


def test_an_option_counts_as_coverage_without_a_timetabled_class():
    """It treats an option choice as covering its area (MISSING_* needs no time and no option)."""
    a = cohort(
        [pupil("1", 10)],
        {"1": [*KS4_CORE, ("Art", 4), ("History", 4), ("French", 4)]},
        options={"1": ["Product Design"]},
    )
    assert "MISSING_TECHNOLOGY" not in flags(a, "1")


@pytest.mark.parametrize(("n_options", "few"), [(3, False), (2, True)])
def test_few_areas_boundary_at_ks4(n_options, few):
    """It flags FEW_AREAS below 8 areas at KS4 (core in 5 areas + options in distinct areas)."""
    options = [("Art", 4), ("History", 4), ("French", 4)][:n_options]
    a = cohort([pupil("1", 10)], {"1": [*KS4_CORE[:5], *options]})
    assert row(a, "1")["areas_covered"] == 5 + n_options
    assert ("FEW_AREAS" in flags(a, "1")) is few


def test_membership_without_periods_drops_balance_and_reweights():
    """It scores breadth from class membership alone, leaving balance out of the weights."""
    a = cohort([pupil("1", 10)], {"1": [(s, None) for s, _ in KS4_CORE] + [("Art", None), ("History", None)]})
    r = row(a, "1")
    assert r["core_learning_score"] == round(100 * (0.4 + 0.4 * 2 / 4) / 0.8)
    assert "balanced" not in r["core_learning_explanation"]


# ---- Core Learning: KS5 -------------------------------------------------------------------


@pytest.mark.parametrize(("subjects", "score"), [(3, 100), (2, 67), (4, 100)])
def test_ks5_advanced_tier(subjects, score):
    """It expects three or more subjects at KS5 and never raises MISSING_* flags there."""
    names = ["Maths", "Physics", "Chemistry", "History"][:subjects]
    a = cohort([pupil("1", 12)], {"1": [(s, 9) for s in names]})
    assert row(a, "1")["core_learning_score"] == score
    assert not {f for f in flags(a, "1") if f.startswith("MISSING_")}


def test_no_curriculum_data_is_not_a_flag():
    """It leaves Core Learning unscored, and raises no curriculum flag, for a pupil with no classes."""
    a = cohort([pupil("1", 10), pupil("2", 10)], {"2": KS4_CORE})
    r = row(a, "1")
    assert pd.isna(r["core_learning_score"])
    assert "no classes or options imported" in r["core_learning_explanation"]
    assert not {f for f in flags(a, "1") if f.startswith("MISSING_") or f == "FEW_AREAS"}


# ---- Early options -------------------------------------------------------------------


def test_ks3_pupil_with_options_recorded_but_a_full_ks3_is_not_early_options():
    """Option choices alone are next year's choices: a full-KS3 Year 9 with choices recorded is not flagged."""
    a = cohort([pupil("1", 9)], {"1": KS3_FULL}, options={"1": ["Art", "History"]})
    assert "EARLY_OPTIONS" not in flags(a, "1")


def test_year_whose_curricula_diverge_like_option_blocks():
    """It flags a whole KS3 year when several areas are taken by only some pupils."""
    core = [("English", 8), ("Maths", 8), ("Science", 8), ("PE", 3), ("RE", 2), ("PSHE", 1)]
    blocks = [[("French", 6), ("Art", 6)], [("History", 6), ("D&T", 6)], [("Computing", 6), ("Music", 6)]]
    students = [pupil(str(i), 9) for i in range(6)]
    classes = {str(i): core + blocks[i % 3] for i in range(6)}
    a = cohort(students, classes)
    assert all("EARLY_OPTIONS" in flags(a, str(i)) for i in range(6))


def test_language_split_is_not_options():
    """It does not mistake a French/Spanish split for option blocks."""
    students = [pupil(str(i), 8) for i in range(6)]
    classes = {
        str(i): [c if c[0] != "French" else ("Spanish" if i % 2 else "French", 5) for c in KS3_FULL] for i in range(6)
    }
    a = cohort(students, classes)
    assert not any("EARLY_OPTIONS" in flags(a, str(i)) for i in range(6))


# ---- Personal Project -------------------------------------------------------------------


def test_project_not_expected_before_year_10():
    """It leaves the project unscored and unflagged before Year 10."""
    a = cohort([pupil("1", 9)], {"1": KS3_FULL}, project=[{"student_id": "2", "stage": "research", "hours": 1}])
    r = row(a, "1")
    assert pd.isna(r["personal_project_score"])
    assert "not expected until Year 10" in r["personal_project_explanation"]
    assert "PROJECT_NOT_STARTED" not in flags(a, "1")


def test_project_not_started_from_year_10():
    """It flags PROJECT_NOT_STARTED and scores 0 for a Year 10 pupil with no project."""
    a = cohort([pupil("1", 10), pupil("2", 10)], project=[{"student_id": "2", "stage": "proposal", "hours": 20}])
    assert row(a, "1")["personal_project_score"] == 0
    assert "PROJECT_NOT_STARTED" in flags(a, "1")
    assert "PROJECT_NOT_STARTED" not in flags(a, "2")


def test_project_score_against_the_expected_point():
    """It compares stage and hours with the point the HPQ target implies by mid-year in Year 11."""
    # Year 11 on 10 Feb: half of its teaching days after the grace period are gone (its year ends on 31 May):
    # expected hours = 60 x (1 + 0.504) / 2 = 45.1; stage research(2) -> complete(5): floor(3.5) = 3
    on = {"student_id": "1", "stage": "production", "hours": 45}
    behind = {"student_id": "2", "stage": "production", "hours": 35}
    a = cohort([pupil("1", 11), pupil("2", 11)], project=[on, behind])
    assert row(a, "1")["personal_project_score"] == 100
    assert "PROJECT_BEHIND" not in flags(a, "1")
    assert "45.1 h expected by now" in row(a, "1")["personal_project_explanation"]
    assert "PROJECT_BEHIND" in flags(a, "2"), "35 h is below 80% of the 45.1 h expected"
    assert row(a, "2")["personal_project_score"] == round(100 * (0.5 + 0.5 * 35 / (60 * (1 + _due(11)) / 2)))


def test_project_behind_on_stage():
    """It flags PROJECT_BEHIND when the stage is behind the expected stage, whatever the hours."""
    a = cohort([pupil("1", 11)], project=[{"student_id": "1", "stage": "research", "hours": 60}])
    assert "PROJECT_BEHIND" in flags(a, "1")


def test_project_hours_tolerance_boundary():
    """It is not behind at exactly 80% of the expected hours."""
    hours = 0.8 * (60 * (1 + _due(11)) / 2)
    a = cohort([pupil("1", 11)], project=[{"student_id": "1", "stage": "production", "hours": hours}])
    assert "PROJECT_BEHIND" not in flags(a, "1")


# ---- Personal Development -------------------------------------------------------------------


def _pd(sid, hours_by_cat, day="2026-12-01"):
    return [{"student_id": sid, "date": day, "category": c, "hours": h} for c, h in hours_by_cat.items()]


def test_pd_on_target_in_all_categories_scores_100():
    """It gives 100 for hours at the pro-rated target across all three categories."""
    # Year 7 of the 85 h Y7-11 programme on 10 Feb: 85 x 0.395 / 5 = 6.7 h due (teaching days after the grace).
    a = cohort(
        [pupil("1", 7)],
        development=_pd("1", {"Leadership & Service": 3, "Creative & Cultural": 3, "Physical & Outdoor": 3}),
    )
    r = row(a, "1")
    assert r["personal_development_score"] == 100
    assert "9 h since Year 7 (6.7 h expected by now over the programme" in r["personal_development_explanation"]
    assert "9 h this school year" in r["personal_development_explanation"]
    assert not {"PD_BEHIND", "PD_CATEGORY_GAP"} & flags(a, "1")


def test_pd_no_hours_is_behind_and_zero():
    """It scores 0 and flags PD_BEHIND and PD_CATEGORY_GAP for a pupil with no hours."""
    a = cohort([pupil("1", 7), pupil("2", 7)], development=_pd("2", {"Creative & Cultural": 1}))
    assert row(a, "1")["personal_development_score"] == 0
    assert {"PD_BEHIND", "PD_CATEGORY_GAP"} <= flags(a, "1")


def test_pd_category_gap_names_the_missing_category():
    """It names the category with no hours."""
    a = cohort([pupil("1", 7)], development=_pd("1", {"Leadership & Service": 5, "Creative & Cultural": 5}))
    assert "(none in Physical & Outdoor)" in row(a, "1")["personal_development_explanation"]
    assert "PD_CATEGORY_GAP" in flags(a, "1")
    assert row(a, "1")["personal_development_score"] == round(100 * (0.7 + 0.3 * 2 / 3))


@pytest.mark.parametrize(("offset", "behind"), [(0.01, False), (-0.01, True)])
def test_pd_behind_boundary(offset, behind):
    """It is behind below 80% of the hours expected by now (6.7 h x 0.8 = 5.4 h)."""
    hours = 0.8 * 85 * _due(7) / 5 + offset
    cats = {"Leadership & Service": hours - 4, "Creative & Cultural": 2, "Physical & Outdoor": 2}
    a = cohort([pupil("1", 7)], development=_pd("1", cats))
    assert ("PD_BEHIND" in flags(a, "1")) is behind


def test_pd_counts_only_this_school_year():
    """Its per-year view ignores activities from before the current school year, and so does the programme of a
    Year 7 pupil (whose programme starts this September)."""
    rows = _pd("1", {"Leadership & Service": 9}, day="2026-06-01")
    a = cohort([pupil("1", 7)], development=rows)
    assert row(a, "1")["pd_hours"] == 0
    assert row(a, "1")["pd_programme_hours"] == 0


# ---- Overall status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_track", "off_track", "status"),
    [(80, 50, "at risk"), (75, 50, "on track"), (90, 76, "off track")],
)
def test_status_rule_is_configurable(on_track, off_track, status):
    """It applies the on-track and off-track thresholds from the settings (KS3 score 75 here)."""
    timetable = [c for c in KS3_FULL if c[0] not in ("Music", "Art", "D&T", "Computing")]
    settings = Settings.from_overrides({"status": {"on_track": on_track, "off_track": off_track}})
    a = cohort([pupil("1", 7)], {"1": timetable}, settings=settings)
    assert row(a, "1")["core_learning_score"] == 75
    assert row(a, "1")["overall_status"] == status


def test_strands_that_do_not_apply_are_left_out_of_status():
    """It judges a Year 7 pupil with no project log on Core Learning alone."""
    a = cohort([pupil("1", 7)], {"1": KS3_FULL})
    r = row(a, "1")
    assert r["overall_status"] == "on track"
    assert "no project log imported" in r["explanation"]


def test_explanation_reads_as_sentences():
    """It explains all three strands in one plain-English paragraph."""
    a = cohort([pupil("1", 10)], {"1": KS4_CORE}, project=[{"student_id": "1", "stage": "research", "hours": 10}])
    text = row(a, "1")["explanation"]
    assert text.startswith("Core Learning: core 8 of 8") and "Personal Project: Research stage" in text
    assert text.endswith(".")


def test_as_of_moves_the_targets():
    """It pro-rates targets to the as-of date."""
    dev = _pd("1", {"Leadership & Service": 2, "Creative & Cultural": 2, "Physical & Outdoor": 1})
    early = cohort([pupil("1", 7)], development=dev, as_of=MID_YEAR.replace(year=2026, month=12, day=2))
    late = cohort([pupil("1", 7)], development=dev)
    assert "PD_BEHIND" not in flags(early, "1")
    assert "PD_BEHIND" in flags(late, "1")
