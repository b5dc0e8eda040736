"""Say only what is true: scenario schools built in code, and the sentences, charts and sheets they produce.

- Next year's option choices recorded for a full-KS3 Year 9 do not shorten KS3.
- Small equity groups are suppressed; the sentences that remain give both groups' sizes.
- Every national comparison names the measure, the year and the direction (an above and a below case).
- A dropped area names the subjects behind it.
- The on-track rule and the words about it agree.
"""

from __future__ import annotations

import io

import pandas as pd

from natbacc import figures
from natbacc.analysis import analyse
from natbacc.export import build_workbook
from natbacc.io import Source, import_files
from natbacc.sample import AS_OF
from natbacc.settings import Settings, default_settings_text
from natbacc.vocabulary import Entitlement, EquityGroup, EquityIndicator, Flag
from tests.helpers import csv_bytes
from tests.scoring_helpers import KS3_FULL, KS4_CORE, cohort, pupil

FULL_KS3 = [
    ("English", 7),
    ("Maths", 7),
    ("Science", 6),
    ("History", 3),
    ("Geography", 3),
    ("French", 5),
    ("Art", 2),
    ("Music", 2),
    ("Design and Technology", 2),
    ("Computing", 1),
    ("PE", 4),
    ("RE", 2),
    ("PSHE", 1),
]


def _school(year9_options: bool, pp_in_year_10: int = 30, y10_arts: int = 40, y10_languages: int = 12):
    """A school imported from CSV bytes: Years 7-9 with a full KS3 timetable, 40 Year 10s; optionally the
    spring export of Year 9's choices for next year."""
    pupils = [["Adno", "Name", "Year", "Reg Group", "Gender", "PP", "SEN", "EAL"]]
    classes = [["Adno", "Class", "Subject", "Periods"]]
    options = [["Adno", "Name", "Block A", "Block B", "Block C"]]
    n = 0
    for year in (7, 8, 9):
        for i in range(30):
            n += 1
            adno = f"{n:06d}"
            pupils.append([adno, f"Pupil {n}", year, f"{year}A", "FM"[i % 2], "No", "N", "N"])
            classes += [[adno, f"{year}A/{s[:2]}", s, p] for s, p in FULL_KS3]
            if year == 9 and year9_options:
                options.append(
                    [adno, f"Pupil {n}", ("History", "Geography")[i % 2], "Art", ("French", "Music")[i % 3 == 0]]
                )
    for i in range(40):
        n += 1
        adno = f"{n:06d}"
        # The first pp_in_year_10 are disadvantaged; 6 girls only (a group under the minimum of 10).
        pupils.append(
            [adno, f"Pupil {n}", 10, "10A", "F" if i < 6 else "M", "Yes" if i < pp_in_year_10 else "No", "N", "N"]
        )
        subjects = [("English", 9), ("Maths", 8), ("Combined Science", 10), ("PE", 2), ("RE", 2), ("History", 5)]
        if i < y10_arts:
            subjects.append(("Art", 5))
        if i < y10_languages:
            subjects.append(("French", 5))
        classes += [[adno, f"10A/{s[:2]}", s, p] for s, p in subjects]
    files = [Source("pupils.csv", csv_bytes(pupils)), Source("classes.csv", csv_bytes(classes))]
    if year9_options:
        files.append(Source("options.csv", csv_bytes(options)))
    result = import_files(files)
    assert not result.blocking
    return result, analyse(result.tables, as_of=AS_OF)


# ---- Early options from evidence -------------------------------------------------------------


def test_next_years_choices_in_a_full_ks3_year_9_do_not_shorten_ks3():
    result, a = _school(year9_options=True)
    assert len(result.tables["options"]) > 0
    assert not a.records[Flag.EARLY_OPTIONS.column].any()
    assert a.indicators.ks3_length.iloc[0]["ks3_years"] == 3
    texts = [f.text for f in a.indicators.findings]
    assert not any("two years" in t or "options curriculum" in t for t in texts)
    assert (
        "Year 9's choices for Year 10 are recorded (30 pupils); they are next year's choices, not Year 9's "
        "curriculum this year." in texts
    )
    assert "Year 9's choices for Year 10 are recorded" in a.indicators.ks3_length.iloc[0]["evidence"]


def test_choices_alone_without_a_timetable_do_not_shorten_ks3():
    """A Year 9 whose only import is its option choices (next year's) is not an options curriculum."""
    students = [pupil(str(i), 9) for i in range(6)]
    blocks = [["French", "Art"], ["History", "D&T"], ["Computing", "Music"]]
    a = cohort(students, {}, options={str(i): blocks[i % 3] for i in range(6)})
    assert not a.records[Flag.EARLY_OPTIONS.column].any()
    assert not any("KS3 lasts" in f.text for f in a.indicators.findings)
    assert any(f.text.startswith("Year 9's choices for Year 10 are recorded (6 pupils)") for f in a.indicators.findings)


