"""The NBfE award in a trust's upload, where pupil IDs restart in every school: pupil 17 of SCH01 and pupil 17
of SCH02 are two children, each judged on their own qualifications, project and Personal Development log, with
their own transcript and certificate (tables built in code, keyed as the importer keys them)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
from pypdf import PdfReader

from natbacc.award.cli import as_json, print_summary
from natbacc.award.documents import cohort_pdf, cohort_zip, pupil_pdf
from natbacc.award.status import evaluate
from natbacc.award.table import award_frame
from natbacc.cli import main
from natbacc.io.identity import pupil_keys
from natbacc.model import KEY_SEPARATOR
from natbacc.settings import Settings
from natbacc.vocabulary import IssueCode
from tests.helpers import csv_bytes
from tests.test_award import AFTER_RESULTS, done_project, gcse, logs, school

A, B = "SCH01" + KEY_SEPARATOR + "17", "SCH02" + KEY_SEPARATOR + "17"


def _keyed(rows: list[dict[str, object]], school_of: str) -> list[dict[str, object]]:
    """Rows of one school's file, keyed as the importer keys a trust's rows (school + separator + ID)."""
    frame = pd.DataFrame(rows)
    keys = pupil_keys(pd.Series(school_of, index=frame.index), frame["student_id"])
    return [{**r, "pupil_key": k} for r, k in zip(rows, keys, strict=True)]


def trust_school():
    """Year 11 at the end of the programme, pupil 17 at two schools: SCH01's completes, SCH02's does not."""
    students = [
        *_keyed([{"student_id": "17", "name": "Amara Osei", "year_group": 11, "school": "SCH01"}], "SCH01"),
        *_keyed([{"student_id": "17", "name": "Bartosz Zieliński", "year_group": 11, "school": "SCH02"}], "SCH02"),
    ]
    days = ["10/10/2024", "12/03/2026", "05/02/2027"]
    quals = _keyed(
        [gcse("17", "English Language", "5"), gcse("17", "Mathematics", "6"), gcse("17", "History", "4")], "SCH01"
    ) + _keyed([gcse("17", "English Literature", "5"), gcse("17", "Mathematics", "3")], "SCH02")
    project = _keyed([done_project("17", 62, title="Tidal power")], "SCH01") + _keyed(
        [{"student_id": "17", "title": "Urban bees", "stage": "research", "hours": 20.0, "supervisor": "Ms B"}],
        "SCH02",
    )
    development = _keyed(logs("17", (10, 10, 10), days, activity="Volunteering"), "SCH01") + _keyed(
        logs("17", (10, 10, 0), days, activity="Orchestra"), "SCH02"
    )
    return school(students, quals, project, development)


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pupil_17_of_each_school_is_judged_on_their_own_records():
    result = evaluate(trust_school(), Settings.default(), AFTER_RESULTS)
    p = result.pupils.set_index("pupil_key")
    assert len(p) == 2
    assert (p.loc[A, "status"], p.loc[A, "tier"], p.loc[A, "missing"]) == ("complete", "intermediate", "")
    assert (p.loc[A, "pd_hours"], p.loc[A, "project_hours"], p.loc[A, "project_stage"]) == (90, 62, "complete")
    assert p.loc[B, "status"] == "not on course"
    assert p.loc[B, "missing"].split("; ") == [
        "core_learning",
        "personal_project",
        "personal_development",  # 60 of 90 h
        "personal_development:Physical & Outdoor",
    ]
    assert (p.loc[B, "pd_hours"], p.loc[B, "project_hours"], p.loc[B, "project_stage"]) == (60, 20, "research")
    assert "20 of 60 project hours" in p.loc[B, "reason"]

    # The public outputs name each pupil by the ID the files give and their school, never by the internal key.
    out = json.loads(json.dumps(as_json(result)))
    assert [(e["student_id"], e["school"], e["status"]) for e in out["pupils"]] == [
        ("17", "SCH01", "complete"),
        ("17", "SCH02", "not on course"),
    ]
    sheet = award_frame(result)
    assert "pupil_key" not in sheet.columns
    assert list(zip(sheet["school"], sheet["student_id"], sheet["status"], strict=True)) == [
        ("SCH01", "17", "complete"),
        ("SCH02", "17", "not on course"),
    ]
    assert not sheet.astype("string").apply(lambda c: c.str.contains(KEY_SEPARATOR, regex=False)).any().any()
    assert list(award_frame(result, pd.Series([B]))["name"]) == ["Bartosz Zieliński"]


def test_the_summary_names_the_school_of_a_pupil_at_risk(capsys):
    print_summary(evaluate(trust_school(), Settings.default(), AFTER_RESULTS))
    out = capsys.readouterr().out
    assert "  17 (SCH02)  Y11  not on course: Core Learning:" in out
    assert KEY_SEPARATOR not in out


def test_each_pupil_17_gets_their_own_transcript_and_certificate():
    tables = trust_school()
    result = evaluate(tables, Settings.default(), AFTER_RESULTS)
    amara = _text(pupil_pdf(result, tables, A))
    assert "This is to certify that" in amara and "Amara Osei (pupil ID 17)" in amara
    assert "GCSE\nHistory\nLevel 2\n1\n4" in amara and "Title: Tidal power" in amara and "90 hours in all" in amara
    assert "Volunteering" in amara and "PROVISIONAL" not in amara
    bartosz = _text(pupil_pdf(result, tables, B))
    assert "PROVISIONAL" in bartosz and "This is to certify" not in bartosz
    assert "Bartosz Zieliński (pupil ID 17)" in bartosz
    assert "GCSE\nMathematics\nLevel 2\n1\n3" in bartosz and "Title: Urban bees" in bartosz
    assert "60 hours in all" in bartosz and "Orchestra" in bartosz
    for theirs, others in ((amara, ("Bartosz", "Urban bees", "Orchestra", "English Literature")),
                           (bartosz, ("Amara", "Tidal power", "Volunteering", "History"))):  # fmt: skip
        assert not [o for o in others if o in theirs]
    # Named by school and ID, as the files give them, the same pupil's pages.
    assert _text(pupil_pdf(result, tables, "17", school="SCH02")) == bartosz

    cohort = _text(cohort_pdf(result, tables, [B]))
    assert "Bartosz" in cohort and "Amara" not in cohort
    names = zipfile.ZipFile(io.BytesIO(cohort_zip(result, tables))).namelist()
    assert names == ["SCH01-17-certificate-and-transcript.pdf", "SCH02-17-transcript-provisional.pdf"]


# ---- From the files, through the importer and the CLI ---------------------------------------------------


def trust_files(folder):
    """A trust's files with a School column: the importer keys each row by school and pupil ID."""
    files = {
        "pupils.csv": [["Adno", "Name", "Year", "School"], ["17", "Amara Osei", "11", "SCH01"],
                       ["17", "Bartosz Zieliński", "11", "SCH02"]],
        "results.csv": [["Adno", "School", "Qualification", "Subject", "Grade"],
                        ["17", "SCH01", "GCSE", "History", "4"], ["17", "SCH02", "GCSE", "Mathematics", "3"]],
        "project.csv": [["Adno", "School", "Project title", "Stage", "Hours"],
                        ["17", "SCH01", "Tidal power", "Complete", "62"],
                        ["17", "SCH02", "Urban bees", "Research", "20"]],
        "pd.csv": [["Adno", "School", "Date", "Activity", "Category", "Hours"],
                   ["17", "SCH01", "10/10/2025", "Volunteering", "Leadership & Service", "10"],
                   ["17", "SCH02", "10/10/2025", "Orchestra", "Creative & Cultural", "5"]],
    }  # fmt: skip
    for name, rows in files.items():
        (folder / name).write_bytes(csv_bytes(rows))
    return [str(folder / name) for name in files]


