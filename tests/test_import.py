"""Importing what schools really have: layouts, headers, dialects, validation and joins."""

import pandas as pd
import pytest

from natbacc.io import Source, import_files
from tests.helpers import PUPILS, codes, csv_bytes, import_one, xlsx_bytes


def messages(result, code):
    return [i for i in result.issues if i.code == code]


# ---- pupil details -------------------------------------------------------------------


def test_pupils_round_trip_ids_and_names_exactly():
    """It keeps leading zeros, accents and apostrophes exactly as they went in."""
    result = import_one("pupils.csv", csv_bytes(PUPILS))
    students = result.students.set_index("student_id")
    assert list(students.index) == ["001234", "001235", "000042"]
    assert students.loc["001234", "name"] == "Zoë O'Brien"
    assert students.loc["001235", "name"] == "Thị Lan Nguyễn"
    assert students.loc["000042", "name"] == "Seán Ó Súilleabháin"
    assert students.loc["000042", "year_group"] == 9 and students.loc["000042", "key_stage"] == 3
    assert students.loc["001234", "key_stage"] == 4
    assert bool(students.loc["001234", "pupil_premium"]) and students.loc["001234", "sen"] == "K"
    assert bool(students.loc["001235", "eal"]) and students.loc["000042", "sex"] == "M"
    assert not result.blocking


def test_xlsx_ids_stored_as_text_keep_zeros_and_numbers_read_cleanly():
    """It reads ID cells stored as text with their zeros, and numeric IDs without a '.0'."""
    data = xlsx_bytes({"Pupils": [["Adno", "Name", "Year"], ["007", "Ann Lee", 7], [1234, "Bo Yu", 8]]})
    result = import_one("pupils.xlsx", data)
    assert result.students["student_id"].tolist() == ["007", "1234"]
    assert result.students["year_group"].tolist() == [7, 8]


def test_header_below_title_rows_with_blank_rows_columns_and_total_row():
    """It finds the header under title rows and ignores blank rows, blank columns and a total row."""
    rows = [
        ["Oakfield Academy: pupil list"],
        ["Printed 20/11/2026"],
        [],
        ["", "Admission No.", "Surname", "Forename", "NC Year"],
        ["", "0101", "Khan", "Aisha", "7"],
        [],
        ["", "0102", "Lee", "Max", "8"],
        ["", "Total", "2"],
    ]
    result = import_one("list.xlsx", xlsx_bytes({"Sheet1": rows}))
    assert result.students["student_id"].tolist() == ["0101", "0102"]
    assert result.sheets[0].header_row == 4
    assert not [i for i in result.issues if i.severity != "info"]


def test_name_from_preferred_columns_and_first_name_last_name():
    """It builds names from whichever name columns the export has."""
    data = csv_bytes([["Student Code", "First Name", "Last Name", "Year Level"], ["S1", "Renée", "D'Souza", "11"]])
    assert import_one("edval.csv", data).students["name"].iloc[0] == "Renée D'Souza"


def test_year_from_registration_group_when_no_year_column():
    """It takes the year from the reg group ("10X" -> 10) when there is no year column."""
    data = csv_bytes([["Adno", "Name", "Form"], ["1", "A B", "10X"], ["2", "C D", "Y8C"]])
    assert import_one("f.csv", data).students["year_group"].tolist() == [10, 8]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", True, ","),
        ("utf-8", False, ";"),
        ("cp1252", False, ","),
        ("utf-16", False, "\t"),
        ("utf-16-le", False, ","),
        ("utf-8", False, "|"),
    ],
)
def test_encodings_and_separators(encoding, bom, delimiter):
    """It reads BOM, UTF-8, cp1252 and UTF-16 files with comma, semicolon, tab or pipe separators."""
    rows = [
        ["Adno", "Surname", "Forename", "Year"],
        ["0042", "Müller", "Zoë", "10"],
        ["0043", "O'Neill", "Seán", "11"],
    ]
    data = csv_bytes(rows, delimiter=delimiter, encoding=encoding, bom=bom)
    result = import_one("Pupils.CSV", data)
    assert result.students["name"].tolist() == ["Zoë Müller", "Seán O'Neill"]
    assert result.students["student_id"].tolist() == ["0042", "0043"]


