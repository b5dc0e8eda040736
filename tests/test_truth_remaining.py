"""Issue #15, the items left open: the law for ancient languages, flag words that follow the school's type,
next year's options spotted from a file's title, sheet or column, the school's offer beside take-up, and a
stored earlier term's Personal Development log counted over the programme. Schools built in code."""

from __future__ import annotations

from datetime import date

import pytest

from natbacc.analysis import analyse
from natbacc.flag_words import flag_help, flag_label, flag_labels
from natbacc.settings import Settings
from natbacc.vocabulary import Flag
from tests.helpers import csv_bytes, import_one
from tests.test_truth_law import KS3, KS4_CORE, _flags, _row, _run

ACADEMY = Settings.from_overrides({"core_learning": {"school_type": "academy"}})
FULL_KS3 = [*KS3, ("Ci", "Citizenship", 1)]
WITHOUT_FRENCH = [c for c in FULL_KS3 if c[1] != "French"]
KS4_HUM_TECH = [("Hi", "History", 5), ("Dt", "Design and Technology", 5)]


# ---- Latin and the other ancient languages ----------------------------------------------------------------


def test_latin_in_ks3_is_a_language_for_breadth_but_not_the_statutory_modern_foreign_language():
    """KS3 National Curriculum: "teaching may be of any modern foreign language" (KS2 allows an ancient one)."""
    a = _run({"1": (8, [*WITHOUT_FRENCH, ("La", "Latin", 3)]), "2": (8, FULL_KS3)})
    assert "KS3_STATUTORY_GAP" in _flags(a, "1")
    assert "MISSING_LANGUAGES" not in _flags(a, "1")  # a language for NBfE breadth
    assert "a modern foreign language" in _row(a, "1")["core_learning_explanation"]
    assert _row(a, "1")["periods_languages"] == 3
    assert "KS3_STATUTORY_GAP" not in _flags(a, "2")


@pytest.mark.parametrize("label", ["Latin", "Ancient Greek", "Classical Greek", "Classical Hebrew"])
def test_an_ancient_language_alone_leaves_the_ks4_modern_language_entitlement_unmet(label):
    """s.85A: the KS4 entitlement is "a modern foreign language"; an ancient language alone leaves it unmet."""
    a = _run({"1": (10, [*KS4_CORE, ("Ar", "Art", 5), *KS4_HUM_TECH, ("La", label, 5)])})
    assert "MISSING_LANGUAGES" in _flags(a, "1")
    assert _row(a, "1")["periods_languages"] == 5


def test_latin_counts_for_the_ebacc_language_pillar():
    """The EBacc counts ancient languages (Latin, Classical Greek, Biblical Hebrew): its pattern reads the area."""
    from natbacc.indicators import _ebacc

    a = _run({"1": (10, [*KS4_CORE, ("La", "Latin", 5), *KS4_HUM_TECH]), "2": (10, [*KS4_CORE, *KS4_HUM_TECH])})
    ebacc = _ebacc(a.breadth)
    assert bool(ebacc["1"]) and not bool(ebacc["2"])


def test_the_mapping_says_latin_is_an_ancient_language():
    from natbacc.breadth import ANCIENT_LANGUAGE
    from natbacc.subjects import SubjectMap

    m = SubjectMap.default()
    for label in ("Latin", "Lat", "Ancient Greek", "Classical Greek", "Biblical Hebrew"):
        subject, area, _ = m.resolve(label)
        assert area == "languages", label
        assert m.statutory_of(subject) == (ANCIENT_LANGUAGE,), label
        assert m.entitlement_of(subject) == "", label
    assert m.statutory_of("French") == ("languages",) and m.entitlement_of("French") == "languages"


# ---- The flag's words follow the school's type --------------------------------------------------------------


