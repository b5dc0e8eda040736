"""Every issue code the importer emits is a member of ``vocabulary.IssueCode``, written as one."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from natbacc.io import import_files
from natbacc.io import issues as io_issues
from natbacc.sample import sample_paths
from natbacc.vocabulary import READ_ERRORS, IssueCode

IO = Path(__file__).resolve().parents[1] / "src" / "natbacc" / "io"
SRC = IO.parent


def test_no_bare_code_strings_in_io():
    for path in sorted(IO.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert 'code="' not in text and "code='" not in text, path.name
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            codes = [k.value for k in node.keywords if k.arg == "code"]
            if isinstance(node.func, ast.Name) and node.func.id == "unreadable" and len(node.args) >= 3:
                codes.append(node.args[2])
            for code in codes:  # IssueCode.<MEMBER>, or a parameter passing one through (IssueLog.add)
                passed_on = isinstance(code, ast.Name) and code.id == "code"
                member = isinstance(code, ast.Attribute) and getattr(code.value, "id", "") == "IssueCode"
                assert passed_on or member, f"{path.name}:{node.lineno} passes {ast.unparse(code)} as an issue code"


def test_every_code_named_in_the_source_is_a_member():
    named = {m for p in SRC.rglob("*.py") for m in re.findall(r"IssueCode\.([A-Z_][A-Z0-9_]*)", p.read_text("utf-8"))}
    assert named, "no IssueCode members named anywhere?"
    assert named <= set(IssueCode.__members__), named - set(IssueCode.__members__)


def test_codes_are_unique_stable_strings_with_labels():
    values = [m.value for m in IssueCode]
    assert len(values) == len(set(values)) == len(IssueCode.__members__)  # no aliases hiding a duplicate value
    for member in IssueCode:
        assert member.value == member.name.lower() and re.fullmatch(r"[a-z][a-z0-9_]*", member.value)
        assert member.label and member.label != member.value
    assert json.dumps({"code": IssueCode.TOO_LARGE}) == '{"code": "too_large"}'  # stored and exported as before


def test_read_errors_come_from_the_vocabulary():
    assert io_issues.READ_ERRORS is READ_ERRORS
    assert set(IssueCode) >= READ_ERRORS
    assert {IssueCode.TOO_LARGE, IssueCode.CORRUPT_WORKBOOK, IssueCode.INTERNAL_ERROR} <= READ_ERRORS
    assert IssueCode.BAD_UPN not in READ_ERRORS and IssueCode.NOT_RECOGNISED not in READ_ERRORS


def test_an_import_emits_only_vocabulary_codes():
    result = import_files(sample_paths())
    assert result.issues
    assert all(IssueCode.of(issue.code) is not None for issue in result.issues)
