"""Readable by everyone, in the core: searches ignore accents and case, tutor groups sort as people count, flags
read as words on screen, and the workbook explains every column it keeps as a key."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from natbacc.export import PSEUDONYMISED_COLUMNS, build_workbook
from natbacc.records import flags_text, flags_words, workbook_column_meanings, workbook_columns
from natbacc.text import fold, folded, natural_key, sorted_naturally
from natbacc.vocabulary import Flag
from tests.test_export import KEY


def test_search_text_ignores_accents_and_case():
    names = pd.Series(["Łukasz Nowak", "Siobhán O'Brien", "ZOË ØSTERGAARD", None, "Straße"], dtype="str")
    assert folded(names).str.contains(fold("lukasz"), regex=False).tolist() == [True, False, False, False, False]
    assert folded(names).str.contains(fold("SIOBHAN O'B"), regex=False).tolist()[1]
    assert folded(names).tolist()[2] == "zoe ostergaard"
    assert folded(names).tolist()[3] == "" and fold("strasse") in folded(names).tolist()[4]


def test_tutor_groups_sort_as_people_count():
    assert sorted_naturally(["10A", "7A", "11C", "9B", "7b", None, "10A", "12X1", "12X10", "12X2"]) == [
        "7A",
        "7b",
        "9B",
        "10A",
        "11C",
        "12X1",
        "12X2",
        "12X10",
    ]
    assert natural_key("7A") < natural_key("10A")


def test_flags_show_as_words_and_keep_their_codes_for_tools():
    records = pd.DataFrame({f.column: [False, False] for f in Flag})
    records.loc[0, [Flag.MISSING_ARTS.column, Flag.FEW_AREAS.column]] = True
    assert flags_words(records).tolist() == ["No arts subject; Few areas", ""]
    assert flags_text(records).tolist() == ["MISSING_ARTS; FEW_AREAS", ""]
    assert all(f.label != f.value and "_" not in f.label for f in Flag)


def test_every_workbook_column_is_explained():
    for columns in (list(workbook_columns()), PSEUDONYMISED_COLUMNS):
        meanings = workbook_column_meanings(columns)
        assert meanings["column"].tolist() == list(columns)
        assert meanings["what it holds"].str.len().min() > 10
    flags = workbook_column_meanings(["flags"])["what it holds"].iloc[0]
    assert "MISSING_ARTS" in flags and "Flags sheet" in flags


def test_the_workbook_has_a_columns_sheet_for_the_students_sheet(sample_analysis, sample_result):
    """The Students sheet keeps its column keys and flag codes; a Columns sheet explains each in plain English."""
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(sample_analysis, sample_result.issues, key=KEY)))
    students = book["Students"]
    keys = [c.value for c in students[1]]
    assert "flags" in keys and "student_id" in keys
    flag_cells = [students.cell(r, keys.index("flags") + 1).value for r in range(2, students.max_row + 1)]
    assert any(v and "MISSING_" in v for v in flag_cells)
    columns = book["Columns"]
    rows = [(r[0].value, r[1].value) for r in columns.iter_rows(min_row=4) if r[0].value]
    assert [key for key, _ in rows] == keys
    assert all(meaning and len(meaning) > 10 for _, meaning in rows)
    assert [c.value for c in book["Flags"][1]] == ["flag", "in words", "meaning"]
