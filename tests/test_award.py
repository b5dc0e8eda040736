"""The NBfE award (issue #19) on schools built in code: tiers, completion, what is missing, the forecast,
and the certificates and transcripts a coordinator hands out."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from natbacc.award.documents import cohort_pdf, cohort_zip, pupil_pdf
from natbacc.award.status import evaluate
from natbacc.cli import main
from natbacc.model import TABLE_KINDS, conform, empty_table, key_stage_of
from natbacc.settings import Settings
from tests.helpers import csv_bytes, import_one

#: After the summer results of 2027: the 2026-27 programmes have ended (Years 11 and 13 finished in May).
AFTER_RESULTS = date(2027, 8, 25)
CATS = ("Leadership & Service", "Creative & Cultural", "Physical & Outdoor")


def school(students, quals=(), project=(), development=()):
    """Canonical tables from plain rows (the importer's output shape)."""
    s = pd.DataFrame(students)
    s["year_group"] = s["year_group"].astype("Int64")
    s["key_stage"] = key_stage_of(s["year_group"])
    tables = {kind: empty_table(kind) for kind in TABLE_KINDS}
    tables["students"] = conform("students", s)
    if quals:
        q = pd.DataFrame(quals)
        q["date"] = pd.to_datetime(q.get("date", pd.Series([None] * len(q)))).astype("datetime64[s]")
        tables["qualifications"] = conform("qualifications", q)
    if project:
        tables["project"] = conform("project", pd.DataFrame(project))
    if development:
        d = pd.DataFrame(development)
        d["date"] = pd.to_datetime(d["date"], dayfirst=True).astype("datetime64[s]")
        tables["development"] = conform("development", d)
    return tables


def gcse(sid, subject, grade, status="achieved", **extra):
    reached = None if status != "achieved" else (2 if grade.isdigit() and int(grade) >= 4 else 1)
    return {
        "student_id": sid,
        "qualification_label": "GCSE",
        "qualification": "gcse",
        "subject_label": subject,
        "level": 2,
        "size": 1.0,
        "status": status,
        "grade": grade if status == "achieved" else None,
        "level_achieved": reached,
        **extra,
    }


def a_level(sid, subject, grade):
    return {
        "student_id": sid,
        "qualification_label": "A level",
        "qualification": "a_level",
        "subject_label": subject,
        "level": 3,
        "size": 1.0,
        "status": "achieved",
        "grade": grade,
        "level_achieved": 3,
    }


def logs(sid, hours_per_category, days, activity="Club"):
    """One activity per category on each day (dd/mm/yyyy)."""
    return [
        {"student_id": sid, "date": d, "activity": f"{activity} {c[:4]}", "category": c, "hours": h}
        for d in days
        for c, h in zip(CATS, hours_per_category, strict=True)
    ]


def done_project(sid, hours, title="Tidal power"):
    return {"student_id": sid, "title": title, "stage": "complete", "hours": hours, "supervisor": "Mr A"}


def row(result, sid):
    return result.pupils.set_index("student_id").loc[sid]


def missing(result, sid):
    return [k for k in row(result, sid)["missing"].split("; ") if k]


# ---- Completers --------------------------------------------------------------------------------------


def level2_school():
    """Year 11 at the end of the Year 7-11 programme: one completer, then pupils missing one thing each."""
    students = [
        {"student_id": sid, "name": name, "year_group": 11, "reg_group": "11A", "school": "Oak"}
        for sid, name in [("L2", "Zoë O'Brien"), ("NOPROJ", "Siân Jones"), ("NOPHYS", "Łukasz Nowak")]
    ]
    quals, proj, dev = [], [], []
    for sid in ("L2", "NOPROJ", "NOPHYS"):
        quals += [gcse(sid, "English Language", "5"), gcse(sid, "Mathematics", "6"), gcse(sid, "History", "4")]
        # 30 h a category over Years 7 to 11 (three years of logs in this school's files: 2024-25 to 2026-27)
        hours = (10, 10, 0) if sid == "NOPHYS" else (10, 10, 10)
        dev += logs(sid, hours, ["10/10/2024", "12/03/2026", "05/02/2027"], activity="Volunteering")
        if sid == "NOPHYS":
            dev += logs(sid, (25, 30, 0), ["06/03/2027"])
    proj = [done_project("L2", 62), done_project("NOPHYS", 60)]
    proj.append({"student_id": "NOPROJ", "title": "Bees", "stage": "research", "hours": 20.0, "supervisor": "Ms B"})
    return school(students, quals, proj, dev)


def test_a_level_2_completer_is_complete_at_intermediate_and_one_missing_thing_is_named():
    result = evaluate(level2_school(), Settings.default(), AFTER_RESULTS)
    l2 = row(result, "L2")
    assert (l2["tier"], l2["status"], missing(result, "L2")) == ("intermediate", "complete", [])
    # PD hours from three school years of logs all count (Year 9, Year 10 and Year 11 of the programme).
    assert l2["pd_hours"] == 90
    noproj = row(result, "NOPROJ")
    assert noproj["status"] == "not on course"
    assert missing(result, "NOPROJ") == ["personal_project"]
    assert "project at Research stage" in noproj["reason"]
    assert "20 of 60 project hours by 28 May 2027" in noproj["reason"]
    assert missing(result, "NOPHYS") == ["personal_development:Physical & Outdoor"]
    assert "some hours of Physical & Outdoor by 28 May 2027" in row(result, "NOPHYS")["reason"]


def test_a_category_minimum_from_the_settings_is_named_with_the_hours_still_needed():
    settings = Settings.from_overrides(
        {"development": {"programmes": {"ks3_ks4": {"min_category_hours": {"Creative & Cultural": 70}}}}}
    )
    result = evaluate(level2_school(), settings, AFTER_RESULTS)
    assert missing(result, "L2") == ["personal_development:Creative & Cultural"]
    assert "40 h of Creative & Cultural by 28 May 2027" in row(result, "L2")["reason"]


def level3_school():
    students = [
        {"student_id": sid, "name": name, "year_group": 13, "reg_group": "13A"}
        for sid, name in [("AL", "Amelia Khan"), ("XD", "José Silva"), ("DIP", "Renée Dubois")]
    ]
    quals = [a_level("AL", s, g) for s, g in [("Maths", "A"), ("Physics", "B"), ("Chemistry", "C")]]
    ext = {"qualification_label": "BTEC Level 3 National Extended Diploma", "level": 3, "status": "achieved"}
    quals.append({"student_id": "XD", **ext, "qualification": "extended_diploma", "size": 3.0, "grade": "D*D*D"})
    quals.append({**quals[-1], "student_id": "DIP", "qualification": "diploma", "size": 2.0, "grade": "DD"})
    for q in quals:
        q.setdefault("subject_label", "Sport")
        q["level_achieved"] = 3
    quals += [gcse("DIP", "English Language", "5"), gcse("DIP", "Mathematics", "4"), gcse("DIP", "Art", "6")]
    proj = [done_project(sid, 125, title=f"EPQ of {sid}") for sid in ("AL", "XD", "DIP")]
    dev = [r for sid in ("AL", "XD", "DIP") for r in logs(sid, (20, 20, 20), ["01/10/2025", "01/03/2027"])]
    return school(students, quals, proj, dev)


def test_level_3_completers_count_size_so_an_extended_diploma_is_advanced_and_a_diploma_is_not():
    result = evaluate(level3_school(), Settings.default(), AFTER_RESULTS)
    assert (row(result, "AL")["tier"], row(result, "AL")["status"]) == ("advanced", "complete")
    xd = row(result, "XD")
    assert (xd["tier"], xd["status"], xd["qualification_size"]) == ("advanced", "complete", 3.0)
    # A Diploma is two A levels' worth: not Advanced; its GCSEs make the pupil an Intermediate completer.
    assert (row(result, "DIP")["tier"], row(result, "DIP")["status"]) == ("intermediate", "complete")


def test_a_target_tier_is_judged_at_that_tier_with_the_core_learning_gap_in_words():
    tables = level3_school()
    tables["students"].loc[tables["students"]["student_id"] == "DIP", "target_tier"] = "advanced"
    result = evaluate(tables, Settings.default(), AFTER_RESULTS)
    dip = row(result, "DIP")
    assert (dip["tier"], dip["status"], missing(result, "DIP")) == ("advanced", "not on course", ["core_learning"])
    assert "2 of 3 A levels' worth of Level 3 qualifications achieved" in dip["reason"]


def test_english_not_yet_at_level_2_is_said_and_an_entry_keeps_the_pupil_on_course():
    students = [{"student_id": "E", "name": "E", "year_group": 11, "target_tier": "intermediate"}]
    quals = [gcse("E", "English Language", "3"), gcse("E", "Mathematics", "5"), gcse("E", "History", "5")]
    result = evaluate(school(students, quals), Settings.default(), date(2026, 11, 20))
    assert row(result, "E")["core_learning"] == "not on course"
    assert "English not yet at Level 2" in row(result, "E")["core_learning_words"]
    quals.append(gcse("E", "English Language", "", status="entered"))
    result = evaluate(school(students, quals), Settings.default(), date(2026, 11, 20))
    assert row(result, "E")["core_learning"] == "on course"
    assert "English not yet at Level 2 (entered)" in row(result, "E")["core_learning_words"]


# ---- Forecast ----------------------------------------------------------------------------------------


def test_the_forecast_flips_from_on_course_to_at_risk_when_hours_stop():
    """Year 11, 75 h logged steadily since Year 7: on course in November; with nothing more by May, at risk."""
    start = date(2022, 9, 15)
    days = [(start + timedelta(days=30 * i)).strftime("%d/%m/%Y") for i in range(50)]
    dev = logs("F", (0.5, 0.5, 0.5), days)  # 75 h by late October 2026
    tables = school(
        [{"student_id": "F", "name": "F", "year_group": 11}], project=[done_project("F", 60)], development=dev
    )
    november = row(evaluate(tables, Settings.default(), date(2026, 11, 2)), "F")
    assert november["pd_hours"] == 75
    assert november["personal_development"] == "on course"
    assert not november["will_miss"]
    may = row(evaluate(tables, Settings.default(), date(2027, 5, 20)), "F")
    assert may["personal_development"] == "at risk"
    assert may["will_miss"]
    assert "10 h of Personal Development by 28 May 2027" in may["personal_development_words"]
    assert "at the current rate" in may["personal_development_words"]


def test_weeks_of_year_7_are_no_forecast_of_year_11():
    """A Year 7 pupil with 3 h by late November is ahead of what is due by now: the few weeks' rate, carried
    over five years, would fall short of 85 h, but it is not a forecast yet (award.forecast_after), so the
    pupil is on course; a Year 7 pupil with no hours after the first half-term is at risk, never 'not on
    course', since the programme has years to run."""
    dev = logs("S", (1.0, 1.0, 1.0), ["20/10/2026"])
    tables = school(
        [{"student_id": "S", "name": "S", "year_group": 7}, {"student_id": "Z", "name": "Z", "year_group": 7}],
        development=dev,
    )
    result = evaluate(tables, Settings.default(), date(2026, 11, 20))
    started, nothing = row(result, "S"), row(result, "Z")
    assert started["personal_development"] == "on course" and not started["will_miss"]
    assert "at the current rate" not in started["personal_development_words"]
    assert nothing["personal_development"] == "at risk"
    assert "0 h so far" in nothing["personal_development_words"]


# ---- Import ------------------------------------------------------------------------------------------


def test_an_exams_office_export_is_read_with_levels_from_grades_and_bad_values_located():
    rows = [
        ["Adno", "Qualification", "Subject", "Grade", "Level", "Date"],
        ["001", "GCSE (9-1)", "English Language", "3", "", "21/08/2026"],
        ["001", "GCSE", "Combined Science: Trilogy", "6-6", "", "21/08/2026"],
        ["001", "BTEC Level 3 National Extended Diploma", "Sport", "D*D*D", "", "21/08/2026"],
        ["001", "GCSE", "History", "Z", "", "21/08/2026"],
        ["001", "Klingon Certificate", "Klingon", "Pass", "", "21/08/2026"],
        ["001", "GCSE", "Maths", "", "Level 9", ""],
    ]
    result = import_one("results.csv", csv_bytes(rows))
    q = result.tables["qualifications"].set_index("subject_label")
    assert q.loc["English Language", "level_achieved"] == 1  # a 3 is Level 1
    assert (q.loc["Combined Science: Trilogy", "size"], q.loc["Combined Science: Trilogy", "level_achieved"]) == (2, 2)
    assert (q.loc["Sport", "size"], q.loc["Sport", "level_achieved"]) == (3, 3)
    assert q.loc["Maths", "status"] == "entered"
    by_code = {i.code: i for i in result.issues}
    assert by_code["bad_grade"].row == 5 and by_code["bad_grade"].column == "Grade"
    assert by_code["unknown_qualification"].row == 6 and by_code["unknown_qualification"].column == "Qualification"
    assert by_code["bad_level"].row == 7 and "Level 9" in by_code["bad_level"].message
    assert q.loc["Klingon", "grade"] == "Pass"  # kept as written, counting towards no tier


def test_the_target_tier_column_is_read_and_an_unknown_tier_is_located():
    rows = [["Adno", "Name", "Year", "NBfE target tier"], ["1", "A", "11", "Advanced"], ["2", "B", "11", "Gold"]]
    result = import_one("pupils.csv", csv_bytes(rows))
    tiers = result.students.set_index("student_id")["target_tier"]
    assert tiers["1"] == "advanced" and pd.isna(tiers["2"])
    bad = [i for i in result.issues if i.code == "bad_tier"]
    assert bad[0].row == 3 and bad[0].column == "NBfE target tier"


# ---- Certificates and transcripts --------------------------------------------------------------------


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_transcript_holds_the_pupils_own_data_and_no_one_elses():
    tables = level2_school()
    result = evaluate(tables, Settings.default(), AFTER_RESULTS)
    text = _text(pupil_pdf(result, tables, "L2", school="Oak"))
    assert "This is to certify that" in text and "Zoë O'Brien" in text and "at Intermediate tier" in text
    assert "PROVISIONAL" not in text
    for subject, grade in [("English Language", "5"), ("Mathematics", "6"), ("History", "4")]:
        assert f"GCSE\n{subject}\nLevel 2\n1\n{grade}" in text
    assert "Title: Tidal power" in text and "hours: 62" in text
    for cat in CATS:
        assert f"{cat}\n30\nVolunteering {cat[:4]}" in text
    assert "90 hours in all" in text
    for other in ("Siân Jones", "Łukasz Nowak", "Bees", "NOPROJ", "NOPHYS"):
        assert other not in text

    provisional = _text(pupil_pdf(result, tables, "NOPROJ", school="Oak"))
    assert "PROVISIONAL" in provisional and "This is to certify" not in provisional
    assert "Siân Jones" in provisional and "Zoë" not in provisional

    merged = _text(cohort_pdf(result, tables))
    assert merged.count("This is to certify that") == 1
    assert all(name in merged for name in ("Zoë O'Brien", "Siân Jones", "Łukasz Nowak"))
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(cohort_zip(result, tables))).namelist()
    assert names == [
        "Oak-L2-certificate-and-transcript.pdf",
        "Oak-NOPROJ-transcript-provisional.pdf",
        "Oak-NOPHYS-transcript-provisional.pdf",
    ]


