"""The law, stated correctly: scenarios built in code, imported as a school would, scored by ``analyse``.

KS4 entitlement areas as Education Act 2002 s.85A defines them; citizenship never met by Careers alone;
citizenship, RE or PSHE declared as taught outside the timetable; KS5 size in A levels; the AQA Art and
Design titles; ambiguous short codes left for the school to confirm (docs/sources.md).
"""

from __future__ import annotations

from datetime import date

import pytest

from natbacc.analysis import analyse
from natbacc.model import UNMAPPED
from natbacc.settings import Settings, SettingsError
from natbacc.subjects import SubjectMap
from tests.helpers import csv_bytes, import_one

AS_OF = date(2027, 2, 10)

KS3 = [
    ("En", "English", 7),
    ("Ma", "Maths", 7),
    ("Sc", "Science", 6),
    ("Hi", "History", 3),
    ("Gg", "Geography", 3),
    ("Fr", "French", 5),
    ("Ar", "Art", 2),
    ("Mu", "Music", 2),
    ("Te", "D&T", 2),
    ("Co", "Computing", 1),
    ("PE", "PE", 4),
    ("RE", "RE", 2),
]
KS4_CORE = [
    ("En", "English", 9),
    ("Ma", "Maths", 8),
    ("Sc", "Combined Science", 10),
    ("PE", "PE", 2),
    ("RE", "RE", 2),
    ("Ps", "PSHE & Citizenship", 1),
    ("Co", "Computing", 1),
]


def _run(pupils: dict[str, tuple[int, list[tuple[str, str, float]]]], settings: Settings | None = None):
    """Analyse a class list: pupil -> (year, [(code, subject, periods)]), class codes in SIMS style."""
    rows: list[list[object]] = [["Adno", "Class", "Subject", "Periods"]]
    for adno, (year, classes) in pupils.items():
        rows += [[adno, f"{year}X/{code}1", subject, periods] for code, subject, periods in classes]
    result = import_one("classes.csv", csv_bytes(rows))
    return analyse(result.tables, settings=settings, as_of=AS_OF)


def _row(analysis, adno: str):
    records = analysis.records
    return records[records["student_id"] == adno].iloc[0]


def _flags(analysis, adno: str) -> set[str]:
    row = _row(analysis, adno)
    return {c.removeprefix("flag_") for c in analysis.records.columns if c.startswith("flag_") and bool(row[c])}


KS4_ARTS_LANG = [("Ar", "Art", 5), ("Fr", "French", 5)]


# ---- KS4 entitlement areas, as s.85A defines them ---------------------------------------------------


def test_sociology_alone_is_not_the_humanities_entitlement():
    """Sociology is a humanity for NBfE breadth, but the KS4 humanities entitlement is history or geography."""
    a = _run({"1": (10, [*KS4_CORE, *KS4_ARTS_LANG, ("Pd", "Product Design", 5), ("So", "Sociology", 5)])})
    assert "MISSING_HUMANITIES" in _flags(a, "1")
    assert "(none in humanities)" in _row(a, "1")["core_learning_explanation"]
    assert _row(a, "1")["periods_humanities"] == 5  # still a humanity for the breadth matrices


@pytest.mark.parametrize("subject", ["Psychology", "Business", "Law", "Economics", "Health & Social Care"])
def test_other_social_sciences_are_not_the_humanities_entitlement(subject):
    a = _run({"1": (10, [*KS4_CORE, *KS4_ARTS_LANG, ("Pd", "Product Design", 5), ("Xx", subject, 5)])})
    assert "MISSING_HUMANITIES" in _flags(a, "1")


