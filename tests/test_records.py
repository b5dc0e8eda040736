"""The scored records table has one declared shape, whatever was imported; its flags round-trip as text."""

from __future__ import annotations

import pandas as pd

from natbacc.analysis import analyse
from natbacc.export import STUDENT_COLUMNS
from natbacc.records import FLAG_COLUMNS, flags_from_text, flags_text, record_columns, workbook_columns
from natbacc.sample import AS_OF
from natbacc.vocabulary import Flag
from tests.helpers import csv_bytes, import_one


def _declared(analysis) -> list[tuple[str, str]]:
    return [(c.name, c.dtype) for c in record_columns(analysis.settings)]


def _actual(records: pd.DataFrame) -> list[tuple[str, str]]:
    return [(name, str(dtype)) for name, dtype in records.dtypes.items()]


def test_the_sample_schools_records_are_exactly_the_declaration(sample_analysis):
    assert _actual(sample_analysis.records) == _declared(sample_analysis)


def test_a_school_with_only_class_lists_has_the_same_shape():
    """No project or development log: their columns are there, blank, not missing."""
    result = import_one(
        "c.csv", csv_bytes([["Adno", "Name", "Year", "Class", "Subject"], ["1", "Ann", "7", "7A/Ma1", "Maths"]])
    )
    analysis = analyse(result.tables, as_of=AS_OF)
    assert _actual(analysis.records) == _declared(analysis)
    assert analysis.records["pd_hours"].isna().all() and analysis.records["project_stage"].isna().all()
    assert not any("Personal Development hours" in f.text for f in analysis.indicators.findings)


def test_flags_are_boolean_columns_and_their_text_form_round_trips(sample_analysis):
    records = sample_analysis.records
    assert all(records[c].dtype == bool for c in FLAG_COLUMNS)
    text = flags_text(records)
    assert set(text[text != ""].str.split("; ").explode()) <= {f.value for f in Flag}
    pd.testing.assert_frame_equal(flags_from_text(text), records[list(FLAG_COLUMNS)], check_names=False)


def test_the_workbook_reads_its_columns_from_the_declaration():
    assert list(workbook_columns()) == STUDENT_COLUMNS
    assert "flags" in STUDENT_COLUMNS and not any(c.startswith("flag_") for c in STUDENT_COLUMNS)
