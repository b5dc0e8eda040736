"""Real-world intake (issue #16): files natbacc does not use, messages that point the right way, and new shapes
(course-code lookups, Forms responses, SDS v1, aSc Timetables XML, Untis GPU files). Every file is built in code
with the shape the real exports have (``/work/shared/reference/formats-wave2.md`` describes them)."""

from __future__ import annotations

import json
import logging
import zipfile

import pytest

from natbacc.cli import main
from natbacc.io import Source, import_files
from tests.helpers import csv_bytes, import_one, xlsx_bytes

PUPILS = [
    ["Adno", "Name", "Year", "Reg Group", "Email"],
    ["1001", "Ann Lee", "10", "10A", "ann.lee@school.example"],
    ["1002", "Bo Chen", "10", "10B", "bo.chen@school.example"],
    ["1003", "Cara Diaz", "10", "10A", "cara.diaz@school.example"],
    ["1004", "Dan Evans", "10", "10A", ""],
    ["1005", "Dan Evans", "10", "10B", ""],
]
CLASSES = [["Adno", "Class", "Subject"], ["1001", "10A/Ma1", "Maths"], ["1002", "10B/En1", "English"]]


def by_code(result, code):
    return [i for i in result.issues if i.code == code]


def files(*pairs):
    return [Source(name, data) for name, data in pairs]


# ---- Files natbacc does not use never block ------------------------------------------------------------------


NOT_PUPIL_FILES = [
    ("staff.csv", [["Staff Code", "Title", "Surname", "Department"], ["ABC", "Mr", "Smith", "Maths"]], "staff list"),
    ("teachers.csv", [["id", "school_id", "payscale", "specialism"], ["1", "SCH01", "M3", "Physics"]], "staff list"),
    ("rooms.csv", [["Room", "Capacity", "Building"], ["S1", "30", "Science block"]], "list of rooms"),
    ("periods.csv", [["Period", "Start Time", "End Time"], ["1", "08:50", "09:50"]], "list of periods"),
    ("breaks.csv", [["Break", "Start", "End"], ["Lunch", "12:30", "13:15"]], "list of breaks"),
    ("years.csv", [["Year", "Key Stage", "Description"], ["7", "3", "Year 7"]], "year-group reference table"),
    ("courses.csv", [["Course Code", "Course Name"], ["ZZ-1", "Astronomy club"]], "list of courses"),
]


@pytest.mark.parametrize(("name", "rows", "what"), NOT_PUPIL_FILES)
def test_files_not_about_pupils_are_listed_as_not_used_and_never_block(name, rows, what):
    result = import_files(
        files(("pupils.csv", csv_bytes(PUPILS)), ("classes.csv", csv_bytes(CLASSES)), (name, csv_bytes(rows)))
    )
    assert not result.blocking
    assert len(result.students) == 5
    note = next(i for i in result.issues if i.file == name)
    assert note.code in ("not_used", "skipped_list") and note.severity == "info"
    assert note.message.startswith("Not used:") and what in note.message


def test_an_unrecognised_file_blocks_only_when_nothing_usable_remains():
    words = b"Dear parents,\nthe trip is on Friday.\n"
    alone = import_one("letter.txt", words)
    assert alone.blocking and by_code(alone, "not_recognised")[0].severity == "error"
    both = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("letter.txt", words)))
    assert not both.blocking
    issue = by_code(both, "not_recognised")[0]
    assert issue.severity == "warning" and issue.file == "letter.txt" and issue.message.startswith("Not used:")


# ---- Microsoft School Data Sync v1 (standard headers), with passwords ----------------------------------------

