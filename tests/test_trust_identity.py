"""Issue #16: a trust's pupils are (school, pupil ID) from the import to the store, exports and trends.

A trust's warehouse restarts pupil IDs in every school; imported by ID alone, 5 schools x N pupils became
N pupils given other schools' classes. Every file here is built in code (tests/trust_files.py).
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pandas as pd
import pytest

from natbacc.analysis import analyse
from natbacc.cli import main
from natbacc.cohort import CohortFilter
from natbacc.export import build_workbook
from natbacc.figures import equity_gaps
from natbacc.io import Source, import_files
from natbacc.sample import AS_OF
from natbacc.vocabulary import EquityGroup, IssueCode, PupilGroup
from tests.helpers import csv_bytes
from tests.trust_files import OWN_SUBJECT, PER_SCHOOL, SCHOOLS, ehcp_of, results_csv, send_of, students_csv, year_of

KEY = b"trust-test-key-0123456789abcdef-0123"


@pytest.fixture(scope="module")
def trust():
    return import_files([Source("students.csv", students_csv()), Source("results.csv", results_csv())])


@pytest.fixture(scope="module")
def trust_analysis(trust):
    return analyse(trust.tables, as_of=AS_OF)


def _codes(result) -> list[str]:
    return [i.code for i in result.issues]


def _subjects(result) -> dict[tuple[str, str], set[str]]:
    enrol = result.tables["enrolments"].merge(result.students[["pupil_key", "school"]], on="pupil_key")
    return {k: set(v) for k, v in enrol.groupby(["school", "student_id"])["subject_label"]}


def test_each_schools_pupils_are_kept_apart_and_given_their_own_classes(trust, trust_analysis):
    students = trust.students
    assert len(students) == len(SCHOOLS) * PER_SCHOOL  # not PER_SCHOOL pupils with everyone's classes
    assert not trust.blocking
    assert IssueCode.DUPLICATE_ID not in _codes(trust)
    assert IssueCode.CONFLICTING_YEAR not in _codes(trust)
    assert IssueCode.KEYED_BY_SCHOOL in _codes(trust)
    expected = {
        (school, str(sid)): {"English", "Maths", "Science", OWN_SUBJECT[school]}
        for school in SCHOOLS
        for sid in range(PER_SCHOOL)
    }
    assert _subjects(trust) == expected
    years = {(s, i): int(y) for s, i, y in students[["school", "student_id", "year_group"]].itertuples(index=False)}
    assert years == {(s, str(i)): year_of(s, i) for s in SCHOOLS for i in range(PER_SCHOOL)}
    # Scoring: only SCH03 teaches a language, so only its pupils cover languages.
    records = trust_analysis.records
    languages = trust_analysis.breadth.covered["languages"].to_numpy()
    assert list(records.loc[languages, "school"].unique()) == ["SCH03"]
    assert languages.sum() == PER_SCHOOL


def test_a_class_list_of_restarting_ids_without_its_school_is_warned_with_both_rows():
    result = import_files([Source("results.csv", results_csv(with_school=False))])
    clashes = [i for i in result.issues if i.code == IssueCode.CONFLICTING_YEAR]
    assert len(clashes) == PER_SCHOOL  # every ID carries several years: one warning per pupil ID
    first = clashes[0]
    assert first.file == "results.csv" and first.row is not None
    # Names both rows: the first row of pupil 0 (row 2: SCH01, Year 7) and this one (SCH02's pupil 0, Year 8).
    assert "Pupil 0 is given two year groups: Year 7 in 'results.csv' row 2 and Year 8 here" in first.message
    assert first.row == 2 + 8 * PER_SCHOOL  # the first row of SCH02's pupil 0
    assert "School column" in first.message


def test_rows_of_a_file_without_a_school_are_placed_by_id_or_refused_at_their_row():
    details = students_csv()
    unique = csv_bytes([["Adno", "Subject"], ["0", "Dance"], ["9", "Drama"]])  # ID 0 is at every school
    result = import_files([Source("students.csv", details), Source("extra.csv", unique)])
    refused = [i for i in result.issues if i.code == IssueCode.PUPIL_AT_SEVERAL_SCHOOLS]
    assert [(i.file, i.row, i.column) for i in refused] == [("extra.csv", 2, "Adno")]
    assert "'0' is used at more than one school" in refused[0].message
    assert "Dance" not in set(result.tables["enrolments"]["subject_label"])  # never given to a guessed school
    # An ID no school has stays a pupil of its own, reported as not in the details.
    assert IssueCode.NOT_IN_DETAILS in _codes(result)


def test_a_log_keyed_by_upn_follows_the_pupil_to_their_school():
    details = csv_bytes(
        [
            ["Adno", "UPN", "School", "Year"],
            ["1", "A123456789012", "SCH01", "8"],
            ["1", "B123456789012", "SCH02", "9"],
        ]
    )
    log = csv_bytes([["UPN", "Title", "Stage", "Hours"], ["B123456789012", "Tidal power", "Research", "4"]])
    result = import_files([Source("pupils.csv", details), Source("projects.csv", log)])
    project = result.tables["project"].merge(result.students[["pupil_key", "school"]], on="pupil_key")
    assert list(zip(project["school"], project["student_id"], strict=True)) == [("SCH02", "1")]
    assert IssueCode.PUPIL_AT_SEVERAL_SCHOOLS not in _codes(result)


def test_a_school_named_per_file_keys_files_without_a_school_column():
    head = ["Adno", "Name", "Year", "Subject"]
    a = csv_bytes([head, ["017", "Ann Lee", "8", "Art"], ["017", "Ann Lee", "8", "Maths"]])
    b = csv_bytes([head, ["017", "Tom Roe", "9", "Music"]])
    result = import_files([Source("a.csv", a), Source("b.csv", b)], schools={"a.csv": "SCH01", "b.csv": "SCH02"})
    assert sorted(zip(result.students["school"], result.students["student_id"], strict=True)) == [
        ("SCH01", "017"),
        ("SCH02", "017"),
    ]
    assert _subjects(result) == {("SCH01", "017"): {"Art", "Maths"}, ("SCH02", "017"): {"Music"}}
    assert not {IssueCode.CONFLICTING_NAME, IssueCode.CONFLICTING_YEAR} & set(_codes(result))
    # Without the schools they are one pupil with two names and two years, and the import says so.
    merged = import_files([Source("a.csv", a), Source("b.csv", b)])
    assert len(merged.students) == 1
    named = next(i for i in merged.issues if i.code == IssueCode.CONFLICTING_NAME)
    assert "'Ann Lee' in 'a.csv' row 2 and 'Tom Roe' here" in named.message and named.file == "b.csv"


def test_one_id_of_one_school_with_two_years_or_names_is_warned_but_a_reordered_name_is_not():
    details = csv_bytes(
        [
            ["Adno", "School", "Surname", "Forename", "Year"],
            ["5", "SCH01", "Lee", "Ann", "8"],
            ["5", "SCH02", "Kay", "Bo", "9"],
        ]
    )
    classes = csv_bytes(
        [
            ["Adno", "School", "Name", "Year", "Subject"],
            ["5", "SCH01", "Ann Lee", "8", "Art"],  # the same pupil, her name written the other way round
            ["5", "SCH02", "Bo Kay", "10", "Music"],  # the same ID and school, another year
            ["5", "SCH01", "Zed Ray", "8", "Maths"],  # the same ID and school, a name with no word in common
        ]
    )
    result = import_files([Source("pupils.csv", details), Source("classes.csv", classes)])
    year = [i for i in result.issues if i.code == IssueCode.CONFLICTING_YEAR]
    name = [i for i in result.issues if i.code == IssueCode.CONFLICTING_NAME]
    assert [(i.file, i.row) for i in year] == [("classes.csv", 3)]
    assert "Pupil 5 (SCH02) is given two year groups: Year 9 in 'pupils.csv' row 3 and Year 10 here" in year[0].message
    assert "natbacc used Year 9" in year[0].message  # the pupil details win
    assert [(i.file, i.row) for i in name] == [("classes.csv", 4)]
    assert "Pupil 5 (SCH01)" in name[0].message and "'pupils.csv' row 2" in name[0].message


def test_sen_given_as_yes_or_no_counts_as_sen_of_an_unknown_type(trust, trust_analysis):
    sen = {(s, i): v for s, i, v in trust.students[["school", "student_id", "sen"]].itertuples(index=False)}
    expected = {
        (s, str(i)): "E" if ehcp_of(s, i) == "T" else "U" if send_of(s, i) == "T" else "N"
        for s in SCHOOLS
        for i in range(PER_SCHOOL)
    }
    assert sen == expected
    assert IssueCode.BAD_SEN not in _codes(trust)
    # Counted as SEN: in the "any SEN" filter and as its own equity group against pupils with no SEN.
    mask = CohortFilter(group=PupilGroup.ANY_SEN).mask(trust_analysis.records)
    assert set(trust_analysis.records.loc[mask, "sen"]) == {"U", "E"}
    equity = trust_analysis.indicators.equity
    unknown_type = equity[equity["group"] == EquityGroup.SEN_TYPE_NOT_GIVEN]
    # 4 pupils have SEN of unknown type (pupil 1 of every school but SCH02, whose has a plan); 2 are at KS4.
    assert set(unknown_type["n_group"]) == {2, 4}
    assert equity_gaps(equity, trust_analysis.settings).layout.title.text  # drawn (here: suppressed, 4 pupils)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Y", "N", "Yes", "No", "True", "False", "T", "F", "K", "E", "EHCP", ""], list("UNUNUNUNKEEN")),
    ],
)
def test_every_yes_no_spelling_of_sen_is_read(cells, expected):
    rows = [["Adno", "Year", "SEN"], *[[f"{n:03d}", "8", c] for n, c in enumerate(cells)]]
    result = import_files([Source("pupils.csv", csv_bytes(rows))])
    assert list(result.students["sen"]) == expected
    assert IssueCode.BAD_SEN not in _codes(result)


def test_an_ehcp_column_alone_sets_e_and_leaves_the_rest_unknown():
    rows = [["Adno", "Year", "EHCP"], ["001", "8", "Y"], ["002", "8", "N"]]
    sen = import_files([Source("pupils.csv", csv_bytes(rows))]).students["sen"]
    assert sen.iloc[0] == "E" and pd.isna(sen.iloc[1])  # "no plan" does not say "no SEN"


def test_one_school_is_keyed_by_the_pupil_id_as_before():
    rows = [["Adno", "School", "Year", "Subject"], ["017", "SCH01", "8", "Art"], ["018", "SCH01", "8", "Art"]]
    result = import_files([Source("classes.csv", csv_bytes(rows))])
    assert list(result.students["pupil_key"]) == list(result.students["student_id"]) == ["017", "018"]
    assert IssueCode.KEYED_BY_SCHOOL not in _codes(result)


def _sheet(data: bytes, name: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and ("student_id" in r or "pupil_code" in r))
    return [dict(zip(rows[header], r, strict=False)) for r in rows[header + 1 :] if any(v is not None for v in r)]


def test_the_students_sheet_and_the_pseudonymised_sheet_keep_every_schools_pupil(trust, trust_analysis):
    rows = _sheet(build_workbook(trust_analysis, trust.issues, key=KEY), "Students")
    pairs = {(r["school"], r["student_id"]) for r in rows}
    assert pairs == {(s, str(i)) for s in SCHOOLS for i in range(PER_SCHOOL)}
    assert "pupil_key" not in rows[0]
    shared = _sheet(build_workbook(trust_analysis, trust.issues, pseudonymise=True, key=KEY), "Students")
    codes = [r["pupil_code"] for r in shared]
    assert len(codes) == len(set(codes))  # pupil 0 of each school is its own code


def test_the_cli_json_says_pupils_are_school_and_id(tmp_path, capsys):
    (tmp_path / "students.csv").write_bytes(students_csv())
    (tmp_path / "results.csv").write_bytes(results_csv())
    assert main(["check", "--json", str(tmp_path / "students.csv"), str(tmp_path / "results.csv")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pupils_identified_by"] == ["school", "student_id"]
    assert out["students_per_school"] == dict.fromkeys(SCHOOLS, PER_SCHOOL)


def test_the_cli_names_a_school_per_file(tmp_path, capsys):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(csv_bytes([["Adno", "Year", "Subject"], ["017", "8", "Art"]]))
    b.write_bytes(csv_bytes([["Adno", "Year", "Subject"], ["017", "9", "Music"]]))
    assert main(["check", "--json", str(a), str(b), "--school", "a.csv=SCH01", "--school", f"{b}=SCH02"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["students_per_school"] == {"SCH01": 1, "SCH02": 1}
    # A FILE=SCHOOL naming a file not given is a usage error, not silence; so is a second plain name.
    assert main(["check", str(a), "--school", "other.csv=SCH01"]) == 2
    assert "not one of the files given" in capsys.readouterr().err
    assert main(["check", str(a), "--school", "One", "--school", "Two"]) == 2


def test_the_real_sds_export_of_two_schools_keys_pupils_by_school(real_exports):
    """Microsoft's SDS sample (UK format): 86 pupils at two schools, classes joined through memberships."""
    folder = real_exports / "ms-sds-uk-format"
    result = import_files(sorted(folder.glob("*.csv")))
    with (folder / "Student.csv").open(encoding="utf-8-sig") as f:
        school_of = {r["ID"]: r["School DfE Number"] for r in csv.DictReader(f)}
    students = result.students
    assert dict(zip(students["student_id"], students["school"], strict=True)) == school_of
    assert IssueCode.KEYED_BY_SCHOOL in _codes(result)
    assert IssueCode.PUPIL_AT_SEVERAL_SCHOOLS not in _codes(result)
    enrol = result.tables["enrolments"]
    assert len(enrol) == 602 and set(enrol["pupil_key"]) <= set(students["pupil_key"])


