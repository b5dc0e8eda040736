"""A small multi-academy trust's warehouse exports, built in code: pupil IDs restart in every school.

Shaped like a trust data warehouse (``student_id, school_id, ...`` with T/F flags; a results table with one
row per pupil, class and assessment). Each school teaches its own fourth subject, so a test can tell whose
classes a pupil was given.
"""

from __future__ import annotations

from tests.helpers import csv_bytes

SCHOOLS = ("SCH01", "SCH02", "SCH03", "SCH04", "SCH05")
PER_SCHOOL = 4
#: The subject only this school teaches (besides English, maths and science).
OWN_SUBJECT = {"SCH01": "Art", "SCH02": "Music", "SCH03": "French", "SCH04": "History", "SCH05": "Computing"}


def year_of(school: str, sid: int) -> int:
    """Each school's pupil n is in a different year from the other schools' pupil n."""
    return 7 + (SCHOOLS.index(school) + sid) % 5


def send_of(school: str, sid: int) -> str:
    return "T" if sid == 1 else "F"


def ehcp_of(school: str, sid: int) -> str:
    return "T" if (school, sid) == ("SCH02", 1) else "F"


def students_csv() -> bytes:
    head = ["student_id", "school_id", "sex", "ks2_maths_score", "pp", "eal", "send", "ehcp", "lac"]
    rows: list[list[object]] = [head]
    for school in SCHOOLS:
        for sid in range(PER_SCHOOL):
            rows.append(
                [sid, school, "F" if sid % 2 else "M", 100 + sid, "T" if sid == 2 else "F", "F", send_of(school, sid),
                 ehcp_of(school, sid), "F"]
            )  # fmt: skip
    return csv_bytes(rows)


def results_csv(*, with_school: bool = True) -> bytes:
    """One row per pupil x class x assessment (twice per class), with the pupil's year group."""
    head = ["student_id", "school_id", "teacher_id", "class_id", "year_group", "academic_year", "date",
            "assessment_type", "subject", "score"]  # fmt: skip
    rows: list[list[object]] = [head if with_school else [h for h in head if h != "school_id"]]
    for school in SCHOOLS:
        for sid in range(PER_SCHOOL):
            for n, subject in enumerate(("English", "Maths", "Science", OWN_SUBJECT[school])):
                for assessment in ("autumn", "spring"):
                    row: list[object] = [sid, school, f"T{n}", f"C{n}", f"Y{year_of(school, sid)}", "2025/2026",
                                         "2025-11-20", assessment, subject, 50]  # fmt: skip
                    rows.append(row if with_school else row[:1] + row[2:])
    return csv_bytes(rows)
