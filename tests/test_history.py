"""Headline indicators per school and term, and the pupils whose breadth changed between terms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from natbacc.analysis import analyse
from natbacc.history import ALL_SCHOOLS, pupil_changes, pupil_summary, school_indicators, term_label
from natbacc.sample import AS_OF
from natbacc.vocabulary import Entitlement, Section, Strand
from tests.helpers import csv_bytes, import_one


def test_headline_matches_what_the_pages_show(sample_analysis):
    rows = school_indicators(sample_analysis, "Oakfield").set_index("indicator")
    assert set(rows["school"]) == {"Oakfield"}
    shares = sample_analysis.strand_summary()
    assert rows.loc["on_track:core_learning_score", "value"] == shares[Strand.CORE_LEARNING]
    entitlement = sample_analysis.indicators.ks4_entitlement
    arts = entitlement.set_index("indicator").loc[Entitlement.ARTS, "pct_pupils"]
    assert rows.loc["ks4:no_arts", "value"] == pytest.approx(100 - arts, abs=0.1)
    assert rows.loc["ks3:years", "value"] == 2  # the sample school starts options in Year 9
    assert rows.loc["ks4:no_arts", "better"] == "lower"
    gaps = rows[rows["section"] == Section.EQUITY]
    assert len(gaps) == len(sample_analysis.indicators.equity)


def test_each_school_is_scored_on_its_own_pupils():
    rows = [
        ["1", "Ann", "10", "Oak", "10A/Fr1", "French"],
        ["2", "Bob", "10", "Elm", "10A/Ar1", "Art"],
        ["3", "Cy", "10", "Elm", "10A/Hi1", "History"],
    ]
    result = import_one("trust.csv", csv_bytes([["Adno", "Name", "Year", "School", "Class", "Subject"], *rows]))
    frame = school_indicators(analyse(result.tables, as_of=AS_OF))
    lang = frame[frame["indicator"] == "ks4:no_languages"].set_index("school")["value"]
    assert lang.to_dict() == {"Elm": 100.0, "Oak": 0.0, ALL_SCHOOLS: pytest.approx(66.7)}
    pupils = frame[frame["indicator"] == "ks4:no_languages"].set_index("school")["pupils"]
    assert pupils.to_dict() == {"Elm": 2, "Oak": 1, ALL_SCHOOLS: 3}


def test_pupil_summary_lists_covered_areas(sample_analysis):
    summary = pupil_summary(sample_analysis, "Oakfield")
    assert len(summary) == len(sample_analysis.records)
    first = summary.iloc[0]
    assert first["student_id"] == "001001" and first["school"] == "Oakfield"
    assert first["areas"].split() == list(sample_analysis.breadth.covered.columns)


def test_pupil_changes_finds_who_dropped_an_area(sample_result):
    autumn = analyse(sample_result.tables, as_of=AS_OF)
    tables = dict(sample_result.tables)
    enrolments = tables["enrolments"]
    dropped = enrolments["student_id"].isin(["001001", "001002"]) & (enrolments["area"] == "arts")
    tables["enrolments"] = enrolments[~dropped].reset_index(drop=True)
    spring = analyse(replace(sample_result, tables=tables).tables, as_of=date(2027, 3, 20))
    changes = pupil_changes(pupil_summary(autumn), pupil_summary(spring))
    moved = changes[changes["dropped"] != ""]
    assert list(moved["student_id"]) == ["001001", "001002"]
    assert set(moved["dropped"]) == {"Arts"}
    assert (moved["added"] == "").all()
    assert changes.index.is_unique


def test_no_changes_gives_an_empty_table(sample_analysis):
    summary = pupil_summary(sample_analysis)
    changes = pupil_changes(summary, summary)
    assert changes.empty and "dropped" in changes.columns
    assert pupil_changes(summary.iloc[:0], summary).empty


def test_status_and_new_flags_are_reported():
    before = pd.DataFrame(
        {
            "student_id": ["1"],
            "school": ["A"],
            "year_group": [9],
            "core_learning_score": [90.0],
            "personal_project_score": [None],
            "personal_development_score": [80.0],
            "overall_status": ["on track"],
            "flags": [""],
            "areas": ["arts english"],
        }
    )
    after = before.assign(
        year_group=10, core_learning_score=40.0, overall_status="off track", flags="NO_ARTS; PD_BEHIND", areas="english"
    )
    [row] = pupil_changes(before, after).to_dict("records")
    assert row["dropped"] == "Arts" and row["status_before"] == "on track" and row["status_after"] == "off track"
    assert row["new_flags"] == "NO_ARTS, PD_BEHIND"
    assert row["Core Learning change"] == -50


@pytest.mark.parametrize(
    ("day", "label"),
    [(date(2026, 9, 1), "Autumn 2026"), (date(2027, 1, 5), "Spring 2027"), (date(2027, 6, 1), "Summer 2027")],
)
def test_term_labels(day, label):
    assert term_label(day) == label


def test_a_trusts_dropped_areas_count_every_school(sample_result):
    """ "All schools" counts an area dropped in any school, not just in the first school listed."""
    tables = {}
    students = sample_result.tables["students"]
    y9 = set(students.loc[students["year_group"] == 9, "student_id"])
    for kind, table in sample_result.tables.items():
        copy = table.assign(student_id=table["student_id"] + "B", pupil_key=table["pupil_key"] + "B")
        if kind == "enrolments":  # school B's Year 9 also stops religious education
            copy = copy[~(table["student_id"].isin(y9) & (table["area"] == "religious_education")).to_numpy()]
        if kind == "students":
            table, copy = table.assign(school="A"), copy.assign(school="B")
        tables[kind] = pd.concat([table, copy], ignore_index=True)
    frame = school_indicators(analyse(tables, as_of=AS_OF))
    dropped = frame[frame["indicator"] == "ks3:areas_dropped"].set_index("school")["value"]
    assert dropped["B"] == dropped["A"] + 1
    assert dropped[ALL_SCHOOLS] == dropped["B"]