def test_many_conflicting_pupils_are_listed_then_summarised():
    rows = [["Adno", "Year", "Subject"]]
    rows += [[f"{n:03d}", year, "Maths"] for year in ("8", "9") for n in range(30)]
    clashes = [i for i in import_files([Source("c.csv", csv_bytes(rows))]).issues if i.code == "conflicting_year"]
    assert len(clashes) == 26 and all(i.file == "c.csv" for i in clashes)
    assert clashes[-1].message == "5 more pupils are given two year groups in the same way."


def test_record_cards_and_the_check_summary_name_the_school(tmp_path, capsys):
    head = ["Adno", "School", "Name", "Reg Group", "Subject"]
    rows = [head, ["017", "SCH01", "Ann Lee", "10A", "Art"], ["017", "SCH02", "Tom Roe", "10A", "Music"]]
    result = import_files([Source("classes.csv", csv_bytes(rows))])
    book = openpyxl.load_workbook(
        io.BytesIO(build_workbook(analyse(result.tables, as_of=AS_OF), result.issues, record_cards="10A", key=KEY))
    )
    cards = [ws for ws in book.worksheets if ws.title.startswith("10A 017")]
    lines = [{r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]} for ws in cards]
    assert sorted((c["Pupil ID"], c["School"]) for c in lines) == [("017", "SCH01"), ("017", "SCH02")]
    (tmp_path / "classes.csv").write_bytes(csv_bytes(rows))
    main(["check", str(tmp_path / "classes.csv")])
    out = capsys.readouterr().out
    assert "Pupils per school (each pupil is identified by school and pupil ID)" in out
    assert f"  {'SCH01':<30} {1:>7,}" in out and f"  {'SCH02':<30} {1:>7,}" in out