SECRET = "Hunter2-pw-Zq9"
SDS_V1 = {
    "School.csv": [
        ["SIS ID", "Name", "School Number", "Grade Low", "Grade High", "Principal SIS ID"],
        ["S1", "Oak Academy", "100", "7", "13", "T9"],
    ],
    "Section.csv": [
        ["SIS ID", "School SIS ID", "Section Name", "Course Name", "Course Subject", "Periods"],
        ["SEC1", "S1", "10A Maths", "Maths", "Math", "1"],
        ["SEC2", "S1", "10A French", "French", "French", "2"],
    ],
    "Student.csv": [
        ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password", "Grade"],
        ["P1", "S1", "Ann", "Lee", "ann@oak.example", SECRET + "1", "10"],
        ["P2", "S1", "Bo", "Chen", "bo@oak.example", SECRET + "2", "11"],
    ],
    "StudentEnrollment.csv": [["Section SIS ID", "SIS ID"], ["SEC1", "P1"], ["SEC2", "P1"], ["SEC1", "P2"]],
    "Teacher.csv": [
        ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password", "Teacher Number", "Title"],
        ["T9", "S1", "Tom", "Ward", "tw@oak.example", SECRET + "T", "77", "Mr"],
    ],
    "TeacherRoster.csv": [["Section SIS ID", "SIS ID"], ["SEC1", "T9"]],
}


def sds_v1_sources():
    return files(*((name, csv_bytes(rows, bom=True)) for name, rows in SDS_V1.items()))


def test_sds_v1_standard_headers_are_read():
    result = import_files(sds_v1_sources())
    assert not result.blocking, [i.message for i in result.issues if i.severity == "error"]
    students = result.students.set_index("student_id")
    assert students.loc["P1", "name"] == "Ann Lee" and students.loc["P2", "year_group"] == 11
    assert students.loc["P1", "school"] == "S1"
    assert sorted(result.tables["enrolments"].query("student_id == 'P1'")["subject_label"]) == ["French", "Math"]
    assert by_code(result, "roster_skipped") and by_code(result, "grade_as_year")
    assert {i.file for i in by_code(result, "not_used") + by_code(result, "skipped_list")} >= {
        "Teacher.csv",
        "School.csv",
    }


def test_sds_passwords_appear_in_no_output(tmp_path, monkeypatch, capsys, caplog):
    """The Password column is never kept: not in the tables, the store's bytes, the workbook, the CLI or logs."""
    paths = []
    for name, rows in SDS_V1.items():
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, bom=True))
        paths.append(str(path))
    db = tmp_path / "store.db"
    monkeypatch.setenv("NATBACC_DATABASE_URL", f"sqlite:///{db}")
    caplog.set_level(logging.DEBUG)
    assert main(["check", "--json", *paths]) == 0
    assert main(["import", *paths, "--term", "Autumn 2026", "--as-of", "20/11/2026"]) == 0
    workbook = tmp_path / "report.xlsx"
    assert main(["report", *paths, "--as-of", "20/11/2026", "-o", str(workbook)]) == 0
    printed = capsys.readouterr()
    result = import_files(sds_v1_sources())
    texts = [printed.out, printed.err, caplog.text, repr(result.tables), repr(result.issues), repr(result.sheets)]
    with zipfile.ZipFile(workbook) as book:
        texts += [book.read(n).decode("utf-8", "replace") for n in book.namelist()]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("store.db*"))
    assert stored and workbook.stat().st_size
    assert all(SECRET not in text for text in texts)
    assert SECRET.encode() not in stored


def test_us_grades_are_said_not_silently_taken_as_years():
    rows = [["SIS ID", "First Name", "Last Name", "Grade", "Graduation Year"], ["P1", "A", "B", "9", "2029"]]
    result = import_one("Student.csv", csv_bytes(rows))
    issue = by_code(result, "us_grades")[0]
    assert issue.severity == "warning" and issue.column == "Grade" and "US grade 9 is Year 10" in issue.message


# ---- Course-code lookup tables --------------------------------------------------------------------------------


def test_course_codes_are_looked_up_before_the_alias_table():
    classes = [["Adno", "Class"], ["1001", "GCS-HIS"], ["1002", "GCS-GEO"], ["1003", "XYZ-99"]]
    courses = [["Course Code", "Course Name", "Subject", "Level"], ["GCS-HIS", "GCSE History", "History", "GCSE"],
               ["GCS-GEO", "GCSE Geography", "", "GCSE"]]  # fmt: skip
    book = xlsx_bytes({"Classes": classes, "Courses": courses})  # the table on another sheet of the same workbook
    result = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("classes.xlsx", book)))
    enrolments = result.tables["enrolments"].set_index("student_id")
    assert enrolments.loc["1001", "subject"] == "History" and enrolments.loc["1001", "class_code"] == "GCS-HIS"
    assert (
        enrolments.loc["1002", "subject_label"] == "GCSE Geography" and enrolments.loc["1002", "area"] == "humanities"
    )
    assert "course table 'classes.xlsx' sheet 'Courses' row 2: code GCS-HIS" in result.label_sources["History"]
    assert by_code(result, "course_lookup")
    unknown = by_code(result, "unknown_code")[0]
    assert "XYZ-99" in unknown.message and unknown.file == "classes.xlsx"


