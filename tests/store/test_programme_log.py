"""A stored earlier term's Personal Development log counts towards the programme's hours (issue #15).

A school stores its autumn term, whose log holds Years 7 to 9; in spring it exports only the spring term's
log, which repeats one autumn entry. The spring report, from the command line's ``--term`` and from an
import, counts the autumn hours once; a pupil who has left is not counted; another school's term never is.
Runs on SQLite and PostgreSQL (tests/store/conftest.py).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from natbacc.analysis import analyse
from natbacc.cli import main
from natbacc.io import Source, import_files
from natbacc.programme_log import merge_logs, programme_log, with_programme_log
from tests.helpers import csv_bytes

AUTUMN, SPRING = date(2026, 11, 20), date(2027, 3, 20)
LOG_HEAD = ["Adno", "Date", "Activity", "Category", "Hours"]
AUTUMN_LOG = [
    ["9001", "10/11/2024", "Food bank", "Leadership & Service", 12],  # Year 7
    ["9001", "12/05/2026", "Choir", "Creative & Cultural", 12],  # Year 8
    ["9001", "05/10/2026", "Football", "Physical & Outdoor", 4],  # Year 9, autumn
    ["9002", "05/10/2026", "Football", "Physical & Outdoor", 6],  # leaves before spring
]
SPRING_LOG = [
    ["9001", "05/10/2026", "  football ", "Physical & Outdoor", 4],  # the autumn entry again, re-typed
    ["9001", "20/01/2027", "Food bank", "Leadership & Service", 2],
    ["9001", "20/01/2027", "Food bank", "Leadership & Service", 2],  # two sessions that day: both count
]


def _files(tmp_path, term: str, pupils: list[str], log: list[list[object]], school: str = "Elm School") -> list[str]:
    rows = [["Adno", "Name", "Year", "Reg Group", "School"]] + [[p, f"Pupil {p}", "9", "9A", school] for p in pupils]
    classes = [["Adno", "Subject", "Periods"]] + [[p, "English", 8] for p in pupils]
    out = []
    for name, data in (("pupils", rows), ("classes", classes), ("pd_log", [LOG_HEAD, *log])):
        path = tmp_path / f"{term}-{school}-{name}.csv"
        path.write_bytes(csv_bytes(data))
        out.append(str(path))
    return out


def _records(path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Students", engine="calamine", dtype={"student_id": str}).set_index(
        "student_id"
    )


def test_a_stored_earlier_terms_log_counts_once_over_the_programme(use_store, tmp_path, capsys):
    autumn = _files(tmp_path, "autumn", ["9001", "9002"], AUTUMN_LOG)
    assert main(["import", *autumn, "--term", "Autumn 2026", "--as-of", "20/11/2026"]) == 0
    # another school's term, filed under its own name, is never counted
    other = _files(tmp_path, "autumn", ["9001"], [["9001", "01/10/2026", "Chess", "Creative & Cultural", 50]], "Oak")
    assert main(["import", *other, "--term", "Autumn 2026", "--as-of", "20/11/2026"]) == 0
    spring = _files(tmp_path, "spring", ["9001"], SPRING_LOG)
    capsys.readouterr()
    assert main(["import", *spring, "--term", "Spring 2027", "--as-of", "20/03/2027"]) == 0
    out = capsys.readouterr().out
    assert "also counts 2 log entries kept with earlier stored terms (Autumn 2026 · Elm School)" in out
    assert "1 entries in both were counted once" in out

    report = tmp_path / "spring.xlsx"
    assert main(["report", "--term", "Spring 2027", "--school", "Elm School", "-o", str(report)]) == 0
    assert "Autumn 2026 · Elm School" in capsys.readouterr().out
    pupil = _records(report).loc["9001"]
    assert pupil["pd_programme_hours"] == 12 + 12 + 4 + 2 + 2  # Years 7, 8 and 9; the repeated entry once
    assert pupil["pd_hours"] == 4 + 2 + 2  # this school year
    assert "32 h since Year 7" in pupil["explanation"]

    # from the files alone (no store), only the spring export's hours are there
    alone = tmp_path / "alone.xlsx"
    assert main(["report", *spring, "--as-of", "20/03/2027", "-o", str(alone)]) == 0
    assert _records(alone).loc["9001", "pd_programme_hours"] == 8

    # the autumn report never counts the later spring term
    autumn_report = tmp_path / "autumn.xlsx"
    assert main(["report", "--term", "Autumn 2026", "--school", "Elm School", "-o", str(autumn_report)]) == 0
    assert _records(autumn_report).loc["9001", "pd_programme_hours"] == 28


def test_earlier_logs_come_from_the_store_oldest_first_and_never_the_term_shown(store):
    def tables(pupils, log):
        result = import_files(
            [
                Source("p.csv", csv_bytes([["Adno", "Name", "Year"], *[[p, p, "9"] for p in pupils]])),
                Source("c.csv", csv_bytes([["Adno", "Subject", "Periods"], *[[p, "English", 8] for p in pupils]])),
                Source("pd.csv", csv_bytes([LOG_HEAD, *log])),
            ],
            school="Elm School",
        )
        return result

    autumn = tables(["9001", "9002"], AUTUMN_LOG)
    a_info = store.save(autumn, analyse(autumn.tables, as_of=AUTUMN), term="Autumn 2026")
    spring = tables(["9001"], SPRING_LOG)
    s_info = store.save(spring, analyse(spring.tables, as_of=SPRING), term="Spring 2027")
    found = store.earlier_logs("  elm   SCHOOL", SPRING, exclude=[s_info.id])
    assert [info.id for info, _ in found] == [a_info.id]
    assert len(found[0][1]) == len(AUTUMN_LOG)
    assert store.earlier_logs("Elm School", AUTUMN, exclude=[a_info.id]) == []
    assert store.earlier_logs("", SPRING) == []

    log = programme_log(spring.tables, [(info.title, frame) for info, frame in found])
    assert (log.added, log.duplicates) == (2, 1)  # 9002 has left: not counted
    merged = with_programme_log(spring.tables, log)["development"]
    assert sorted(merged["hours"].astype(float)) == [2, 2, 4, 12, 12]


def test_an_entry_in_several_logs_counts_as_often_as_one_log_has_it():
    row = {"student_id": "1", "date": pd.Timestamp("2026-10-01"), "activity": "Run", "category": "Sport", "hours": 1.0}
    once, twice = pd.DataFrame([row]), pd.DataFrame([row, row])
    assert len(merge_logs(once, [twice]).log) == 2
    assert len(merge_logs(twice, [once, once]).log) == 2
    assert merge_logs(twice, [once]).duplicates == 1
    undated = pd.DataFrame([{**row, "date": pd.NaT}])
    assert len(merge_logs(undated, [undated]).log) == 1


def test_two_schools_pupil_17_keep_their_own_earlier_hours():
    """In a trust's upload pupil 17 of two schools is two pupils (``pupil_key``): the same-looking entry in an
    earlier log belongs to each of them, is counted for each, and is never merged into one."""
    from natbacc.io.identity import pupil_keys

    entry = {
        "student_id": "17",
        "date": pd.Timestamp("2025-10-01"),
        "activity": "Run",
        "category": "Sport",
        "hours": 2.0,
    }
    earlier = pd.DataFrame([{**entry, "school": s} for s in ("SCH01", "SCH02")])
    earlier["pupil_key"] = pupil_keys(earlier["school"], earlier["student_id"])
    current = earlier.iloc[:0].drop(columns="school")
    roll = pupil_keys(pd.Series(["SCH01", "SCH02"]), pd.Series(["17", "17"]))
    merged = merge_logs(current, [earlier.drop(columns="school")], pupils=roll)
    assert merged.added == 2 and sorted(merged.log["pupil_key"]) == sorted(roll)
    only_a = merge_logs(current, [earlier.drop(columns="school")], pupils=roll[:1])
    assert list(only_a.log["pupil_key"]) == [roll.iloc[0]]  # SCH02's pupil 17 is not on this roll