def test_format_is_detected_from_content_not_extension():
    """It reads a workbook named .csv and a CSV named .XLSX."""
    wb = xlsx_bytes({"S": [["Adno", "Name", "Year"], ["1", "A", "7"]]})
    assert len(import_one("actually-a-workbook.csv", wb).students) == 1
    text = csv_bytes([["Adno", "Name", "Year"], ["1", "A", "7"]])
    assert len(import_one("EXPORT.XLSX", text).students) == 1


# ---- timetable / class lists ---------------------------------------------------------------------------


def test_class_list_long_layout_with_periods():
    """It reads one row per pupil per class, with periods per cycle and subjects mapped to areas."""
    data = csv_bytes(
        [
            ["Adno", "Class", "Subject", "Periods"],
            ["1", "10X/Ge2", "Geog", "4"],
            ["1", "10X/Ma1", "Maths", "8"],
            ["2", "10Y/Fr1", "", "5"],
        ]
    )
    result = import_one("classes.csv", data)
    enrol = result.tables["enrolments"]
    assert enrol["area"].tolist() == ["humanities", "maths", "languages"]
    assert enrol["periods"].tolist() == [4.0, 8.0, 5.0]
    assert result.students["year_group"].tolist() == [10, 10], "year comes from the SIMS class code"


def test_periods_per_week_are_scaled_to_the_cycle():
    """It converts periods per week to periods per two-week cycle."""
    data = csv_bytes([["Adno", "Subject", "Periods per week"], ["1", "Maths", "4"]])
    assert import_one("tt.csv", data).tables["enrolments"]["periods"].tolist() == [8.0]


def test_class_membership_without_periods_keeps_breadth():
    """It imports memberships without period counts (periods blank, areas still known)."""
    data = csv_bytes([["Pupil ID", "Set"], ["1", "10X/Ge2"], ["1", "10X/Hi1"]])
    enrol = import_one("sets.csv", data).tables["enrolments"]
    assert enrol["periods"].isna().all()
    assert enrol["area"].tolist() == ["humanities", "humanities"]


def test_bad_periods_are_reported_by_row_and_column():
    """It keeps the class but blanks and reports a non-numeric, negative or impossible period count."""
    data = csv_bytes(
        [
            ["Adno", "Subject", "Periods"],
            ["1", "Maths", "lots"],
            ["1", "English", "-2"],
            ["1", "Science", "400"],
            ["1", "Art", "2"],
        ]
    )
    result = import_one("tt.csv", data)
    assert result.tables["enrolments"]["periods"].isna().tolist() == [True, True, True, False]
    located = {(i.code, i.row, i.column) for i in result.issues}
    assert ("bad_number", 2, "Periods") in located
    assert ("negative_number", 3, "Periods") in located
    assert ("too_many_periods", 4, "Periods") in located


# ---- options -------------------------------------------------------------------


def test_wide_options_block_columns_with_free_and_blank():
    """It reads Block A..E columns, skipping blanks and Free/None, ignoring reserve choices."""
    data = csv_bytes(
        [
            ["Adno", "Name", "Block A", "Block B", "Block C", "Reserve"],
            ["1", "A", "French", "Free", "Art", "Music"],
            ["2", "B", "History", "", "None", ""],
        ]
    )
    result = import_one("options.csv", data)
    opts = result.tables["options"]
    assert opts[["student_id", "block", "subject"]].values.tolist() == [
        ["1", "A", "French"],
        ["1", "C", "Art and Design"],
        ["2", "A", "History"],
    ]
    assert "reserve_ignored" in codes(result)


def test_wide_options_choice_ranks():
    """It reads Choice 1..n columns as choice ranks."""
    data = csv_bytes([["Student ID", "Choice 1", "Choice 2", "Choice 3"], ["9", "Geog", "Spanish", "Drama"]])
    opts = import_one("choices.csv", data).tables["options"]
    assert opts["block"].tolist() == ["1", "2", "3"]
    assert opts["area"].tolist() == ["humanities", "languages", "arts"]


