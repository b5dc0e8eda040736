"""Limits that keep a hostile or broken file from taking the app down, checked before a parser sees it.

A workbook is a zip of XML, and every parser trusts it: calamine builds each sheet as one dense block
of cells from the top-left to the furthest cell it finds, so a 7 KB workbook with one cell in
``XFD1048576`` asks for half a terabyte, and Rust aborts the whole process when that fails (no
Python exception to catch: the dashboard would die for every user). The same goes for an
OpenDocument sheet whose rows say "repeat a million times". So before any sheet is opened:

- the archive itself: entry count, total uncompressed size and compression ratio (zip bombs);
- every XML part: no ``<!DOCTYPE`` (the only place entities can be declared: billion laughs, XXE);
- every worksheet: the furthest cell it names, so the block calamine will build is known in advance
  and refused when it is huge, or huge and nearly empty (a few cells far apart);
- Excel Binary Workbooks (.xlsb) are refused: their cells cannot be measured without parsing them.

Text files are bounded by column count, so a line of five million commas is not a five-million
column table. The limits are far above any school or trust export (a 100,000-pupil trust's class
lists are about 1.5 million rows by 6 columns) and documented in SECURITY.md.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from operator import itemgetter

from natbacc.io.issues import UnreadableFile, unreadable
from natbacc.vocabulary import IssueCode

#: Upload size limit per file; a school's exports are KB to a few MB, a trust's tens of MB.
#: ``NATBACC_MAX_FILE_MB`` overrides it (keep Streamlit's ``server.maxUploadSize`` in step).
DEFAULT_MAX_FILE_MB = 50
#: Zip-bomb guards for workbooks.
MAX_ZIP_ENTRIES = 5_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
#: A sheet is refused when the block of cells a reader would build is larger than this...
MAX_SHEET_CELLS = 20_000_000
#: ...or larger than this and less than one tenth full (stray cells far from the data).
SPARSE_SHEET_CELLS = 3_000_000  # above 26 x 99,999: the fast path never needs this check
SPARSE_FILL = 0.1
#: Text files: no school export has anywhere near this many columns.
MAX_COLUMNS = 2_000

_CELL_REF = re.compile(rb'r="([A-Z]+)([0-9]+)"')
_ROW_REF = re.compile(rb'r="([0-9]+)"')
#: A reference reaching column AA or row 100,000: beyond it a sheet could be big enough to matter.
_LARGE_REF = re.compile(rb'r="(?:[A-Z]{2,}|[A-Z]?[0-9]{6,})')
_ODS_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def max_file_bytes() -> int:
    """The per-file size limit: ``NATBACC_MAX_FILE_MB`` megabytes if set, else 50 MB."""
    configured = os.environ.get("NATBACC_MAX_FILE_MB", "").strip()
    mb = float(configured) if re.fullmatch(r"\d+(\.\d+)?", configured) else DEFAULT_MAX_FILE_MB
    return int(mb * 1024 * 1024)


def check_size(name: str, data: bytes, max_bytes: int) -> None:
    """Refuse a file over the size limit before anything reads it."""
    if len(data) > max_bytes:
        raise unreadable(
            name,
            f"The file is {len(data) / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit. "
            "Export only the columns natbacc needs, or split the file by year group.",
            IssueCode.TOO_LARGE,
        )


def check_workbook_archive(name: str, data: bytes) -> None:
    """Refuse a zip-based workbook (.xlsx, .ods) whose parts would exhaust memory when parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_entries(name, infos)
            names = {i.filename for i in infos}
            if "xl/workbook.bin" in names:
                raise unreadable(
                    name,
                    "This is an Excel Binary Workbook (.xlsb), which natbacc does not read. Open it in Excel and "
                    "save it as an Excel Workbook (.xlsx), or export the data as CSV.",
                    IssueCode.XLSB,
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and not info.is_dir():
                    _check_part(name, archive.read(info), ods=info.filename == "content.xml")
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise unreadable(
            name,
            "This looks like an Excel workbook but it is damaged or incomplete. Open it in Excel and save it "
            "again, or export it again from your MIS.",
            IssueCode.CORRUPT_WORKBOOK,
        ) from exc


def _check_entries(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise unreadable(
            name, f"The workbook has {len(infos):,} internal parts; it is not a normal export.", IssueCode.ZIP_BOMB
        )
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1_000_000), default=0)
    if total > MAX_UNCOMPRESSED_BYTES or worst > MAX_COMPRESSION_RATIO:
        raise unreadable(
            name,
            "The workbook expands to far more data than its size suggests (a 'zip bomb' pattern), so it was "
            "not opened. Save it again from Excel or export it as CSV.",
            IssueCode.ZIP_BOMB,
        )