def test_the_statutory_gap_label_follows_the_school_type():
    maintained = Settings.default()
    assert flag_label(Flag.KS3_STATUTORY_GAP, maintained) == "Missing a statutory National Curriculum KS3 subject"
    assert flag_label(Flag.KS3_STATUTORY_GAP, ACADEMY) == "Missing a National Curriculum KS3 subject"
    assert "statutory" not in flag_label(Flag.KS3_STATUTORY_GAP, ACADEMY).lower()
    assert "not a legal duty" in flag_help(Flag.KS3_STATUTORY_GAP, ACADEMY)
    independent = Settings.from_overrides({"core_learning": {"school_type": "independent"}})
    assert flag_labels(independent)["KS3_STATUTORY_GAP"] == "Missing a National Curriculum KS3 subject"
    # other flags read the same for every type
    assert flag_label(Flag.MISSING_ARTS, ACADEMY) == flag_label(Flag.MISSING_ARTS, maintained) == "No arts subject"


def test_the_workbook_shows_the_label_for_the_school_type():
    """The Flags sheet and a record card say "National Curriculum" without "statutory" for an academy."""
    import io

    from openpyxl import load_workbook

    from natbacc.export import build_workbook

    rows = [["Adno", "Name", "Year", "Reg", "Class", "Subject", "Periods"]]
    rows += [["1", "Ann", 8, "8A", f"8X/{c}1", s, p] for c, s, p in WITHOUT_FRENCH]
    result = import_one("classes.csv", csv_bytes(rows))
    for settings, label in (
        (ACADEMY, "Missing a National Curriculum KS3 subject"),
        (Settings.default(), "Missing a statutory National Curriculum KS3 subject"),
    ):
        a = analyse(result.tables, settings=settings, as_of=date(2027, 2, 10))
        book = load_workbook(io.BytesIO(build_workbook(a, record_cards="8A")), read_only=True)
        flags = {r[0]: r[1] for r in book["Flags"].iter_rows(min_row=2, values_only=True)}
        assert flags["KS3_STATUTORY_GAP"] == label
        card = [c for r in book[book.sheetnames[-1]].iter_rows(values_only=True) for c in r if c]
        assert any(str(c).startswith(f"{label}. ") for c in card)
        assert a.records.iloc[0]["flag_KS3_STATUTORY_GAP"]


# ---- Entitlement is a right: the school's offer beside take-up -----------------------------------------------


def _options_school(blocks_by_pupil: dict[str, dict[str, str]], year: int = 10, settings: Settings | None = None):
    """Year-``year`` pupils with a KS4 core on the timetable and option choices: pupil -> {block: subject}."""
    pupils = [["Adno", "Name", "Year"]] + [[p, f"Pupil {p}", year] for p in blocks_by_pupil]
    classes = [["Adno", "Class", "Subject", "Periods"]]
    classes += [[p, f"{year}X/{c}1", s, n] for p in blocks_by_pupil for c, s, n in KS4_CORE]
    options = [["Adno", "Block", "Subject"]]
    options += [[p, b, s] for p, chosen in blocks_by_pupil.items() for b, s in chosen.items()]
    from natbacc.io import Source, import_files

    result = import_files(
        [
            Source("pupils.csv", csv_bytes(pupils)),
            Source("classes.csv", csv_bytes(classes)),
            Source("options.csv", csv_bytes(options)),
        ]
    )
    return analyse(result.tables, settings=settings, as_of=date(2027, 2, 10))


def _offer(analysis, area: str) -> dict:
    from natbacc.offer import entitlement_offer

    offer = entitlement_offer(analysis)
    return offer[offer["area"] == area].iloc[0].to_dict()


def test_a_technology_subject_offered_in_a_block_every_pupil_chose_from_is_access_for_all():
    """Only 1 of 4 takes D&T, but it was in block B, which every pupil chose from: low take-up, full access."""
    a = _options_school(
        {
            "1": {"A": "History", "B": "Design and Technology"},
            "2": {"A": "Geography", "B": "Art"},
            "3": {"A": "French", "B": "Music"},
            "4": {"A": "History", "B": "Spanish"},
        }
    )
    row = _offer(a, "technology")
    assert row["take_up_pct"] == 25 and row["access_pct"] == 100 and row["offered"]
    assert row["how"] == "in option block B: 4 of 4 pupils chose from it"


