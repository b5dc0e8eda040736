"""Say only what is true about time: term dates, grace periods, course ends and programmes that span years.

A small school is built in code as the files a school would upload (pupils, class lists, a project log, a
Personal Development log) and analysed on dates where the old linear, per-year pro-rating said untrue things:
the first weeks of September, October, the half-term week and the end of Year 11's course.
"""

from __future__ import annotations

from datetime import date

import pytest

from natbacc.analysis import analyse
from natbacc.io import Source, import_files
from natbacc.settings import Settings, SettingsError
from tests.helpers import csv_bytes

KS3 = [
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
    ("PSHE", 1),
]
KS4 = [
    ("English", 9),
    ("Maths", 8),
    ("Combined Science", 10),
    ("PE", 2),
    ("RE", 2),
    ("PSHE", 1),
    ("History", 5),
    ("French", 5),
    ("Art", 5),
    ("D&T", 5),
]
KS5 = [("Biology", 9), ("Chemistry", 9), ("Maths", 9)]

#: Adno -> (year group, who they are).
PUPILS = {
    "7001": (7, "Year 7, nothing logged yet"),
    "7002": (7, "Year 7, one hour in the first week"),
    "8001": (8, "Year 8, on pace in Year 7, nothing yet this year"),
    "9001": (9, "Year 9, far ahead over the programme, nothing yet this year"),
    "9002": (9, "Year 9, only this year's hours"),
    "1001": (10, "Year 10, no project, on pace in Personal Development"),
    "1002": (10, "Year 10, project proposal, on pace in Personal Development"),
    "1101": (11, "Year 11, no project"),
    "1102": (11, "Year 11, project on pace"),
    "1201": (12, "Year 12, nothing logged"),
}
CATS = ("Volunteering", "Drama", "Sport")


def _pd_rows() -> list[list[object]]:
    rows: list[list[object]] = [["Adno", "Date", "Activity", "Category", "Hours"]]

    def add(adno: str, day: str, hours_each: float) -> None:
        rows.extend([adno, day, f"{c} club", c, hours_each] for c in CATS)

    add("7002", "01/09/2026", 1 / 3)
    add("8001", "15/03/2026", 17 / 3)  # Year 7 (2025-26): the whole year's 17 h
    add("9001", "10/11/2024", 10)  # Year 7 (2024-25)
    add("9001", "12/05/2026", 10)  # Year 8 (2025-26): 60 h over two years, against 34 h due
    add("9001", "10/05/2024", 5)  # before the programme began (Year 6): not counted
    add("9002", "20/10/2026", 1)  # this year only
    add("1001", "01/02/2026", 17)  # Years 7 to 9 of the KS3-KS4 programme: 51 h, on pace
    add("1002", "01/02/2026", 17)
    add("1102", "01/02/2026", 20)  # Years 7 to 10: 60 h, against 68 h due by the end of Year 10
    return rows


def school() -> list[Source]:
    pupils = [["Adno", "Name", "Year", "Reg Group"]]
    classes = [["Adno", "Subject", "Periods"]]
    for adno, (year, _) in PUPILS.items():
        pupils.append([adno, f"Pupil {adno}", str(year), f"{year}A"])
        for subject, periods in KS3 if year <= 9 else KS4 if year <= 11 else KS5:
            classes.append([adno, subject, str(periods)])
    projects = [
        ["Adno", "Project title", "Stage", "Hours"],
        ["1002", "Bridges", "proposal", "2"],
        ["1102", "Rivers", "production", "45"],
    ]
    return [
        Source("pupils.csv", csv_bytes(pupils)),
        Source("classes.csv", csv_bytes(classes)),
        Source("projects.csv", csv_bytes(projects)),
        Source("pd_log.csv", csv_bytes(_pd_rows())),
    ]


@pytest.fixture(scope="module")
def tables():
    result = import_files(school())
    assert len(result.tables["students"]) == len(PUPILS)
    return result.tables


