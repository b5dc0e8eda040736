"""What the importer reads and what it reads it into: a named file's bytes, and one sheet's text cells.

Kept apart from ``read`` so every io module (the CTF reader, the layouts, the builders) can use the
two types without importing the readers that use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Grid", "Source"]


@dataclass(frozen=True)
class Source:
    """One uploaded or named file: its name (for messages) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        """Read a file from disk."""
        p = Path(path)
        return cls(p.name, p.read_bytes())


@dataclass
class Grid:
    """The text cells of one CSV file or one workbook sheet.

    ``group_level`` marks rows that are classes or student sets (a timetabler's groups), not pupils:
    the import counts them as classes and says nothing is scored per pupil.
    """

    file: str
    sheet: str | None
    cells: pd.DataFrame
    group_level: bool = False