def test_course_request_sheet_by_name_with_numeric_course_codes():
    """NAME, Grade, C1..C10 holding course numbers (0 = none) and a course table: matched by name and looked up."""
    requests = [["NAME", "Grade", *[f"C{n}" for n in range(1, 11)]],
                ["Ann Lee", "10", "1043", "2001", *["0"] * 8], ["Bo Chen", "10", "2001", *["0"] * 9]]  # fmt: skip
    courses = [["CourseID", "Course Name"], ["1043", "French"], ["2001", "Art and Design"]]
    upload = [
        ("pupils.csv", csv_bytes(PUPILS)),
        ("requests.csv", csv_bytes(requests)),
        ("courses.csv", csv_bytes(courses)),
    ]
    result = import_files(files(*upload))
    options = result.tables["options"]
    assert sorted(options[options["student_id"] == "1001"]["subject"]) == ["Art and Design", "French"]
    alone = import_files(files(upload[1]))
    error = by_code(alone, "no_id_column")[0]
    assert error.message == (
        "'requests.csv' has NAME, Grade and 10 choice columns but no pupil ID: add an Adno or UPN column, or "
        "upload the pupil list so pupils can be matched by name."
    )


# ---- Option forms keyed by email or name -----------------------------------------------------------------------

FORM = [
    ["ID", "Start time", "Completion time", "Email", "Name", "Tutor group", "First choice",
     "Which subject would you like in Block B?", "Reserve"],
    ["1", "01/03/2026 09:00", "01/03/2026 09:05", "ann.lee@school.example", "A Lee", "", "History", "Art", "Music"],
    ["2", "01/03/2026 09:10", "01/03/2026 09:12", "bo.personal@mail.example", "Bo Chen", "10B", "French", "Drama", ""],
    ["3", "01/03/2026 09:20", "01/03/2026 09:21", "dan@mail.example", "Dan Evans", "", "Geography", "Music", ""],
    ["4", "01/03/2026 09:30", "01/03/2026 09:31", "zed@mail.example", "Zed Nobody", "10C", "Spanish", "Art", ""],
    ["5", "02/03/2026 10:00", "02/03/2026 10:02", "ANN.LEE@school.example", "Ann Lee", "10A", "Geography", "Art", ""],
]  # fmt: skip


def test_form_responses_are_matched_by_email_then_name_and_never_guessed():
    result = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("Options form.xlsx", xlsx_bytes({"Form1": FORM}))))
    options = result.tables["options"]
    chosen = options.groupby("student_id")["subject_label"].apply(sorted).to_dict()
    assert chosen == {"1001": ["Art", "Geography"], "1002": ["Drama", "French"]}  # latest of Ann's two; Bo by name
    assert set(options["block"]) == {"1", "B"}  # "First choice" is rank 1; the reserve is not a choice
    ambiguous = by_code(result, "form_ambiguous")
    assert [(i.row, i.severity) for i in ambiguous] == [(4, "warning")] and "1004, 1005" in ambiguous[0].message
    assert [i.row for i in by_code(result, "form_unmatched")] == [5]
    repeated = by_code(result, "form_repeated")[0]
    assert repeated.row == 6 and "Pupil 1001 (earlier: row 2) answered more than once" in repeated.message
    summary = by_code(result, "form_responses")[0].message
    assert "5 rows; 2 matched to the pupil list by email; 1 by name and tutor group/year; 1 matched no pupil" in summary
    assert "1 matched more than one pupil (not used)" in summary
    sheet = next(s for s in result.sheets if s.kind == "options")
    assert sheet.rows == 5  # rows read, before the repeated response was dropped
    assert not any("@" in i.message for i in result.issues)  # emails match; they are never shown
    assert not result.blocking


