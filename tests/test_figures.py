"""Figure builders follow the house rules: finding titles, labelled axes, hover text, one colour per area."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from natbacc import figures as fg
from natbacc.model import AREA_LABELS, AREAS
from natbacc.sample import AS_OF
from natbacc.vocabulary import EquityGroup, Section


def every_figure(a) -> dict[str, go.Figure]:
    ind, s, r = a.indicators, a.settings, a.records
    return {
        "strands": fg.strand_distribution(r, s),
        "heatmap": fg.coverage_heatmap(ind.area_coverage),
        "status": fg.status_by_year(r),
        "ks3_time": fg.ks3_time_share(ind.area_coverage, s),
        "statutory": fg.statutory_heatmap(ind.statutory_coverage),
        "dropped": fg.area_coverage_lines(ind.area_coverage, ind.dropped_before_y10),
        "ks4_counts": fg.ks4_area_count_bars(ind.ks4_area_counts, s.core["min_areas"]["ks4"]),
        "entitlement": fg.entitlement_bars(ind.ks4_entitlement),
        "routes": fg.option_routes(a.tables["options"]),
        "equity": fg.equity_gaps(ind.equity, s),
        "pupil_periods": fg.pupil_periods(r.iloc[0], s),
        "pupil_pd": fg.pupil_pd_hours(r.iloc[0], s),
        "project": fg.project_stages(r, s, log_imported=True),
        "pd_hours": fg.pd_hours_by_year(r, s, AS_OF),
    }


@pytest.fixture(scope="module")
def figs(sample_analysis):
    return every_figure(sample_analysis)


def test_one_distinct_colour_per_area():
    assert set(fg.AREA_COLOURS) == set(AREAS)
    assert len(set(fg.AREA_COLOURS.values())) == len(AREAS)


def test_every_figure_has_a_finding_title_subtitle_and_hover_text(figs):
    for name, fig in figs.items():
        title = fig.layout.title.text
        assert title and "nan" not in title.lower(), name
        assert fig.layout.title.subtitle.text, name
        for trace in fig.data:
            hover = getattr(trace, "hovertemplate", None) or getattr(
                getattr(trace, "node", None), "hovertemplate", None
            )
            assert hover, f"{name}: a {trace.type} trace has no hover text"


def test_axes_are_labelled(figs):
    for name in ("heatmap", "status", "statutory", "dropped", "ks4_counts", "entitlement", "equity", "pd_hours"):
        fig = figs[name]
        assert fig.layout.xaxis.title.text or fig.layout.yaxis.title.text, name


def test_titles_state_the_sample_schools_findings(figs):
    assert figs["heatmap"].layout.title.text == "Technology reaches only 20% of Year 9"
    assert figs["statutory"].layout.title.text == "Year 9: only 20% study music"
    assert figs["ks4_counts"].layout.title.text == "Every KS4 pupil covers at least 8 areas; most cover 9"
    assert "Disadvantaged pupils are 19 pp less likely" in figs["equity"].layout.title.text
    assert figs["dropped"].layout.title.text.startswith("5 areas are dropped before Year 10")


def test_area_colours_are_the_same_on_every_chart(figs):
    bars = figs["pupil_periods"].data[0]
    assert list(bars.marker.color) == [fg.AREA_COLOURS[a] for a in AREAS]
    for trace in figs["dropped"].data:
        area = next(a for a, label in AREA_LABELS.items() if label == trace.name)
        assert trace.line.color == fg.AREA_COLOURS[area]
    # Sankey boxes take their subject's area colour, and the key lists those areas in the same colours.
    routes = figs["routes"]
    key = {t.name: t.marker.color for t in routes.data if t.type == "scatter"}
    for area, label in AREA_LABELS.items():
        if label in key:
            assert key[label] == fg.AREA_COLOURS[area]
    assert set(routes.data[0].node.color) <= set(key.values())
    # In the KS3 time chart the areas are the rows (named on the axis); colour and pattern tell the years apart.
    bars = [t for t in figs["ks3_time"].data if t.type == "bar"]
    assert [t.name for t in bars] == ["Year 7", "Year 8", "Year 9"]
    assert len({t.marker.color for t in bars}) == len({t.marker.pattern.shape for t in bars}) == 3


def test_heatmaps_print_their_values(figs):
    for name in ("heatmap", "statutory"):
        assert figs[name].data[0].texttemplate == "%{z:.0f}%"


def test_narrow_ks4_bars_are_hatched_not_only_red():
    counts = pd.DataFrame({"areas_covered": [6, 8, 9], "pupils": [10, 50, 40], "pct_pupils": [10.0, 50.0, 40.0]})
    fig = fg.ks4_area_count_bars(counts, 8)
    assert list(fig.data[0].marker.pattern.shape) == ["/", "", ""]
    assert fig.layout.title.text == "10% of KS4 pupils cover fewer than 8 Core Learning areas"


def test_highlighted_equity_gaps_are_labelled_and_enlarged(figs, sample_analysis):
    eq = sample_analysis.indicators.equity
    pp = next(t for t in figs["equity"].data if t.name == "Disadvantaged (PP)")
    labelled = [text for text in pp.text if text]
    assert len(labelled) == int(eq.loc[eq["group"] == EquityGroup.DISADVANTAGED, "highlight"].sum()) == 2
    assert all(t.endswith(" pp") for t in labelled)
    assert max(pp.marker.size) > min(pp.marker.size)


def test_equity_axis_is_symmetric_around_the_threshold_band(figs):
    low, high = figs["equity"].layout.xaxis.range
    assert low == -high and high > 10


def test_option_routes_link_consecutive_blocks(figs, sample_analysis):
    sankey = figs["routes"].data[0]
    options = sample_analysis.tables["options"]
    ab = options[options["block"].isin(["A", "B"])].groupby("student_id").size().eq(2).sum()
    labels = sankey.node.label
    from_a = [v for s, v in zip(sankey.link.source, sankey.link.value, strict=True) if labels[s].endswith("(A)")]
    assert sum(from_a) == ab


def test_empty_inputs_explain_themselves(sample_analysis):
    empty_cov = sample_analysis.indicators.area_coverage.iloc[0:0]
    fig = fg.coverage_heatmap(empty_cov)
    assert fig.layout.title.text == "No curriculum imported"
    assert "Upload" in fig.layout.annotations[0].text
    assert fg.option_routes(sample_analysis.tables["options"].iloc[0:0]).layout.title.text.startswith("No KS4 option")
    no_pd = sample_analysis.records.assign(pd_hours=float("nan"))
    assert fg.pd_hours_by_year(no_pd, sample_analysis.settings, AS_OF).layout.title.text.startswith("No Personal")


def test_long_titles_wrap_at_word_boundaries():
    text = "word " * 40
    lines = fg.wrap(text.strip(), 30).split("<br>")
    assert all(len(line) <= 30 for line in lines)
    assert " ".join(lines) == text.strip()


def test_strand_bands_add_up_to_every_scored_pupil(figs, sample_analysis):
    fig = figs["strands"]
    core = [t for t in fig.data if t.xaxis == "x"]
    y7 = sum(int(t.customdata[list(t.x).index("Year 7")][0]) for t in core)  # [pupils, drill-down mark]
    records = sample_analysis.records
    assert y7 == int(records.loc[records["year_group"] == 7, "core_learning_score"].notna().sum())


def test_charts_without_project_or_development_logs_say_so(sample_analysis):
    records = sample_analysis.records
    # The records table always has these columns (natbacc.records); without the logs they are blank.
    blank = {c: records[c].where(records[c].isna()) for c in records if c.startswith(("project_", "pd_"))}
    bare = records.assign(**blank)
    chart = fg.project_stages(bare, sample_analysis.settings, log_imported=False)
    assert chart.layout.title.text == "No Personal Project log imported"
    assert fg.pd_hours_by_year(bare, sample_analysis.settings, AS_OF).layout.title.text.startswith("No Personal")
    assert fg.pupil_pd_hours(bare.iloc[0], sample_analysis.settings).layout.title.text.startswith("No Personal")


LINK = '<a href="http://evil.invalid/x">term</a><b>bold</b><br>'


def _strings(value) -> list[str]:
    """Every string anywhere in a figure's spec (titles, names, labels, categories, hover templates)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())
    return []


