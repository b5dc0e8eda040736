"""The records workbook, read back: typed cells, all sheets, formula-like text stays text."""

import io

import openpyxl
import pandas as pd
import pytest

from natbacc.analysis import analyse
from natbacc.export import STUDENT_COLUMNS, build_workbook, is_formula_like, pseudonyms
from natbacc.sample import AS_OF
from tests.helpers import csv_bytes, import_one

KEY = b"test-key-0123456789abcdef-0123456789"
PAYLOADS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tTab", '=HYPERLINK("http://x")', "＝1+1"]


@pytest.fixture(scope="module")
def sample_book(sample_analysis, sample_result):
    data = build_workbook(sample_analysis, sample_result.issues, record_cards="10A", key=KEY)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_all_sheets_are_present(sample_book):
    """It writes the students, summary, narrowing, equity, subjects, issues and settings sheets and record cards."""
    names = sample_book.sheetnames
    assert names[:8] == ["Students", "Summary", "Narrowing", "Equity", "Subjects", "Data issues", "Settings", "Flags"]
    assert len([n for n in names if n.startswith("10A ")]) == 30


def test_students_sheet_has_typed_cells(sample_book):
    """It writes IDs as text with leading zeros, numbers as numbers, and every required column."""
    ws = sample_book["Students"]
    header = [c.value for c in ws[1]]
    assert header == STUDENT_COLUMNS
    first = dict(zip(header, (c for c in ws[2]), strict=True))
    assert first["student_id"].data_type == "s" and first["student_id"].value == "001001"
    assert first["year_group"].data_type == "n" and first["year_group"].value == 7
    assert first["core_learning_score"].data_type == "n"
    assert first["periods_english"].value == 7
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.max_row == 1321


def test_scores_and_status_have_conditional_formatting(sample_book):
    """It colours scores and status (the status is also written as words, never colour alone)."""
    ranges = [str(r.sqref) for r in sample_book["Students"].conditional_formatting]
    assert len(ranges) >= 4


def test_settings_sheet_records_the_rule_set(sample_book):
    """It records the rules and as-of date used, so a record can be reproduced."""
    values = {r[0].value: r[1].value for r in sample_book["Settings"].iter_rows(min_row=4)}
    assert values["as of"] == "20/11/2026"
    assert values["status.on_track"] == "75"


def test_subjects_sheet_lists_unmapped_first(sample_book):
    """It lists the mapping used, unmapped subjects first."""
    ws = sample_book["Subjects"]
    assert [c.value for c in ws[3]][:3] == ["label", "subject", "area"]
    assert ws["C4"].value == "unmapped" and ws["A4"].value == "Forest School"


def test_formula_like_text_stays_text():
    """It writes names and subjects that look like formulas as literal text (read back unchanged)."""
    rows = [["Adno", "Name", "Year", "Subject", "Periods"]]
    rows += [[f"{i:03d}", payload, "10", payload, "4"] for i, payload in enumerate(PAYLOADS)]
    result = import_one("evil.csv", csv_bytes(rows))
    analysis = analyse(result.tables, as_of=AS_OF)
    # The importer trims surrounding whitespace ("\tTab" -> "Tab"); the writer must also cope with raw tabs.
    analysis.records["name"] = PAYLOADS
    data = build_workbook(analysis, result.issues)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Students"]
    names = {ws.cell(r, 2).value: ws.cell(r, 2) for r in range(2, ws.max_row + 1)}
    assert set(names) == set(PAYLOADS)
    for payload, cell in names.items():
        assert cell.data_type == "s", payload
        if is_formula_like(payload):
            assert cell.quotePrefix, payload
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def test_pseudonymised_workbook_has_no_names_or_ids(sample_analysis, sample_result):
    """It replaces names and IDs by stable pseudonyms and leaves the data issues out."""
    data = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Data issues" not in book.sheetnames
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    for name in sample_analysis.records["name"].head(50):
        assert name not in text
    assert "001001" not in text
    again = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    col = [c.value for c in openpyxl.load_workbook(io.BytesIO(again))["Students"]["A"]]
    assert col == [c.value for c in book["Students"]["A"]], "pseudonyms are stable for the same key"


def test_pseudonyms_depend_on_the_key():
    """It gives different pseudonyms under a different key (no dictionary attack on known IDs)."""
    ids = pd.Series(["001001", "001002"], dtype="str")
    a, b = pseudonyms(ids, b"one"), pseudonyms(ids, b"two")
    assert a.iloc[0] != b.iloc[0] and a.iloc[0] != a.iloc[1]
    assert a.iloc[0].startswith("Pupil ")


def test_filtered_records_export(sample_analysis, sample_result):
    """It exports only the pupils it is given (the dashboard's current filter)."""
    subset = sample_analysis.records[sample_analysis.records["reg_group"] == "8C"]
    data = build_workbook(sample_analysis, sample_result.issues, records=subset, key=KEY)
    assert openpyxl.load_workbook(io.BytesIO(data))["Students"].max_row == 31


@pytest.mark.parametrize("kind", ["students", "enrolments", "options", "project", "development"])
def test_templates_import_back_as_their_kind(kind):
    """A downloaded template, uploaded unchanged, is recognised with its example row and nothing skipped."""
    from natbacc.export import template_workbook

    data = template_workbook(kind)
    result = import_one(f"{kind}.xlsx", data)
    assert [(s.kind, s.rows) for s in result.sheets] == [(kind, 1)]
    assert not [i for i in result.issues if i.code == "not_recognised"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    notes = [c.comment.text for c in next(book.worksheets[0].iter_rows(max_row=1)) if c.comment]
    assert notes and all(n.startswith(("Required.", "Optional.")) for n in notes)