def test_without_choices_nothing_is_said_about_them():
    _, a = _school(year9_options=False)
    assert not any("choices" in f.text for f in a.indicators.findings)
    assert a.indicators.ks3_length.iloc[0]["evidence"] == "no KS3 year's timetable follows options"


def test_a_year_following_option_blocks_and_dropping_statutory_subjects_is_early_options():
    core = [("English", 8), ("Maths", 8), ("Science", 8), ("PE", 3), ("RE", 2), ("PSHE", 1)]
    blocks = [[("French", 6), ("Art", 6)], [("History", 6), ("D&T", 6)], [("Computing", 6), ("Music", 6)]]
    a = cohort([pupil(str(i), 9) for i in range(6)], {str(i): core + blocks[i % 3] for i in range(6)})
    assert a.records[Flag.EARLY_OPTIONS.column].all()
    [text] = [f.text for f in a.indicators.findings if f.topic == "KS3 length"]
    assert text.startswith("Year 9 follows a KS4-style options curriculum: KS3 lasts two years")
    assert "study without a statutory KS3 subject" in text


# ---- Small equity groups ---------------------------------------------------------------------


def test_small_equity_groups_are_suppressed_everywhere():
    _, a = _school(year9_options=False)
    eq = a.indicators.equity.set_index(["indicator", "group"])
    girls = eq.loc[(EquityIndicator.KS4_LANGUAGES, EquityGroup.GIRLS)]
    assert (girls["n_group"], girls["n_reference"]) == (6, 34)
    assert girls[["pct_group", "pct_reference", "gap_pp"]].isna().all() and not girls["highlight"]
    # No sentence about the 6 KS4 girls (the whole-school girls/boys comparison is large enough to report).
    assert not any(f.text.startswith("Girls") and "at KS4" in f.text for f in a.indicators.findings)
    # The workbook's Equity sheet: the girls' figures are blank, their sizes shown.
    sheet = pd.read_excel(io.BytesIO(build_workbook(a)), sheet_name="Equity", header=3, engine="calamine")
    rows = sheet[(sheet["group"] == EquityGroup.GIRLS.label) & (sheet["n_group"] == 6)]
    assert len(rows) == 5 and rows[["pct_group", "pct_reference", "gap_pp"]].isna().all().all()
    assert set(rows["n_group"]) == {6}
    # The dashboard's chart leaves them out and says why.
    chart = figures.equity_gaps(a.indicators.equity, a.settings)
    girls_points = [row for trace in chart.data if trace.name == EquityGroup.GIRLS.label for row in trace.customdata]
    assert girls_points and all(int(row[3]) != 6 for row in girls_points)
    assert "fewer than 10 pupils are not shown" in chart.layout.title.subtitle.text.replace("<br>", " ")


def test_the_minimum_group_size_defaults_to_10_and_is_configurable():
    assert Settings.default().equity["min_group_size"] == 10
    _, a = _school(year9_options=False)
    small = Settings.from_overrides({"equity": {"min_group_size": 5}})
    b = analyse(a.tables, settings=small, as_of=AS_OF)
    girls = b.indicators.equity.set_index(["indicator", "group"]).loc[
        (EquityIndicator.KS4_LANGUAGES, EquityGroup.GIRLS)
    ]
    assert pd.notna(girls["gap_pp"])


def test_equity_sentences_give_both_sizes_and_add_up_as_printed():
    _, a = _school(year9_options=False, pp_in_year_10=15, y10_languages=9)
    # Disadvantaged: 9 of 15 study French (60%); others: 0 of 25 (0%).
    [text] = [f.text for f in a.indicators.findings if f.topic == "Equity" and "language" in f.text]
    assert (
        text
        == "Disadvantaged pupils are 60 pp more likely to study a language at KS4 (60% of 15 vs 0% of 25 other pupils)."
    )


def test_the_printed_gap_is_the_gap_of_the_printed_figures():
    from natbacc.findings import equity_sentence

    row = {
        "group": "disadvantaged",
        "indicator": EquityIndicator.KS4_LANGUAGES,
        "pct_group": 40.7,
        "pct_reference": 60.2,
        "gap_pp": -19.5,
        "n_group": 123,
        "n_reference": 357,
    }
    assert equity_sentence(row).startswith("Disadvantaged pupils are 19 pp less likely to study a language at KS4 (41%")


# ---- National comparisons: measure, year, direction ------------------------------------------


def test_a_share_above_the_national_figure_says_above_with_measure_and_year():
    _, a = _school(year9_options=False, y10_arts=32)  # 80% study an arts subject
    texts = [f.text for f in a.indicators.findings if f.topic == "KS4 entitlement"]
    assert (
        "20% of KS4 pupils study no arts subject; 80% study at least one, above the national figure of 53.5% of KS4 "
        "pupils entered for at least one arts subject (exam entries, 2016; this school's figure is timetabled "
        "study, a different measure)."
    ) in texts


