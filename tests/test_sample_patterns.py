"""On the sample school the built-in patterns are found, and none that are not built in."""

import pytest

from natbacc.analysis import analyse
from natbacc.sample import AS_OF
from natbacc.vocabulary import EquityGroup, EquityIndicator, Flag


@pytest.fixture(scope="module")
def analysis(sample_result):
    return analyse(sample_result.tables, as_of=AS_OF)


def _flagged(analysis, code):
    records = analysis.records
    return records[records[Flag(code).column]]


def test_shortened_ks3_is_found(analysis):
    """It finds that Year 9 follows options (KS3 lasts two years) and only Year 9."""
    assert analysis.indicators.ks3_length.iloc[0]["ks3_years"] == 2
    assert set(_flagged(analysis, "EARLY_OPTIONS")["year_group"]) == {9}
    assert len(_flagged(analysis, "EARLY_OPTIONS")) == 240


def test_tutor_group_without_music_is_found(analysis):
    """It finds 8C has no music, and no other Y7-8 statutory gap."""
    gaps = analysis.indicators.group_statutory_gaps
    assert gaps[["reg_group", "subject"]].values.tolist() == [["8C", "music"]]
    gap = _flagged(analysis, "KS3_STATUTORY_GAP")
    assert set(gap.loc[gap["year_group"] < 9, "reg_group"]) == {"8C"}


def test_missing_entitlement_areas_only_where_options_begin(analysis):
    """It raises MISSING_* flags only in Years 9-11, where option choices narrow the curriculum."""
    for code in ("MISSING_ARTS", "MISSING_LANGUAGES", "MISSING_HUMANITIES", "MISSING_TECHNOLOGY"):
        years = set(_flagged(analysis, code)["year_group"])
        assert years and years <= {9, 10, 11}, code


def test_only_the_built_in_equity_gap_is_highlighted(analysis):
    """It highlights the disadvantaged gap in languages (and the EBacc pattern that follows from it), nothing else."""
    highlighted = analysis.indicators.equity[analysis.indicators.equity["highlight"]]
    assert set(zip(highlighted["indicator"], highlighted["group"], strict=True)) == {
        (EquityIndicator.KS4_LANGUAGES, EquityGroup.DISADVANTAGED),
        (EquityIndicator.KS4_EBACC, EquityGroup.DISADVANTAGED),
    }
    gap = highlighted.set_index("indicator").loc[EquityIndicator.KS4_LANGUAGES, "gap_pp"]
    assert -25 < gap < -15


def test_findings_are_exactly_the_built_in_patterns(analysis):
    """It reports the built-in patterns as findings and nothing else."""
    topics = [f.topic for f in analysis.indicators.findings]
    assert set(topics) == {"KS3 length", "Statutory KS3", "Dropped before Y10", "Equity", "KS4 entitlement", "Strands"}
    texts = " ".join(f.text for f in analysis.indicators.findings)
    assert "Year 9 follows a KS4-style options curriculum: KS3 lasts two years" in texts
    assert "8C has no music" in texts
    assert "Disadvantaged pupils are 19 pp less likely to study a language at KS4 (41% of 123 vs 60% of 357" in texts
    assert "have not started a Personal Project" in texts
    assert "have logged no Personal Development hours" in texts
    assert analysis.indicators.zero_takeup.empty


def test_pupils_without_pd_or_project_are_flagged(analysis):
    """It flags the pupils built with no PD log and the Y10+ pupils with no project."""
    records = analysis.records
    assert (records["pd_hours"] == 0).sum() == 66
    not_started = _flagged(analysis, "PROJECT_NOT_STARTED")
    assert len(not_started) == 60 and set(not_started["year_group"]) <= {10, 11, 12, 13}
