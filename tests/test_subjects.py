"""The subject -> Core Learning area mapping (data files, aliases, SIMS codes, overrides)."""

import pandas as pd
import pytest

from natbacc.model import UNMAPPED
from natbacc.subjects import SubjectMap, parse_class_codes

MAP = SubjectMap.default()


@pytest.mark.parametrize(
    ("label", "area"),
    [
        ("English Lang", "english"),
        ("Eng Lit", "english"),
        ("Maths", "maths"),
        ("Comb Sci", "science"),
        ("Triple Science", "science"),
        ("Hist", "humanities"),
        ("Geog", "humanities"),
        ("RS", "religious_education"),
        ("RE", "religious_education"),
        ("Ethics", "religious_education"),
        ("Philosophy", "religious_education"),
        ("MFL", "languages"),
        ("French", "languages"),
        ("Fr", "languages"),
        ("Art & Design", "arts"),
        ("D&T", "technology"),
        ("Food Prep & Nutrition", "technology"),
        ("Product Design", "technology"),
        ("Textiles", "technology"),
        ("Engineering", "technology"),
        ("Comp Sci", "computing"),
        ("iMedia", "computing"),
        ("PE", "physical_education"),
        ("Core PE", "physical_education"),
        ("BTEC Sport", "physical_education"),
        ("PSHE", "pshe"),
        ("RSHE", "pshe"),
        ("Citizenship", "pshe"),
        ("Careers", "pshe"),
        ("Drama", "arts"),
        ("Music", "arts"),
        ("Dance", "arts"),
        ("Media", "arts"),
        ("Photography", "arts"),
        ("Sociology", "humanities"),
        ("Business", "humanities"),
        ("Tutor Time", "non_curricular"),
        ("Registration", "non_curricular"),
        ("Study", "non_curricular"),
    ],
)
def test_common_names_map_to_areas(label, area):
    """It maps the names schools use onto the right Core Learning area."""
    assert MAP.resolve(label)[1] == area


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("En", "English"),
        ("Ma", "Mathematics"),
        ("Sc", "Science"),
        ("Bi", "Biology"),
        ("Ch", "Chemistry"),
        ("Ph", "Physics"),
        ("Hi", "History"),
        ("Gg", "Geography"),
        ("Fr", "French"),
        ("Gm", "German"),
        ("Ar", "Art and Design"),
        ("Mu", "Music"),
        ("Dr", "Drama"),
        ("Te", "Design and Technology"),
        ("Dt", "Design and Technology"),
        ("Fd", "Food Preparation and Nutrition"),
        ("Cs", "Computer Science"),
        ("Co", "Computing"),
        ("PE", "Physical Education"),
        ("RS", "Religious Studies"),
        ("RE", "Religious Education"),
        ("Tu", "Tutor Time"),
        ("St", "Study"),
    ],
)
def test_sims_two_letter_codes(code, subject):
    """It knows the common SIMS two-letter subject codes."""
    assert MAP.resolve(code)[0] == subject


@pytest.mark.parametrize(
    ("label", "subject"),
    [
        ("10X/Ge2", "Geography"),
        ("J9X/Sc3", "Science"),
        ("7x/Te1a", "Design and Technology"),
        ("Y10 Maths 1", "Mathematics"),
        ("11 A-D GCSE Mathematics 1", "Mathematics"),
        ("10 IGCSE Business Studies 1", "Business"),
        ("RS Short Course", "Religious Studies"),
    ],
)
def test_class_codes_and_qualified_names(label, subject):
    """It reads the subject out of class codes and qualification-laden names."""
    assert MAP.resolve(label)[0] == subject


def test_unknown_subject_is_kept_as_unmapped():
    """It never drops an unknown subject: it keeps the label and marks it unmapped."""
    mapped = MAP.map_labels(pd.Series(["Forest School", "Maths"], dtype="str"))
    assert mapped["subject"].tolist() == ["Forest School", "Mathematics"]
    assert mapped["area"].tolist() == [UNMAPPED, "maths"]


def test_school_override_wins():
    """It applies a school's own mapping before the defaults."""
    custom = MAP.with_overrides(
        pd.DataFrame({"label": ["Forest School", "Maths"], "area": ["physical_education", "science"]})
    )
    assert custom.resolve("forest school")[:2] == ("Forest School", "physical_education")
    assert custom.resolve("Maths")[1] == "science"
    assert MAP.resolve("Maths")[1] == "maths", "the default map is unchanged"


def test_mapping_table_lists_unmapped_first():
    """It lists every distinct label with how it matched, unmapped ones first for review."""
    table = MAP.mapping_table(pd.Series(["Maths", "Maths", "Basket Weaving", "Geog"], dtype="str"))
    assert table.iloc[0]["label"] == "Basket Weaving"
    assert table.set_index("label").loc["Maths", "rows"] == 2


def test_statutory_subjects():
    """It knows which KS3 statutory subject a subject satisfies (integrated humanities: both)."""
    assert MAP.statutory_of("Food Preparation and Nutrition") == ("design_and_technology",)
    assert MAP.statutory_of("Humanities") == ("history", "geography")
    assert MAP.statutory_of("Drama") == ()


def test_parse_class_codes():
    """It splits class codes in the styles real exports use into year, band, subject code and set."""
    codes = ["10X/Ge2", "J9X/Sc3", "7x/Te1a", "Y10 Maths 1", "Y10-Bio-2", "10 IGCSE Physics 1", "DR10.1", "Tutor"]
    parts = parse_class_codes(pd.Series(codes, dtype="str"))
    assert parts["year_group"].tolist()[:7] == [10, 9, 7, 10, 10, 10, 10]
    assert parts["subject_code"].tolist()[:7] == ["Ge", "Sc", "Te", "Maths", "Bio", "IGCSE Physics", "DR"]
    assert parts["set"].tolist()[:7] == ["2", "3", "1a", "1", "2", "1", "1"]
    assert parts["band"].tolist()[:3] == ["X", "X", "x"]
    assert pd.isna(parts["year_group"].iloc[7])
