"""Timetabler and class-membership exports, reshaped into canonical tables (real files from ../shared)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from natbacc.io import Source, import_files
from tests.helpers import codes, csv_bytes, import_one

FET = "fet-csv-export"


def _rows(path: Path) -> list[dict[str, str]]:
    """A CSV read with the standard library, independently of natbacc's reader."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_fet_block_planning_timetable_gives_81_students_with_option_blocks(real_exports):
    path = real_exports / FET / "BlockPlanning-DarrenMcDonald" / "Blocks-8-overflow_timetable.csv"
    result = import_files([path])
    assert not result.blocking
    assert len(result.students) == 81
    options = result.tables["options"]
    assert set(options["block"]) == {"A", "B", "C", "D", "E", "F", "G", "OVERFLOW"}
    # every slot row is one choice: 485 rows, none lost
    assert len(options) == 485
    assert "fet_timetable" in codes(result)
    assert "fet_group_sets" not in codes(result)  # "Student 39" is a pupil, not a group


def _slots_per_set_subject(path) -> dict[tuple[str, str], int]:
    """Periods per week counted straight from the CSV with the csv module (an independent count)."""
    seen: dict[tuple[str, str], set] = defaultdict(set)
    for row in _rows(path):
        for s in row["Students Sets"].split("+"):
            if s.strip() and row["Subject"].strip():
                seen[(s.strip(), row["Subject"].strip())].add((row["Day"], row["Hour"]))
    return {k: len(v) for k, v in seen.items()}


def test_fet_official_timetable_counts_periods_from_slots(real_exports):
    path = real_exports / FET / "UAE-IBDP-School-2016" / "UAE-IBDP-School-2016_timetable.csv"
    result = import_files([path])
    enrol = result.tables["enrolments"]
    expected = _slots_per_set_subject(path)
    assert len(enrol) == len(expected)
    cycle_weeks = 2  # default settings: periods per week are doubled to periods per cycle
    got = {(r.student_id, r.subject_label): r.periods / cycle_weeks for r in enrol.itertuples()}
    assert got == pytest.approx(expected)


def test_fet_group_sets_are_explained_and_split_on_plus():
    rows = [
        ["Activity Id", "Day", "Hour", "Students Sets", "Subject", "Teachers", "Activity Tags", "Room", "Comments"],
        ["1", "Monday", "P1", "10A+10B", "Maths", "T1", "", "R1", ""],
        ["1", "Monday", "P1", "10A", "Maths", "T2", "", "R2", ""],  # split class in the same slot: counts once
        ["2", "Monday", "P2", "10A", "Maths", "T1", "", "R1", ""],
        ["3", "Tuesday", "P1", "10B", "History", "T3", "", "R3", ""],
        ["4", "Tuesday", "P2", "", "Art", "T3", "", "R3", ""],
    ]
    result = import_one("export_timetable.csv", csv_bytes(rows, bom=True))
    enrol = result.tables["enrolments"].set_index(["student_id", "subject_label"])["periods"]
    assert enrol[("10A", "Maths")] == 4  # 2 slots a week, 2-week cycle
    assert enrol[("10B", "Maths")] == 2
    assert enrol[("10B", "History")] == 2
    assert set(result.students["year_group"]) == {10}  # read from the set name, like a form
    assert {"fet_timetable", "fet_group_sets", "fet_empty_slot"} <= set(codes(result))
    empty = next(i for i in result.issues if i.code == "fet_empty_slot")
    assert "row 6" in empty.message or "rows 6" in empty.message


def test_fet_timetable_through_the_cli(real_exports, capsys):
    from natbacc.cli import main

    path = real_exports / FET / "BlockPlanning-DarrenMcDonald" / "Blocks-8-overflow_timetable.csv"
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    # the timetable's 81 student sets are counted as sets, never as pupils (issue #16)
    assert "81 sets" in out and "KS4 option choices" in out and "81 pupils" not in out


@pytest.mark.parametrize(
    "school", ["BlockPlanning-DarrenMcDonald", "HK-YewChung-2008-09", "UAE-IBDP-School-2016", "UK-Hopwood"]
)
def test_a_whole_fet_export_folder_imports(real_exports, school):
    """Every file FET writes can be uploaded together: the timetable is read, the rest explained, none blocks."""
    files = sorted((real_exports / FET / school).glob("*.csv"))
    result = import_files(files)
    assert not result.blocking, [i.message for i in result.issues if i.severity == "error"]
    assert not [s for s in result.sheets if s.kind is None and not s.layout]  # every file accounted for
    assert "fallback_unused" in codes(result)  # statistics not double-counted beside the timetable
    timetable = next(f for f in files if "_timetable" in f.name)
    assert len(result.students) == len(import_files([timetable]).students)


