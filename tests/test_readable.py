"""Readable by everyone, in the core: searches ignore accents and case, tutor groups sort as people count, flags
read as words on screen, and the workbook explains every column it keeps as a key."""

from __future__ import annotations

import io
import itertools

import openpyxl
import pandas as pd

from natbacc.export import PSEUDONYMISED_COLUMNS, build_workbook
from natbacc.records import flags_text, flags_words, workbook_column_meanings, workbook_columns
from natbacc.text import fold, folded, natural_key, sorted_naturally
from natbacc.vocabulary import Flag
from tests.test_export import KEY


def test_search_text_ignores_accents_and_case():
    names = pd.Series(["Łukasz Nowak", "Siobhán O'Brien", "ZOË ØSTERGAARD", None, "Straße"], dtype="str")
    assert folded(names).str.contains(fold("lukasz"), regex=False).tolist() == [True, False, False, False, False]
    assert folded(names).str.contains(fold("SIOBHAN O'B"), regex=False).tolist()[1]
    assert folded(names).tolist()[2] == "zoe ostergaard"
    assert folded(names).tolist()[3] == "" and fold("strasse") in folded(names).tolist()[4]


def test_tutor_groups_sort_as_people_count():
    assert sorted_naturally(["10A", "7A", "11C", "9B", "7b", None, "10A", "12X1", "12X10", "12X2"]) == [
        "7A",
        "7b",
        "9B",
        "10A",
        "11C",
        "12X1",
        "12X2",
        "12X10",
    ]
    assert natural_key("7A") < natural_key("10A")


def test_flags_show_as_words_and_keep_their_codes_for_tools():
    records = pd.DataFrame({f.column: [False, False] for f in Flag})
    records.loc[0, [Flag.MISSING_ARTS.column, Flag.FEW_AREAS.column]] = True
    assert flags_words(records).tolist() == ["No arts subject; Few areas", ""]
    assert flags_text(records).tolist() == ["MISSING_ARTS; FEW_AREAS", ""]
    assert all(f.label != f.value and "_" not in f.label for f in Flag)


def test_every_workbook_column_is_explained():
    for columns in (list(workbook_columns()), PSEUDONYMISED_COLUMNS):
        meanings = workbook_column_meanings(columns)
        assert meanings["column"].tolist() == list(columns)
        assert meanings["what it holds"].str.len().min() > 10
    flags = workbook_column_meanings(["flags"])["what it holds"].iloc[0]
    assert "MISSING_ARTS" in flags and "Flags sheet" in flags


def test_the_workbook_has_a_columns_sheet_for_the_students_sheet(sample_analysis, sample_result):
    """The Students sheet keeps its column keys and flag codes; a Columns sheet explains each in plain English."""
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(sample_analysis, sample_result.issues, key=KEY)))
    students = book["Students"]
    keys = [c.value for c in students[1]]
    assert "flags" in keys and "student_id" in keys
    flag_cells = [students.cell(r, keys.index("flags") + 1).value for r in range(2, students.max_row + 1)]
    assert any(v and "MISSING_" in v for v in flag_cells)
    columns = book["Columns"]
    rows = [(r[0].value, r[1].value) for r in columns.iter_rows(min_row=4) if r[0].value]
    assert [key for key, _ in rows] == keys
    assert all(meaning and len(meaning) > 10 for _, meaning in rows)
    assert [c.value for c in book["Flags"][1]] == ["flag", "in words", "meaning"]


def test_charts_are_drawn_for_their_one_message(sample_analysis):
    """Equity: every marker outside the band is labelled, and labels on one row alternate above and below;
    PD hours are bars against target marks, not box plots; project stages are one shade each, light to dark."""
    from natbacc import figures as fg
    from natbacc.palette import lab, simulate

    a = sample_analysis
    t = a.settings.equity["gap_threshold_pp"]
    equity = fg.equity_gaps(a.indicators.equity, a.settings)
    points = [
        (y, x, text, pos)
        for trace in equity.data
        if trace.type == "scatter"
        for y, x, text, pos in zip(trace.y, trace.x, trace.text, trace.textposition, strict=True)
    ]
    assert points and all(bool(text) == (abs(x) >= t) for _, x, text, _ in points)
    for row in {y for y, *_ in points}:
        labelled = sorted((x, pos) for y, x, text, pos in points if y == row and text)
        assert all(p1 != p2 for (_, p1), (_, p2) in itertools.pairwise(labelled))
    hours = fg.pd_hours_by_year(a.records, a.settings, a.as_of)
    assert {trace.type for trace in hours.data} == {"bar", "scatter"}
    stages = fg.project_stages(a.records, a.settings, log_imported=True)
    shades = [trace.marker.color for trace in stages.data]
    assert len(set(shades)) == len(shades) == len(a.settings.project["stages"])
    started = [lab(simulate(c, "normal"))[0] for c in shades[1:]]
    assert started == sorted(started, reverse=True)  # lightness falls stage by stage


def test_close_equity_gaps_on_one_row_are_labelled_on_opposite_sides(sample_analysis):
    """Two groups 1 pp apart on the same indicator ("+18" and "+19", once printed over each other as "+1819")
    get their labels one above and one below."""
    from natbacc import figures as fg

    equity = sample_analysis.indicators.equity.copy()
    row = equity["indicator"] == equity["indicator"].iloc[0]
    first_two = equity.index[row][:2]
    equity.loc[first_two, "gap_pp"] = [18.0, 19.0]
    equity.loc[first_two, "highlight"] = True
    fig = fg.equity_gaps(equity, sample_analysis.settings)
    label_of = {
        text: pos
        for trace in fig.data
        if trace.type == "scatter"
        for text, pos in zip(trace.text, trace.textposition, strict=True)
        if text
    }
    assert {label_of["+18.0 pp"], label_of["+19.0 pp"]} == {"top center", "bottom center"}