def test_a_pathway_without_the_area_in_its_blocks_has_no_access():
    """Pupils 3 and 4 follow a pathway (blocks X, Y) with no language in it: half the year could not choose one."""
    from natbacc.offer import entitlement_offer, offer_sentences

    a = _options_school(
        {
            "1": {"A": "French", "B": "Art"},
            "2": {"A": "History", "B": "Music"},
            "3": {"X": "Geography", "Y": "Art"},
            "4": {"X": "History", "Y": "Drama"},
        }
    )
    row = _offer(a, "languages")
    assert row["access_pct"] == 50 and row["take_up_pct"] == 25
    assert "Year 10: only 50% of pupils could choose a subject in languages" in " ".join(
        offer_sentences(entitlement_offer(a))
    )


def test_an_area_in_no_block_is_not_offered_and_food_is_not_design_and_technology():
    """Food is in block B, but the s.85A technology area is design and technology only: not offered."""
    from natbacc.offer import entitlement_offer, offer_sentences

    chosen = {"A": "History", "B": "Food Preparation and Nutrition"}
    a = _options_school({"1": chosen, "2": {"A": "French", "B": "Art"}})
    row = _offer(a, "technology")
    assert not row["offered"] and row["access_pct"] == 0
    assert any("no pupil could choose a subject in technology" in s for s in offer_sentences(entitlement_offer(a)))
    school_rule = Settings.from_overrides({"ks4": {"entitlement": "school"}})
    assert (
        _offer(_options_school({"1": chosen, "2": {"A": "French", "B": "Art"}}, settings=school_rule), "technology")[
            "access_pct"
        ]
        == 100
    )


def test_the_offer_is_reported_beside_take_up_in_the_workbook_summary():
    import io

    from openpyxl import load_workbook

    from natbacc.export import build_workbook

    a = _options_school({"1": {"A": "History", "B": "Design and Technology"}, "2": {"A": "Geography", "B": "Art"}})
    book = load_workbook(io.BytesIO(build_workbook(a)), read_only=True)
    rows = list(book["Summary"].iter_rows(values_only=True))
    title = next(i for i, r in enumerate(rows) if r[0] == "KS4 entitlement: the school's offer beside take-up")
    header = list(rows[title + 2])
    assert header[:8] == ["school", "year_group", "area", "pupils", "take_up_pct", "offered", "access_pct", "how"]
    technology = next(dict(zip(header, r, strict=False)) for r in rows[title + 3 :] if r[2] == "technology")
    assert (technology["take_up_pct"], technology["access_pct"]) == (50, 100)


# ---- Next year's options, told from the file's name, sheet, title or a column ----------------------------------


def _next_year_school(options_source, year: int = 9):
    """Four Year-``year`` pupils on a full KS3 timetable without music; their option choices include Music."""
    from natbacc.io import Source, import_files

    no_music = [c for c in FULL_KS3 if c[1] != "Music"]
    pupils = [["Adno", "Name", "Year"]] + [[p, f"Pupil {p}", year] for p in "1234"]
    classes = [["Adno", "Class", "Subject", "Periods"]]
    classes += [[p, f"{year}X/{c}1", s, n] for p in "1234" for c, s, n in no_music]
    result = import_files(
        [Source("pupils.csv", csv_bytes(pupils)), Source("classes.csv", csv_bytes(classes)), options_source]
    )
    return analyse(result.tables, as_of=date(2027, 2, 10))


def _choices(title_rows: list[list[object]] | None = None, header_extra: list[str] | None = None, extra=None):
    rows = [*(title_rows or []), ["Adno", "Option A", "Option B", *(header_extra or [])]]
    rows += [[p, "Music", "History", *((extra or {}).get(p, []))] for p in "1234"]
    return rows


