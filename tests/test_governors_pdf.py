"""The report for governors (#17): its text, read back with pypdf, says what the workbook's Summary says;
it names no pupil; small equity groups are suppressed; it builds with no browser anywhere on PATH."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from natbacc.analysis import analyse
from natbacc.cohort import CohortFilter, apply_filter
from natbacc.export import build_workbook
from natbacc.governors_pdf import TOP_FINDINGS, governors_pdf
from natbacc.report_context import ReportContext
from natbacc.sample import sample_paths
from tests.helpers import csv_bytes, import_one

CONTEXT = ReportContext("Oakfield Academy", "Autumn 2026", made=date(2026, 11, 21))


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces as single spaces (reportlab wraps lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _flat(text: object) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def sample_pdf(sample_analysis) -> str:
    return pdf_text(governors_pdf(sample_analysis, CONTEXT))


@pytest.fixture(scope="module")
def summary(sample_analysis, sample_result) -> list[tuple]:
    book = load_workbook(io.BytesIO(build_workbook(sample_analysis, sample_result.issues, context=CONTEXT)))
    return [tuple(c for c in row) for row in book["Summary"].iter_rows(values_only=True)]


def _section(rows: list[tuple], title: str) -> list[tuple]:
    """The rows under the first row headed ``title``, up to the next blank row."""
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    out = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        out.append(row)
    return out


def test_the_pdf_states_the_school_term_filter_and_dates_as_the_summary_does(sample_pdf, summary):
    heading = [_flat(r[0]) for r in summary[1:4]]
    assert heading == [
        "School: Oakfield Academy.",
        "Term: Autumn 2026. Data as of 20/11/2026; made on 21/11/2026.",
        "Filter: none, all pupils (1,320).",
    ]
    for line in heading:
        assert line in sample_pdf


def test_the_strand_figures_are_the_summarys(sample_pdf, summary):
    strands = _section(summary, "Strand")
    assert [r[0] for r in strands[:3]] == ["Core Learning", "Personal Project", "Personal Development"]
    for label, pct, *_ in strands[:3]:
        assert f"{label} {float(pct):.0f}%" in sample_pdf, label
    flagged = next(r for r in summary if r[0] == "Pupils with at least one flag")[1]
    assert f"{int(flagged):,} pupils have at least one flag" in sample_pdf


def test_the_top_findings_are_the_summarys_in_its_order(sample_pdf, summary):
    findings = [_flat(r[0]) for r in _section(summary, "Findings")]
    assert len(findings) > TOP_FINDINGS
    positions = [sample_pdf.find(text) for text in findings[:TOP_FINDINGS]]
    assert all(p >= 0 for p in positions), [f for f, p in zip(findings, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert f"{len(findings) - TOP_FINDINGS} further findings are in the records workbook's Summary sheet" in sample_pdf
    # the national comparisons, each naming its measure, year and direction, as in the Summary's table
    header = next(r for r in summary if r[:2] == ("indicator", "pct_pupils"))
    table = [dict(zip(header, r, strict=False)) for r in _section(summary, header[0]) if r != header]
    compared = [row for row in table if row.get("comparison")]
    assert compared
    for row in compared:
        assert _flat(row["comparison"]) in sample_pdf
        assert f"{float(row['national_pct']):.1f}% ({row['national_measure']}, {row['national_year']})" in sample_pdf
        assert f"{float(row['pct_pupils']):.1f}% (timetabled study)" in sample_pdf


def test_no_pupil_is_named(sample_pdf, sample_analysis):
    names = sample_analysis.records["name"].dropna()
    assert not [n for n in names if len(n) > 5 and n in sample_pdf]
    ids = sample_analysis.records["student_id"]
    assert not [i for i in ids if f" {i} " in f" {sample_pdf} "]


def test_small_equity_groups_are_suppressed_and_text_is_never_markup():
    rows = [["Adno", "Name", "Year", "Gender", "PP", "Class", "Subject", "Periods"]]
    for i in range(30):
        sex, pp = ("F" if i < 4 else "M"), ("Yes" if i < 15 else "No")
        rows += [[f"{i:04d}", f"Pupil {i}", 10, sex, pp, "10X/En1", "English", 8]]
        rows += [
            [
                f"{i:04d}",
                f"Pupil {i}",
                10,
                sex,
                pp,
                "10X/Fr1" if i % 2 else "10X/Hi1",
                "French" if i % 2 else "History",
                5,
            ]
        ]
    result = import_one("classes.csv", csv_bytes(rows))
    analysis = analyse(result.tables, as_of=date(2027, 2, 10))
    text = pdf_text(governors_pdf(analysis, ReportContext("St <b>Mary</b> & All Saints", "Spring 2027")))
    assert "School: St <b>Mary</b> & All Saints." in text  # shown as written, never as markup
    assert "Girls:" not in text  # 4 girls: under the minimum of 10, every comparison suppressed
    assert "Disadvantaged (PP):" in text  # 15 and 15: shown
    assert "fewer than 10 pupils is never shown" in text


def test_a_filtered_report_says_so(sample_analysis):
    cohort = CohortFilter(years=(9,))
    view = apply_filter(sample_analysis, cohort)
    context = ReportContext("Oakfield Academy", "Autumn 2026", cohort.describe())
    text = pdf_text(governors_pdf(view, context))
    assert f"Filter: Year 9 ({len(view.records):,} pupils; every figure in this report is for them only)." in text
    assert "Not available for these pupils: there are no KS4 pupils with a curriculum." in text


def test_the_cli_builds_the_pdf_with_no_browser_on_path(tmp_path):
    """A fresh process whose PATH holds nothing (no chromium, no LaTeX): the PDF is made, no workbook."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PATH", "BROWSER")}
    env |= {"PATH": str(empty), "HOME": str(tmp_path), "NATBACC_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"}
    out = tmp_path / "governors.pdf"
    code = (
        "import sys, shutil\n"
        "from natbacc.cli import main\n"
        "assert not any(shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome', 'pdflatex'))\n"
        "args = ['--as-of', '20/11/2026', '--school', 'Oakfield Academy']\n"
        f"rc = main(['report', *sys.argv[1:], *args, '--pdf', {str(out)!r}])\n"
        "assert not {'kaleido', 'playwright', 'plotly'} & set(sys.modules), 'a browser-based renderer was loaded'\n"
        "sys.exit(rc)\n"
    )
    files = [str(p) for p in sample_paths()]
    done = subprocess.run([sys.executable, "-c", code, *files], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "the report for governors (no pupil named)" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.xlsx"))
    assert "Oakfield Academy" in pdf_text(out.read_bytes())