def test_a_form_without_a_pupil_list_says_what_to_upload():
    result = import_one("form.csv", csv_bytes(FORM))
    error = by_code(result, "no_id_column")[0]
    assert "has Email, Name, Tutor group and 2 choice columns but no pupil ID" in error.message
    assert "matched by email or name" in error.message and error.row == 1


# ---- aSc Timetables XML ------------------------------------------------------------------------------------------

ASC = """<timetable importtype="database" options="idprefix:x" defaultexport="1">
<classes options="canadd" columns="id,name,short"><class id="*1" name="7A" short="7A"/>
<class id="*2" name="7B" short="7B"/></classes>
<subjects options="canadd" columns="id,name,short"><subject id="*3" name="Mathematics" short="Ma"/>
<subject id="*4" name="French" short="Fr"/></subjects>
<groups options="canadd" columns="id,classid,name,entireclass">
<group id="*5" classid="*1" name="Entire class" entireclass="1"/>
<group id="*6" classid="*2" name="Entire class" entireclass="1"/>
<group id="*7" classid="*2" name="Set 1" entireclass="0"/></groups>
<teachers options="canadd" columns="id,name"><teacher id="*9" name="Secret Teacher"/></teachers>
{students}
<lessons options="canadd" columns="id,classids,subjectid,groupids,periodsperweek,studentids">
<lesson id="*10" classids="*1" subjectid="*3" groupids="*5" periodsperweek="4.0" studentids="{s1}"/>
<lesson id="*11" classids="*2" subjectid="*4" groupids="*7" periodsperweek="1.5" studentids="{s2}"/>
</lessons></timetable>"""
ASC_STUDENTS = """<students options="canadd" columns="id,classid,name,number">
<student id="*20" classid="*1" name="Ann Lee" number="1001"/>
<student id="*21" classid="*2" name="Bo Chen" number="1002"/>
</students>"""


def test_asc_xml_without_students_is_class_level_and_nothing_is_scored_per_pupil():
    result = import_one("export.xml", ASC.format(students="", s1="", s2="").encode())  # no <?xml line
    enrolments = result.tables["enrolments"]
    assert sorted(enrolments["student_id"].unique()) == ["7A", "7B Set 1"]
    assert enrolments.set_index("student_id").loc["7B Set 1", "periods"] == 1.5 * 2  # per week x 2-week cycle
    assert result.pupils == 0 and result.student_sets == {"7A", "7B Set 1"}
    assert "Nothing is scored per pupil" in result.nothing_scored
    note = by_code(result, "asc_timetable")[0].message
    assert "without pupils" in note and "classes, not pupils" in note
    assert "Secret Teacher" not in repr(result.tables)


def test_asc_xml_with_students_is_read_per_pupil(capsys, tmp_path):
    data = ASC.format(students=ASC_STUDENTS, s1="", s2="*21").encode()
    result = import_one("export.xml", data)
    enrolments = result.tables["enrolments"]
    assert sorted(zip(enrolments["student_id"], enrolments["subject"], strict=True)) == [
        ("1001", "Mathematics"),
        ("1002", "French"),
    ]
    assert result.pupils == 2 and result.nothing_scored is None
    assert result.students.set_index("student_id").loc["1001", "year_group"] == 7


# ---- Untis GPU files ------------------------------------------------------------------------------------------------

GPU001 = (
    '1;"7A";"SMI";"MA";"R1";1;1;;\n1;"7A";"SMI";"MA";"R1";2;3;;\n'
    '2;"7A";"JON";"EN";"R2";1;2;;\n2;"7B";"JON";"EN";"R2";1;2;;\n'
)


def gpu002_line(lesson, per_week, klass, subject):
    fields = [str(lesson), per_week, per_week, per_week, f'"{klass}"', '"SMI"', f'"{subject}"', '"R1"']
    return ";".join(fields + [""] * 37)


