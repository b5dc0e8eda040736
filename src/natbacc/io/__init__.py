"""Import what schools really have: any mix of files and sheets -> canonical tables + issues.

``import_files`` is the one entry point the CLI and the dashboard share::

    result = import_files(["pupils.xlsx", "timetable.csv", "options.xlsx"])
    result.tables["students"], result.issues, result.sheets

Every sheet of every file is recognised from its columns (never from its name); any single file is
enough (pupils are inferred from it); all tables are joined on ``pupil_key`` (the pupil ID, or school and
pupil ID in a trust's upload: ``natbacc.io.identity``). This package module
only re-exports: the pipeline is ``natbacc.io.pipeline``, so importing any io module runs nothing.
"""

from natbacc.io.pipeline import auto_workers, import_files
from natbacc.io.rules import ImportRules
from natbacc.io.source import Source
from natbacc.model import ImportResult
from natbacc.subjects import apply_subject_map

__all__ = ["ImportResult", "ImportRules", "Source", "apply_subject_map", "auto_workers", "import_files"]