def _records(tables, day: date, settings: Settings | None = None):
    return analyse(tables, settings or Settings.default(), as_of=day).records.set_index("student_id")


def _flags(records, adno: str) -> set[str]:
    return {c.removeprefix("flag_").upper() for c in records.columns if c.startswith("flag_") and records.at[adno, c]}


# ---- the September week -------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 9, 2), date(2026, 9, 15)])
def test_no_pupil_is_off_track_or_behind_for_want_of_time_in_september(tables, day):
    """In the first weeks, no one is off track or behind on hours or project stage for want of time."""
    r = _records(tables, day)
    for adno in ("7001", "7002", "8001", "9001", "1001", "1002", "1102", "1201"):
        assert r.at[adno, "overall_status"] != "off track", (adno, r.at[adno, "explanation"])
        assert not {"PD_BEHIND", "PD_CATEGORY_GAP", "PROJECT_BEHIND", "PROJECT_NOT_STARTED"} & _flags(r, adno), adno
    assert r.at["7001", "overall_status"] == "on track"
    assert "0 h this year" not in " ".join(r["explanation"])


def test_year_10_without_a_project_is_not_flagged_in_the_grace_period(tables):
    """A Year 10 pupil with no project is not PROJECT_NOT_STARTED in the first half-term of KS4, and is after it."""
    early, later = _records(tables, date(2026, 9, 15)), _records(tables, date(2026, 11, 20))
    assert "PROJECT_NOT_STARTED" not in _flags(early, "1001")
    assert "none due yet" in early.at["1001", "personal_project_explanation"]
    assert "PROJECT_NOT_STARTED" in _flags(later, "1001")


def test_year_11_without_a_project_is_flagged_in_september(tables):
    """A Year 11 pupil with no project is flagged at once: Year 10 was the time for it."""
    r = _records(tables, date(2026, 9, 2))
    assert "PROJECT_NOT_STARTED" in _flags(r, "1101")


def test_year_7_with_nothing_logged_is_not_scored_on_development_yet(tables):
    """A Year 7 pupil has had no time for Personal Development in the first week: nothing is due, nothing is wrong."""
    r = _records(tables, date(2026, 9, 2))
    assert "nothing due yet" in r.at["7001", "personal_development_explanation"]
    assert r.at["7002", "personal_development_score"] >= 75


# ---- teaching weeks, not calendar days --------------------------------------------------------


def test_half_term_week_adds_nothing_to_what_is_expected(tables):
    """A week of holiday does not raise the target: expected hours are the same on both sides of it."""
    s = Settings.default()
    assert s.academic_year_fraction(date(2026, 10, 26)) == s.academic_year_fraction(date(2026, 11, 2))
    assert s.academic_year_fraction(date(2026, 12, 21)) == s.academic_year_fraction(date(2027, 1, 4))
    before, after = _records(tables, date(2026, 12, 19)), _records(tables, date(2027, 1, 3))
    assert before["personal_development_explanation"].equals(after["personal_development_explanation"])


def test_year_11_ends_when_its_course_ends(tables):
    """Year 11's year ends on 31 May: by then the whole programme target is due; Year 10's year runs on."""
    s = Settings.default()
    assert s.academic_year_fraction(date(2027, 5, 31), 11) == 1.0
    assert s.academic_year_fraction(date(2027, 5, 31), 10) < 0.85
    r = _records(tables, date(2027, 6, 1))
    assert "(85 h expected by now over the programme" in r.at["1102", "personal_development_explanation"]


# ---- the programme spans years ----------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 10, 20), date(2026, 12, 1)])
def test_hours_from_earlier_years_of_the_programme_count(tables, day):
    """A pupil far ahead over the programme is not PD_BEHIND in October (or later in the autumn)."""
    r = _records(tables, day)
    assert r.at["9001", "pd_programme_hours"] == 60, "Years 7 and 8 count; the Year 6 hours do not"
    assert r.at["9001", "pd_hours"] == 0, "the per-year view still shows this school year alone"
    assert "PD_BEHIND" not in _flags(r, "9001")
    assert "60 h since Year 7" in r.at["9001", "personal_development_explanation"]
    assert "PD_BEHIND" not in _flags(r, "8001")
    assert "PD_BEHIND" in _flags(r, "9002"), "two years of the programme gone with almost nothing logged"


