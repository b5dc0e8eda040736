"""The records workbook, read back: typed cells, all sheets, formula-like text stays text."""

import io
import traceback

import numpy as np
import openpyxl
import pandas as pd
import pytest

from natbacc import export
from natbacc.analysis import analyse
from natbacc.export import (
    PSEUDONYMISED_COLUMNS,
    QUASI_IDENTIFIERS,
    STUDENT_COLUMNS,
    ExportError,
    build_workbook,
    is_formula_like,
    k_anonymise,
    pseudonyms,
    sheet_name,
)
from natbacc.io import Source, import_files
from natbacc.sample import AS_OF
from natbacc.settings import Settings, SettingsError
from tests.helpers import csv_bytes, import_one

KEY = b"test-key-0123456789abcdef-0123456789"
PAYLOADS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tTab", '=HYPERLINK("http://x")', "＝1+1"]


@pytest.fixture(scope="module")
def sample_book(sample_analysis, sample_result):
    data = build_workbook(sample_analysis, sample_result.issues, record_cards="10A", key=KEY)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_all_sheets_are_present(sample_book):
    """It writes the students, summary, narrowing, equity, subjects, issues and settings sheets and record cards."""
    names = sample_book.sheetnames
    assert names[:10] == [
        "Students",
        "Summary",
        "Narrowing",
        "Equity",
        "Subjects",
        "Data issues",
        "Settings",
        "Flags",
        "Columns",
        "Award",
    ]
    assert len([n for n in names if n.startswith("10A ")]) == 30


def test_award_sheet_has_one_row_per_registered_pupil_with_codes(sample_book):
    """The Award sheet: one row per registered pupil, statuses and missing keys as codes, the reason in words."""
    ws = sample_book["Award"]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["student_id", "school", "name"] and {"tier", "status", "missing", "reason"} <= set(header)
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 1320
    status = {r[header.index("status")] for r in rows}
    assert status == {"complete", "on course", "at risk", "not on course"}
    assert all(isinstance(r[0], str) and r[0].startswith("00") for r in rows)


def test_students_sheet_has_typed_cells(sample_book):
    """It writes IDs as text with leading zeros, numbers as numbers, and every required column."""
    ws = sample_book["Students"]
    header = [c.value for c in ws[1]]
    assert header == STUDENT_COLUMNS
    first = dict(zip(header, (c for c in ws[2]), strict=True))
    assert first["student_id"].data_type == "s" and first["student_id"].value == "001001"
    assert first["year_group"].data_type == "n" and first["year_group"].value == 7
    assert first["core_learning_score"].data_type == "n"
    assert first["periods_english"].value == 7
    assert ws.freeze_panes == "C2"  # the header, and the ID and name columns
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.max_row == 1321


def test_scores_and_status_have_conditional_formatting(sample_book):
    """It colours scores and status (the status is also written as words, never colour alone)."""
    ranges = [str(r.sqref) for r in sample_book["Students"].conditional_formatting]
    assert len(ranges) >= 4


def test_settings_sheet_records_the_rule_set(sample_book):
    """It records the rules and as-of date used, so a record can be reproduced."""
    values = {r[0].value: r[1].value for r in sample_book["Settings"].iter_rows(min_row=4)}
    assert values["as of"] == "20/11/2026"
    assert values["status.on_track"] == "75"


def test_subjects_sheet_lists_unmapped_first(sample_book):
    """It lists the mapping used, unmapped subjects first."""
    ws = sample_book["Subjects"]
    assert [c.value for c in ws[3]][:3] == ["label", "subject", "area"]
    assert ws["C4"].value == "unmapped" and ws["A4"].value == "Forest School"


def test_formula_like_text_stays_text():
    """It writes names and subjects that look like formulas as literal text (read back unchanged)."""
    rows = [["Adno", "Name", "Year", "Subject", "Periods"]]
    rows += [[f"{i:03d}", payload, "10", payload, "4"] for i, payload in enumerate(PAYLOADS)]
    result = import_one("evil.csv", csv_bytes(rows))
    analysis = analyse(result.tables, as_of=AS_OF)
    # The importer trims surrounding whitespace ("\tTab" -> "Tab"); the writer must also cope with raw tabs.
    analysis.records["name"] = PAYLOADS
    data = build_workbook(analysis, result.issues)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Students"]
    names = {ws.cell(r, 2).value: ws.cell(r, 2) for r in range(2, ws.max_row + 1)}
    assert set(names) == set(PAYLOADS)
    for payload, cell in names.items():
        assert cell.data_type == "s", payload
        if is_formula_like(payload):
            assert cell.quotePrefix, payload
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def test_pseudonymised_workbook_has_no_names_or_ids(sample_analysis, sample_result):
    """It replaces names and IDs by stable pseudonyms and leaves the data issues out."""
    data = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Data issues" not in book.sheetnames
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    for name in sample_analysis.records["name"].head(50):
        assert name not in text
    assert "001001" not in text
    again = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    col = [c.value for c in openpyxl.load_workbook(io.BytesIO(again))["Students"]["A"]]
    assert col == [c.value for c in book["Students"]["A"]], "pseudonyms are stable for the same key"


