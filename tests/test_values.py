"""Parsers for the values schools type: year groups, flags, SEN codes, numbers, dates, UPNs."""

import pandas as pd
import pytest

from natbacc.io import values as v
from natbacc.upn import check_letter, invalid_mask, is_valid


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Year 10", 10),
        ("Y10", 10),
        ("Yr 10", 10),
        ("10", 10),
        ("NC Year 10", 10),
        ("year 7", 7),
        ("Y13", 13),
        ("10.0", 10),
        (" 9 ", 9),
    ],
)
def test_year_group_spellings(text, year):
    """It reads every common spelling of an NC year."""
    years, bad = v.parse_year_group(pd.Series([text], dtype="str"))
    assert years.iloc[0] == year
    assert not bad.iloc[0]


@pytest.mark.parametrize("text", ["Y42", "Year 6", "Reception", "ten", "14"])
def test_year_group_rejects_non_secondary(text):
    """It flags a year that is not 7-13 and leaves the year unknown rather than guessing."""
    years, bad = v.parse_year_group(pd.Series([text], dtype="str"))
    assert pd.isna(years.iloc[0])
    assert bad.iloc[0]


def test_blank_year_is_unknown_but_not_bad():
    """It treats a blank year as missing, not as an error."""
    years, bad = v.parse_year_group(pd.Series([""], dtype="str"))
    assert pd.isna(years.iloc[0]) and not bad.iloc[0]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("No", False),
        ("N", False),
        ("", False),
        ("false", False),
        ("0", False),
    ],
)
def test_booleans(text, flag):
    """It accepts Yes/No, Y/N, True/False, 1/0 and blank (= No)."""
    values, bad = v.parse_bool(pd.Series([text], dtype="str"))
    assert values.iloc[0] is flag or values.iloc[0] == flag
    assert not bad.iloc[0]


def test_boolean_nonsense_is_unknown():
    """It leaves an unreadable flag unknown and says so."""
    values, bad = v.parse_bool(pd.Series(["maybe"], dtype="str"))
    assert pd.isna(values.iloc[0]) and bad.iloc[0]


@pytest.mark.parametrize(
    ("text", "code", "bad"),
    [
        ("N", "N", False),
        ("K", "K", False),
        ("E", "E", False),
        ("", "N", False),
        ("SEN Support", "K", False),
        ("EHCP", "E", False),
        ("S", "E", False),
        ("Q", "N", True),
    ],
)
def test_sen_codes(text, code, bad):
    """It maps SEN provision to N/K/E, including the obsolete statement code."""
    codes, flagged = v.parse_sen(pd.Series([text], dtype="str"))
    assert codes.iloc[0] == code
    assert bool(flagged.iloc[0]) is bad


def test_numbers_and_problems():
    """It reads numbers with units and decimal commas, and reports non-numbers and negatives."""
    values, not_number, negative = v.parse_number(pd.Series(["4", "4,5", "2 hrs", "lots", "-3", ""], dtype="str"))
    assert values.tolist()[:3] == [4.0, 4.5, 2.0]
    assert not_number.tolist() == [False, False, False, True, False, False]
    assert negative.tolist() == [False, False, False, False, True, False]
    assert pd.isna(values.iloc[4])


def test_dates_are_day_first():
    """It reads 03/10/2026 as 3 October (UK), and ISO dates from spreadsheet date cells."""
    dates, bad = v.parse_date(pd.Series(["03/10/2026", "2026-09-05", "5 Nov 2026", "31/02/2026"], dtype="str"))
    assert dates.iloc[0] == pd.Timestamp("2026-10-03")
    assert dates.iloc[1] == pd.Timestamp("2026-09-05")
    assert dates.iloc[2] == pd.Timestamp("2026-11-05")
    assert bad.tolist() == [False, False, False, True]


def test_upn_worked_example_from_dfe():
    """It accepts the DfE worked example B801200005001 and computes its check letter."""
    assert check_letter("801200005001") == "B"
    assert is_valid("B801200005001")


@pytest.mark.parametrize("upn", ["A801200005001", "B80120000500", "B8012000050011", "I801200005001", "hello"])
def test_upn_rejects_bad_check_letters_and_shapes(upn):
    """It rejects a wrong check letter or a wrong shape."""
    assert not is_valid(upn)


def test_upn_mask_ignores_blanks():
    """It only flags UPNs that are present and wrong."""
    mask = invalid_mask(pd.Series(["B801200005001", "", None, "A801200005001"], dtype="str"))
    assert mask.tolist() == [False, False, False, True]


def test_first_language_words_follow_the_census_codes():
    """The words exports print for the DfE first-language codes mean what the codes mean."""
    from natbacc.io.values import first_language_is_eal

    for english in ("ENG", "eng", "English", "ENB", "Not known but believed to be English", "english (believed)"):
        assert first_language_is_eal(english) is False, english
    for eal in ("OTH", "OTB", "Polish", "URD", "Other than English"):
        assert first_language_is_eal(eal) is True, eal
    for unknown in ("", " ", "NOT", "REF", "PEN", "UNK", "Refused", "Information not obtained", "Unknown"):
        assert first_language_is_eal(unknown) is None, unknown