def test_the_pdf_builds_with_no_browser_or_latex_on_the_path(tmp_path):
    """reportlab alone: a process whose PATH holds neither Chromium nor LaTeX writes the PDF."""
    env = {k: v for k, v in os.environ.items() if k not in {"PATH", "BROWSER"}} | {"PATH": str(tmp_path)}
    assert shutil.which("chromium", path=env["PATH"]) is None and shutil.which("pdflatex", path=env["PATH"]) is None
    script = (
        "from datetime import date; from tests.test_award import level2_school; "
        "from natbacc.award.status import evaluate; from natbacc.award.documents import cohort_pdf; "
        "from natbacc.settings import Settings; t = level2_school(); "
        "r = evaluate(t, Settings.default(), date(2027, 8, 25)); "
        f"open({str(tmp_path / 'out.pdf')!r}, 'wb').write(cohort_pdf(r, t))"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=Path.cwd(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


# ---- CLI ---------------------------------------------------------------------------------------------


@pytest.fixture
def cli_school(tmp_path):
    pupils = tmp_path / "pupils.csv"
    pupils.write_bytes(
        csv_bytes(
            [
                ["Adno", "Name", "Year", "School", "NBfE target tier"],
                ["A1", "Amelia", "13", "Oak", "Advanced"],
                ["B2", "Ben", "8", "Oak", ""],
            ]
        )
    )
    results = tmp_path / "results.csv"
    results.write_bytes(
        csv_bytes([["Adno", "Qualification", "Subject", "Status"], ["A1", "A level", "Maths", "Entered"]])
    )
    return [str(pupils), str(results)]


def test_award_json_prints_only_the_contract(cli_school, capsys):
    assert main(["award", *cli_school, "--as-of", "20/11/2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [set(p) for p in out["pupils"]] == [{"student_id", "school", "programme", "tier", "status", "missing"}] * 2
    a1, b2 = out["pupils"]
    assert (a1["student_id"], a1["school"], a1["programme"], a1["tier"]) == ("A1", "Oak", "post16", "advanced")
    assert a1["status"] in {"complete", "on course", "at risk", "not on course"}
    assert (b2["tier"], b2["programme"]) == (None, "ks3_ks4")
    assert all(k.split(":")[0] in {"core_learning", "personal_project", "personal_development"} for k in a1["missing"])


def test_award_writes_the_cohort_pdf_and_refuses_other_outputs(cli_school, tmp_path, capsys):
    out = tmp_path / "cohort.pdf"
    assert main(["award", *cli_school, "--as-of", "20/11/2026", "-o", str(out)]) == 0
    assert "Amelia" in _text(out.read_bytes())
    assert main(["award", *cli_school, "-o", str(tmp_path / "x.docx")]) == 2
    assert "writes a .pdf or a .zip" in capsys.readouterr().err


def test_registration_by_column_judges_only_the_registered_pupils():
    students = [
        {"student_id": "R", "name": "R", "year_group": 9, "registered": True},
        {"student_id": "N", "name": "N", "year_group": 9, "registered": False},
    ]
    tables = school(students)
    assert set(evaluate(tables, Settings.default(), date(2026, 11, 20)).pupils["student_id"]) == {"R", "N"}
    column = Settings.from_overrides({"award": {"registration": "column"}})
    assert list(evaluate(tables, column, date(2026, 11, 20)).pupils["student_id"]) == ["R"]


def test_a_stored_terms_log_supplies_the_earlier_years_once():
    from natbacc.award.cli import with_earlier_logs

    this_year = level2_school()
    earlier = level2_school()
    old = pd.DataFrame(logs("L2", (5, 5, 5), ["01/10/2023"]))
    old["date"] = pd.to_datetime(old["date"], dayfirst=True).astype("datetime64[s]")
    earlier["development"] = conform(
        "development", pd.concat([old, this_year["development"].iloc[:3]], ignore_index=True)
    )
    merged = with_earlier_logs(this_year, earlier)
    result = evaluate(merged, Settings.default(), AFTER_RESULTS)
    assert row(result, "L2")["pd_hours"] == 90 + 15  # the stored rows already in the files are not counted twice


def test_settings_change_the_tier_rule_and_the_words_follow(tmp_path, cli_school, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text("[award.tiers.advanced]\nmin_size = 4\n", encoding="utf-8")
    assert main(["award", *cli_school, "--as-of", "20/11/2026", "--json", "--settings", str(rules)]) == 0
    a1 = json.loads(capsys.readouterr().out)["pupils"][0]
    assert (a1["tier"], a1["status"]) == ("advanced", "not on course")  # one A level entered of four needed
    assert "core_learning" in a1["missing"]


def test_a_log_that_was_not_imported_is_said_to_be_missing_not_the_pupils_work():
    tables = school([{"student_id": "Y", "name": "Y", "year_group": 11}])
    y = row(evaluate(tables, Settings.default(), date(2027, 3, 1)), "Y")
    assert y["personal_project_words"] == "no Personal Project log imported"
    assert y["personal_development_words"] == "no Personal Development log imported"
    assert "no qualifications imported" in y["core_learning_words"]


def test_a_school_runs_a_ks3_baccalaureate_as_its_own_programme():
    """Programmes are data: a Years 7-9 award beside a Years 10-11 one, ending with Year 9's last teaching day."""
    settings = Settings.from_overrides(
        {
            "development": {
                "programmes": {
                    "ks3_ks4": {"first_year": 10},
                    "ks3": {"first_year": 7, "last_year": 9, "target_hours": 45},
                }
            },
            "award": {"programmes": {"ks3": {"label": "KS3 Baccalaureate", "tiers": ["entry", "foundation"]}}},
        }
    )
    dev = logs("K", (5, 5, 5), ["01/10/2024", "01/10/2025", "01/10/2026"])
    tables = school([{"student_id": "K", "name": "K", "year_group": 9}], development=dev)
    k = row(evaluate(tables, settings, date(2026, 11, 20)), "K")
    assert (k["programme"], k["programme_label"]) == ("ks3", "KS3 Baccalaureate")
    assert (k["pd_hours"], k["pd_target"], k["deadline"].date()) == (45, 45, date(2027, 7, 22))
    assert k["personal_development"] == "done"
    with pytest.raises(Exception, match="first_year, last_year and target_hours"):
        Settings.from_overrides({"development": {"programmes": {"ks3": {"first_year": 7}}}})


def _png() -> bytes:
    """A 2x1 red PNG, built by hand."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_the_school_name_and_logo_head_the_certificate():
    from natbacc.award.documents import Letterhead

    tables = level2_school()
    result = evaluate(tables, Settings.default(), AFTER_RESULTS)
    data = pupil_pdf(result, tables, "L2", Letterhead("Oakfield Academy", _png()), school="Oak")
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].extract_text().startswith("Oakfield Academy")
    assert reader.pages[0].images, "the logo is drawn on the certificate"