def test_pseudonyms_depend_on_the_key():
    """It gives different pseudonyms under a different key (no dictionary attack on known IDs)."""
    ids = pd.Series(["001001", "001002"], dtype="str")
    a, b = pseudonyms(ids, KEY), pseudonyms(ids, KEY[::-1])
    assert a.iloc[0] != b.iloc[0] and a.iloc[0] != a.iloc[1]
    assert a.iloc[0].startswith("Pupil ")


def test_filtered_records_export(sample_analysis, sample_result):
    """It exports only the pupils it is given (the dashboard's current filter)."""
    subset = sample_analysis.records[sample_analysis.records["reg_group"] == "8C"]
    data = build_workbook(sample_analysis, sample_result.issues, records=subset, key=KEY)
    assert openpyxl.load_workbook(io.BytesIO(data))["Students"].max_row == 31


@pytest.mark.parametrize("kind", ["students", "enrolments", "options", "project", "development"])
def test_templates_import_back_as_their_kind(kind):
    """A downloaded template, uploaded unchanged, is recognised with its example row and nothing skipped."""
    from natbacc.export import template_workbook

    data = template_workbook(kind)
    result = import_one(f"{kind}.xlsx", data)
    assert [(s.kind, s.rows) for s in result.sheets] == [(kind, 1)]
    assert not [i for i in result.issues if i.code == "not_recognised"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    notes = [c.comment.text for c in next(book.worksheets[0].iter_rows(max_row=1)) if c.comment]
    assert notes and all(n.startswith(("Required.", "Optional.")) for n in notes)


QUASI = ["reg_group", "sex", "sen", "pupil_premium", "eal"]


def _students(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name="Students", dtype={"pupil_code": str}, engine="calamine")


def _smallest_class(frame: pd.DataFrame) -> int:
    qi = [c for c in QUASI_IDENTIFIERS if c in frame.columns]
    return int(frame[qi].astype("string").fillna("(blank)").groupby(qi).size().min())


def test_the_sample_would_be_re_identified_without_coarsening(sample_analysis):
    """The reason for item 5: on the sample, tutor group + sex + SEN + PP + EAL single out many pupils."""
    size = sample_analysis.records.groupby(QUASI, dropna=False)["student_id"].transform("size")
    assert (size == 1).mean() > 0.10


def test_pseudonymised_students_sheet_keeps_no_quasi_identifiers_and_is_k_anonymous(sample_analysis, sample_result):
    """Each row keeps code, school, year, key stage and the strand results; every school/year/key stage
    combination is shared by at least k = 5 pupils; no names, IDs, UPNs or quasi-identifiers per pupil."""
    data = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    students = _students(data)
    assert list(students.columns) == PSEUDONYMISED_COLUMNS
    assert not {*QUASI, "name", "student_id", "upn", "explanation", "project_hours", "pd_hours"} & set(students.columns)
    assert not [c for c in students.columns if c.startswith("periods_")]
    assert len(students) == 1320 and students["pupil_code"].is_unique
    assert _smallest_class(students) >= 5
    summary = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(data))["Summary"] for c in row)
    assert "k-anonymity (k = 5" in summary and "0 pupils left out" in summary and "12 characters" in summary


def _random_cohort(seed: int = 7):
    """Two schools with year groups of 40, 3, 2, 30 and 1 pupils, random tutor groups and characteristics."""
    rng = np.random.default_rng(seed)
    pupils = [["Adno", "Name", "Year", "Reg Group", "Gender", "PP", "SEN", "EAL", "School"]]
    classes = [["Adno", "School", "Class", "Subject", "Periods"]]
    n = 0
    for school, sizes in (("North", {7: 40, 8: 3, 12: 2}), ("South", {9: 30, 13: 1})):
        for year, count in sizes.items():
            for _ in range(count):
                n += 1
                adno = f"{n:06d}"
                pupils.append(
                    [
                        adno,
                        f"Pupil {n}",
                        year,
                        f"{year}{'ABC'[rng.integers(3)]}",
                        rng.choice(["F", "M"]),
                        rng.choice(["Yes", "No"]),
                        rng.choice(["N", "K", "E"], p=[0.8, 0.15, 0.05]),
                        rng.choice(["Y", "N"]),
                        school,
                    ]
                )
                classes += [[adno, school, f"{year}X/{s[:2]}1", s, 4] for s in ("English", "Maths", "Science")]
    result = import_files([Source("pupils.csv", csv_bytes(pupils)), Source("classes.csv", csv_bytes(classes))])
    assert not result.blocking
    return result, analyse(result.tables, as_of=AS_OF)


