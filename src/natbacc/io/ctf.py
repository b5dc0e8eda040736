"""The DfE Common Transfer File (CTF, XML): pupil context only, read safely and minimally.

A CTF carries far more than natbacc needs (addresses, contacts, medical and attendance data). Only
these elements are read, and nothing else is kept (UK GDPR data minimisation):

- ``UPN``, ``Surname``, ``Forename``;
- ``BasicDetails/NCyearActual`` (year group), ``Sex`` or (older CTFs) ``Gender``;
- ``FSMhistory/FSMinstance`` start and end dates -> disadvantaged when free school meals applied at
  any time in the last six years (the DfE's "Ever 6 FSM" definition of disadvantage);
- ``SENhistory/SEN/SENprovision`` (N, K or E; the most recent by ``StartDate``);
- ``BasicDetails/Languages/Type`` with ``LanguageType`` F: the first-language code, passed on as a
  "First Language" column so the one rule in ``values.first_language_is_eal`` decides EAL, as it
  does for a spreadsheet (``ENG``/``ENB`` English, ``NOT``/``REF`` unknown, any other language EAL).

Element names follow the CTF 23-25 structure (docs/sources.md#dfe-ctf). The XML is parsed with defusedxml,
which refuses entity expansion and external references.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

import pandas as pd

from natbacc.io.issues import unreadable
from natbacc.io.source import Grid
from natbacc.model import Issue
from natbacc.vocabulary import IssueCode

HEADINGS = ["UPN", "Legal Surname", "Legal Forename", "Year", "Gender", "Ever 6 FSM", "SEN", "First Language"]


def looks_like_xml(data: bytes) -> bool:
    """True for XML content (a CTF is recognised from its root element, never its file name)."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<CTfile"))


def _text(el: Element, path: str) -> str:
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _ever6(pupil: Element, as_of: date) -> str:
    instances = pupil.findall("FSMhistory/FSMinstance")
    if not instances:
        return "No" if pupil.find("FSMhistory") is not None else ""
    cutoff = date(as_of.year - 6, as_of.month, min(as_of.day, 28))
    for inst in instances:
        end = _date(_text(inst, "FSMendDate"))
        if end is None or end >= cutoff:
            return "Yes"
    return "No"


def _sen(pupil: Element) -> str:
    entries = [(_text(s, "StartDate"), _text(s, "SENprovision")) for s in pupil.findall("SENhistory/SEN")]
    entries = [e for e in entries if e[1]]
    return max(entries)[1] if entries else ""


def _first_language(pupil: Element) -> str:
    for lang in pupil.findall("BasicDetails/Languages/Type"):
        if _text(lang, "LanguageType").upper() == "F":
            return _text(lang, "Language").upper()
    return ""


def read_ctf(name: str, data: bytes, as_of: date | None = None) -> tuple[list[Grid], list[Issue]]:
    """A CTF as one pupil-details grid with canonical headings."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    as_of = as_of or date.today()
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise unreadable(
            name,
            "This XML file could not be read safely: it is damaged, or uses XML features (entities, external "
            f"references) that a Common Transfer File never needs ({type(exc).__name__}). Export the CTF again "
            "from your MIS.",
            IssueCode.BAD_XML,
        ) from exc
    # CTFs may carry a default namespace; the element names are what matter. The parser drops comments and
    # processing instructions, so every tag is a string.
    for el in root.iter():
        if "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    if root.tag != "CTfile":
        raise unreadable(
            name,
            f"This XML file is not a DfE Common Transfer File (its root element is <{root.tag}>, not <CTfile>). "
            "natbacc reads CTFs for pupil details; other data is read from Excel or CSV exports.",
            IssueCode.NOT_CTF,
        )
    rows = []
    for pupil in root.findall("CTFpupilData/Pupil"):
        rows.append(
            [
                _text(pupil, "UPN"),
                _text(pupil, "Surname"),
                _text(pupil, "Forename"),
                _text(pupil, "BasicDetails/NCyearActual"),
                _text(pupil, "Sex") or _text(pupil, "Gender"),
                _ever6(pupil, as_of),
                _sen(pupil),
                _first_language(pupil),
            ]
        )
    version = _text(root, "Header/CTFversion") or "unknown"
    school = _text(root, "Header/SourceSchool/SchoolName")
    note = Issue(
        "info",
        f"Read '{name}' as a Common Transfer File (version {version}{', from ' + school if school else ''}): "
        f"{len(rows):,} pupils. Only UPN, names, year, sex, free-school-meal history (for Ever 6 FSM), SEN "
        "provision and first language were read; addresses, contacts, dates of birth and everything else were not.",
        file=name,
        code=IssueCode.CTF,
    )
    cells = pd.DataFrame([HEADINGS, *rows], dtype="str")
    return [Grid(name, None, cells)], [note]
