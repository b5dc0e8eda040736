"""Small hand-made cohorts for scoring tests (canonical tables, subjects mapped by the real map)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from natbacc.analysis import analyse
from natbacc.model import conform, key_stage_of
from natbacc.settings import Settings

#: Half-way through the 2026-27 school year (1 Sep -> 22 Jul is 324 days; +162 days).
MID_YEAR = date(2027, 2, 10)

KS3_FULL = [
    ("English", 7),
    ("Maths", 7),
    ("Science", 6),
    ("History", 3),
    ("Geography", 3),
    ("French", 5),
    ("Art", 2),
    ("Music", 2),
    ("D&T", 2),
    ("Computing", 1),
    ("PE", 4),
    ("RE", 2),
    ("PSHE & Citizenship", 1),
]
#: The KS4 core a maintained school teaches: English, maths, science, PE, RE, then PSHE with citizenship
#: and computing (KS4 foundation subjects). ``KS4_CORE[:5]`` is the first five (five areas).
KS4_CORE = [
    ("English", 9),
    ("Maths", 8),
    ("Combined Science", 10),
    ("PE", 2),
    ("RE", 2),
    ("PSHE & Citizenship", 1),
    ("Computing", 1),
]


def pupil(sid: str, year: int, **extra) -> dict:
    return {"student_id": sid, "name": f"Pupil {sid}", "year_group": year, "reg_group": f"{year}A", **extra}


def cohort(
    students: list[dict],
    classes: dict[str, list[tuple[str, float | None]]] | None = None,
    options: dict[str, list[str]] | None = None,
    project: list[dict] | None = None,
    development: list[dict] | None = None,
    settings: Settings | None = None,
    as_of: date = MID_YEAR,
):
    """Analyse a tiny cohort built from plain Python values."""
    s = pd.DataFrame(students)
    s["year_group"] = s["year_group"].astype("Int64")
    s["key_stage"] = key_stage_of(s["year_group"])
    enrol = [
        {"student_id": sid, "subject_label": subj, "periods": p}
        for sid, rows in (classes or {}).items()
        for subj, p in rows
    ]
    opts = [
        {"student_id": sid, "block": "ABCD"[i], "subject_label": subj}
        for sid, subs in (options or {}).items()
        for i, subj in enumerate(subs)
    ]
    tables = {
        "students": conform("students", s),
        "enrolments": conform("enrolments", pd.DataFrame(enrol, columns=["student_id", "subject_label", "periods"])),
        "options": conform("options", pd.DataFrame(opts, columns=["student_id", "block", "subject_label"])),
        "project": conform("project", pd.DataFrame(project or [], columns=["student_id", "title", "stage", "hours"])),
        "development": conform(
            "development", pd.DataFrame(development or [], columns=["student_id", "date", "category", "hours"])
        ),
    }
    if development:
        tables["development"]["date"] = pd.to_datetime(tables["development"]["date"]).astype("datetime64[s]")
    return analyse(tables, settings or Settings.default(), as_of=as_of)


def row(analysis, sid: str) -> dict:
    return analysis.records.set_index("student_id").loc[sid].to_dict()


def flags(analysis, sid: str) -> set[str]:
    """The codes of one pupil's flags (each a boolean column of the records table)."""
    from natbacc.records import flags_of

    return {f.value for f in flags_of(analysis.records.set_index("student_id").loc[sid])}