def test_food_alone_is_not_the_design_and_technology_entitlement():
    """Food Preparation and Nutrition, Hospitality and Construction are not design and technology."""
    for subject in ("Food Preparation and Nutrition", "Hospitality and Catering", "Construction"):
        a = _run({"1": (10, [*KS4_CORE, *KS4_ARTS_LANG, ("Gg", "Geography", 5), ("Fd", subject, 5)])})
        assert "MISSING_TECHNOLOGY" in _flags(a, "1"), subject
        assert "MISSING_HUMANITIES" not in _flags(a, "1")


def test_history_and_design_and_technology_meet_the_entitlement_and_score_full():
    a = _run({"1": (10, [*KS4_CORE, *KS4_ARTS_LANG, ("Hi", "History", 5), ("Dt", "Design and Technology", 5)])})
    assert not {f for f in _flags(a, "1") if f.startswith("MISSING_")}
    assert _row(a, "1")["core_learning_score"] == 100


def test_the_schools_broader_rule_is_a_setting_labelled_as_the_schools():
    """``ks4.entitlement = "school"``: any subject mapped to the area counts, and the words say whose rule it is."""
    school = Settings.from_overrides({"ks4": {"entitlement": "school"}})
    classes = [*KS4_CORE, *KS4_ARTS_LANG, ("Fd", "Food Preparation and Nutrition", 5), ("So", "Sociology", 5)]
    a = _run({"1": (10, classes)}, settings=school)
    assert not {"MISSING_HUMANITIES", "MISSING_TECHNOLOGY"} & _flags(a, "1")
    assert "4 of 4 entitlement areas (the school's rule)" in _row(a, "1")["core_learning_explanation"]
    default = _run({"1": (10, classes)})
    assert {"MISSING_HUMANITIES", "MISSING_TECHNOLOGY"} <= _flags(default, "1")
    assert _row(default, "1")["core_learning_score"] < _row(a, "1")["core_learning_score"]


def test_entitlement_is_worded_as_the_pupils_right():
    a = _run({"1": (10, [*KS4_CORE, ("Gg", "Geography", 5)])})
    words = _row(a, "1")["core_learning_explanation"]
    assert "a subject in 1 of 4 entitlement areas (none in arts, languages, technology)" in words


# ---- KS4 core: RE and PSHE each their own slot; computing and citizenship for maintained schools --------


def test_re_and_pshe_are_separate_ks4_core_slots():
    """PSHE no longer stands in for RE (the old "religious_education|pshe" slot)."""
    no_re = [c for c in KS4_CORE if c[0] != "RE"]
    a = _run({"1": (10, [*no_re, *KS4_ARTS_LANG, ("Hi", "History", 5), ("Dt", "D&T", 5)])})
    assert "core 7 of 8 (missing: " in _row(a, "1")["core_learning_explanation"]
    assert _row(a, "1")["core_learning_score"] < 100


def test_maintained_school_checks_ks4_computing_and_citizenship_an_academy_does_not():
    core = [c for c in KS4_CORE if c[0] not in ("Co", "Ps")] + [("Ps", "PSHE", 1)]
    classes = [*core, *KS4_ARTS_LANG, ("Hi", "History", 5), ("Dt", "D&T", 5)]
    maintained = _run({"1": (10, classes)})
    assert "core 6 of 8 (missing: Computing, citizenship)" in _row(maintained, "1")["core_learning_explanation"]
    academy = _run(
        {"1": (10, classes)}, settings=Settings.from_overrides({"core_learning": {"school_type": "academy"}})
    )
    assert "core 6 of 6" in _row(academy, "1")["core_learning_explanation"]
    assert _row(academy, "1")["core_learning_score"] == 100


def test_academy_wording_says_national_curriculum_not_statutory():
    academy = Settings.from_overrides({"core_learning": {"school_type": "academy"}})
    a = _run({"1": (7, [*KS3, ("Ps", "PSHE & Citizenship", 1)])}, settings=academy)
    words = _row(a, "1")["core_learning_explanation"]
    assert "13 of 13 National Curriculum KS3 subjects" in words and "statutory" not in words


# ---- Citizenship: never Careers alone; declared delivery outside the timetable ------------------------