def test_a_share_below_the_national_figure_says_below_with_measure_and_year():
    _, a = _school(year9_options=False, y10_languages=12)  # 30% study a language
    texts = [f.text for f in a.indicators.findings if f.topic == "KS4 entitlement"]
    assert (
        "70% of KS4 pupils study no language; 30% study at least one, below the national figure of 45.9% of KS4 "
        "pupils entered for a language (EBacc language pillar) (exam entries, 2024/25; this school's figure is "
        "timetabled study, a different measure)."
    ) in texts


def test_the_chart_and_the_workbook_name_measure_year_and_direction():
    _, a = _school(year9_options=False, y10_arts=32, y10_languages=12)
    ent = a.indicators.ks4_entitlement.set_index("indicator")
    assert ent.loc[Entitlement.ARTS, "comparison"].startswith("above the national figure of 53.5%")
    assert ent.loc[Entitlement.LANGUAGES, "comparison"].startswith("below the national figure of 45.9%")
    assert ent.loc[Entitlement.HUMANITIES, "comparison"] == ""  # no sourced national figure: none is shown
    chart = figures.entitlement_bars(a.indicators.ks4_entitlement)
    assert any("exam entries, 2016" in str(tick) for tick in chart.data[0].y)
    subtitle = chart.layout.title.subtitle.text.replace("<br>", " ")
    assert "exam entries" in subtitle and "timetabled study" in subtitle
    hover = [str(c[0]) for c in chart.data[1].customdata]
    assert any(h.startswith("above the national figure") for h in hover)
    assert any(h.startswith("below the national figure") for h in hover)
    summary = pd.read_excel(io.BytesIO(build_workbook(a)), sheet_name="Summary", header=None, engine="calamine")
    cells = " ".join(str(v) for v in summary.to_numpy().ravel() if pd.notna(v))
    assert "below the national figure of 45.9% of KS4 pupils entered for a language" in cells
    assert "2024/25" in cells and "exam entries" in cells and "timetabled study" in cells


def test_only_sourced_national_figures_are_kept():
    from natbacc.indicators import national_references

    refs = national_references()
    assert set(refs) == {"ks4_arts", "ks4_languages", "ks4_ebacc"}
    assert all({"phrase", "measure", "year", "value", "source"} <= set(r) for r in refs.values())
    assert (refs["ks4_languages"]["value"], refs["ks4_ebacc"]["value"]) == (45.9, 40.5)


# ---- Dropped areas name their subjects -------------------------------------------------------


def test_the_dropped_area_finding_names_the_subjects_behind_it():
    students, classes = [], {}
    for i in range(20):
        for year in (8, 9):
            sid = f"{year}-{i}"
            students.append(pupil(sid, year))
            if year == 8:
                classes[sid] = KS3_FULL
            else:
                # Year 9: half keep history, a quarter geography, the rest neither.
                keep = [("History", 3)] if i < 10 else [("Geography", 3)] if i < 15 else []
                classes[sid] = [c for c in KS3_FULL if c[0] not in ("History", "Geography")] + keep
    a = cohort(students, classes)
    [text] = [f.text for f in a.indicators.findings if f.topic == "Dropped before Y10"]
    assert "humanities (Year 9: 75% still study it; history 50%, geography 25%)" in text


# ---- The on-track rule and its words -------------------------------------------------------------


def test_the_words_about_75_match_the_scores():
    """Six missing statutory subjects always fall below 75; four or five can still reach it; KS4 with one area."""
    text = default_settings_text()
    assert "missing six or more of the 13 statutory subjects always falls below 75" in text
    # Missing art, music, history, D&T; drama and construction keep every area: 60*9/13 + 25 + 15 = 81.5.
    four = [c for c in KS3_FULL if c[0] not in ("Art", "Music", "History", "D&T")]
    four += [("Drama", 2), ("Construction", 2)]
    # ... and geography, with sociology keeping humanities: 60*8/13 + 40 = 76.9.
    five = [c for c in four if c[0] != "Geography"] + [("Sociology", 3)]
    # ... and PSHE, then computing (an area goes each time): below 75 whatever PSHE counts for.
    six = [c for c in five if c[0] != "PSHE"]
    seven = [c for c in six if c[0] != "Computing"]
    a = cohort([pupil(str(k), 8) for k in (4, 5, 6, 7)], {"4": four, "5": five, "6": six, "7": seven})
    keys = a.settings.core["ks3_statutory"]
    missing = (~a.breadth.statutory[keys]).sum(axis=1).to_numpy()
    score = a.records["core_learning_score"].astype("float64").to_numpy()
    assert (missing >= 6).any() and (score[missing >= 6] < 75).all()
    assert ((missing >= 4) & (missing <= 5) & (score >= 75)).any()
    one_area = [*KS4_CORE, ("Art", 5), ("Statistics", 5)]
    b = cohort([pupil("k", 10)], {"k": one_area})
    assert float(b.records["core_learning_score"].iloc[0]) < 75
