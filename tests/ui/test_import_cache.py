"""A settings change that does not affect reading re-scores the cohort without reading any file again.

The dashboard keys its import cache on the importer's own rules (``ImportRules``), not on every
setting: at 30,000 pupils a re-read costs seconds, a re-score a fraction of one.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import natbacc.io.pipeline as pipeline
import natbacc.ui.data as data
from natbacc.analysis import analyse
from natbacc.settings import Settings

from .conftest import APP


def _counting(monkeypatch) -> tuple[list[str], list[Settings]]:
    """Files read and rule sets scored with, from here on."""
    reads: list[str] = []
    scorings: list[Settings] = []
    read_grids = pipeline.read_grids

    def reading(source, *args, **kwargs):
        reads.append(source.name)
        return read_grids(source, *args, **kwargs)

    def scoring(tables, settings, *args, **kwargs):
        scorings.append(settings)
        return analyse(tables, settings, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_grids", reading)
    monkeypatch.setattr(data, "analyse", scoring)
    return reads, scorings


def _run_with(at: AppTest, overrides: dict) -> None:
    at.session_state["settings"] = Settings.default().with_overrides(overrides)
    at.run()
    assert not at.exception, at.exception


def test_an_equity_setting_rescores_without_rereading(monkeypatch):
    reads, scorings = _counting(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(reads) == 6 and len(scorings) == 1  # the sample school's six files, scored once

    reads.clear()
    _run_with(at, {"equity": {"gap_threshold_pp": 15}})
    assert reads == []  # nothing read again...
    assert len(scorings) == 2  # ...but scored again under the new rule set
    assert scorings[-1].equity["gap_threshold_pp"] == 15

    _run_with(at, {"equity": {"gap_threshold_pp": 15}, "status": {"on_track": 85}})
    assert reads == [] and len(scorings) == 3


def test_a_reading_rule_reads_the_files_again(monkeypatch):
    reads, scorings = _counting(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    reads.clear()
    _run_with(at, {"timetable": {"periods_per_cycle": 60}})  # questions period counts differently
    assert len(reads) == 6 and len(scorings) == 2