def test_careers_alone_is_not_citizenship():
    a = _run({"1": (7, [*KS3, ("Ca", "Careers", 1)])})
    assert "KS3_STATUTORY_GAP" in _flags(a, "1")
    assert "12 of 13 statutory KS3 subjects (missing: citizenship)" in _row(a, "1")["core_learning_explanation"]


@pytest.mark.parametrize(("label", "counts"), [("PSHE", False), ("PSHE & Citizenship", True), ("PSHCE", True)])
def test_a_pshe_lesson_counts_for_citizenship_when_its_title_names_it(label, counts):
    a = _run({"1": (8, [*KS3, ("Ps", label, 1)])})
    assert ("KS3_STATUTORY_GAP" not in _flags(a, "1")) is counts


def test_which_titles_count_for_citizenship_is_a_setting():
    own = Settings.from_overrides({"core_learning": {"citizenship_labels": ["life skills"]}})
    a = _run({"1": (8, [*KS3, ("Ls", "Life Skills", 1)])}, settings=own)
    assert "KS3_STATUTORY_GAP" not in _flags(a, "1")


def test_tutor_time_pshe_declared_for_a_year_is_counted():
    """Citizenship and PSHE taught in Year 7 tutor time: declared, Year 7 has no gap; Year 8 (undeclared) has."""
    pupils = {"1": (7, KS3), "2": (8, KS3)}
    assert "KS3_STATUTORY_GAP" in _flags(_run(pupils), "1")
    declared = Settings.from_overrides(
        {"core_learning": {"delivered_outside_timetable": {"7": ["citizenship", "pshe"]}}}
    )
    a = _run(pupils, settings=declared)
    assert "KS3_STATUTORY_GAP" not in _flags(a, "1")
    assert "13 of 13 statutory KS3 subjects; 11 of 11 areas" in _row(a, "1")["core_learning_explanation"]
    assert "KS3_STATUTORY_GAP" in _flags(a, "2")


def test_declared_delivery_from_the_settings_rows_and_a_wrong_name_is_refused():
    """The dashboard edits settings as text rows; a name that is not deliverable is an error, not ignored."""
    rows = Settings.default().with_rows({"core_learning.delivered_outside_timetable.9": "religious_education"})
    a = _run({"1": (9, [c for c in KS3 if c[0] != "RE"] + [("Ps", "PSHE & Citizenship", 1)])}, settings=rows)
    assert "KS3_STATUTORY_GAP" not in _flags(a, "1")
    wrong = Settings.default().with_rows({"core_learning.delivered_outside_timetable.9": "careers"})
    with pytest.raises(SettingsError, match="delivered_outside_timetable"):
        _run({"1": (9, KS3)}, settings=wrong)


# ---- KS5: qualification size, not the number of subject names ---------------------------------------


def test_an_extended_diploma_is_advanced_sized():
    a = _run({"1": (12, [("Sp", "BTEC Level 3 Extended Diploma in Sport", 15)])})
    row = _row(a, "1")
    assert row["core_learning_score"] == 100
    assert "1 subject, 3 A levels' worth" in row["core_learning_explanation"]


@pytest.mark.parametrize(
    ("classes", "score"),
    [
        ([("Ma", "A Level Maths", 9), ("Bs", "BTEC Extended Certificate in Business", 9)], 67),
        ([("Ma", "A Level Maths", 9), ("Bs", "BTEC Diploma in Business", 18)], 100),
        ([("Ma", "Maths", 9), ("Ph", "Physics", 9), ("Ch", "Chemistry", 9)], 100),
        ([("Ma", "Maths", 9), ("Ph", "Physics", 9)], 67),
    ],
)
def test_ks5_counts_a_level_equivalents(classes, score):
    assert _row(_run({"1": (13, classes)}), "1")["core_learning_score"] == score


