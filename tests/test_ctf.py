"""The DfE Common Transfer File: pupil context read safely, and nothing else read at all."""

from __future__ import annotations

import pandas as pd

from natbacc.io import Source, import_files
from tests.helpers import codes, csv_bytes, import_one, synthetic_ctf

PUPILS = [
    {
        "upn": "N801200005101",
        "surname": "Ó Súilleabháin",
        "forename": "Siobhán",
        "year": "9",
        "sex": "F",
        "fsm": [("2021-09-01", "2022-07-20")],  # ended within six years: Ever 6 FSM
        "sen": [("2019-09-01", "K"), ("2024-01-10", "E")],
        "first_language": "POL",
    },
    {
        "upn": "C801200005102",
        "surname": "O'Neill",
        "forename": "Tomás",
        "year": "10",
        "gender": "M",  # an older CTF's element name
        "fsm": [("2015-09-01", "2017-07-20")],  # too long ago
        "sen": [("2020-09-01", "N")],
        "first_language": "ENB",
    },
    {"upn": "R801200005103", "surname": "Lee", "forename": "Sam", "year": "11", "first_language": "REF"},
]


def test_ctf_gives_pupil_context():
    result = import_one("999LLLL_CTF_9994000_001.xml", synthetic_ctf(PUPILS))
    assert not result.blocking
    s = result.students.set_index("upn")
    assert s.loc["N801200005101", "name"] == "Siobhán Ó Súilleabháin"
    assert s.loc["C801200005102", "name"] == "Tomás O'Neill"
    assert list(s["year_group"]) == [9, 10, 11]
    assert s.loc["N801200005101", "sex"] == "F"
    assert s.loc["C801200005102", "sex"] == "M"
    assert not [i for i in result.issues if i.severity != "info"]  # valid UPNs, nothing questioned
    assert bool(s.loc["N801200005101", "pupil_premium"]) is True
    assert bool(s.loc["C801200005102", "pupil_premium"]) is False
    assert s.loc["N801200005101", "sen"] == "E"  # the most recent provision
    assert s.loc["C801200005102", "sen"] == "N"
    assert bool(s.loc["N801200005101", "eal"]) is True
    assert bool(s.loc["C801200005102", "eal"]) is False  # "believed English"
    assert "ctf" in codes(result)


def test_ctf_private_details_are_never_read():
    result = import_one("transfer.xml", synthetic_ctf(PUPILS))
    everything = " ".join(str(v) for table in result.tables.values() for v in table.astype(str).to_numpy().ravel())
    for secret in ("Secret Lane", "ZZ9 9ZZ", "07700 900123", "Guardian", "2012-03-04"):
        assert secret not in everything


def test_ctf_with_a_namespace_and_a_timetable_join_on_upn():
    classes = csv_bytes([["UPN", "Subject", "Periods"], ["N801200005101", "History", "4"]])
    result = import_files(
        [
            Source("transfer.xml", synthetic_ctf(PUPILS, namespace="http://www.example.org/ctf")),
            Source("classes.csv", classes),
        ]
    )
    assert len(result.students) == 3
    enrol = result.tables["enrolments"]
    assert len(enrol) == 1 and enrol["subject_label"].iloc[0] == "History"


def test_xml_entity_tricks_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<CTfile><Header/><CTFpupilData><Pupil><UPN>&b;</UPN></Pupil></CTFpupilData></CTfile>"
    )
    result = import_one("bomb.xml", bomb)
    assert result.blocking
    assert "bad_xml" in codes(result)


def test_other_xml_is_named_for_what_it_is_not():
    result = import_one("data.xml", b'<?xml version="1.0"?><gradebook version="6"><Mode>Official</Mode></gradebook>')
    issue = next(i for i in result.issues if i.code == "not_ctf")
    assert "<gradebook>" in issue.message


def test_an_fet_file_is_named_with_the_export_to_use_instead():
    """An FET .fet file (XML, with or without a declaration) is named, and the user told to upload FET's CSVs."""
    for data in (b'<?xml version="1.0"?><fet version="6"><Mode>Official</Mode></fet>', b'<fet version="6"></fet>'):
        issue = next(i for i in import_one("timetable.fet", data).issues if i.code == "foreign_format")
        assert "FET timetabler file" in issue.message and "--exportcsv=true" in issue.message


#: First-language code -> EAL, by the DfE census code set (io/values.py cites it): None is unknown.
FIRST_LANGUAGES = {
    "ENG": False,
    "ENB": False,  # not known but believed to be English
    "OTH": True,  # other than English
    "OTB": True,  # not known but believed to be other than English
    "POL": True,
    "URD": True,
    "NOT": None,  # information not obtained
    "REF": None,  # refused
    "PEN": None,  # classification pending
    "UNK": None,  # not a DfE code; MIS exports use it for unknown
}


def _eal_by_upn(result) -> dict[str, bool | None]:
    s = result.students.set_index("upn")["eal"]
    return {upn: None if v is pd.NA else bool(v) for upn, v in s.items()}


def test_a_ctf_and_a_spreadsheet_agree_on_eal_for_every_first_language_code():
    """One rule decides EAL from a first language, whether it comes from a CTF or a spreadsheet column."""
    upns = [_with_check_letter(f"8012000051{n:02d}") for n in range(len(FIRST_LANGUAGES))]
    pupils = [
        {"upn": upn, "surname": "Pupil", "forename": code, "year": "9", "first_language": code}
        for upn, code in zip(upns, FIRST_LANGUAGES, strict=True)
    ]
    from_ctf = import_one("transfer.xml", synthetic_ctf(pupils))
    rows = [["UPN", "Name", "Year", "First Language"]]
    rows += [[p["upn"], p["forename"], "9", p["first_language"].lower()] for p in pupils]  # as a MIS might print
    from_sheet = import_one("pupils.csv", csv_bytes(rows))
    assert not from_ctf.blocking and not from_sheet.blocking
    expected = dict(zip(upns, FIRST_LANGUAGES.values(), strict=True))
    assert _eal_by_upn(from_ctf) == expected
    assert _eal_by_upn(from_sheet) == expected


def _with_check_letter(digits: str) -> str:
    """A valid UPN for these 12 digits (the DfE check letter in front)."""
    from natbacc.upn import invalid_mask

    for letter in "ABCDEFGHJKLMNPQRTUVWXYZ":
        if not invalid_mask(pd.Series([letter + digits])).iloc[0]:
            return letter + digits
    raise AssertionError(digits)