def test_fet_statistics_alone_give_group_periods(real_exports):
    path = real_exports / FET / "UK-Hopwood" / "UK-Hopwood_statistics_activities.csv"
    result = import_files([path])
    expected: dict[tuple[str, str], float] = defaultdict(float)
    for row in _rows(path):
        for s in row["Students Sets"].split("+"):
            if s.strip() and row["Subject"].strip():
                expected[(s.strip(), row["Subject"].strip())] += float(row["Total Duration"])
    enrol = result.tables["enrolments"]
    got = {(r.student_id, r.subject_label): r.periods / 2 for r in enrol.itertuples()}
    assert got == pytest.approx(dict(expected))
    assert "fet_statistics" in codes(result)


SDS = "ms-sds-uk-format"


def test_sds_uk_set_imports_its_enrolments(real_exports):
    """Student + Section + StudentEnrollment join into class lists; staff and school lists are not read."""
    folder = real_exports / SDS
    result = import_files(sorted(folder.glob("*.csv")))
    assert not result.blocking
    enrol = result.tables["enrolments"]
    memberships = _rows(folder / "StudentEnrollment.csv")
    assert len(enrol) == len(memberships) == 602
    subject_of = {r["ID"]: r["Course Subject"] for r in _rows(folder / "Section.csv")}
    first = memberships[0]
    mine = enrol[enrol["student_id"] == first["ID"]]
    assert subject_of[first["Section ID"]] in set(mine["subject_label"])
    assert enrol["periods"].isna().all()  # SDS "Periods" says which periods, not how many
    assert len(result.students) == 86
    assert set(result.students["year_group"].dropna()) <= {9, 10, 11, 12}
    found = set(codes(result))
    assert {"memberships", "roster_skipped", "skipped_list"} <= found
    teachers = {r["ID"] for r in _rows(folder / "Teacher.csv")}
    assert not teachers & set(result.students["student_id"])  # no member of staff became a pupil


def test_memberships_without_a_matching_class_fall_back_to_the_class_code():
    pupils = csv_bytes([["Adno", "Name", "Year"], ["001", "Amélie Dubois", "8"], ["002", "Rhys O'Connor", "8"]])
    classes = csv_bytes([["Set ID", "Subject"], ["S1", "History"], ["S2", "French"]])
    members = csv_bytes([["Set ID", "Pupil ID"], ["S1", "001"], ["S2", "001"], ["8X/Mu1", "002"]])
    result = import_files([Source("pupils.csv", pupils), Source("sets.csv", classes), Source("members.csv", members)])
    enrol = result.tables["enrolments"].set_index(["student_id", "class_code"])["subject"]
    assert enrol[("001", "S1")] == "History"
    assert enrol[("002", "8X/Mu1")] == "Music"  # read from the SIMS-style class code
    warning = next(i for i in result.issues if i.code == "unknown_class")
    assert "row 4" in warning.message or "rows 4" in warning.message


def test_a_class_table_alone_asks_for_the_memberships():
    classes = csv_bytes([["Set ID", "Subject"], ["S1", "History"]])
    result = import_one("sets.csv", classes)
    assert "classes_without_members" in codes(result)


def _sims_slots() -> bytes:
    """A SIMS Report Designer student timetable in the real export's shape (Name,Reg,Subject code,...)."""
    rows = [["Name", "Reg", "Subject code", "Initials", "Room", "Period"]]
    for name, reg in (("Siân Jones", "10X"), ("Tomás O'Neill", "9J"), ("Sam Lee", "10X"), ("Sam Lee", "8K")):
        for week in (1, 2):
            rows += [
                [name, reg, "Ma", "ABC ", "12", f"{week}Mon:1"],
                [name, reg, "Ma", "ABC ", "12", f"{week}Tue:2"],
                [name, reg, "En", "DEF ", "3", f"{week}Mon:2"],
                [name, reg, "Tu", "?", "", f"{week}Mon:am"],
                [name, reg, "Tu", "?", "", f"{week}Mon:pm"],
                [name, reg, "St", "GHI ", "", f"{week}Wed:5"],
            ]
        rows.append([name, reg, "Hi", "JKL ", "7", "1Thu:3"])
        rows.append([name, reg, "Hi", "MNO ", "8", "1Thu:3"])  # split class: same slot twice
        rows.append([name, reg, "Ch", "PQR ", "", ""])  # blank period
    return csv_bytes(rows)


def test_sims_lesson_slots_become_periods_per_cycle():
    result = import_one("student_timetables.csv", _sims_slots())
    assert not result.blocking
    enrol = result.tables["enrolments"].set_index(["student_id", "subject_label"])["periods"]
    assert enrol[("Siân Jones", "Ma")] == 4  # 2 slots a week over a 2-week cycle
    assert enrol[("Siân Jones", "En")] == 2
    assert enrol[("Siân Jones", "Hi")] == 1  # the split class counts once
    assert ("Siân Jones", "Tu") not in enrol.index and ("Siân Jones", "St") not in enrol.index
    assert ("Siân Jones", "Ch") not in enrol.index  # only ever in a blank period
    students = result.students.set_index("student_id")
    assert students.loc["Tomás O'Neill", "year_group"] == 9  # from the tutor group
    assert {"Sam Lee (10X)", "Sam Lee (8K)"} <= set(students.index)  # same name, two pupils
    assert {"slot_timetable", "repeated_names", "keyed_by_name"} <= set(codes(result))
    note = next(i for i in result.issues if i.code == "slot_timetable")
    assert "2-week cycle" in note.message and "registration slots" in note.message