def _check_part(name: str, xml: bytes, *, ods: bool) -> None:
    if _declares_a_doctype(xml):
        raise unreadable(
            name,
            "The workbook contains XML entity declarations, which Excel never writes and which are used to attack "
            "programs that read spreadsheets, so it was not opened. Export the data again from your MIS.",
            IssueCode.XML_ENTITIES,
        )
    if ods:
        extent = _ods_extent(name, xml)
    elif b"sheetData" in xml:
        extent = _xlsx_extent(xml)
    else:
        return
    if extent is not None:
        check_sheet_size(name, None, *extent)


def _declares_a_doctype(xml: bytes) -> bool:
    """True when the prolog (what comes before the root element) has a ``<!DOCTYPE``.

    Entities can only be declared there, so only the prolog is read: the XML declaration, comments
    and processing instructions are skipped until the first element (or a doctype) starts.
    """
    at = 0
    while True:
        at = xml.find(b"<", at)
        if at < 0:
            return False
        if xml.startswith(b"<?", at):
            at = xml.find(b"?>", at)
        elif xml.startswith(b"<!--", at):
            at = xml.find(b"-->", at)
        else:
            return xml.startswith(b"<!", at)  # <!DOCTYPE (or any other declaration) before the root
        if at < 0:
            return False


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _xlsx_extent(xml: bytes) -> tuple[int, int, int] | None:
    """(furthest row, furthest column, cells present) of one worksheet's XML, or None when it is small.

    Cells are ``<c r="B12">``. Every common writer puts the reference first, so when each cell tag
    starts ``<c r="`` and no reference reaches column AA or row 100,000 (one fast scan), the sheet is
    at most 26 x 99,999 cells and nothing more is needed. Otherwise every reference is read. A cell
    without a reference sits after the one before it in its row, and a row without one after the row
    before it, so for those the bound is the number of rows by the most cells in any row.
    """
    start, end = xml.find(b"sheetData"), xml.rfind(b"sheetData")  # cells live between the two tags
    tags = xml.count(b"<c", start, end)  # cells, plus any <color> in rich text (which only costs the slow path)
    referenced = xml.count(b'<c r="', start, end)
    prefixed = xml.find(b":c", start, end) >= 0  # <x:c r="A1">: namespace-prefixed cells
    if tags == referenced and not prefixed and not _LARGE_REF.search(xml, start, end):
        return None
    refs = _CELL_REF.findall(xml)  # (letters, digits) per reference; the loops below run in C
    letters = set(map(itemgetter(0), refs))
    numbers = list(map(itemgetter(1), refs))
    if (numbers and max(map(len, numbers)) > 9) or any(len(col) > 3 for col in letters):
        return 10**9, 10**9, 0  # beyond any spreadsheet's grid
    rows = max(map(int, numbers), default=0)
    width = max(map(_column_number, letters), default=0)
    if prefixed or tags > referenced:  # some cells (or rows) may have no reference of their own
        row_refs = [int(d) for d in _ROW_REF.findall(xml) if len(d) <= 9]
        rows = max(rows, max(row_refs, default=0) + xml.count(b"<row") + xml.count(b":row"))
        width = max(width, max(chunk.count(b"<c") + chunk.count(b":c") for chunk in re.split(rb"<(?:\w+:)?row\b", xml)))
    return rows, width, len(refs) + tags - referenced


