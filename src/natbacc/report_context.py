"""What a report was made for: the school, the term, the filter and the day, said the same way everywhere.

A workbook or PDF read weeks later, forwarded to a governor or printed, must say which pupils it describes
(a Year 9 filter is not the school) and when it was made. The records workbook's Summary sheet, its file
name and the governors' PDF all take these words from one ``ReportContext``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

#: What a report made for every pupil says as its filter.
EVERY_PUPIL = "All pupils"


def _today() -> date:
    return date.today()


def school_of(records: pd.DataFrame) -> str:
    """The school(s) the records name: one name, up to three joined, else "N schools" ("" when none)."""
    if "school" not in records:
        return ""
    text = records["school"].dropna().astype("str").str.strip()
    names = sorted(text[text != ""].unique())
    if len(names) <= 3:
        return ", ".join(names)
    return f"{len(names)} schools"


@dataclass(frozen=True)
class ReportContext:
    """The school, term and filter a report was made under, and the day it was made."""

    school: str = ""
    term: str = ""
    #: The filter in words (``CohortFilter.describe()``), e.g. "Year 9; Disadvantaged (PP)".
    filter: str = EVERY_PUPIL
    made: date = field(default_factory=_today)

    @property
    def filtered(self) -> bool:
        """True when the report covers only some pupils."""
        return self.filter != EVERY_PUPIL

    def lines(self, as_of: date, pupils: int) -> list[str]:
        """The heading lines of a report: what, for whom, under which filter, when."""
        where = self.school or "School not named in the files"
        term = f"Term: {self.term}. " if self.term else ""
        scope = (
            f"Filter: {self.filter} ({pupils:,} pupils; every figure in this report is for them only)."
            if self.filtered
            else f"Filter: none, all pupils ({pupils:,})."
        )
        return [
            f"School: {where}.",
            f"{term}Data as of {as_of:%d/%m/%Y}; made on {self.made:%d/%m/%Y}.",
            scope,
        ]

    def filename(self, what: str, extension: str) -> str:
        """A file name that says what, for which school, term and filter, and the day:
        ``natbacc-records_Oakfield-Academy_Autumn-2026_Year-9_2026-11-20.xlsx``."""
        parts = [what, self.school, self.term, self.filter if self.filtered else "", self.made.isoformat()]
        name = "_".join(p for p in (_slug(part) for part in parts) if p)
        return f"{name[:150]}.{extension}"


def _slug(text: str) -> str:
    """``text`` safe in a file name on every system: ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:50]