def test_untis_gpu001_and_gpu002_are_recognised_by_their_columns():
    result = import_one("export1.txt", GPU001.encode("cp1252"))
    periods = result.tables["enrolments"].set_index(["student_id", "subject_label"])["periods"]
    assert periods.loc[("7A", "MA")] == 2 * 2 and periods.loc[("7B", "EN")] == 1 * 2
    assert "Untis timetable (GPU001)" in by_code(result, "untis_export")[0].message
    assert result.pupils == 0 and result.nothing_scored
    gpu002 = "\n".join(
        [gpu002_line(1, "4", "7A", "MA"), gpu002_line(1, "4", "7A", "MA"), gpu002_line(2, "3", "7B", "DE")]
    )
    second = import_one("lessons.txt", gpu002.encode())
    periods = second.tables["enrolments"].set_index(["student_id", "subject_label"])["periods"]
    assert periods.to_dict() == {("7A", "MA"): 8.0, ("7B", "DE"): 6.0}
    assert "lesson list (GPU002)" in by_code(second, "untis_export")[0].message


def test_untis_gpu010_students():
    rows = ['"Lee";"Lee";"";"";"";"";"";"Ann";"1001";"7A";1', '"Chen";"Chen";"";"";"";"";"";"Bo";"1002";"7B";2']
    result = import_one("students.txt", "\n".join(rows).encode())
    students = result.students.set_index("student_id")
    assert students.loc["1001", "name"] == "Ann Lee" and students.loc["1002", "year_group"] == 7
    assert students.loc["1001", "sex"] == "F"


# ---- Messages that point the right way ------------------------------------------------------------------------------


def test_name_but_no_pupil_id_says_what_was_found_and_what_is_missing():
    result = import_one("names.csv", csv_bytes([["Name", "Year", "Reg"], ["Ann", "7", "7A"]]))
    error = by_code(result, "not_recognised")[0]
    assert "'names.csv' has 'Name', 'Year' and 'Reg' but no pupil ID: add a column headed 'Adno'" in error.message


def test_known_foreign_formats_are_named():
    """An Untis text export natbacc does not read (here GPU005-like: one row per room) is named as Untis."""
    rooms = "\n".join(f'{n};"R{n}";"Room {n}";"";"";30' for n in range(1, 6))
    error = by_code(import_one("GPU005.TXT", rooms.encode()), "not_recognised")[0]
    assert "like an Untis text export (GPU file) natbacc does not read" in error.message
    assert "GPU001 (timetable), GPU002 (lessons) or GPU010 (students)" in error.message


def test_forcing_a_kind_without_its_columns_is_a_located_no_such_column_error():
    rows = [["Adno", "Name", "Year"], ["1", "Ann", "7"]]
    for kind, needs in (("enrolments", "a class or subject column"), ("options", "option-block columns")):
        result = import_one("pupils.csv", csv_bytes(rows), kinds={"pupils.csv": kind})
        error = next(i for i in result.issues if i.severity == "error")
        assert error.code == "no_such_column" and error.row == 1 and error.file == "pupils.csv"
        assert f"no such column: it needs {needs}" in error.message
        assert "could not read this file" not in error.message


def test_a_kind_naming_a_file_not_given_is_an_error():
    result = import_one("pupils.csv", csv_bytes(PUPILS), kinds={"pupil.csv": "students"})
    error = by_code(result, "kind_not_given")[0]
    assert result.blocking and "'pupil.csv', which is not one of the files given (pupils.csv)" in error.message


def test_rows_shown_are_rows_read_before_de_duplication():
    rows = [["Adno", "Name", "Year"], ["1", "A", "7"], ["1", "A", "7"], ["2", "B", "7"]]
    sheet = import_one("p.csv", csv_bytes(rows)).sheets[0]
    assert (sheet.rows, sheet.students) == (3, 2)


def test_warnings_never_have_a_blank_file_name():
    upload = files(("pupils.csv", csv_bytes([["Adno", "Name"], ["1", "A"], ["2", "B"]])),
                   ("classes.csv", csv_bytes([["Adno", "Class", "Subject"], ["1", "7A/Ma1", "Maths"],
                                              ["9", "7A/Ma1", "Maths"]])),
                   ("Section.csv", csv_bytes([["Section ID", "Course Subject"], ["S1", "Maths"]])))  # fmt: skip
    result = import_files(upload)
    warned = [i for i in result.issues if i.severity != "info"]
    assert {"not_in_details", "no_timetable", "no_year"} <= {i.code for i in warned}
    assert all(i.file for i in result.issues), [i for i in result.issues if not i.file]