def _ods_extent(name: str, xml: bytes) -> tuple[int, int, int] | None:
    """(rows, columns, cells present) of the largest table in an OpenDocument spreadsheet's content.

    Rows and cells carry "repeat N times" attributes; LibreOffice writes a million repeated *empty*
    rows after the data, which readers skip, so only repeats of cells with content count toward the
    extent. Cells present are counted as written, so a few cells repeated into millions read as sparse.
    """
    from defusedxml.ElementTree import iterparse  # refuses entity declarations, like every XML reader here

    row_tag, cell_tags = f"{{{_ODS_NS}}}table-row", {f"{{{_ODS_NS}}}table-cell", f"{{{_ODS_NS}}}covered-table-cell"}
    table_tag = f"{{{_ODS_NS}}}table"
    rows_rep, cols_rep = f"{{{_ODS_NS}}}number-rows-repeated", f"{{{_ODS_NS}}}number-columns-repeated"
    value_type = f"{{{_ODS_OFFICE}}}value-type"
    worst: tuple[int, int, int] | None = None
    row = col = max_row = max_col = present = 0
    row_has_content = False
    try:
        for event, el in iterparse(io.BytesIO(xml), events=("start", "end")):
            if event == "start":
                if el.tag == table_tag:
                    row = max_row = max_col = present = 0
                elif el.tag == row_tag:
                    col, row_has_content = 0, False
                continue
            if el.tag in cell_tags:
                repeat = int(el.get(cols_rep, "1"))
                col += repeat
                if el.get(value_type) or len(el):
                    row_has_content = True
                    max_col = max(max_col, col)
                    present += 1  # written once however often it repeats: repeats are what a bomb is made of
                el.clear()
            elif el.tag == row_tag:
                repeat = int(el.get(rows_rep, "1"))
                row += repeat
                if row_has_content:
                    max_row = row
                el.clear()
            elif el.tag == table_tag:
                if worst is None or max_row * max_col > worst[0] * worst[1]:
                    worst = (max_row, max_col, present)
                el.clear()
    except UnreadableFile:
        raise
    except Exception as exc:  # defusedxml's refusals and ElementTree's parse errors alike
        raise unreadable(
            name,
            "This spreadsheet could not be opened: its content is damaged. Save it again, or export it as CSV.",
            IssueCode.CORRUPT_WORKBOOK,
        ) from exc
    return worst


def check_sheet_size(name: str, sheet: str | None, rows: int, columns: int, present: int | None = None) -> None:
    """Refuse a sheet whose cell block would be too big to hold, naming how big and what to do."""
    cells = rows * columns
    sparse = present is not None and cells > SPARSE_SHEET_CELLS and present < cells * SPARSE_FILL
    if cells <= MAX_SHEET_CELLS and not sparse:
        return
    size = (
        "reaches beyond the last row or column a spreadsheet can have"
        if rows >= 10**9
        else f"spans {rows:,} rows by {columns:,} columns ({cells:,} cells)"
    )
    why = " but almost all of them are empty or copies of a few cells" if sparse and cells <= MAX_SHEET_CELLS else ""
    raise unreadable(
        name,
        f"{f'Sheet {sheet!r}' if sheet else 'One of its sheets'} {size}{why}, far more than any school export, so "
        f"{'it was not read' if sheet else 'the workbook was not opened'}. "
        "If it is a real export, delete any stray cells far below or to the right of the data (Ctrl+End shows "
        "the last one), save it and upload it again; or export it as CSV.",
        IssueCode.SHEET_TOO_BIG,
        sheet=sheet,
    )


def check_columns(name: str, columns: int, row: int) -> None:
    """Refuse a text file with an absurd number of columns before it is parsed into a table."""
    if columns > MAX_COLUMNS:
        raise unreadable(
            name,
            f"Row {row:,} has {columns:,} columns; natbacc reads at most {MAX_COLUMNS:,}. Check the file is a "
            "table exported from your MIS (one row per pupil or class), and export it again.",
            IssueCode.TOO_MANY_COLUMNS,
            row=row,
        )
