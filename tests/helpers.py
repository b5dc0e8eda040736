"""Builders for test inputs: real-looking files made in code, never hand-committed binaries."""

from __future__ import annotations

import csv
import io

import openpyxl

from natbacc.io import Source, import_files


def csv_bytes(rows: list[list[object]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    """Rows as a CSV file in the given dialect."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def xlsx_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook (openpyxl-written, unlike the sample's xlsxwriter) with the given sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def import_one(name: str, data: bytes, **kwargs):
    """Import a single in-memory file."""
    return import_files([Source(name, data)], **kwargs)


def codes(result) -> list[str]:
    """The issue codes of an import, in order."""
    return [i.code for i in result.issues]


PUPILS = [
    ["Adno", "UPN", "Legal Surname", "Legal Forename", "Year", "Reg Group", "Gender", "PP", "SEN", "EAL"],
    ["001234", "B801200005001", "O'Brien", "Zoë", "Year 10", "10X", "F", "Yes", "K", "N"],
    ["001235", "", "Nguyễn", "Thị Lan", "Y10", "10Y", "M", "No", "N", "Y"],
    ["000042", "", "Ó Súilleabháin", "Seán", "9", "9A", "Male", "", "E", "No"],
]