def test_wide_options_under_merged_heading():
    """It combines a merged 'Option blocks' heading with the A/B/C cells beneath it."""
    rows = [
        ["Options 2026"],
        [None, None, "Option blocks", None, None],
        ["Adno", "Name", "A", "B", "C"],
        ["1", "X", "French", "History", "Music"],
    ]
    data = xlsx_bytes({"Y10": rows}, merges={"Y10": ["C2:E2"]})
    result = import_one("options.xlsx", data)
    assert result.sheets[0].kind == "options"
    assert result.tables["options"]["block"].tolist() == ["A", "B", "C"]


def test_long_options():
    """It reads one row per pupil per option with a block column."""
    data = csv_bytes([["Adno", "Option Block", "Subject"], ["1", "a", "French"], ["1", "b", "Art"]])
    opts = import_one("long.csv", data).tables["options"]
    assert opts["block"].tolist() == ["A", "B"]


# ---- project and development logs -------------------------------------------------------------------


def test_project_log_with_stage_aliases_and_upn_key_joined_to_adno():
    """It reads a project log keyed by UPN and joins it to pupils keyed by Adno."""
    files = [
        Source("pupils.csv", csv_bytes(PUPILS)),
        Source(
            "projects.csv",
            csv_bytes(
                [
                    ["UPN", "Project title", "Stage", "Hours", "Supervisor"],
                    ["B801200005001", "Tidal power", "In progress", "12", "Ms Kaur"],
                ]
            ),
        ),
    ]
    result = import_files(files)
    project = result.tables["project"]
    assert project["student_id"].tolist() == ["001234"]
    assert project["stage"].tolist() == ["research"]
    assert project["hours"].tolist() == [12.0]


def test_unknown_stage_is_reported():
    """It reports a stage it does not know, with the row and column."""
    data = csv_bytes([["Adno", "Title", "Stage"], ["1", "T", "Stage 7"]])
    [issue] = messages(import_one("p.csv", data), "bad_stage")
    assert (issue.row, issue.column) == (2, "Stage")
    assert "Stage 7" in issue.message


def test_development_log_dates_categories_and_bad_hours():
    """It reads UK dates and PDP category aliases, skipping activities with no usable hours."""
    data = csv_bytes(
        [
            ["Adno", "Date", "Activity", "Category", "Hours"],
            ["1", "03/10/2026", "Food bank", "Volunteering", "2"],
            ["1", "04/10/2026", "Choir", "Creative", "1.5"],
            ["1", "05/10/2026", "Football", "Sport", "two"],
            ["1", "31/13/2026", "Cadets", "Uniformed", "1"],
        ]
    )
    result = import_one("pd.csv", data)
    dev = result.tables["development"]
    assert dev["category"].tolist() == ["Leadership & Service", "Creative & Cultural", "Uniformed"]
    assert dev["date"].iloc[0] == pd.Timestamp("2026-10-03")
    assert pd.isna(dev["date"].iloc[2])
    assert {(i.code, i.row) for i in result.issues} >= {
        ("bad_hours", 4),
        ("bad_date", 5),
        ("unknown_category", 5),
    }


# ---- joins across files -------------------------------------------------------------------


def test_any_single_file_is_enough_and_pupils_are_inferred():
    """It imports an options file alone, taking pupils from it."""
    data = csv_bytes([["Adno", "Name", "Reg", "Block A", "Block B"], ["0007", "Ann", "10X", "French", "Art"]])
    result = import_one("options.csv", data)
    assert result.students[["student_id", "name", "year_group"]].values.tolist() == [["0007", "Ann", 10]]
    assert "students_inferred" in codes(result)
    assert not result.blocking