def test_k_anonymity_on_a_random_cohort_generalises_then_leaves_out():
    """Years of 3 and 2 pupils lose year and key stage (together 5: kept); the lone Year 13 pupil, alone even
    at school level, is left out; every published combination has 5 or more pupils, and the Summary says so."""
    result, analysis = _random_cohort()
    data = build_workbook(analysis, result.issues, pseudonymise=True, key=KEY)
    students = _students(data)
    assert _smallest_class(students) >= 5
    assert len(students) == 75
    north = students[students["school"] == "North"]
    assert north["year_group"].isna().sum() == 5 and north["key_stage"].isna().sum() == 5
    assert set(students["year_group"].dropna()) == {7, 9}
    summary = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(data))["Summary"] for c in row)
    assert "year group blanked for 5, key stage for 5, school for 0; 1 pupils left out" in summary


@pytest.mark.parametrize("k", [2, 5, 10, 40])
def test_k_anonymise_holds_for_any_k_on_random_frames(k):
    """On random school/year/key stage frames (with missing values) every published class has k or more rows."""
    rng = np.random.default_rng(k)
    n = 500
    frame = pd.DataFrame(
        {
            "school": pd.Series(rng.choice(["A", "B", "C", None], n, p=[0.6, 0.3, 0.08, 0.02]), dtype="str"),
            "year_group": pd.array(rng.choice([7, 8, 9, 10, 11, 12, 13], n, p=[0.3, 0.3, 0.2, 0.1, 0.06, 0.03, 0.01])),
            "score": rng.random(n),
        }
    )
    frame["key_stage"] = frame["year_group"].map({7: 3, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 5})
    out, counts = k_anonymise(frame, k)
    assert len(out) + counts["left_out"] == n
    if len(out):
        assert _smallest_class(out) >= k
    assert counts["left_out"] < k


def test_the_equity_sheet_suppresses_small_groups_when_pseudonymised():
    """Sex, SEN, PP and EAL only appear as group percentages: figures for groups under the minimum size are blank
    in every workbook, and a pseudonymised one hides their sizes too."""
    result, analysis = _random_cohort()
    eq = analysis.indicators.equity
    below = max(int(analysis.settings.privacy["k_anonymity"]), int(analysis.settings.equity["min_group_size"]))
    tiny = (eq["n_group"] < below) | (eq["n_reference"] < below)
    assert tiny.any() and eq.loc[tiny, ["pct_group", "pct_reference", "gap_pp"]].isna().all().all()
    whole = build_workbook(analysis, result.issues)
    full = pd.read_excel(io.BytesIO(whole), sheet_name="Equity", header=3, engine="calamine")
    assert full.loc[tiny.to_numpy(), ["pct_group", "pct_reference", "gap_pp"]].isna().all().all()
    assert (full.loc[tiny.to_numpy(), "n_group"].to_numpy() == eq.loc[tiny, "n_group"].to_numpy()).all()
    data = build_workbook(analysis, result.issues, pseudonymise=True, key=KEY)
    shown = pd.read_excel(io.BytesIO(data), sheet_name="Equity", header=3, engine="calamine")
    small = shown["n_group"].astype(str).str.startswith("suppressed")
    assert small.sum() == tiny.sum() > 0
    assert shown.loc[small, ["pct_group", "pct_reference", "gap_pp"]].isna().all().all()
    assert pd.to_numeric(shown.loc[~small, "n_group"]).ge(below).all()


def test_record_cards_are_not_made_when_pseudonymised(sample_analysis, sample_result):
    """A record card shows tutor group, periods and hours: refused in words in a pseudonymised workbook."""
    with pytest.raises(ExportError, match="Record cards are not made in a pseudonymised workbook"):
        build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, record_cards="10A", key=KEY)


@pytest.mark.parametrize("value", [1, 0, 2.5, "5", True])
def test_the_k_setting_is_a_whole_number_of_two_or_more(value):
    """privacy.k_anonymity is validated like every other setting, with a message naming it."""
    with pytest.raises(SettingsError, match=r"privacy\.k_anonymity"):
        Settings.from_overrides({"privacy": {"k_anonymity": value}})
    assert Settings.from_overrides({"privacy": {"k_anonymity": 10}}).privacy["k_anonymity"] == 10


def test_a_larger_k_from_the_settings_coarsens_more():
    """k comes from the rule set: with k = 35, North's 40 Year 7s stay, South's 30 Year 9s lose their year."""
    result, analysis = _random_cohort()
    analysis.settings = Settings.from_overrides({"privacy": {"k_anonymity": 35}})
    students = _students(build_workbook(analysis, result.issues, pseudonymise=True, key=KEY))
    assert _smallest_class(students) >= 35
    assert set(students["year_group"].dropna()) == {7}


