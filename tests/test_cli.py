"""The natbacc command line."""

import json
import subprocess
import sys

import pytest

from natbacc.cli import main
from natbacc.sample import sample_paths
from tests.helpers import csv_bytes

TEST_KEY = "test-key-0123456789abcdef-0123456789"


def test_check_on_sample_reports_pupils_per_year(capsys):
    """It prints what each sheet was recognised as and the pupils per year, and exits 0."""
    code = main(["check", *map(str, sample_paths())])
    out = capsys.readouterr().out
    assert code == 0
    assert "Pupil details" in out and "Timetable / class lists" in out and "KS4 option choices" in out
    assert "Year 7         240" in out and "Total        1,320" in out
    assert "Importable: yes" in out


def test_check_json(capsys):
    """It prints one JSON object with the pupil count and located issues."""
    assert main(["check", "--json", *map(str, sample_paths())]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["students"] == 1320
    assert report["students_per_year"]["10"] == 240
    issue = next(i for i in report["issues"] if i["code"] == "bad_upn")
    assert set(issue) >= {"severity", "file", "sheet", "row", "column", "message"}
    assert (issue["file"], issue["sheet"], issue["row"], issue["column"]) == (
        "pupil_details.xlsx",
        "Pupils",
        42,
        "UPN",
    )


def test_check_blocks_on_bad_file(tmp_path, capsys):
    """It exits 1 with the importer's message when a file cannot be imported."""
    bad = tmp_path / "timetable.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "timetable.xlsx" in out and "damaged" in out and "Importable: no" in out


def test_check_header_only_file_json(tmp_path, capsys):
    """It reports a header-only file as a blocking error in JSON too."""
    f = tmp_path / "pupils.csv"
    f.write_bytes(csv_bytes([["Adno", "Name", "Year"]]))
    assert main(["check", "--json", str(f)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["students"] == 0 and report["issues"][0]["code"] == "no_rows"


def test_kind_flag_is_validated(capsys, tmp_path):
    """It explains a malformed --kind value."""
    f = tmp_path / "x.csv"
    f.write_bytes(csv_bytes([["Adno", "Name"], ["1", "A"]]))
    assert main(["check", str(f), "--kind", "x.csv=pupils"]) == 2
    assert "FILE=KIND" in capsys.readouterr().err


def test_console_script_runs_as_module():
    """It runs as `python -m natbacc` (the console script's target) without a traceback."""
    proc = subprocess.run([sys.executable, "-m", "natbacc", "check", "missing.csv"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_report_writes_workbook_and_prints_summary(tmp_path, capsys, monkeypatch):
    """It writes the records workbook and prints students, % on track and the top findings."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", TEST_KEY)
    out = tmp_path / "records.xlsx"
    code = main(["report", *map(str, sample_paths()), "-o", str(out), "--as-of", "20/11/2026", "--record-cards", "8C"])
    text = capsys.readouterr().out
    assert code == 0 and out.exists()
    assert "natbacc report: 1,320 pupils, as of 20/11/2026" in text
    assert "Core Learning" in text and "% on track" in text
    assert "8C has no music" in text


def test_report_stops_on_blocking_errors(tmp_path, capsys):
    """It writes nothing and exits 1 when an input cannot be imported."""
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"garbage\x00\x01\x02" * 100)
    out = tmp_path / "r.xlsx"
    assert main(["report", str(bad), "-o", str(out)]) == 1
    assert not out.exists()
    assert "No report written" in capsys.readouterr().out


def test_report_pseudonymised(tmp_path, capsys, monkeypatch):
    """It writes a pseudonymised workbook on request."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", TEST_KEY)
    out = tmp_path / "p.xlsx"
    assert main(["report", *map(str, sample_paths()), "-o", str(out), "--pseudonymise"]) == 0
    assert "pseudonymised" in capsys.readouterr().out


def test_an_unforeseen_failure_prints_its_type_not_a_traceback(monkeypatch, capsys):
    """A bug exits 70 with the error's type only: a traceback would print the pupil data in play."""
    from natbacc import cli

    def broken(args):
        raise KeyError("Zoë O'Brien 001234")

    monkeypatch.setattr(cli, "cmd_check", broken)
    assert cli.main(["check", "x.csv"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert "KeyError" in err and "Zoë" not in err and "Traceback" not in err

    monkeypatch.setenv("NATBACC_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["check", "x.csv"])


@pytest.mark.parametrize("key", ["", "k", "short-key-of-28-characters!!"])
def test_report_refuses_a_weak_pseudonym_key_in_words(tmp_path, capsys, monkeypatch, key):
    """An empty or short NATBACC_PSEUDONYM_KEY stops a pseudonymised report: exit 1, what to do, nothing written."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", key)
    out = tmp_path / "p.xlsx"
    assert main(["report", *map(str, sample_paths()), "-o", str(out), "--pseudonymise"]) == 1
    err = capsys.readouterr().err
    assert "NATBACC_PSEUDONYM_KEY" in err and "at least 32 bytes" in err and "token_hex(32)" in err
    assert "unexpected error" not in err and not out.exists()


def test_report_refuses_record_cards_with_pseudonyms(tmp_path, capsys, monkeypatch):
    """Record cards identify pupils, so they are not made in a pseudonymised report (a usage error)."""
    monkeypatch.setenv("NATBACC_PSEUDONYM_KEY", TEST_KEY)
    out = tmp_path / "p.xlsx"
    args = ["report", *map(str, sample_paths()), "-o", str(out), "--pseudonymise", "--record-cards", "10A"]
    assert main(args) == 2
    assert "record cards are not made in a pseudonymised workbook" in capsys.readouterr().err
    assert not out.exists()


def test_report_tells_a_build_failure_in_words_without_pupil_data(tmp_path, capsys, monkeypatch):
    """A failure while building the workbook exits 1 with a message naming its type, not 70, and no pupil data."""
    from natbacc import export

    def broken(*args, **kwargs):
        raise ValueError("Sheetname '10A 001234 Zoë' is already in use")

    monkeypatch.setattr(export, "_record_card", broken)
    monkeypatch.delenv("NATBACC_DEBUG", raising=False)
    out = tmp_path / "r.xlsx"
    assert main(["report", *map(str, sample_paths()), "-o", str(out), "--record-cards", "10A"]) == 1
    captured = capsys.readouterr()
    assert "could not be built (an unexpected ValueError)" in captured.err
    assert "Zoë" not in captured.err + captured.out and "001234" not in captured.err and not out.exists()