def test_pupils_missing_from_details_or_timetable_are_reported():
    """It names pupils present in one table and missing from another, and keeps them."""
    files = [
        Source("pupils.csv", csv_bytes(PUPILS)),
        Source("tt.csv", csv_bytes([["Adno", "Subject"], ["001234", "Maths"], ["999999", "Maths"]])),
    ]
    result = import_files(files)
    [extra] = messages(result, "not_in_details")
    assert "999999" in extra.message
    [without] = messages(result, "no_timetable")
    assert "001235" in without.message and "000042" in without.message
    assert "999999" in result.students["student_id"].tolist()


def test_kind_override_for_an_ambiguous_file():
    """It lets the user say what a file holds when its columns are ambiguous."""
    data = csv_bytes([["Adno", "Name", "Subject"], ["1", "A", "Maths"]])
    assert import_one("x.csv", data).sheets[0].kind == "enrolments"
    assert import_one("x.csv", data, kinds={"x.csv": "students"}).sheets[0].kind == "students"


def test_every_sheet_of_a_workbook_is_recognised():
    """It reads all sheets of one workbook and recognises each from its columns."""
    data = xlsx_bytes(
        {
            "Pupils": [["Adno", "Name", "Year"], ["1", "A", "10"]],
            "Classes": [["Adno", "Class"], ["1", "10X/Ma1"]],
            "Notes": [["These are our options for next year"]],
            "Options": [["Adno", "Block A", "Block B"], ["1", "French", "Music"]],
        }
    )
    result = import_one("all.xlsx", data)
    assert [(s.sheet, s.kind) for s in result.sheets] == [
        ("Pupils", "students"),
        ("Classes", "enrolments"),
        ("Notes", None),
        ("Options", "options"),
    ]
    assert not result.blocking


# ---- validation messages -------------------------------------------------------------------


def test_bad_values_are_warnings_naming_row_and_column():
    """It reports a bad year, UPN and SEN code at their row and column, and keeps the pupil."""
    rows = [
        ["Adno", "UPN", "Name", "Year", "SEN"],
        ["1", "A801200005001", "A", "Year 42", "Q"],
        ["2", "B801200005001", "B", "Year 8", "K"],
    ]
    result = import_one("p.csv", csv_bytes(rows))
    located = {(i.code, i.row, i.column) for i in result.issues}
    assert {("bad_upn", 2, "UPN"), ("bad_year", 2, "Year"), ("bad_sen", 2, "SEN")} <= located
    assert len(result.students) == 2 and not result.blocking


def test_missing_and_duplicate_ids():
    """It skips a row without an ID and keeps the first of duplicate IDs, saying which rows."""
    rows = [["Adno", "Name", "Year"], ["1", "A", "7"], ["", "B", "7"], ["1", "C", "7"]]
    result = import_one("p.csv", csv_bytes(rows))
    assert result.students["name"].tolist() == ["A"]
    assert [(i.code, i.row) for i in result.issues if i.code in {"missing_id", "duplicate_id"}] == [
        ("missing_id", 3),
        ("duplicate_id", 4),
    ]


def test_many_bad_rows_are_summarised():
    """It lists 25 bad rows one by one and summarises the rest."""
    rows = [["Adno", "Year"]] + [[str(i), "Y42"] for i in range(100)]
    bad = messages(import_one("p.csv", csv_bytes(rows)), "bad_year")
    assert len(bad) == 26
    assert "75 more rows" in bad[-1].message


@pytest.mark.parametrize(
    ("name", "data", "code", "phrase"),
    [
        ("empty.csv", b"", "empty_file", "empty"),
        ("blank.xlsx", b"   \n\n", "empty_file", "empty"),
        ("random.xlsx", bytes(range(256)) * 40, "binary_file", "not a spreadsheet"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "corrupt_workbook", "damaged"),
        ("header-only.csv", b"Adno,Name,Year\r\n", "no_rows", "no data rows"),
        ("no-id.csv", b"Name,Year,Reg\r\nAnn,7,7A\r\n", "not_recognised", "Adno"),
        (
            "no-id-classes.csv",
            b"Name,Class,Subject\r\nAnn,7A/Ma1,Maths\r\n",
            "no_id_column",
            "has Name, Class and Subject but no pupil ID",
        ),
        ("words.txt", b"Dear parents,\nthe trip is on Friday.\n", "not_recognised", "could be recognised"),
    ],
)
def test_bad_files_get_a_clear_blocking_message(name, data, code, phrase):
    """It turns every kind of unusable file into one clear error naming the file, never a traceback."""
    result = import_one(name, data)
    errors = [i for i in result.issues if i.severity == "error"]
    assert result.blocking
    assert errors[0].code == code
    assert errors[0].file == name
    assert phrase.lower() in errors[0].message.lower()


