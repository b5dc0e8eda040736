"""The sample school: deterministic, committed files equal to the generator's output."""

from pathlib import Path

import natbacc
from natbacc.sample import FILES, PACKAGED, build_files, build_tables, sample_paths
from tests.conftest import REPO


def test_generator_is_deterministic():
    """It builds byte-identical files every time."""
    assert build_files() == build_files()


def test_committed_sample_matches_generator():
    """It keeps sample_data/ and the package's copy in step with the generator (run `make sample` after changing it)."""
    generated = build_files()
    for folder in (REPO / "sample_data", PACKAGED):
        for path in sample_paths(folder):
            assert path.read_bytes() == generated[path.name], f"{path} is stale: run `make sample`"
        assert sorted(p.name for p in folder.iterdir()) == sorted(FILES), f"{folder} holds other files"
    assert sorted(generated) == sorted(FILES)


def test_the_sample_school_is_read_from_the_package():
    """The dashboard and CLI find it inside the installed package, not beside a checkout."""
    assert sample_paths()[0].parent == PACKAGED
    assert PACKAGED.parent == Path(natbacc.__file__).resolve().parent


def test_sample_imports_cleanly_with_the_right_pupils_per_year(sample_result):
    """It imports as about 1,300 pupils, Y7-Y11 in 240s and a sixth form of 60s."""
    counts = sample_result.students["year_group"].value_counts().to_dict()
    assert counts == {7: 240, 8: 240, 9: 240, 10: 240, 11: 240, 12: 60, 13: 60}
    assert not sample_result.blocking
    assert {s.kind for s in sample_result.sheets} == {
        "students",
        "enrolments",
        "options",
        "project",
        "development",
        "qualifications",
    }


def test_sample_carries_deliberate_data_problems_for_the_import_report(sample_result):
    """It includes one mistyped UPN and one unmapped local subject, and nothing else is wrong."""
    warnings = sorted(i.code for i in sample_result.issues if i.severity != "info")
    assert warnings == ["bad_upn", "unmapped_subject"]


def test_sample_has_accents_apostrophes_and_leading_zeros(sample_result):
    """It exercises names with accents and apostrophes and IDs with leading zeros."""
    names = " ".join(sample_result.students["name"])
    assert "'" in names and "ë" in names
    assert sample_result.students["student_id"].str.startswith("00").all()


def test_sample_has_the_built_in_patterns_in_its_raw_tables():
    """It builds Y9 options, 8C without music and KS4 pupils without a language."""
    tables = build_tables()
    y9 = tables["opt:Y9 options"]
    assert len(y9) == 240 and all(len(r) == 7 for r in y9)
    eight_c = [r for r in tables["tt:Year 8"][1:] if r[2].startswith("8C/") or "/Mu" in r[2]]
    assert not any(r[3] == "Music" and r[0] in {x[0] for x in eight_c if x[2].startswith("8C/")} for r in eight_c)
