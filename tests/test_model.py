"""The canonical tables: documentation and templates come from the same declarations."""

import pytest

from natbacc.io import Source, import_files
from natbacc.model import TABLE_KINDS, describe_tables, template
from tests.helpers import csv_bytes

EXPECTED_KIND = {
    "students": "students",
    "enrolments": "enrolments",
    "options": "options",
    "project": "project",
    "development": "development",
    "qualifications": "qualifications",
}


def test_describe_tables_documents_every_column():
    """It documents every canonical column with a description and an example."""
    docs = describe_tables()
    assert set(docs["table"]) == set(TABLE_KINDS)
    assert docs["description"].str.len().gt(5).all()
    assert docs.loc[docs["column"] == "student_id", "required"].all()


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_each_template_imports_as_its_own_kind(kind):
    """It offers a template per kind that natbacc itself recognises and imports without errors."""
    frame = template(kind)
    rows = [list(frame.columns), *frame.astype(str).values.tolist()]
    result = import_files([Source(f"{kind}-template.csv", csv_bytes(rows))])
    assert [s.kind for s in result.sheets] == [EXPECTED_KIND[kind]]
    assert not [i for i in result.issues if i.severity == "error"]
    assert result.students["student_id"].tolist() == ["001234"]
