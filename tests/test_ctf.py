"""The DfE Common Transfer File: pupil context read safely, and nothing else read at all."""

from __future__ import annotations

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
    result = import_one("timetable.xml", b'<?xml version="1.0"?><fet version="6"><Mode>Official</Mode></fet>')
    issue = next(i for i in result.issues if i.code == "not_ctf")
    assert "<fet>" in issue.message
