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


def synthetic_ctf(pupils: list[dict], version: str = "25.0", namespace: str = "") -> bytes:
    """A SYNTHETIC Common Transfer File built from the published element list (docs/sources.md#dfe-ctf).

    No real CTF is public; this follows the CTF 23-25 structure, including the parts natbacc must
    never read (address, contacts, medical flag, attendance), so tests can prove they are ignored.
    Each pupil dict may set: upn, surname, forename, dob, year, sex (or gender), fsm (list of
    (start, end-or-None)), sen (list of (start, provision)), first_language.
    """
    from xml.sax.saxutils import escape

    def el(tag: str, text: object) -> str:
        return f"<{tag}>{escape(str(text))}</{tag}>"

    xmlns = f' xmlns="{namespace}"' if namespace else ""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f"<CTfile{xmlns}>",
        "<!-- SYNTHETIC test file: invented pupils, not a real CTF -->",
        "<Header>",
        el("DocumentName", "Common Transfer File"),
        el("CTFversion", version),
        el("DateTime", "2026-11-20T10:00:00"),
        el("DocumentQualifier", "full"),
        "<SourceSchool>" + el("LEA", "999") + el("Estab", "4999") + el("SchoolName", "Synthetic School"),
        el("AcademicYear", "2026") + "</SourceSchool>",
        "<DestSchool>" + el("LEA", "999") + el("Estab", "4000") + "</DestSchool>",
        "</Header>",
        "<CTFpupilData>",
    ]
    for p in pupils:
        sex_tag = "Gender" if "gender" in p else "Sex"
        out += [
            "<Pupil>",
            el("UPN", p["upn"]),
            el("Surname", p["surname"]),
            el("Forename", p["forename"]),
            el("DOB", p.get("dob", "2012-03-04")),
            el(sex_tag, p.get("gender", p.get("sex", "F"))),
            "<BasicDetails>",
            el("NCyearActual", p.get("year", "8")),
            el("Ethnicity", "WBRI"),
            "<Languages><Type>" + el("LanguageType", "F") + el("Language", p.get("first_language", "ENG")),
            "</Type></Languages>",
            el("MedicalFlag", "true"),
            "</BasicDetails>",
        ]
        if "fsm" in p:
            out.append("<FSMhistory>" + el("FSMreviewDate", "2026-09-01"))
            for start, end in p["fsm"]:
                out.append("<FSMinstance>" + el("FSMstartDate", start) + (el("FSMendDate", end) if end else ""))
                out.append(el("UKcountry", "ENG") + "</FSMinstance>")
            out.append("</FSMhistory>")
        if "sen" in p:
            out.append("<SENhistory>")
            out += ["<SEN>" + el("StartDate", s) + el("SENprovision", v) + "</SEN>" for s, v in p["sen"]]
            out.append("</SENhistory>")
        out += [
            "<Address><BS7666Address>" + el("PAON", "1 Secret Lane") + el("Town", "Hiddenton"),
            el("PostCode", "ZZ9 9ZZ") + "</BS7666Address></Address>",
            "<Contacts><Contact>" + el("Surname", "Guardian") + el("Forename", "Private"),
            "<Phones><Phone>" + el("PhoneNo", "07700 900123") + "</Phone></Phones></Contact></Contacts>",
            "</Pupil>",
        ]
    out += ["</CTFpupilData>", "</CTfile>"]
    return "\n".join(out).encode("utf-8")
