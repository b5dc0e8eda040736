"""The hostile-file corpus and the odd-but-valid corpus, generated in code (no committed binaries).

Every hostile file is small (a few KB to a few MB) and built the way an attacker or a broken
export would build it; each ``Hostile`` says which blocking error it must get and where. Every
odd file holds the same three pupils as ``PLAIN_PUPILS`` in a different but legitimate dialect,
and must import to exactly the same table.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.helpers import csv_bytes, synthetic_ctf, xlsx_bytes


@dataclass(frozen=True)
class Hostile:
    """A file that must be refused with ``code``, located at ``sheet``/``row``/``column``."""

    name: str
    data: bytes
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __repr__(self) -> str:  # pytest ids: the name says what the file is
        return self.name


def _rewrite(workbook: bytes, member: str, change) -> bytes:
    """``workbook`` with one part's bytes passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()


def _pupils_workbook(extra: dict[str, object] | None = None) -> bytes:
    """A valid one-sheet pupils workbook, with optional extra cells ({"XFD1048576": "x"})."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pupils"
    for row in [["Adno", "Name", "Year"], ["001", "Ann", "7"], ["002", "Bob", "8"]]:
        sheet.append(row)
    for ref, value in (extra or {}).items():
        sheet[ref] = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


_SHEET = "xl/worksheets/sheet1.xml"


def _entity_bomb(data: bytes) -> bytes:
    """Billion laughs: ten levels of ten-fold entity expansion, used in a cell."""
    levels = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    ]
    doctype = b"<!DOCTYPE worksheet [" + b"".join(levels) + b"]>"
    return data.replace(b"<worksheet", doctype + b"<worksheet", 1).replace(b">Ann<", b">&lol9;<", 1)


def _external_entity(data: bytes) -> bytes:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return data.replace(b"<worksheet", doctype + b"<worksheet", 1).replace(b">Ann<", b">&xxe;<", 1)


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _ods(table_body: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one table."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Pupils">{table_body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _ods_row(*cells: str, repeat: int = 1, cell_repeat: int = 1) -> str:
    attrs = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    cell_attrs = f' table:number-columns-repeated="{cell_repeat}"' if cell_repeat > 1 else ""
    body = "".join(
        f'<table:table-cell{cell_attrs} office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
        for c in cells
    )
    return f"<table:table-row{attrs}>{body}</table:table-row>"


_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet_xml(rows: bytes, prefix: bytes = b"") -> bytes:
    """A worksheet part around ``rows`` (written unprefixed), its elements optionally namespace-prefixed."""
    p = prefix + b":" if prefix else b""
    rows = rows.replace(b"</", b"\0").replace(b"<", b"<" + p).replace(b"\0", b"</" + p)
    xmlns = b" xmlns:" + prefix + b'="' + _NS + b'"' if prefix else b' xmlns="' + _NS + b'"'
    return (
        b"<"
        + p
        + b"worksheet"
        + xmlns
        + b"><"
        + p
        + b"sheetData>"
        + rows
        + b"</"
        + p
        + b"sheetData></"
        + p
        + b"worksheet>"
    )


def _cell(text: bytes, ref: bytes = b"") -> bytes:
    return b"<c" + (b' r="' + ref + b'"' if ref else b"") + b' t="inlineStr"><is><t>' + text + b"</t></is></c>"


def _lying_sizes() -> bytes:
    """A workbook whose zip directory claims the sheet is a few hundred bytes; it inflates to megabytes.

    Python's zipfile stops at the claimed size (and the CRC is forged to match that much), so only a
    reader that trusts the stream would see the rest: calamine's zip reader refuses the mismatch.
    """
    import struct
    import zlib

    head = _sheet_xml(_cell(b"Adno", b"A1")).replace(b"</sheetData>", b"")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 200_000))
    sheet = head + rows + b"</sheetData></worksheet>"
    claimed = head + b"</sheetData></worksheet>"
    data = bytearray(_rewrite(_pupils_workbook(), _SHEET, lambda _: sheet))
    size, crc = len(claimed), zlib.crc32(sheet[: len(claimed)])
    offset = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(_SHEET).header_offset
    struct.pack_into("<I", data, offset + 14, crc)  # local header: CRC-32, then sizes
    struct.pack_into("<I", data, offset + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # central directory
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46 : entry + 46 + length]) == _SHEET.encode():
            struct.pack_into("<I", data, entry + 16, crc)
            struct.pack_into("<I", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def hostile_corpus() -> list[Hostile]:
    """Every kind of file the importer must refuse, each with the error it must get."""
    rng = random.Random(20261122)
    noise = rng.randbytes(64 * 1024)
    workbook = _pupils_workbook()
    pupils = [["Adno", "Name", "Year"], ["001", "Ann", "7"], ["002", "Bob", "8"]]
    return [
        # Nothing there.
        Hostile("empty.csv", b"", "empty_file"),
        Hostile("blank.xlsx", b" \r\n\t\r\n", "empty_file"),
        Hostile("header-only.csv", csv_bytes([["Adno", "Name", "Year"]]), "no_rows", row=1),
        Hostile("header-only.xlsx", xlsx_bytes({"Pupils": [["Adno", "Name", "Year"]]}), "no_rows", "Pupils", 1),
        # Not a spreadsheet, or a damaged one.
        Hostile("random.xlsx", noise, "binary_file"),
        Hostile("random-zip.xlsx", b"PK\x03\x04" + noise, "corrupt_workbook"),
        Hostile("random-ole.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise, "corrupt_workbook"),
        Hostile("truncated.xlsx", workbook[: len(workbook) // 2], "corrupt_workbook"),
        Hostile(
            "bad-xml.xlsx",
            _rewrite(workbook, _SHEET, lambda d: d.replace(b"</sheetData>", b"<row><c><v>")),
            "corrupt_workbook",
            "Pupils",
        ),
        Hostile("nul-bytes.csv", b"Adno,Name\r\n001,A\x00nn\r\n", "binary_file"),
        Hostile("unclosed-quote.csv", b'Adno,Name,Year\r\n001,"Ann,7\r\n002,Bob,8\r\n', "bad_csv"),
        Hostile(
            "binary-workbook.xlsx", _zip({"xl/workbook.bin": noise[:100], "[Content_Types].xml": b"<Types/>"}), "xlsb"
        ),
        # Zip bombs: a huge ratio, and a huge number of parts.
        Hostile(
            "ratio-bomb.xlsx",
            _zip({"[Content_Types].xml": b"<Types/>", _SHEET: b"<" + b"a" * 50_000_000 + b">"}),
            "zip_bomb",
        ),
        Hostile("lying-sizes.xlsx", _lying_sizes(), "corrupt_workbook", "Pupils"),
        Hostile("parts-bomb.xlsx", _zip({f"xl/p{i}.xml": b"" for i in range(6_000)}, zipfile.ZIP_STORED), "zip_bomb"),
        # Sheets whose cell block would not fit in memory (calamine would abort the process).
        Hostile("far-corner.xlsx", _pupils_workbook({"XFD1048576": "x"}), "sheet_too_big"),
        Hostile(
            "beyond-grid.xlsx",
            _rewrite(workbook, _SHEET, lambda d: d.replace(b'r="C3"', b'r="ZZZZ99999999"')),
            "sheet_too_big",
        ),
        Hostile("stray-cell.xlsx", _pupils_workbook({"Z200000": "x"}), "sheet_too_big"),
        Hostile(  # cells without references: placed one after another, in a row far down
            "unreferenced-cells.xlsx",
            _rewrite(workbook, _SHEET, lambda _: _sheet_xml(b'<row r="99999">' + _cell(b"x") * 20_000 + b"</row>")),
            "sheet_too_big",
        ),
        Hostile(  # the far corner again, in namespace-prefixed XML (<x:c r="XFD1048576">)
            "prefixed-far-corner.xlsx",
            _rewrite(
                workbook,
                _SHEET,
                lambda _: _sheet_xml(_cell(b"Adno", b"A1") + _cell(b"x", b"XFD1048576"), prefix=b"x"),
            ),
            "sheet_too_big",
        ),
        Hostile(
            "repeat-bomb.ods",
            _ods(_ods_row("Adno", "Name", "Year") + _ods_row("1", repeat=1_000_000, cell_repeat=50)),
            "sheet_too_big",
        ),
        # XML entities: expansion bombs and external references, in a workbook and in a CTF.
        Hostile("billion-laughs.xlsx", _rewrite(workbook, _SHEET, _entity_bomb), "xml_entities"),
        Hostile("external-entity.xlsx", _rewrite(workbook, _SHEET, _external_entity), "xml_entities"),
        Hostile("billion-laughs-ctf.xml", _ctf_with(_entity_bomb_ctf), "bad_xml"),
        # Text files built to exhaust the parser.
        Hostile("column-bomb.csv", b"Adno,Name\r\n" + b"," * 3_000_000 + b"\r\n", "too_many_columns", row=2),
        # Impossible values in every row.
        Hostile(
            "negative-periods.csv",
            csv_bytes([["Adno", "Subject", "Periods"], ["001", "Maths", "-4"], ["002", "English", "-3"]]),
            "all_rows_invalid",
            row=2,
            column="Periods",
        ),
        Hostile(
            "text-periods.csv",
            csv_bytes([["Adno", "Subject", "Periods"], ["001", "Maths", "lots"], ["002", "English", "four"]]),
            "all_rows_invalid",
            row=2,
            column="Periods",
        ),
        Hostile(
            "year-42.xlsx",
            xlsx_bytes({"Pupils": [pupils[0], ["001", "Ann", "42"], ["002", "Bob", "Year 42"]]}),
            "all_rows_invalid",
            "Pupils",
            2,
            "Year",
        ),
    ]


def _ctf_with(change) -> bytes:
    return change(synthetic_ctf([{"upn": "B801200005001", "surname": "Ann", "forename": "A", "year": 7}]))


def _entity_bomb_ctf(data: bytes) -> bytes:
    levels = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    ]
    doctype = b"<!DOCTYPE CTfile [" + b"".join(levels) + b"]>"
    return data.replace(b"<CTfile", doctype + b"<CTfile", 1).replace(b">Ann<", b">&lol9;<", 1)


#: The pupils every odd file holds: leading zeros, accents, apostrophes, a hyphen, a space in a name.
PLAIN_PUPILS = [
    ["Adno", "Legal Surname", "Legal Forename", "Year", "Reg Group"],
    ["000042", "O'Brien", "Zoë", "Year 7", "7A"],
    ["001235", "Ó Súilleabháin", "Seán", "8", "8B"],
    ["012000", "Smith-Jones", "Renée", "Y10", "10C"],
]


#: LibreOffice ends every sheet with a million repeated empty rows; readers must skip them, not build them.
_LIBREOFFICE_TAIL = (
    '<table:table-row table:number-rows-repeated="1048572">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)


def odd_corpus() -> list[tuple[str, bytes]]:
    """The same pupils in every legitimate dialect a school's machines produce."""
    rows = PLAIN_PUPILS
    utf16 = csv_bytes(rows, encoding="utf-16-le")
    return [
        ("bom.csv", csv_bytes(rows, bom=True)),
        ("semicolons.csv", csv_bytes(rows, delimiter=";")),
        ("tabs.txt", csv_bytes(rows, delimiter="\t")),
        ("pipes.csv", csv_bytes(rows, delimiter="|")),
        ("windows-1252.csv", csv_bytes(rows, encoding="cp1252")),
        ("excel-unicode.txt", b"\xff\xfe" + csv_bytes(rows, delimiter="\t", encoding="utf-16-le")),
        ("utf-16-be.csv", b"\xfe\xff" + csv_bytes(rows, encoding="utf-16-be")),
        ("utf-16-no-bom.csv", utf16),
        ("unix-lines.csv", csv_bytes(rows).replace(b"\r\n", b"\n")),
        ("old-mac-lines.csv", csv_bytes(rows).replace(b"\r\n", b"\r")),
        ("UPPER.XLSX", xlsx_bytes({"Pupils": rows})),
        ("workbook-named.csv", xlsx_bytes({"Pupils": rows})),
        ("libreoffice.ods", _ods("".join(_ods_row(*r) for r in rows) + _LIBREOFFICE_TAIL)),
    ]