def _next_academic_year() -> int:
    from natbacc.io.next_year import academic_year_start

    return academic_year_start(date.today()) + 1


def _assert_next_years(a):
    """Music chosen for next year does not hide this year's gap; no KS3-length claim; reported as next year's."""
    assert a.tables["options"]["next_year"].all()
    assert not a.breadth.statutory["music"].any()  # the Music chosen for next year is not this year's
    for p in "1234":
        assert "KS3_STATUTORY_GAP" in _flags(a, p)
        assert "EARLY_OPTIONS" not in _flags(a, p)
    texts = [f.text for f in a.indicators.findings]
    assert any("Year 9's choices for Year 10 are recorded (4 pupils)" in t for t in texts), texts
    assert not any("KS3 lasts two years" in t for t in texts)


@pytest.mark.parametrize("name", ["Year 9 choices for Year 10.csv", "next year options.csv", "GCSE options {y}.csv"])
def test_a_file_name_saying_next_year(name):
    from natbacc.io import Source

    _assert_next_years(_next_year_school(Source(name.format(y=_next_academic_year()), csv_bytes(_choices()))))


def test_a_sheet_name_saying_next_year():
    from natbacc.io import Source
    from tests.helpers import xlsx_bytes

    y = _next_academic_year()
    data = xlsx_bytes({f"Options {y}-{(y + 1) % 100:02d}": _choices()})
    _assert_next_years(_next_year_school(Source("options.xlsx", data)))


def test_a_title_row_saying_next_year():
    from natbacc.io import Source

    rows = _choices(title_rows=[["Year 9 option choices for Year 10", "", ""], ["", "", ""]])
    _assert_next_years(_next_year_school(Source("export.csv", csv_bytes(rows))))


@pytest.mark.parametrize("heading", ["For year", "Academic year", "Year of entry"])
def test_a_column_saying_which_year_the_choices_are_for(heading):
    from natbacc.io import Source

    y = _next_academic_year()
    value = "Year 10" if heading == "For year" else f"{y}/{(y + 1) % 100:02d}"
    rows = _choices(header_extra=[heading], extra={p: [value] for p in "1234"})
    _assert_next_years(_next_year_school(Source("export.csv", csv_bytes(rows))))


def test_options_that_say_nothing_are_this_years_and_this_years_title_is_not_next_year():
    """A plain options export, or one titled with this academic year, is this year's curriculum: it counts."""
    from natbacc.io import Source
    from natbacc.io.next_year import academic_year_start

    this_year = academic_year_start(date.today())
    for name in ("options.csv", f"Options {this_year}.csv"):
        a = _next_year_school(Source(name, csv_bytes(_choices())), year=10)
        assert not a.tables["options"]["next_year"].any(), name
        assert bool(a.breadth.statutory.loc["1", "music"]), name  # the Music chosen counts this year


def test_options_for_the_pupils_own_year_are_this_years():
    """'Options for Year 10' listing Year 10 pupils: this year's options, not next year's."""
    from natbacc.io.next_year import says_next_year

    assert not says_next_year("Options for Year 10", pupil_year=10)
    assert says_next_year("Options for Year 10", pupil_year=9)
    assert says_next_year("Year 9 choices for Year 10")  # the pupils' year not given: a named target year
    assert not says_next_year("Year 10 options")
    assert says_next_year("Options 2027-28", today=date(2027, 3, 1)) and not says_next_year(
        "Options 2026-27", today=date(2027, 3, 1)
    )


def test_a_full_ks3_years_choices_are_next_years_even_when_the_file_says_nothing():
    """A Year 9 on a full KS3 timetable with choices in a plain options.csv: the Music chosen for Year 10
    does not hide this year's missing music, and the choices are reported as next year's."""
    from natbacc.io import Source

    a = _next_year_school(Source("options.csv", csv_bytes(_choices())))
    _assert_next_years(a)