LONG_GROUP = "'[Year 10]: Mr O'Brien's *super* tutor/group\\ with a long name?'"  # 64 characters


def test_record_card_sheet_names_are_unique_and_valid():
    """Two pupils whose 31-character names would be the same get distinct, valid sheet names."""
    assert len(LONG_GROUP) >= 60
    rows = [["Adno", "Name", "Year", "Reg Group", "Subject", "Periods"]]
    rows += [[adno, f"Pupil {adno}", "10", LONG_GROUP, s, "4"] for adno in ("001001", "001002") for s in ("Art", "PE")]
    result = import_one("cards.csv", csv_bytes(rows))
    analysis = analyse(result.tables, as_of=AS_OF)
    group = analysis.records["reg_group"].iloc[0]
    assert len(group) > 31
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(analysis, result.issues, record_cards=group)))
    fixed = [n for n in ("Columns", "Award") if n in book.sheetnames]
    cards = book.sheetnames[max(book.sheetnames.index(n) for n in fixed) + 1 :]  # after the fixed sheets
    assert len(cards) == 2 and len({c.casefold() for c in cards}) == 2
    for name in cards:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and not name.startswith("'")
        assert not name.endswith("'")
    assert {book[c]["A1"].value for c in cards} == {"Pupil 001001", "Pupil 001002"}


def test_sheet_name_counts_up_within_31_characters():
    """The counter suffix stays inside Excel's 31 characters, and case does not make a name unique."""
    taken = {"students"}
    names = [sheet_name("x" * 40, taken) for _ in range(11)] + [sheet_name("STUDENTS", taken)]
    assert names[0] == "x" * 31 and names[1] == "x" * 27 + " (2)" and names[10] == "x" * 26 + " (11)"
    assert names[11] == "STUDENTS (2)"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
    assert sheet_name("'[]:*?/\\'", set()) == "Pupil"


def test_a_failure_while_building_is_told_in_words_without_pupil_data(sample_analysis, sample_result, monkeypatch):
    """An unforeseen error becomes ExportError naming its type; neither it nor its traceback quotes the pupil."""

    def broken(*args, **kwargs):
        raise ValueError("Sheetname 'Zoë O'Brien 001234' is already in use")

    monkeypatch.setattr(export, "_record_card", broken)
    monkeypatch.delenv("NATBACC_DEBUG", raising=False)
    with pytest.raises(ExportError) as caught:
        build_workbook(sample_analysis, sample_result.issues, record_cards="10A", key=KEY)
    logged = "".join(traceback.format_exception(caught.value))
    assert "ValueError" in str(caught.value) and "Nothing was written" in str(caught.value)
    assert "Zoë" not in logged and "001234" not in logged


def test_record_cards_equal_the_students_sheet_value_by_value(sample_book, sample_analysis):
    """Every card of the group shows that pupil's own scores, periods, hours and flags (cards once showed 0 h)."""
    from natbacc.model import AREA_LABELS, AREAS
    from natbacc.records import flags_of

    records = sample_analysis.records.set_index("student_id")
    students = {row[0]: row for row in sample_book["Students"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sample_book["Students"][1]]
    cards = [ws for ws in sample_book.worksheets if ws.title.startswith("10A ")]
    assert len(cards) == int((records["reg_group"] == "10A").sum()) > 0
    categories = sample_analysis.settings.development["categories"]
    shown_any_hours = False
    for ws in cards:
        values = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]}
        sid = values["Pupil ID"]
        pupil, sheet_row = records.loc[sid], dict(zip(header, students[sid], strict=True))
        assert ws["A1"].value == sheet_row["name"]
        assert values["Overall status"] == sheet_row["overall_status"]
        for label in ("Core Learning score", "Personal Project score", "Personal Development score"):
            column = label.lower().replace(" ", "_")
            assert values.get(label) == sheet_row[column], (sid, label)
        for area in AREAS:
            assert values.get(AREA_LABELS[area]) == sheet_row[f"periods_{area}"], (sid, area)
        for category in categories:
            expected = float(pupil[f"pd_hours_{category}"])
            assert float(values[category]) == pytest.approx(expected), (sid, category)
            shown_any_hours |= expected > 0
        flags = [
            v for v in (row[0] for row in ws.iter_rows(values_only=True)) if v in {f.value for f in flags_of(pupil)}
        ]
        assert flags == [f.value for f in flags_of(pupil)]
        assert "; ".join(flags) == (sheet_row["flags"] or "")
    assert shown_any_hours  # the sample's 10A has Personal Development hours: cards must show them
