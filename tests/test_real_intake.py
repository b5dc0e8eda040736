"""Every real third-party export in ``../shared/real-exports`` (issue #16): read alone and folder by folder.

The folder differs between machines (CI holds more exports than a laptop: Untis, Kurs42, aSc, SDS v1, a trust
warehouse, course-request sheets), so these tests find files by what they contain, never by a list of names:
whatever is there must import without an internal error, every issue must name its file, group-level data is
never counted as pupils, and a ``Password`` column's values appear in no output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from natbacc.io import import_files
from natbacc.io.xmlformats import xml_root

_SKIP = {".md", ".pdf", ".png", ".jpg", ".zip", ".gz"}


def _exports(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in _SKIP)


def _folders(root: Path) -> list[Path]:
    return sorted({p.parent for p in _exports(root) if p.parent != root})


def _passwords(path: Path) -> set[str]:
    """The values of a 'Password' column, if the file is a CSV with one."""
    if path.suffix.lower() not in {".csv", ".txt"}:
        return set()
    text = path.read_bytes()[:2_000_000].decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "password" not in [c.strip().lower() for c in rows[0]]:
        return set()
    col = [c.strip().lower() for c in rows[0]].index("password")
    return {r[col].strip() for r in rows[1:] if len(r) > col and len(r[col].strip()) >= 4}


def _check(result, passwords: set[str]) -> None:
    assert not [i for i in result.issues if i.code == "internal_error"], [i.message for i in result.issues]
    assert all(i.file for i in result.issues), [i for i in result.issues if not i.file]
    assert result.pupils <= len(result.students)
    if result.student_sets:
        assert result.pupils == len(result.students) - len(result.student_sets)
    shown = repr(result.tables) + repr(result.issues) + repr(result.sheets)
    assert not [p for p in passwords if p in shown]


def test_every_real_export_imports_alone_without_an_internal_error(real_exports):
    for path in _exports(real_exports):
        _check(import_files([path]), _passwords(path))


def test_every_real_export_folder_imports_together(real_exports):
    for folder in _folders(real_exports):
        paths = _exports(folder)
        _check(import_files(paths), set().union(*map(_passwords, paths)))


def test_real_xml_exports_are_recognised_by_their_root(real_exports):
    """aSc exports (root <timetable>, often without an <?xml line) are read; FET files are named, not refused blind."""
    for path in _exports(real_exports):
        root = xml_root(path.read_bytes()[:4096])
        if root == "timetable":
            result = import_files([path])
            assert [i for i in result.issues if i.code == "asc_timetable"], path
            assert not result.blocking or result.tables["enrolments"].empty
        elif root == "fet":
            assert [i for i in import_files([path]).issues if i.code == "foreign_format"], path


@pytest.mark.parametrize("table", ["GPU001", "GPU002"])
def test_real_untis_exports_are_read_as_class_level_curriculum(real_exports, table):
    found = [p for p in _exports(real_exports) if p.name.upper().startswith(table)]
    if not found:
        pytest.skip(f"no {table} export on this machine")
    for path in found:
        result = import_files([path])
        assert [i for i in result.issues if i.code == "untis_export"], path
        assert result.pupils == 0 and not result.tables["enrolments"].empty


def test_an_fet_block_planning_export_is_never_counted_in_pupils(real_exports, capsys):
    """FET's block-planning files give student sets: `natbacc check` counts them as sets in every line (the
    sheet's count, the totals, the notes and the warning), never as pupils."""
    from natbacc.cli import main

    folder = real_exports / "fet-csv-export" / "BlockPlanning-DarrenMcDonald"
    main(["check", *map(str, sorted(folder.iterdir()))])
    out = capsys.readouterr().out
    assert "81 student sets without a year group" in out and "81 student sets were taken from" in out
    assert "81 pupils" not in out and "Total            0" in out
    assert out.startswith("WARNING  Nothing is scored per pupil: the files give 81 classes or student sets")
