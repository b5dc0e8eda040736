"""Property-based tests (hypothesis): random tables and bytes never crash the importer, and what goes in
comes out: pupil IDs with their leading zeros, names with their accents, subjects as written.

The examples are generated, so these find the inputs no one thought to write down. Under CI the
search is derandomised (the same examples every run), so a red build is always reproducible.
"""

from __future__ import annotations

import csv
import io
import os

import pandas as pd
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natbacc.io import Source, import_files
from natbacc.io import values as v
from natbacc.subjects import SubjectMap, normalise_label
from natbacc.upn import ALPHABET, check_letter, invalid_mask, is_valid
from natbacc.vocabulary import Sen

settings.register_profile(
    "natbacc",
    deadline=None,
    max_examples=int(os.environ.get("NATBACC_EXAMPLES", "60")),  # raise it for a long search
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("natbacc")

HEADINGS = [
    "Adno", "UPN", "Name", "Legal Surname", "Forename", "Year", "Reg Group", "Gender", "PP", "SEN", "EAL",
    "Subject", "Class", "Periods", "Block A", "Option 2", "Project Title", "Stage", "Supervisor", "Hours",
    "Activity", "Category", "Date",
]  # fmt: skip
CELL_WORDS = [
    "", " ", "Y10", "Year 7", "42", "-4", "0", "001234", "B801200005001", "Maths", "10X/Ma1", "Yes", "N", "K",
    "=SUM(A1)", "+1", "@cmd", "Total", "N/A", "01/10/2026", "2026-10-01", "3.5", "1e9", "Free", "complete",
]  # fmt: skip
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
CELLS = st.one_of(st.sampled_from(CELL_WORDS), st.text(_PRINTABLE, max_size=20))


def _csv(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(rows: list[list[str]]) -> bytes:
    """Every cell written as text, as an MIS export writes it (no formulas, numbers or links inferred)."""
    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buf, options)
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buf.getvalue()


FORMATS = st.sampled_from(["csv", "csv;", "tsv", "utf-16", "xlsx"])


def _file(rows: list[list[str]], fmt: str) -> Source:
    if fmt == "xlsx":
        return Source("data.xlsx", _xlsx(rows))
    if fmt == "utf-16":
        return Source("data.txt", b"\xff\xfe" + _csv(rows, "\t", "utf-16-le"))
    return Source(f"data.{fmt[:3]}", _csv(rows, {"csv": ",", "csv;": ";", "tsv": "\t"}[fmt], "utf-8"))


def _assert_clean(result, name: str) -> None:
    """No crash turned into a message, and every issue is well formed and located in this file."""
    for issue in result.issues:
        assert issue.code != "internal_error", issue.message
        assert issue.severity in {"error", "warning", "info"}
        assert issue.file in {name, ""}
        assert issue.row is None or issue.row >= 1
        assert issue.message


@given(
    headings=st.lists(st.one_of(st.sampled_from(HEADINGS), st.text(_PRINTABLE, max_size=12)), min_size=1, max_size=8),
    body=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=12),
    fmt=FORMATS,
)
def test_random_tables_never_crash_the_importer(headings, body, fmt):
    """Any table, in any supported format, gives an import result with located issues, never an exception."""
    source = _file([headings, *body], fmt)
    _assert_clean(import_files([source]), source.name)


#: The first bytes that send a file down each reader: workbook, legacy workbook, XML, UTF-8 and UTF-16 text.
MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<?xml", b"\xef\xbb\xbf", b"\xff\xfe"]


@given(
    head=st.sampled_from(MAGIC),
    tail=st.binary(max_size=3000),
    name=st.sampled_from(["a.xlsx", "a.csv", "a.xls", "a.xml", "a.ods", "a"]),
)
def test_random_bytes_never_crash_the_importer(head, tail, name):
    """Bytes that are nothing in particular are refused or read, never a traceback."""
    _assert_clean(import_files([Source(name, head + tail)]), name)


NAME_CHARS = st.one_of(
    st.characters(whitelist_categories=("Lu", "Ll", "Lt", "Lo", "Mn")), st.sampled_from(list(" '’-.,"))
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=25).map(str.strip).filter(lambda s: s and s[0].isalpha())
IDS = st.from_regex(r"\A[0-9]{1,9}\Z")
PUPILS = st.lists(st.tuples(IDS, NAMES, st.integers(7, 13)), min_size=1, max_size=15, unique_by=lambda p: p[0])
YEAR_STYLES = ["Year {}", "Y{}", "{}", "Yr {}", "NC Year {}"]