def _assert_shown_literally(fig: go.Figure) -> None:
    text = "\n".join(_strings(fig.to_dict()))
    assert "evil.invalid" in text  # the data is there ...
    assert "<a " not in text and "<b>" not in text  # ... but never as Plotly's pseudo-HTML
    assert "&lt;a href=" in text


def test_data_in_chart_text_is_html_escaped():
    """A term, school, subject or option block named with HTML is drawn as text by Plotly, not as a link,
    bold or a line break: every data string in a title, legend, axis category, Sankey label or hover is escaped."""
    trend = pd.DataFrame(
        {
            "term": [LINK, "Spring 2027"],
            "label": [f"{LINK} indicator"] * 2,
            "value": [40.0, 50.0],
            "unit": ["%", "%"],
            "better": ["higher", "higher"],
        }
    )
    _assert_shown_literally(fg.trend_lines(trend, Section.KS4))
    schools = pd.DataFrame(
        {"school": [LINK, "Beech"], "label": ["Studies arts"] * 2, "value": [40.0, 60.0], "unit": ["%"] * 2}
    )
    _assert_shown_literally(fg.school_comparison(schools, f"KS4, {LINK}"))
    options = pd.DataFrame(
        {
            "student_id": ["1", "1", "2", "2"],
            "block": [LINK, "B", LINK, "B"],
            "subject": [LINK, "Art", LINK, "Music"],
            "area": ["arts", "arts", "arts", "arts"],
        }
    )
    _assert_shown_literally(fg.option_routes(options))


def test_the_project_chart_never_says_no_log_when_a_filter_shows_only_pupils_without_projects(sample_analysis):
    """Year 7 (no project expected) and the Year 10+ pupils who have not started are not 'no log imported'."""
    records, settings = sample_analysis.records, sample_analysis.settings
    year7 = records[records["year_group"] == 7]
    title = fg.project_stages(year7, settings, log_imported=True).layout.title.text
    assert title == "No pupils in project years"
    not_started = records[(records["year_group"] >= 10) & records["project_stage"].isna()]
    assert len(not_started) > 0
    chart = fg.project_stages(not_started, settings, log_imported=True)
    assert "not started" in chart.layout.title.text and "No Personal Project log" not in chart.layout.title.text