def test_pupils_without_a_year_cannot_be_scored_and_the_report_says_so_first(tmp_path, capsys):
    path = tmp_path / "choices.csv"
    path.write_bytes(csv_bytes([["Adno", "Block A", "Block B"], ["1", "French", "Art"]]))
    result = import_files([path])
    no_year = by_code(result, "no_year")[0]
    assert no_year.severity == "warning" and no_year.file == "choices.csv"
    assert "Add the pupil details export from your MIS" in no_year.message
    assert "none of the 1 pupil has a year group" in result.nothing_scored
    main(["check", str(path)])
    assert capsys.readouterr().out.startswith("WARNING  Nothing can be scored yet")
    main(["check", "--json", str(path)])
    assert "nothing_scored" in json.loads(capsys.readouterr().out)


def test_a_tutor_column_of_teachers_is_not_the_reg_group():
    rows = [["Adno", "Name", "Year", "Tutor"], ["1", "Ann", "", "Mr Smith"], ["2", "Bo", "8", "Mrs Jones"]]
    result = import_one("p.csv", csv_bytes(rows))
    assert result.students["reg_group"].isna().all()
    assert by_code(result, "tutor_is_teacher")[0].column == "Tutor"
    groups = import_one("p.csv", csv_bytes([["Adno", "Tutor"], ["1", "10X"]]))
    assert groups.students["reg_group"].tolist() == ["10X"] and not by_code(groups, "tutor_is_teacher")


def test_group_level_fet_is_counted_as_student_sets(real_exports):
    folder = real_exports / "fet-csv-export" / "UK-Hopwood"
    result = import_files([folder / "UK-Hopwood_timetable.csv"])
    assert result.pupils == 0 and len(result.student_sets) == len(result.students) > 0
    assert "Nothing is scored per pupil" in result.nothing_scored


def test_real_sds_uk_files_with_passwords_import(real_exports):
    folder = real_exports / "ms-sds-uk-format"
    result = import_files(sorted(folder.glob("*.csv")))
    assert not result.blocking and len(result.students) == 86
    assert "Password" not in result.students.columns
    assert by_code(result, "us_grades")  # synthetic US data under UK headers: grade 9-12 said, not silently years


def test_untis_students_are_given_their_class_lessons():
    """GPU010 pupils in class 7A are taught GPU002's 7A lessons: pupil-level results from Untis alone."""
    students = ['"Lee";"Lee";"";"";"";"";"";"Ann";"1001";"7A";1', '"Chen";"Chen";"";"";"";"";"";"Bo";"1002";"7B";2']
    lessons = "\n".join(
        [gpu002_line(1, "4", "7A", "MA"), gpu002_line(2, "3", "7B", "DE"), gpu002_line(3, "2", "7C", "EN")]
    )
    result = import_files(files(("GPU010.TXT", "\n".join(students).encode()), ("GPU002.TXT", lessons.encode())))
    enrolments = result.tables["enrolments"]
    assert sorted(zip(enrolments["student_id"], enrolments["subject_label"], strict=True)) == [
        ("1001", "MA"),
        ("1002", "DE"),
    ]
    assert result.pupils == 2 and not result.student_sets and result.nothing_scored is None
    left = next(i for i in by_code(result, "group_level") if i.severity == "warning")
    assert "'7C'" in left.message and left.file == "GPU002.TXT"


def test_asc_classes_without_students_are_given_to_the_pupil_list():
    pupils = [["Adno", "Name", "Reg Group"], ["1001", "Ann Lee", "7A"], ["1002", "Bo Chen", "7B"]]
    upload = files(("pupils.csv", csv_bytes(pupils)), ("export.xml", ASC.format(students="", s1="", s2="").encode()))
    result = import_files(upload)
    assert result.tables["enrolments"]["student_id"].tolist() == ["1001"]  # 7A's maths; 7B's set is not a class
    assert result.students["student_id"].tolist() == ["1001", "1002"]
    assert "'7B Set 1'" in next(i for i in by_code(result, "group_level") if i.severity == "warning").message


def test_a_form_with_an_adno_column_uses_it():
    """Only a form's bare 'ID' (the response number) is ignored: an Adno column still identifies the pupil."""
    rows = [
        ["Timestamp", "Adno", "Name", "Block A", "Block B"],
        ["01/03/2026 09:00", "1003", "Someone Else", "Art", ""],
    ]
    result = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("form.csv", csv_bytes(rows))))
    assert result.tables["options"]["student_id"].tolist() == ["1003"] and not by_code(result, "form_responses")