@given(pupils=PUPILS, style=st.sampled_from(YEAR_STYLES), fmt=FORMATS)
def test_pupil_ids_names_and_years_come_out_as_they_went_in(pupils, style, fmt):
    """IDs keep leading zeros, names keep accents, apostrophes and hyphens, years parse in any style."""
    rows = [["Adno", "Name", "Year"]] + [[pid, name, style.format(year)] for pid, name, year in pupils]
    source = _file(rows, fmt)
    result = import_files([source])
    _assert_clean(result, source.name)
    assert not result.blocking, [(i.code, i.message) for i in result.issues]
    got = result.students.set_index("student_id")
    assert sorted(got.index) == sorted(pid for pid, _, _ in pupils)
    for pid, name, year in pupils:
        assert got.at[pid, "name"] == name
        assert got.at[pid, "year_group"] == year


def _known_labels() -> list[str]:
    from natbacc.subjects import _read_config_csv

    subjects = {r["subject"] for r in _read_config_csv("subjects.csv")}
    return sorted(subjects | {r["alias"] for r in _read_config_csv("subject_aliases.csv")})


LABELS = st.one_of(st.sampled_from(_known_labels()), NAMES)


@given(
    lessons=st.lists(st.tuples(IDS, LABELS, st.integers(1, 12)), min_size=1, max_size=20, unique_by=lambda t: t[:2]),
    fmt=FORMATS,
)
def test_subjects_and_periods_come_out_as_written_and_mapped_by_the_shipped_table(lessons, fmt):
    """Every subject label is kept as written, mapped as the subject table says, with its periods."""
    rows = [["Adno", "Subject", "Periods"]] + [[pid, label, str(n)] for pid, label, n in lessons]
    source = _file(rows, fmt)
    result = import_files([source])
    _assert_clean(result, source.name)
    enrolments = result.tables["enrolments"]
    got = {(r.student_id, r.subject_label): r for r in enrolments.itertuples()}
    subjects = SubjectMap.default()
    for pid, label, periods in lessons:
        row = got[(pid, label)]
        assert row.periods == periods
        assert (row.subject, row.area) == subjects.resolve(label)[:2]


@given(st.lists(st.text(_PRINTABLE, max_size=16), max_size=30))
def test_the_vectorised_upn_check_agrees_with_the_dfe_rule(texts):
    """invalid_mask (numpy, whole column) says exactly what is_valid (one UPN, the DfE rule) says."""
    column = pd.Series(texts, dtype="object")
    expected = [bool(t.strip()) and not is_valid(t) for t in texts]
    assert invalid_mask(column).tolist() == expected


@given(st.text(st.sampled_from("0123456789"), min_size=11, max_size=11), st.sampled_from("0123456789" + ALPHABET))
def test_a_upn_with_its_check_letter_is_valid(body, last):
    """Every UPN built with the DfE check letter passes, permanent (digit) or temporary (letter)."""
    upn = check_letter(body + last) + body + last
    assert is_valid(upn) and not invalid_mask(pd.Series([upn])).iloc[0]


@given(st.integers(7, 13), st.sampled_from([*YEAR_STYLES, "year {}", "YEAR {}", " Y{} ", "Year-{}"]))
def test_year_groups_parse_in_every_style(year, style):
    """The spellings MIS exports use all mean the same year; none is reported as bad."""
    years, bad = v.parse_year_group(pd.Series([style.format(year)]))
    assert years.iloc[0] == year and not bad.iloc[0]


@given(st.lists(st.text(_PRINTABLE, max_size=12), max_size=20))
def test_value_parsers_accept_any_text_and_flag_only_what_they_cannot_read(texts):
    """Every parser returns one value per cell; a flagged cell is never blank; a year is 7-13 or missing."""
    column = pd.Series(texts, dtype="str")
    years, bad_year = v.parse_year_group(column)
    assert len(years) == len(texts) and years.dropna().between(7, 13).all()
    assert not (bad_year & (column.str.strip() == "")).any()
    flags, bad_flag = v.parse_bool(column)
    assert flags[~bad_flag].isin([True, False]).all()
    sen, _ = v.parse_sen(column)
    assert set(sen) <= {s.value for s in Sen}  # N, K, E, or U (yes/no: SEN, type not given)
    numbers = v.parse_number(column)
    assert all(len(part) == len(texts) for part in numbers)


@given(st.text(_PRINTABLE, max_size=30))
def test_subject_label_normalisation_is_idempotent(label):
    """Matching keys are stable: normalising a key again changes nothing."""
    key = normalise_label(label)
    assert normalise_label(key) == key