def test_sims_lesson_slots_with_an_id_column_join_the_pupil_details():
    rows = [["Adno", "Name", "Reg", "Subject code", "Period"], ["001234", "Zoë O'Brien", "10X", "Ma", "1Mon:1"]]
    rows += [["001234", "Zoë O'Brien", "10X", "Fr", "1Tue:3"]]
    from tests.helpers import PUPILS, xlsx_bytes

    result = import_files([Source("tt.csv", csv_bytes(rows)), Source("pupils.xlsx", xlsx_bytes({"P": PUPILS}))])
    enrol = result.tables["enrolments"]
    assert set(enrol["student_id"]) == {"001234"}
    assert "keyed_by_name" not in codes(result)
    assert enrol.set_index("subject_label").loc["Fr", "periods"] == 2  # per week x 2-week cycle


def test_headerless_option_list_without_ids_asks_for_the_id_column():
    """The obg-v4 shape: no header, 3-4 choices per row, no pupil ID."""
    rows = [["Geography", "History", "French"], ["Art", "Music", "Computing", "Spanish"], ["History", "Drama", "PE"]]
    result = import_one("ogcdata.csv", csv_bytes(rows))
    assert result.blocking
    issue = next(i for i in result.issues if i.code == "options_without_ids")
    assert issue.row == 1 and "Adno" in issue.message and "Geography, History, French" in issue.message
    assert "not_recognised" not in codes(result)


def test_headerless_option_list_with_ids_is_read():
    rows = [["001234", "Geography", "French", "Art"], ["001235", "History", "Spanish", "Music"]]
    result = import_one("choices.csv", csv_bytes(rows))
    assert not result.blocking
    options = result.tables["options"]
    assert set(options["student_id"]) == {"001234", "001235"}
    assert set(options.loc[options["student_id"] == "001234", "subject_label"]) == {"Geography", "French", "Art"}
    assert "headerless_options" in codes(result)


def test_an_ordinary_pupil_list_is_not_taken_for_headerless_options():
    from tests.helpers import PUPILS

    result = import_one("pupils.csv", csv_bytes(PUPILS))
    assert [s.kind for s in result.sheets] == ["students"]


def test_a_class_table_with_period_counts_gives_timed_enrolments():
    """iSAMS/Edval style: sets with periods per week in the class table, pupils in a membership list."""
    classes = csv_bytes(
        [["Set ID", "Subject", "Periods per week"], ["10X/Hi1", "History", "3"], ["10X/Ma1", "Maths", "4"]]
    )
    members = csv_bytes([["Set ID", "Pupil ID"], ["10X/Hi1", "001"], ["10X/Ma1", "001"]])
    result = import_files([Source("sets.csv", classes), Source("members.csv", members)])
    enrol = result.tables["enrolments"].set_index("subject_label")["periods"]
    assert enrol["History"] == 6 and enrol["Maths"] == 8  # per week x 2-week cycle
    note = next(i for i in result.issues if i.code == "memberships")
    assert "No period counts" not in note.message


def test_fet_activity_tags_give_option_blocks(real_exports):
    """Yew Chung tags its option lessons "Y10-Block5": those become option choices in block 5."""
    path = (
        real_exports / FET / "HK-YewChung-2008-09" / "HK-YewChung-2008-09-difficult_timetable_PARTIAL-highest-stage.csv"
    )
    result = import_files([path])
    options, enrol = result.tables["options"], result.tables["enrolments"]
    assert len(options) > 0 and set(options["block"]) <= {str(n) for n in range(1, 10)}
    pairs = set(zip(enrol["student_id"], enrol["subject_label"], strict=True))
    assert all((s, subj) in pairs for s, subj in zip(options["student_id"], options["subject_label"], strict=True))


def test_fet_op_tags_name_the_block():
    rows = [
        ["Activity Id", "Day", "Hour", "Students Sets", "Subject", "Teachers", "Activity Tags", "Room"],
        ["1", "Mon", "1", "Student A1", "Drama", "T", "10-OP1+Drama", "R"],
        ["2", "Mon", "2", "Student A1", "English", "T", "English", "R"],
    ]
    result = import_one("t.csv", csv_bytes(rows))
    options = result.tables["options"]
    assert options[["block", "subject_label"]].values.tolist() == [["OP1", "Drama"]]
