"""Refactors change no output: the sample school's workbooks, CLI JSON and charts, digest by digest.

``tests/golden/sample_outputs.json`` holds a SHA-256 of every workbook sheet's cell values (the
records workbook with record cards, and the pseudonymised one), of ``natbacc check --json`` and
``report --json``-free stdout, and of every chart's data and titles. A change that is meant to alter
an output regenerates the file with ``NATBACC_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py``
and says so in its commit message; any other difference fails here, naming what changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest

from natbacc.cli import main
from natbacc.export import build_workbook
from natbacc.sample import sample_paths
from tests.test_figures import every_figure

GOLDEN = Path(__file__).parent / "golden" / "sample_outputs.json"
KEY = b"golden-key-0123456789abcdef-0123456789"


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sheets(data: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: _digest([list(row) for row in ws.iter_rows(values_only=True)]) for ws in book.worksheets}


def _figure(fig) -> str:
    spec = fig.to_plotly_json()
    return _digest({"data": spec["data"], "title": spec["layout"].get("title")})


@pytest.fixture(scope="module")
def outputs(sample_analysis, sample_result, tmp_path_factory) -> dict[str, str]:
    out: dict[str, str] = {}
    plain = build_workbook(sample_analysis, sample_result.issues, record_cards="10A", key=KEY)
    for sheet, digest in _sheets(plain).items():
        out[f"workbook/{sheet}"] = digest
    shared = build_workbook(sample_analysis, sample_result.issues, pseudonymise=True, key=KEY)
    for sheet, digest in _sheets(shared).items():
        out[f"pseudonymised/{sheet}"] = digest
    for name, fig in every_figure(sample_analysis).items():
        out[f"figure/{name}"] = _figure(fig)
    return out


def _cli(capsys, argv: list[str]) -> str:
    capsys.readouterr()
    main(argv)
    return capsys.readouterr().out


def test_outputs_match_the_golden_digests(outputs, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NATBACC_DATABASE_URL", f"sqlite:///{tmp_path / 'natbacc.db'}")
    files = [str(p) for p in sample_paths()]
    found = dict(outputs)
    found["cli/check --json"] = _digest(json.loads(_cli(capsys, ["check", "--json", *files])))
    report = _cli(capsys, ["report", *files, "--as-of", "20/11/2026", "-o", str(tmp_path / "r.xlsx")])
    # The workbook's size in KB is left out: its bytes carry a creation time, so a size near a rounding boundary
    # printed 149 or 150 KB from run to run (the sheets themselves are digested above).
    found["cli/report"] = _digest(re.sub(r"\(\d+ KB\)", "(<size>)", report.replace(str(tmp_path), "<tmp>")))
    if os.environ.get("NATBACC_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(k for k in golden.keys() | found.keys() if golden.get(k) != found.get(k))
    assert not changed, f"outputs changed: {changed} (regenerate only for an intended change; see the docstring)"