def test_post_16_programme_counts_from_year_12(tables):
    """Year 12 starts a new programme: NBT's 100 h over two years, nothing due in the first half-term."""
    r = _records(tables, date(2026, 10, 20))
    assert "PD_BEHIND" not in _flags(r, "1201")
    later = _records(tables, date(2027, 3, 1))
    assert "PD_BEHIND" in _flags(later, "1201")
    assert "target 100 h by the end of Year 13" in later.at["1201", "personal_development_explanation"]


def test_category_minimums_are_optional_and_pro_rated(tables):
    """A minimum for one category flags a pupil below its pro-rated share (none by default)."""
    day = date(2026, 12, 1)
    assert "PD_CATEGORY_GAP" not in _flags(_records(tables, day), "9001")
    strict = Settings.from_overrides(
        {"development": {"programmes": {"ks3_ks4": {"min_category_hours": {"Physical & Outdoor": 100}}}}}
    )
    r = _records(tables, day, strict)
    assert "PD_CATEGORY_GAP" in _flags(r, "9001")
    assert "below the minimum so far in Physical & Outdoor" in r.at["9001", "personal_development_explanation"]


# ---- term dates are settings -------------------------------------------------------------------


def test_term_dates_are_editable(tmp_path):
    """A school's own term dates load from a partial --settings file and from the Settings page's rows."""
    own = tmp_path / "terms.toml"
    own.write_text('[academic_year]\nhalf_terms = ["05/09-20/10", "31/10-20/12"]\ncourse_end = { 11 = "20/06" }\n')
    s = Settings.from_file(own)
    assert s.calendar.course_end[11] == (20, 6)
    assert s.academic_year_fraction(date(2026, 12, 21)) == 1.0
    edited = Settings.default().with_rows({"academic_year.half_terms": "01/09-20/12, 05/01-20/07"})
    assert len(edited.calendar.periods) == 2


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"half_terms": ["1 Sep-23/10"]}, "academic_year.half_terms"),
        ({"half_terms": ["31/02-23/03"]}, "academic_year.half_terms"),
        ({"half_terms": ["02/11-18/12", "01/09-23/10"]}, "academic_year.half_terms"),
        ({"half_terms": ["23/10-01/09"]}, "academic_year.half_terms"),
        ({"course_end": {"11": "32/05"}}, "academic_year.course_end.11"),
        ({"course_end": {"11": "May"}}, "academic_year.course_end.11"),
        ({"grace_half_terms": 9}, "academic_year.grace_half_terms"),
        ({"start_month": 13}, "academic_year.start_day/start_month"),
    ],
)
def test_malformed_dates_are_refused_naming_the_setting(overrides, setting):
    with pytest.raises(SettingsError, match=setting.replace(".", r"\.").replace("/", "/")):
        Settings.from_overrides({"academic_year": overrides})


def test_overlapping_programmes_are_refused():
    with pytest.raises(SettingsError, match="Year 11 is in two programmes"):
        Settings.from_overrides({"development": {"programmes": {"post16": {"first_year": 11}}}})


def test_a_rule_set_from_the_previous_release_still_loads():
    """A stored term's rule set (or a school's file) naming the retired per-year settings loads, with a warning."""
    old = {
        "academic_year": {"start_month": 9, "start_day": 1, "end_month": 7, "end_day": 22},
        "development": {"target_hours_per_year": {"7": 17, "12": 50}},
    }
    with pytest.warns(UserWarning) as caught:
        s = Settings.from_overrides(old)
    said = [str(w.message) for w in caught]
    assert len(said) == 3 and any("target_hours_per_year' is no longer used" in m for m in said)
    assert "end_month" not in s.data["academic_year"]
    assert s.programmes["ks3_ks4"]["target_hours"] == 85