def test_a_class_list_naming_teachers_is_not_taken_for_a_staff_list():
    rows = [["Name", "Class", "Subject", "Teacher", "Department"], ["Ann Lee", "10A/Ma1", "Maths", "Mr X", "Maths"]]
    result = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("classes.csv", csv_bytes(rows))))
    assert result.tables["enrolments"]["student_id"].tolist() == ["1001"]  # matched by name
    assert not by_code(result, "not_used")


def test_asc_set_lessons_go_to_the_pupils_who_chose_the_subject():
    picks = '<studentsubjects><studentsubject studentid="*21" subjectid="*4"/></studentsubjects>'
    result = import_one("export.xml", ASC.format(students=ASC_STUDENTS + picks, s1="", s2="").encode())
    enrolments = result.tables["enrolments"]
    assert sorted(zip(enrolments["student_id"], enrolments["subject"], strict=True)) == [
        ("1001", "Mathematics"),
        ("1002", "French"),
    ]
    assert not [i for i in result.issues if i.severity == "warning"]


def test_a_stored_term_keeps_its_classes_apart_from_pupils(tmp_path):
    """Group-level data saved as a term and loaded again still counts classes, not pupils."""
    from natbacc.analysis import analyse
    from natbacc.store.snapshots import Store

    result = import_one("GPU001.TXT", GPU001.encode())
    store = Store.open(f"sqlite:///{tmp_path / 'natbacc.db'}")
    saved = store.save(result, analyse(result.tables), term="Autumn 2026", school="Test")
    loaded = store.load(saved.id).result
    assert loaded.student_sets == result.student_sets == {"7A", "7B"}
    assert loaded.pupils == 0 and "Nothing is scored per pupil" in loaded.nothing_scored


def test_rows_of_a_timetablers_export_are_the_rows_of_the_file(real_exports):
    """A reshaped export reports the rows the file has (169 FET slots), not its reshaped form's."""
    hopwood = import_files([real_exports / "fet-csv-export" / "UK-Hopwood" / "UK-Hopwood_timetable.csv"])
    assert [s.rows for s in hopwood.sheets if s.kind] == [169]
    untis = import_one("GPU001.TXT", GPU001.encode())
    assert [s.rows for s in untis.sheets if s.kind] == [4]


def test_a_headerless_pupil_list_is_not_taken_for_an_untis_timetable():
    rows = "\n".join(f"{1000 + n},Ann{n},Lee,7A,F,7,10" for n in range(12))
    result = import_one("pupils.csv", rows.encode())
    assert not by_code(result, "untis_export")


def test_a_google_forms_export_with_only_email_and_questions_is_matched_by_email():
    rows = [["Timestamp", "Email address", "First choice", "Second choice"],
            ["2026/03/01 9:00:00 AM GMT", "cara.diaz@school.example", "Computer Science", "History"]]  # fmt: skip
    result = import_files(files(("pupils.csv", csv_bytes(PUPILS)), ("Options (Responses).csv", csv_bytes(rows))))
    options = result.tables["options"]
    assert options["student_id"].tolist() == ["1003", "1003"] and options["block"].tolist() == ["1", "2"]
    assert "1 matched to the pupil list by email" in by_code(result, "form_responses")[0].message


def test_a_stored_term_keeps_where_looked_up_names_came_from(tmp_path):
    from natbacc.analysis import analyse
    from natbacc.store.snapshots import Store

    classes = [["Adno", "Class"], ["1001", "GCS-HIS"]]
    courses = [["Course Code", "Course Name", "Subject"], ["GCS-HIS", "GCSE History", "History"]]
    upload = [("pupils.csv", csv_bytes(PUPILS)), ("classes.csv", csv_bytes(classes))]
    result = import_files(files(*upload, ("courses.csv", csv_bytes(courses))))
    store = Store.open(f"sqlite:///{tmp_path / 'natbacc.db'}")
    loaded = store.load(store.save(result, analyse(result.tables), term="Autumn 2026", school="Test").id).result
    assert loaded.label_sources == result.label_sources
    assert loaded.label_sources["History"].startswith("course table 'courses.csv' row 2: code GCS-HIS")