def test_the_award_command_keeps_two_pupils_17_apart(tmp_path, capsys):
    files = trust_files(tmp_path)
    assert main(["award", *files, "--as-of", "25/08/2027", "--json"]) == 0
    one, two = json.loads(capsys.readouterr().out)["pupils"]
    assert (one["student_id"], one["school"], two["student_id"], two["school"]) == ("17", "SCH01", "17", "SCH02")
    # SCH01's pupil finished their project and logged Leadership; SCH02's did neither, but logged Creative hours.
    assert "personal_project" not in one["missing"] and "personal_project" in two["missing"]
    assert "personal_development:Creative & Cultural" in one["missing"]
    assert "personal_development:Leadership & Service" in two["missing"]
    assert "personal_development:Creative & Cultural" not in two["missing"]

    out = tmp_path / "cohort.zip"
    assert main(["award", *files, "--as-of", "25/08/2027", "-o", str(out)]) == 0
    archive = zipfile.ZipFile(out)
    assert archive.namelist() == ["SCH01-17-transcript-provisional.pdf", "SCH02-17-transcript-provisional.pdf"]
    amara, bartosz = (_text(archive.read(n)) for n in archive.namelist())
    assert "Amara Osei" in amara and "History" in amara and "Tidal power" in amara and "Volunteering" in amara
    assert "Bartosz Zieliński" in bartosz and "Mathematics" in bartosz and "Urban bees" in bartosz
    assert "Orchestra" in bartosz
    assert not [w for w in ("Bartosz", "Mathematics", "Urban bees", "Orchestra") if w in amara]
    assert not [w for w in ("Amara", "History", "Tidal power", "Volunteering") if w in bartosz]


def test_the_award_sheet_names_each_pupil_17_by_school_and_id(tmp_path):
    from datetime import date

    from natbacc.analysis import analyse
    from natbacc.export import build_workbook
    from natbacc.io import Source, import_files
    from tests.test_trust_identity import KEY, _sheet

    result = import_files([Source(Path(f).name, Path(f).read_bytes()) for f in trust_files(tmp_path)])
    # a results file's bare "Grade" column holds GCSE grades: never read, or questioned, as a (US) year group
    assert not [i for i in result.issues if i.code in {IssueCode.US_GRADES, IssueCode.GRADE_AS_YEAR}]
    analysis = analyse(result.tables, as_of=date(2027, 8, 25))
    rows = _sheet(build_workbook(analysis, result.issues, key=KEY), "Award")
    assert "pupil_key" not in rows[0]
    by_school = {(r["school"], r["student_id"]): r for r in rows}
    assert set(by_school) == {("SCH01", "17"), ("SCH02", "17")}
    assert by_school["SCH01", "17"]["name"] == "Amara Osei"
    assert "personal_project" not in by_school["SCH01", "17"]["missing"]
    assert "personal_project" in by_school["SCH02", "17"]["missing"]
    assert (by_school["SCH01", "17"]["project_stage"], by_school["SCH02", "17"]["project_stage"]) == (
        "complete",
        "research",
    )
    # Filtered to SCH02's pupil, the sheet holds theirs alone.
    only = analysis.records[analysis.records["school"] == "SCH02"]
    rows = _sheet(build_workbook(analysis, result.issues, records=only, key=KEY), "Award")
    assert [(r["school"], r["student_id"], r["name"]) for r in rows] == [("SCH02", "17", "Bartosz Zieliński")]