def test_two_classes_in_one_subject_count_once_at_the_larger_size():
    classes = [("Sp", "BTEC Extended Diploma in Sport", 10), ("Sp", "Sport", 5)]
    assert _row(_run({"1": (12, classes)}), "1")["core_learning_score"] == 100


# ---- Subject mapping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "subject"),
    [
        ("Graphic Communication", "Graphic Communication"),
        ("GCSE Art (Graphic Communication)", "Graphic Communication"),
        ("Textile Design", "Textile Design"),
        ("Three-dimensional design", "Three-dimensional Design"),
        ("3D Design", "Three-dimensional Design"),
        ("Photography", "Photography"),
        ("Fine Art", "Fine Art"),
    ],
)
def test_aqa_art_and_design_titles_are_art(label, subject):
    m = SubjectMap.default()
    found, area, _ = m.resolve(label)
    assert (found, area) == (subject, "arts")
    assert m.statutory_of(found) == ("art_and_design",) and m.entitlement_of(found) == "arts"


def test_an_art_title_counts_for_ks3_art_not_design_and_technology():
    no_art = [c for c in KS3 if c[0] != "Ar"] + [("Ps", "PSHE & Citizenship", 1)]
    a = _run({"1": (7, [*no_art, ("Gc", "GCSE Art (Graphic Communication)", 2)])})
    assert "KS3_STATUTORY_GAP" not in _flags(a, "1")
    no_dt = [c for c in KS3 if c[0] != "Te"] + [("Ps", "PSHE & Citizenship", 1)]
    b = _run({"1": (7, [*no_dt, ("Gc", "Graphic Communication", 2)])})
    assert "(missing: design and technology)" in _row(b, "1")["core_learning_explanation"]


@pytest.mark.parametrize("code", ["Ps", "Hs", "Lang", "Ss", "Sp"])
def test_ambiguous_short_codes_wait_for_the_schools_confirmation(code):
    """Never silently mapped: unmapped, and the mapping table says the school must confirm (and what it may be)."""
    rows = [["Adno", "Class", "Subject", "Periods"], ["1", f"10X/{code}1", code, "2"], ["1", "10X/Ma1", "Maths", "8"]]
    result = import_one("classes.csv", csv_bytes(rows))
    enrol = result.tables["enrolments"]
    assert enrol.loc[enrol["subject_label"] == code, "area"].tolist() == [UNMAPPED]
    table = SubjectMap.default().mapping_table(enrol["subject_label"]).set_index("label")
    assert table.loc[code, "area"] == UNMAPPED
    assert table.loc[code, "matched_by"].startswith("needs the school's confirmation: ")
    # A class code alone is no more certain than the label.
    assert SubjectMap.default().resolve(f"10X/{code}1")[1] == UNMAPPED


def test_the_school_confirms_an_ambiguous_code_with_an_override():
    import pandas as pd

    m = SubjectMap.default().with_overrides(pd.DataFrame({"label": ["Ps"], "area": ["pshe"], "subject": ["PSHE"]}))
    assert m.resolve("Ps") == ("PSHE", "pshe", "school override")


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"ks4": {"entitlement": "broad"}}, "ks4.entitlement"),
        ({"core_learning": {"school_type": "free school"}}, "core_learning.school_type"),
    ],
)
def test_a_misspelt_rule_is_refused_not_read_as_the_default(overrides, setting):
    with pytest.raises(SettingsError, match=setting):
        _run({"1": (10, KS4_CORE)}, settings=Settings.from_overrides(overrides))


def test_a_class_with_zero_periods_covers_no_area_even_english():
    """Found on the way: a zero-period class left English (the first area) covered; now no area is."""
    a = _run({"1": (7, [("En", "English", 0), *KS3[1:], ("Ps", "PSHE & Citizenship", 1)])})
    assert "missing: English" in _row(a, "1")["core_learning_explanation"]
    assert _row(a, "1")["areas_covered"] == 10
