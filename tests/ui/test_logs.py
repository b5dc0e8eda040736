"""Nothing about a pupil reaches a log: server logs outlive sessions and are read by people who are not
entitled to pupil data (hosting staff, log collectors)."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from tests.helpers import csv_bytes, xlsx_bytes
from tests.ui.conftest import goto
from tests.ui.test_terms import _save_term, _upload

#: Distinctive values: if any of them shows up in a log line, a pupil's data leaked into it.
PUPILS = [
    ["Adno", "UPN", "Legal Surname", "Legal Forename", "Year", "Reg Group", "PP", "SEN", "EAL"],
    ["7301234", "B801200005001", "Quorblewick", "Zyxwé", "Year 10", "10Q", "Yes", "K", "N"],
    ["7305678", "", "Fennimorrow", "Ulvaïs", "Y8", "8Q", "No", "E", "Y"],
    ["7309999", "", "Bad-Year", "Yarrowbie", "Y42", "", "perhaps", "Q", ""],
]
CLASSES = [["Adno", "Class", "Subject", "Periods"]] + [
    [pid, f"{grp}/{s[:2]}1", s, p]
    for pid, grp in (("7301234", "10Q"), ("7305678", "8Q"))
    for s, p in (("English", 4), ("Maths", "-3"), ("Xylophonics Deluxe", 2))
]
SECRETS = ["7301234", "7305678", "7309999", "B801200005001", "Quorblewick", "Zyxwé", "Fennimorrow", "Ulvaïs"]
SECRETS += ["Yarrowbie", "Xylophonics"]


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@pytest.fixture
def every_log_line():
    """Every record from every logger at DEBUG, including Streamlit's, which do not propagate to root."""
    handler = _Everything()
    names = ["", *logging.root.manager.loggerDict]
    loggers = [
        logging.getLogger(n)
        for n in names
        if not isinstance(logging.root.manager.loggerDict.get(n), logging.PlaceHolder)
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler.lines
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_the_dashboard_logs_nothing_about_pupils(app, every_log_line):
    """Upload, validation warnings, every page, saving a term: no name, ID or UPN in any log record."""
    files = [
        ("pupils.xlsx", xlsx_bytes({"Pupils": PUPILS}), "application/octet-stream"),
        ("classes.csv", csv_bytes(CLASSES), "text/csv"),
    ]
    _upload(app, files)
    for page in ("overview", "ks3", "ks4", "equity", "students", "project_development", "export", "trends"):
        goto(app, page)
    _save_term(app, "Autumn 2026", "Elm Park")
    assert every_log_line, "the capture saw no log records at all, so it proves nothing"
    leaked = [(s, line) for line in every_log_line for s in SECRETS if s in line]
    assert not leaked, leaked[:3]


def test_the_command_line_writes_nothing_about_pupils_to_stderr(tmp_path):
    """Diagnostics go to stderr (what a scheduler logs); the report itself is the only place pupils appear."""
    (tmp_path / "pupils.xlsx").write_bytes(xlsx_bytes({"Pupils": PUPILS}))
    (tmp_path / "classes.csv").write_bytes(csv_bytes(CLASSES))
    files = [str(tmp_path / "pupils.xlsx"), str(tmp_path / "classes.csv")]
    for args in (["check", *files], ["report", *files, "-o", str(tmp_path / "r.xlsx")]):
        run = subprocess.run([sys.executable, "-m", "natbacc", *args], capture_output=True, text=True, timeout=120)
        leaked = [s for s in SECRETS if s in run.stderr]
        assert not leaked, (args[0], run.stderr[-500:])
