"""The records workbook prints and reads well (#17): every sheet landscape, one page wide, its header row on
every page; ID and name frozen with the header; a file name saying school, term, filter and date; the
Summary stating the filter it was made under. Read back with openpyxl, as Excel would."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from natbacc.analysis import analyse
from natbacc.cli import main
from natbacc.cohort import CohortFilter, apply_filter
from natbacc.export import build_workbook
from natbacc.report_context import ReportContext
from tests.helpers import csv_bytes, import_one

AS_OF = date(2027, 2, 10)


@pytest.fixture(scope="module")
def small():
    rows = [["Adno", "Name", "Year", "Reg Group", "School", "Class", "Subject", "Periods"]]
    for i in range(12):
        year = 8 if i < 6 else 10
        rows += [[f"{i:04d}", f"Pupil {i}", year, f"{year}A", "Elm Park", f"{year}X/En1", "English", 8]]
        rows += [[f"{i:04d}", f"Pupil {i}", year, f"{year}A", "Elm Park", f"{year}X/Ma1", "Maths", 8]]
    result = import_one("classes.csv", csv_bytes(rows))
    return result, analyse(result.tables, as_of=AS_OF)


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(small):
    result, analysis = small
    book = _book(build_workbook(analysis, result.issues, record_cards="8A"))
    assert len(book.sheetnames) > 8  # every sheet, record cards included
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # OOXML: fitToWidth absent means 1 (one page wide); fitToHeight 0 means as many pages long as needed
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows, ws.title
    assert book["Students"].print_title_rows == "$1:$1"
    assert book["Equity"].print_title_rows == "$4:$4"  # the table's header, under the title and note
    assert book["Flags"].print_title_rows == "$1:$1"


def test_students_sheet_freezes_the_header_and_the_id_and_name_columns(small):
    result, analysis = small
    ws = _book(build_workbook(analysis, result.issues))["Students"]
    assert [c.value for c in ws[1][:2]] == ["student_id", "name"]
    assert ws.freeze_panes == "C2"
    assert ws.print_title_cols == "$A:$B"
    pseudo = _book(build_workbook(analysis, result.issues, pseudonymise=True, key=bytes(range(40, 80))))["Students"]
    assert pseudo["A1"].value == "pupil_code" and pseudo.freeze_panes == "B2"


def test_the_summary_states_the_school_term_and_filter(small):
    result, analysis = small
    whole = _book(build_workbook(analysis, result.issues, context=ReportContext("Elm Park", "Spring 2027")))
    lines = [c for c in whole["Summary"]["A"][:6] if c.value]
    text = "\n".join(str(c.value) for c in lines)
    assert "School: Elm Park." in text and "Term: Spring 2027." in text
    assert "Filter: none, all pupils (12)." in text

    cohort = CohortFilter(years=(8,))
    view = apply_filter(analysis, cohort)
    context = ReportContext("Elm Park", "Spring 2027", cohort.describe())
    part = _book(build_workbook(view, result.issues, context=context))
    text = "\n".join(str(c.value) for c in part["Summary"]["A"][:6] if c.value)
    assert "Filter: Year 8 (6 pupils; every figure in this report is for them only)." in text
    assert part["Students"].max_row == 7


def test_file_names_say_school_term_filter_and_date():
    made = date(2027, 3, 20)
    assert (
        ReportContext("Ysgol Ŵyn & St Mary's", "Spring 2027", "Year 9; Disadvantaged (PP)", made).filename(
            "natbacc-records", "xlsx"
        )
        == "natbacc-records_Ysgol-Wyn-St-Mary-s_Spring-2027_Year-9-Disadvantaged-PP_2027-03-20.xlsx"
    )
    assert ReportContext("Elm Park", made=made).filename("natbacc-records", "xlsx") == (
        "natbacc-records_Elm-Park_2027-03-20.xlsx"
    )


def test_the_cli_names_the_workbook_when_no_output_is_given(small, tmp_path, monkeypatch, capsys):
    rows = [["Adno", "Name", "Year", "School", "Subject", "Periods"], ["1", "Ann", 8, "Elm Park", "English", 8]]
    path = tmp_path / "pupils.csv"
    path.write_bytes(csv_bytes(rows))
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(path), "--as-of", "10/02/2027"]) == 0
    [made] = tmp_path.glob("natbacc-records_*.xlsx")
    assert made.name == f"natbacc-records_Elm-Park_{date.today().isoformat()}.xlsx"
    assert f"Wrote {made.name}" in capsys.readouterr().out


def test_a_pseudonymised_summary_leaves_out_the_offer_of_a_small_year(small):
    """The KS4 offer is per year group: in a pseudonymised workbook a year of 6 (under 10) is left out."""
    result, analysis = small

    def offer_rows(data: bytes) -> list[tuple]:
        rows = list(_book(data)["Summary"].iter_rows(values_only=True))
        title = next(i for i, r in enumerate(rows) if r[0] == "KS4 entitlement: the school's offer beside take-up")
        out = []
        for r in rows[title + 3 :]:
            if r[0] is None and r[1] is None:
                break
            out.append(r)
        return out

    assert len(offer_rows(build_workbook(analysis, result.issues))) == 4  # Year 10, four entitlement areas
    assert offer_rows(build_workbook(analysis, result.issues, pseudonymise=True, key=bytes(range(40, 80)))) == []
