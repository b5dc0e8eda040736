"""XML files recognised by their root element, never by an ``<?xml`` declaration or the file name.

Real exports often start straight with the root (aSc Timetables writes ``<timetable ...>`` with no
declaration), may carry a byte-order mark, a comment or a doctype first. ``xml_root`` looks past
those to the first element's name; ``read_xml`` sends the file to the reader for that root:

- ``CTfile``: the DfE Common Transfer File (``natbacc.io.ctf``);
- ``timetable``: an aSc Timetables export (``natbacc.io.asc``);
- ``fet``: an FET timetabler file, which natbacc reads from FET's CSV export instead (named, with
  the way to get that export);
- anything else: refused with the root element named.
"""

from __future__ import annotations

import re

from natbacc.io.issues import unreadable
from natbacc.io.source import Grid
from natbacc.model import Issue
from natbacc.vocabulary import IssueCode

_PROLOG = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.DOTALL)
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")


def xml_root(data: bytes) -> str | None:
    """The root element's local name when ``data`` is XML, else None (a CSV or text file)."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() :] if prolog else head
    found = _ROOT.match(rest)
    return found.group(2).decode("ascii") if found else None


def read_xml(name: str, data: bytes, root: str) -> tuple[list[Grid], list[Issue]]:
    """The grids of an XML file, by its root element."""
    if root == "CTfile":
        from natbacc.io.ctf import read_ctf

        return read_ctf(name, data)
    if root == "timetable":
        from natbacc.io.asc import read_asc

        return read_asc(name, data)
    if root == "fet":
        raise unreadable(
            name,
            "This is an FET timetabler file (.fet). natbacc reads FET's CSV export: in FET use File > Export, or "
            "run 'fet-cl --inputfile=FILE --exportcsv=true', and upload the *_timetable.csv (and the other CSVs).",
            IssueCode.FOREIGN_FORMAT,
        )
    raise unreadable(
        name,
        f"This XML file was not recognised (its root element is <{root}>). natbacc reads a DfE Common Transfer "
        "File (<CTfile>) for pupil details and an aSc Timetables export (<timetable>) for the curriculum; other "
        "data is read from Excel or CSV exports.",
        IssueCode.NOT_CTF,
    )