def test_oversized_file_is_rejected():
    """It refuses a file over the size limit before reading it."""
    result = import_files([Source("huge.csv", b"Adno\n" + b"1\n" * 600)], max_bytes=1000)
    assert [i.code for i in result.issues] == ["too_large"]


def test_real_dfe_workbook_with_title_rows_is_not_mistaken_for_pupils(real_exports):
    """It reads a real multi-sheet DfE workbook without crashing and says it is not school data."""
    result = import_files([real_exports / "dfe" / "EBacc Quals.xlsx"])
    assert result.blocking
    assert result.issues[-1].file == "EBacc Quals.xlsx"
    assert result.students.empty


def _zip_bomb() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 5_000_000 + b">")
    return buf.getvalue()


def _hidden_sheet_workbook() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Adno", "Name", "Year"])
    book.active.append(["1", "A", "7"])
    hidden = book.create_sheet("Lookups")
    hidden.append(["secret"])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "code", "severity", "row", "column"),
    [
        ("pp.csv", csv_bytes([["Adno", "PP"], ["1", "perhaps"]]), "bad_flag", "warning", 2, "PP"),
        (
            "tt.csv",
            csv_bytes([["Adno", "Subject", "Periods"], ["1", "", "4"], ["1", "Maths", "4"]]),
            "missing_subject",
            "warning",
            2,
            "Subject",
        ),
        (
            "tt.csv",
            csv_bytes([["Adno", "Class"], ["1", "10X/Ma1"], ["1", "10X/Ma1"]]),
            "duplicate_class",
            "info",
            None,
            None,
        ),
        (
            "pd.csv",
            csv_bytes([["Adno", "Activity", "Category", "Date"], ["1", "Choir", "Creative", "01/10/2026"]]),
            "no_hours_column",
            "error",
            None,
            None,
        ),
        (
            "pd.csv",
            csv_bytes([["Adno", "Activity", "Hours"], ["1", "Choir", "x"]]),
            "no_valid_rows",
            "error",
            None,
            None,
        ),
        ("p.csv", csv_bytes([["Adno", "Name"], ["1", "A"]]), "no_year", "warning", None, None),
        ("book.xlsx", _hidden_sheet_workbook(), "hidden_sheet", "info", None, None),
        ("bomb.xlsx", _zip_bomb(), "zip_bomb", "error", None, None),
    ],
)
def test_remaining_validation_messages(name, data, code, severity, row, column):
    """It reports every other validation problem with its severity, row and column."""
    result = import_one(name, data)
    [issue] = [i for i in result.issues if i.code == code]
    assert (issue.severity, issue.row, issue.column, issue.file or name) == (severity, row, column, name)
    assert issue.message


def test_a_big_upload_read_in_parallel_equals_reading_it_in_one_process(monkeypatch, real_exports):
    """Files read by worker processes give exactly the tables, issues and sheet reports of a serial read."""
    import natbacc.io.pipeline as natbacc_io
    from natbacc.sample import sample_paths

    paths = [*sample_paths(), *sorted((real_exports / "ms-sds-uk-format").rglob("*.csv"))]
    serial = natbacc_io.import_files(paths)
    monkeypatch.setattr(natbacc_io, "PARALLEL_BYTES", 0)
    parallel = natbacc_io.import_files(paths, workers=2)
    for kind, table in serial.tables.items():
        pd.testing.assert_frame_equal(parallel.tables[kind], table, obj=kind)
    assert parallel.issues == serial.issues
    assert parallel.sheets == serial.sheets
