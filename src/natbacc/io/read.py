"""Bytes -> grids of text cells, one per sheet, whatever the file format or encoding.

Format is detected from content, never from the file name (an ``.XLSX`` CSV or a ``.csv`` workbook
both read). Workbooks are read with calamine (fast, and it refuses XML entity tricks); CSV/TSV/TXT
are decoded (BOM, UTF-8, UTF-16, cp1252) and their separator sniffed. Every cell comes back as text,
so IDs keep their leading zeros and nothing is coerced before the importer decides what a column
means. Row ``i`` of a grid is spreadsheet row ``i + 1``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from natbacc.io.guards import (
    check_columns,
    check_sheet_size,
    check_size,
    check_workbook_archive,
    max_file_bytes,
)
from natbacc.io.issues import UnreadableFile, unreadable
from natbacc.io.source import Grid, Source
from natbacc.io.xmlformats import read_xml, xml_root
from natbacc.model import Issue
from natbacc.vocabulary import IssueCode

__all__ = ["Grid", "Source", "UnreadableFile", "read_grids"]

_DELIMITERS = (",", ";", "\t", "|")


def read_grids(source: Source, max_bytes: int | None = None) -> tuple[list[Grid], list[Issue]]:
    """Every sheet of ``source`` as a text grid, plus notes (e.g. hidden sheets skipped).

    ``max_bytes`` defaults to ``max_file_bytes()`` (50 MB, or ``NATBACC_MAX_FILE_MB``).
    """
    name, data = source.name, source.data
    check_size(name, data, max_file_bytes() if max_bytes is None else max_bytes)
    if not data.strip():
        raise unreadable(
            name, "The file is empty. Export it again from your MIS and check it has rows.", IssueCode.EMPTY_FILE
        )
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(name, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_workbook(name, data, legacy=True)
    if (root := xml_root(data)) is not None:  # XML by its root element, with or without an <?xml line
        return read_xml(name, data, root)
    return [Grid(name, None, _read_text_table(name, data))], []


def _read_workbook(name: str, data: bytes, legacy: bool = False) -> tuple[list[Grid], list[Issue]]:
    import python_calamine as calamine  # deferred: keeps `natbacc --help` fast

    if not legacy:
        check_workbook_archive(name, data)  # before calamine: its failures on hostile input abort the process
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise unreadable(
            name, "The workbook is password-protected. Save an unprotected copy and upload that.", IssueCode.PASSWORD
        ) from exc
    except Exception as exc:  # calamine raises several error types for damaged files
        raise unreadable(
            name,
            "This workbook could not be opened: it is damaged, or not really an Excel file. Open it in Excel "
            "and save it again as .xlsx, or export it as CSV.",
            IssueCode.CORRUPT_WORKBOOK,
        ) from exc
    grids: list[Grid] = []
    notes: list[Issue] = []
    for meta in workbook.sheets_metadata:
        if str(meta.visible) != str(calamine.SheetVisibleEnum.Visible) or "Sheet" not in str(meta.typ):
            notes.append(
                Issue(
                    "info",
                    f"Sheet '{meta.name}' is hidden or not a worksheet, so it was skipped.",
                    file=name,
                    sheet=meta.name,
                    code=IssueCode.HIDDEN_SHEET,
                )
            )
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            check_sheet_size(name, meta.name, sheet.height, sheet.width)  # e.g. a legacy .xls at full size
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except UnreadableFile as exc:  # this sheet is refused; the workbook's other sheets are still read
            notes.append(exc.issue)
            continue
        except Exception:  # calamine raises several error types for a damaged sheet
            notes.append(
                Issue(
                    "error",
                    f"Sheet '{meta.name}' could not be read: this part of the workbook is damaged. Open the workbook "
                    "in Excel, save it again and upload it again.",
                    file=name,
                    sheet=meta.name,
                    code=IssueCode.CORRUPT_WORKBOOK,
                )
            )
            continue
        grids.append(Grid(name, meta.name, _cells_frame(rows, merged)))
    return grids, notes


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _column_text(values: pd.Series) -> pd.Series:
    """A column of cell values as text, each distinct value converted once.

    Booleans hash equal to 1 and 0, so a column holding both is converted cell by cell instead.
    """
    kinds = set(map(type, values.to_numpy(dtype=object)))
    if bool in kinds and kinds & {int, float}:
        return values.map(_cell_text)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    texts = np.array([*(_cell_text(u) for u in uniques), ""], dtype=object)  # code -1: an empty cell
    return pd.Series(texts[codes], index=values.index, dtype=object)


def _cells_frame(
    rows: Sequence[Sequence[object]], merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype="object") if rows else pd.DataFrame()
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.infer_dtype(values, skipna=False) != "string":  # C-level check of every cell
            frame[col] = _column_text(values)
    for (r0, c0), (r1, c1) in merged[:10_000]:
        # A merged cell holds its value top-left only; every covered cell means the same thing.
        if r1 < len(frame) and c1 < frame.shape[1]:
            frame.iloc[r0 : r1 + 1, c0 : c1 + 1] = str(frame.iat[r0, c0])  # every cell is text by now
    return frame.astype("str") if len(frame.columns) else frame


def _decode(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every other byte is zero for Latin text.
        return data.decode("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be", errors="replace")
    if b"\x00" in sample:
        raise unreadable(
            name,
            "This is not a spreadsheet or CSV file (it contains binary data). Export the data "
            "from your MIS as .xlsx or .csv.",
            IssueCode.BINARY_FILE,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes cp1252 (docs/sources.md#excel-csv-encoding).
        return data.decode("cp1252", errors="replace")


def _field_count(line: str, delim: str) -> int:
    """How many fields ``line`` splits into (quotes respected; a giant field just counts as one)."""
    try:
        return len(next(csv.reader([line], delimiter=delim), []))
    except csv.Error:  # a field over the csv module's size limit, or a stray NUL
        return line.count(delim) + 1


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", 0.0
    for delim in _DELIMITERS:
        counts = sorted(_field_count(line, delim) - 1 for line in lines)
        if not counts:
            continue
        median = counts[len(counts) // 2]
        consistent = sum(c == median for c in counts) / len(counts)
        score = median * consistent
        if score > best_score:
            best, best_score = delim, score
    return best


def _widest(name: str, lines: Iterable[str], delim: str) -> int:
    """The most fields on any line, refusing a line with absurdly many before a table is built."""
    width = 0
    for number, line in enumerate(lines, start=1):
        if (count := _field_count(line, delim)) > width:
            check_columns(name, count, number)
            width = count
    return width


def _read_text_table(name: str, data: bytes) -> pd.DataFrame:
    text = _decode(name, data)
    control = sum(1 for ch in text[:4000] if ord(ch) < 32 and ch not in "\r\n\t")
    if control > 40 or "\ufffd" * 8 in text[:4000]:
        raise unreadable(
            name,
            "This is not a spreadsheet or CSV file (it looks like binary data). Export the data "
            "from your MIS as .xlsx or .csv.",
            IssueCode.BINARY_FILE,
        )
    all_lines = text.splitlines()
    lines = [ln for ln in all_lines[:200] if ln.strip()]
    if not lines:
        raise unreadable(name, "The file has no text rows. Export it again from your MIS.", IssueCode.EMPTY_FILE)
    delim = _sniff_delimiter(lines)
    width = _widest(name, all_lines[:1000], delim)

    def parse(ncols: int) -> pd.DataFrame:
        return pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=None,
            names=range(ncols),
            dtype="str",
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
        )

    try:
        frame = parse(width)
    except pd.errors.ParserError:
        width = _widest(name, all_lines, delim)
        try:
            frame = parse(width)
        except pd.errors.ParserError as exc:
            raise unreadable(
                name,
                f"The file could not be read as a table ({exc}). Check it opens in Excel, then "
                "save it as CSV UTF-8 or .xlsx.",
                IssueCode.BAD_CSV,
            ) from exc
    return frame.fillna("").astype("str")
