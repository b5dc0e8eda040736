"""Plotly figures for the dashboard, built from the core's tables (no Streamlit here).

Every figure follows the same house rules, so they can be checked in unit tests:

- the title states the finding ("Languages reaches only 55% of Year 10"), the subtitle says what
  is plotted;
- axes are labelled and every trace has hover text;
- each Core Learning area has one colour everywhere, and each status one colour (``natbacc.palette``,
  ``config/palette.toml``: colour-blind-safe, checked under simulated colour blindness by a test);
- nothing is conveyed by colour alone: values are printed on cells and bars, and anything
  highlighted also gets a marker shape, a hatch pattern or a text label.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from natbacc.drill import mark
from natbacc.findings import equity_sentence
from natbacc.indicators import equity_table
from natbacc.model import AREA_LABELS, AREAS, conform
from natbacc.palette import area_colour, palette, series_colour, stage_colours, status_colour, text_on
from natbacc.records import stage_words
from natbacc.scoring import on_track_shares, programme_expected_hours
from natbacc.settings import Settings
from natbacc.vocabulary import DrillChart, Entitlement, EquityGroup, EquityIndicator, Flag, Section, Status, Strand

#: One colour per Core Learning area across every page (``config/palette.toml``).
AREA_COLOURS: dict[str, str] = {a: area_colour(a) for a in AREAS}
#: One colour per status, the same in every chart and table (``config/palette.toml``).
STATUS_COLOURS: dict[Status, str] = {s: status_colour(s) for s in Status}
#: Outline of coloured bars, so a pale bar (the yellow of Status.AT_RISK) still has an edge on white.
_EDGE = {"color": "#555555", "width": 0.5}
_FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def plain(value: object) -> str:
    """Data (a school, term, subject or block name) as Plotly text that shows as written.

    Plotly reads a subset of HTML in every text it draws (titles, axis and tick labels, legend names,
    Sankey labels, hover text): ``<a href=...>`` in a school's name would become a link, ``<b>`` bold,
    ``<br>`` a line break. Escaping ``&``, ``<`` and ``>`` makes Plotly draw the characters instead (it
    decodes the entities back). Titles add their own ``<br>`` after this, in ``wrap``.
    """
    return html.escape(str(value), quote=False)


def wrap(text: str, width: int = 95) -> str:
    """Break a long title into lines at word boundaries (Plotly never wraps titles itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _finish(
    fig: go.Figure, title: str, subtitle: str, x: str | None = None, y: str | None = None, side_legend: bool = False
) -> go.Figure:
    title = wrap(title)
    extra = 26 * title.count("<br>")
    fig.update_layout(
        title={"text": title, "subtitle": {"text": wrap(subtitle, 150)}, "x": 0, "xanchor": "left"},
        template="plotly_white",
        font={"family": _FONT, "size": 13},
        margin={"t": 128 + extra, "l": 10, "r": 10, "b": 10},
        hoverlabel={"font_size": 13},
        legend=(
            {"orientation": "v", "yanchor": "top", "y": 1, "x": 1.01, "xanchor": "left"}
            if side_legend
            else {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"}
        ),
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def empty(title: str, why: str) -> go.Figure:
    """A placeholder figure that says why there is nothing to plot."""
    fig = go.Figure()
    fig.add_annotation(text=why, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, "")


def _worst_year(share: pd.Series, all_clear: str, finding: str) -> str:
    """A per-year chart's title: ``all_clear`` when no year has any, else the worst year and its %.

    ``finding`` names both, e.g. "{year}: {pct}% of projects are behind".
    """
    if share.empty or not share.max() > 0:  # nothing, all zero, or nothing measured
        return all_clear
    k = int(np.nanargmax(share.to_numpy(dtype="float64")))
    return finding.format(year=_year_label(share.index[k]), pct=f"{share.iloc[k]:.0f}")


def _status_headline(table: pd.DataFrame) -> str:
    """The biggest story in the status-by-year table: the year with the largest share not on track (at risk
    and off track together), every year tied on it named ("Year 9: 65% not on track (50% at risk, 15% off
    track)"; "Years 7 and 9: 55% at risk")."""
    zero = pd.Series(0.0, index=table.index)
    at = table.get(Status.AT_RISK.value, zero).round()
    off = table.get(Status.OFF_TRACK.value, zero).round()
    not_on = at + off
    if not_on.empty or not not_on.max() > 0:
        return "Every scored pupil is on track"
    years = [y for y in not_on.index if not_on[y] == not_on.max()]
    if len(years) == len(not_on) and len(years) > 1:
        named = "Every year group"
    elif len(years) == 1:
        named = _year_label(years[0])
    else:
        named = "Years " + ", ".join(str(int(y)) for y in years[:-1]) + f" and {int(years[-1])}"
    same = len({(at[y], off[y]) for y in years}) == 1
    a, o = at[years[0]], off[years[0]]
    if same and not o:
        return f"{named}: {a:.0f}% at risk"
    if same and not a:
        return f"{named}: {o:.0f}% off track"
    detail = f" ({a:.0f}% at risk, {o:.0f}% off track)" if same else ""
    return f"{named}: {not_on.max():.0f}% not on track{detail}"


def _year_label(year: object) -> str:
    """ "Year 9" for a year group (any number type), "No year" for a missing one."""
    if isinstance(year, int | float | np.integer | np.floating) and not pd.isna(year):
        return f"Year {int(year)}"
    return "No year"


def _years(values: pd.Series) -> list[str]:
    return [_year_label(y) for y in sorted(v for v in values.dropna().unique())]


# ---- Overview ------------------------------------------------------------------------------


def strand_distribution(records: pd.DataFrame, settings: Settings) -> go.Figure:
    """For each strand, the share of each year group on track, at risk and off track (score bands)."""
    on, off = settings.status["on_track"], settings.status["off_track"]
    pct = {strand.label: v for strand, v in on_track_shares(records, settings).items() if v == v}
    if not pct:
        return empty("No strand scores yet", "Upload class lists, a Personal Project or a Personal Development log.")
    low = min(pct.values())
    tied = [name for name, v in pct.items() if round(v) == round(low)]
    strands = [(strand.score, strand.label) for strand in Strand if strand.label in pct]
    # One strand per row, each the full width: side by side, three panels of seven years were slivers with
    # overlapping titles on a laptop and unreadable on a phone.
    fig = make_subplots(rows=len(strands), cols=1, vertical_spacing=0.16, subplot_titles=[s[1] for s in strands])
    bands: tuple[tuple[Status, str, Callable[[pd.Series], pd.Series]], ...] = (
        (Status.ON_TRACK, f"{on} or more", lambda v: v >= on),
        (Status.AT_RISK, f"{off} to {on}", lambda v: (v >= off) & (v < on)),
        (Status.OFF_TRACK, f"under {off}", lambda v: v < off),
    )
    for k, (col, label) in enumerate(strands, start=1):
        strand = next(s for s in Strand if s.score == col)
        scored = records[records[col].notna()]
        years = scored["year_group"].map(_year_label)
        values = scored[col].astype(float)
        order = _years(scored["year_group"])
        total = years.value_counts().reindex(order)
        year_of = dict(zip(years, scored["year_group"], strict=True))
        for name, words, test in bands:
            n = test(values).groupby(years).sum().reindex(order, fill_value=0)
            share = n / total * 100
            marks = [mark(DrillChart.STRAND_STATUS, strand, year_of[y], name) for y in order]
            fig.add_trace(
                go.Bar(
                    x=order,
                    y=share,
                    name=f"{name} ({words})",
                    legendgroup=name,
                    showlegend=k == 1,
                    marker={"color": STATUS_COLOURS[name], "line": _EDGE},
                    text=[f"{v:.0f}%" if v >= 6 else "" for v in share],
                    textfont={"color": text_on(STATUS_COLOURS[name])},
                    textposition="inside",
                    textangle=0,
                    customdata=np.column_stack([n.to_numpy(), marks]),
                    hovertemplate=f"{label}, %{{x}}: %{{customdata[0]}} pupils {name} (%{{y:.0f}}%)<extra></extra>",
                ),
                row=k,
                col=1,
            )
    fig.update_layout(barmode="stack", height=150 * len(strands) + 130)
    fig.update_yaxes(title_text="%", range=[0, 100], dtick=50)
    fig.update_annotations(x=0, xanchor="left", font={"size": 14})  # each panel's strand name, over its left edge
    return _finish(
        fig,
        (
            f"{tied[0]} is the weakest strand: {low:.0f}% of pupils on track"
            if len(tied) == 1
            else f"{', '.join(tied[:-1])} and {tied[-1]} are the weakest strands: {low:.0f}% of pupils on track"
        ),
        "Strand scores (0-100) in bands: % of scored pupils per year group; years where a strand does not apply "
        "are left out",
        side_legend=True,
    )


def _coverage_grid(coverage: pd.DataFrame) -> pd.DataFrame:
    """% of pupils covering each area per year group (pupil-weighted across schools)."""
    c = coverage.assign(covered=coverage["pct_students"] * coverage["students"])
    grid = c.groupby(["year_group", "area"])[["covered", "students"]].sum()
    pct = (grid["covered"] / grid["students"]).unstack("area")
    return pct.reindex(columns=[a for a in AREAS if a in pct.columns])


def _percent_heatmap(z: np.ndarray, x: list[str], y: list[str]) -> go.Figure:
    """Rows x columns of percentages, each cell printed (so the shade is never the only cue)."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            zmin=0,
            zmax=100,
            colorscale="Blues",
            texttemplate="%{z:.0f}%",
            hovertemplate="%{y}, %{x}: %{z:.1f}% of pupils<extra></extra>",
            colorbar={"title": {"text": "% pupils"}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return fig


def _clickable_cells(fig: go.Figure, z: np.ndarray, x: list[str], y: list[str], marks: np.ndarray) -> None:
    """Make each heatmap cell clickable: an invisible marker on every cell carries the cell's drill-down mark
    (Plotly selects points, not heatmap cells), with the same hover text as the cell."""
    fig.update_traces(hoverinfo="skip", selector={"type": "heatmap"})  # the cell's marker hovers (and is clicked)
    xs, ys = np.meshgrid(np.asarray(x, dtype=object), np.asarray(y, dtype=object))
    fig.add_trace(
        go.Scatter(
            x=xs.ravel(),
            y=ys.ravel(),
            mode="markers",
            marker={"symbol": "square", "size": 30, "opacity": 0},
            customdata=np.column_stack([z.ravel(), marks.ravel()]),
            hovertemplate="%{y}, %{x}: %{customdata[0]:.1f}% of pupils (click to list them)<extra></extra>",
            showlegend=False,
            name="",
        )
    )


def _lowest(z: np.ndarray, considered: np.ndarray) -> tuple[int, int] | None:
    """Row and column of the lowest value among the ``considered`` cells (None if there are none)."""
    masked = np.where(considered, z, np.nan)
    if np.isnan(masked).all():
        return None
    i, j = np.unravel_index(np.nanargmin(masked), z.shape)
    return int(i), int(j)


def coverage_heatmap(coverage: pd.DataFrame) -> go.Figure:
    """Year group x area: % of pupils with time or an option in the area."""
    if coverage.empty:
        return empty("No curriculum imported", "Upload timetable/class lists or KS4 option choices.")
    grid = _coverage_grid(coverage)
    z = grid.to_numpy(float)
    rows = [_year_label(y) for y in grid.index]
    cols = [AREA_LABELS[a] for a in grid.columns]
    # The finding is about the 11-16 entitlement: sixth-formers specialise by design.
    low = _lowest(z, np.asarray([7 <= y <= 11 for y in grid.index])[:, None])
    if low is None:
        title = "Core Learning coverage by year group (no Year 7-11 pupils)"
    elif z[low] >= 99.95:
        title = "Every pupil in Years 7-11 covers every Core Learning area"
    else:
        title = f"{cols[low[1]]} reaches only {z[low]:.0f}% of {rows[low[0]]}"
    fig = _percent_heatmap(z, cols, rows)
    marks = np.asarray([[mark(DrillChart.COVERAGE, int(y), a) for a in grid.columns] for y in grid.index], dtype=object)
    _clickable_cells(fig, z, cols, rows, marks)
    return _finish(fig, title, "% of pupils with timetabled time or an option in each area", "Area", "Year group")


def status_by_year(records: pd.DataFrame) -> go.Figure:
    """Stacked % of pupils on track / at risk / off track per year group."""
    scored = records[records["overall_status"] != Status.NOT_SCORED]
    if scored.empty:
        return empty("No pupils scored yet", "Upload the files for at least one strand.")
    table = pd.crosstab(scored["year_group"], scored["overall_status"], normalize="index") * 100
    counts = pd.crosstab(scored["year_group"], scored["overall_status"])
    fig = go.Figure()
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        if status not in table:
            continue
        fig.add_trace(
            go.Bar(
                x=[_year_label(y) for y in table.index],
                y=table[status],
                name=status,
                marker={"color": STATUS_COLOURS[status], "line": _EDGE},
                text=[f"{v:.0f}%" for v in table[status]],
                textfont={"color": text_on(STATUS_COLOURS[status])},
                textposition="inside",
                textangle=0,
                customdata=counts[status],
                hovertemplate=f"%{{x}}: %{{customdata}} pupils {status} (%{{y:.0f}}%)<extra></extra>",
            )
        )
    title = _status_headline(table)
    fig.update_layout(barmode="stack")
    return _finish(
        fig, title, "Overall status: off track if any strand is below the off-track line", "Year group", "% of pupils"
    )


def flag_counts(records: pd.DataFrame) -> go.Figure:
    """How many pupils carry each flag (a pupil may carry several), so "Flagged N" has its breakdown."""
    counts = pd.Series({flag.value: int(records[flag.column].fillna(False).sum()) for flag in Flag})
    counts = counts[counts > 0].sort_values()
    flags = [Flag(code) for code in counts.index]
    if counts.empty:
        return empty("No pupil is flagged", "No narrowing or progress flag applies to the pupils shown.")
    fig = go.Figure(
        go.Bar(
            y=[flag.label for flag in flags],
            x=counts.to_numpy(),
            orientation="h",
            marker_color="#1F4E79",
            text=[f"{n:,}" for n in counts],
            textposition="outside",
            customdata=[mark(DrillChart.FLAG, flag) for flag in flags],
            hovertemplate="%{y}: %{x:,} pupils (click to list them)<extra></extra>",
            name="Pupils",
        )
    )
    most = int(counts.iloc[-1])
    ties = [f.label for f, n in zip(flags, counts, strict=True) if n == most]
    lead = " and ".join(ties)
    verb = "are the most common flags" if len(ties) > 1 else "is the most common flag"
    fig.update_layout(height=max(300, 34 * len(counts) + 170))
    return _finish(
        fig,
        f"{lead} {verb}: {most:,} pupils",
        "Pupils with each flag; a pupil can have several, so the bars add up to more than the pupils flagged",
        "Pupils",
    )


# ---- KS3 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TimeGap:
    """The area furthest below the reference profile: by how much, in which year, and both shares."""

    gap: float
    year: str
    area: str
    share: float
    reference: float


#: What the KS3 reference profile is (two self-selected schools' published allocations, docs/sources.md).
KS3_REFERENCE_NAME = "Reference KS3 profile (two schools, illustrative)"


def ks3_time_share(coverage: pd.DataFrame, settings: Settings) -> go.Figure:
    """Share of KS3 curriculum time per area, per year, beside the reference profile."""
    ks3 = coverage[(coverage["key_stage"] == 3) & coverage["mean_periods"].notna()]
    if ks3.empty:
        return empty("No KS3 timetable with period counts", "Upload class lists with periods per cycle for Years 7-9.")
    ref = pd.Series(settings.core["ks3_reference_periods"], dtype=float)
    ref_share = ref / ref.sum() * 100
    # mean_periods is over the pupils who take the area: times the share who take it, it is the mean over every
    # pupil of the year, so an area a third of the year studies gets a third of its takers' time.
    w = ks3.assign(weighted=ks3["mean_periods"] * ks3["pct_students"] / 100 * ks3["students"])
    periods = w.groupby(["year_group", "area"])["weighted"].sum() / w.groupby(["year_group", "area"])["students"].sum()
    share = periods.unstack("area").fillna(0.0)
    share = share.div(share.sum(axis=1), axis=0) * 100
    areas = [a for a in AREAS if a in share.columns or a in ref_share.index]
    years = list(share.index)
    # One panel, areas down the side and a bar per year: readable at any width (three panels side by side were
    # slivers on a phone). Years differ by colour and pattern, and every bar is labelled.
    fig = go.Figure()
    worst: _TimeGap | None = None
    labels = [AREA_LABELS[a] for a in areas]
    r = ref_share.reindex(areas)
    patterns = ["", "/", "."]
    for k, year in enumerate(years):
        values = share.loc[year].reindex(areas).fillna(0.0)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                marker={
                    "color": series_colour(k),
                    "line": _EDGE,
                    "pattern": {"shape": patterns[k % len(patterns)], "fgcolor": text_on(series_colour(k))},
                },
                text=[f"{v:.0f}%" for v in values],
                textposition="outside",
                name=_year_label(year),
                hovertemplate=f"{_year_label(year)}, %{{y}}: %{{x:.1f}}% of curriculum time<extra></extra>",
            )
        )
        gap = (r - values).dropna()
        if len(gap) and gap.max() > (worst.gap if worst else 0.0):
            area = str(gap.index[int(gap.to_numpy().argmax())])
            worst = _TimeGap(float(gap.max()), _year_label(year), area, float(values[area]), float(r[area]))
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=r,
            mode="markers",
            marker={"symbol": "diamond", "size": 11, "color": palette().reference},
            name=KS3_REFERENCE_NAME,
            hovertemplate="%{y}: reference profile (two schools, illustrative) %{x:.1f}%<extra></extra>",
        )
    )
    title = (
        "KS3 time per area matches the illustrative reference profile"
        if worst is None or worst.gap < 1
        else f"{worst.year} gives {AREA_LABELS[worst.area]} {worst.share:.0f}% of curriculum time, below "
        f"{worst.reference:.0f}% in the illustrative reference profile (two schools' timetables, not a national figure)"
    )
    fig.update_yaxes(autorange="reversed")
    top = float(np.nanmax([share.to_numpy(dtype="float64").max(), r.max()]))
    fig.update_xaxes(range=[0, top * 1.2 + 1])  # room for the labels past the longest bar
    fig.update_layout(barmode="group", height=130 + len(areas) * (16 * len(years) + 18), bargap=0.25)
    return _finish(
        fig,
        title,
        "Bars: this school (timetabled periods per area, averaged over every pupil of the year, as % of "
        "curriculum time), one per year. Diamonds: "
        f"{KS3_REFERENCE_NAME.lower()}: the KS3 allocations of two self-selected schools, an illustration, "
        "not a national figure",
        "% of curriculum time",
    )


def statutory_heatmap(statutory: pd.DataFrame) -> go.Figure:
    """KS3 year x statutory subject: % of pupils who study it."""
    if statutory.empty:
        return empty("No KS3 class lists imported", "Upload timetable/class lists for Years 7-9.")
    every = "All statutory subjects"
    subject = statutory["subject"].where(statutory["statutory"] != "all_statutory", every)
    s = statutory.assign(label=subject.str[:1].str.upper() + subject.str[1:])
    words = dict(zip(s["label"], subject, strict=True))  # "Art and design" -> "art and design"
    codes = dict(zip(s["label"], s["statutory"], strict=True))
    grid = s.pivot_table(index="year_group", columns="label", values="pct_students", aggfunc="min", sort=False)
    z = grid.to_numpy(float)
    rows = [_year_label(y) for y in grid.index]
    cols = list(grid.columns)
    low = _lowest(z, np.asarray([c != every for c in cols])[None, :])
    if low is None or z[low] >= 99.95:
        title = "Every KS3 pupil studies every statutory subject"
    else:
        title = f"{rows[low[0]]}: only {z[low]:.0f}% study {words[cols[low[1]]]}"
    fig = _percent_heatmap(z, cols, rows)
    marks = np.asarray(
        [[mark(DrillChart.KS3_STATUTORY, int(y), codes[c]) for c in cols] for y in grid.index], dtype=object
    )
    _clickable_cells(fig, z, cols, rows, marks)
    return _finish(
        fig, title, "% of KS3 pupils timetabled for each statutory National Curriculum subject", "Subject", "Year group"
    )


def area_coverage_lines(coverage: pd.DataFrame, dropped: pd.DataFrame) -> go.Figure:
    """% of pupils covering each area from Year 7 upwards, for the areas dropped before Year 10."""
    lost = dropped[dropped["dropped_in_year"].notna()] if len(dropped) else dropped
    if coverage.empty or not coverage["year_group"].between(7, 11).any():
        return empty("No Year 7-11 curriculum imported", "Upload timetable/class lists or KS4 option choices.")
    grid = _coverage_grid(coverage)
    grid = grid[[7 <= y <= 11 for y in grid.index]]  # sixth-formers specialise by design
    areas = list(dict.fromkeys(lost["area"])) if len(lost) else []
    if not areas:
        return empty("No area is dropped before Year 10", "Every KS3 pupil keeps every area they started in Year 7.")
    fig = go.Figure()
    years = [_year_label(y) for y in grid.index]
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon", "pentagon", "bowtie"]
    for n, area in enumerate(areas):
        fig.add_trace(
            go.Scatter(
                x=years,
                y=grid[area],
                name=AREA_LABELS[area],
                mode="lines+markers+text",
                line={"color": AREA_COLOURS[area], "width": 3},
                marker={"symbol": symbols[n % len(symbols)], "size": 9},
                text=[f"{v:.0f}%" if k == len(years) - 1 else "" for k, v in enumerate(grid[area])],
                textposition="middle right",
                hovertemplate=f"{AREA_LABELS[area]}, %{{x}}: %{{y:.0f}}% of pupils<extra></extra>",
            )
        )
    first = lost.sort_values("dropped_in_year").iloc[0]
    year = int(first["dropped_in_year"])
    share = grid.loc[year, first["area"]] if year in grid.index else np.nan
    fig.update_yaxes(range=[0, 105])
    fig.update_xaxes(range=[-0.3, len(years) - 0.3])  # room for the values printed after the last year
    return _finish(
        fig,
        f"{len(areas)} {'area is' if len(areas) == 1 else 'areas are'} dropped before Year 10: "
        f"{first['area_label']} reaches {share:.0f}% of Year {year}",
        "% of pupils in Years 7-11 covering each area that some pupils stop before KS4",
        "Year group",
        "% of pupils",
    )


# ---- KS4 -----------------------------------------------------------------------------------


def ks4_area_count_bars(counts: pd.DataFrame, min_areas: int) -> go.Figure:
    """How many KS4 pupils cover each number of areas; bars under the minimum are hatched."""
    if counts.empty:
        return empty("No KS4 curriculum imported", "Upload class lists or option choices for Years 10-11.")
    below = counts["areas_covered"] < min_areas
    short = counts.loc[below, "pupils"].sum()
    total = counts["pupils"].sum()
    fig = go.Figure(
        go.Bar(
            x=counts["areas_covered"],
            y=counts["pupils"],
            marker={
                "color": np.where(below, STATUS_COLOURS[Status.OFF_TRACK], series_colour(0)).tolist(),
                "pattern": {"shape": np.where(below, "/", "").tolist()},
            },
            text=[f"{p:,} ({q:.0f}%)" for p, q in zip(counts["pupils"], counts["pct_pupils"], strict=True)],
            textposition="outside",
            hovertemplate="%{x} areas: %{y:,} pupils<extra></extra>",
            name="KS4 pupils",
        )
    )
    fig.add_vline(x=min_areas - 0.5, line_dash="dash", annotation_text=f"minimum {min_areas}")
    typical = int(counts["areas_covered"].iloc[int(counts["pupils"].to_numpy().argmax())])
    title = (
        f"Every KS4 pupil covers at least {min_areas} areas; most cover {typical}"
        if short == 0
        else f"{short / total * 100:.0f}% of KS4 pupils cover fewer than {min_areas} Core Learning areas"
    )
    fig.update_xaxes(dtick=1)
    return _finish(
        fig,
        title,
        "KS4 pupils by number of Core Learning areas covered (hatched: below the minimum)",
        "Areas covered",
        "Pupils",
    )


def entitlement_bars(entitlement: pd.DataFrame) -> go.Figure:
    """KS4 take-up of each entitlement area beside the national figure where there is one."""
    e = entitlement.dropna(subset=["pct_pupils"])
    if e.empty:
        return empty("No KS4 curriculum imported", "Upload class lists or option choices for Years 10-11.")
    e = e.iloc[::-1]
    ticks = [
        f"{i}<br><sub>national {v:g}%: {m}, {y}</sub>" if pd.notna(v) else f"{i}<br><sub>no national figure</sub>"
        for i, v, m, y in zip(
            [Entitlement(code).label for code in e["indicator"]],
            e["national_pct"],
            e["national_measure"],
            e["national_year"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            y=ticks,
            x=e["pct_pupils"],
            orientation="h",
            marker_color=series_colour(0),
            name="This school",
            text=[f"{v:.0f}%" for v in e["pct_pupils"]],
            textposition="inside",
            insidetextanchor="start",
            customdata=[mark(DrillChart.KS4_ENTITLEMENT, code) for code in e["indicator"]],
            hovertemplate="%{x:.1f}% of KS4 pupils (click to list them)<extra></extra>",
        )
    )
    nat = e["national_pct"].notna().to_numpy()
    if nat.any():
        fig.add_trace(
            go.Scatter(
                y=[t for t, n in zip(ticks, nat, strict=True) if n],
                x=e.loc[nat, "national_pct"],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 14,
                    "color": series_colour(1),
                    "line": {"color": "#000", "width": 1},
                },
                name="National figure",
                customdata=np.column_stack([e.loc[nat, "comparison"], e.loc[nat, "national_source"]]),
                hovertemplate="This school is %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    core = e[e["indicator"] != Entitlement.EBACC_PATTERN]
    low = core.iloc[int(core["pct_pupils"].to_numpy().argmin())]
    area = Entitlement(low["indicator"]).label.removeprefix("At least one ").removesuffix(" subject")
    fig.update_xaxes(range=[0, 115])
    return _finish(
        fig,
        f"{area.capitalize()} is the least-studied entitlement area: {low['pct_pupils']:.0f}% of KS4 pupils",
        "Bars: % of KS4 pupils with at least one subject in each area on the timetable (timetabled study). "
        "Diamonds: national figure (exam entries, with its year): a different measure",
        "% of KS4 pupils",
    )


def option_routes(options: pd.DataFrame, pupils: pd.Series | None = None) -> go.Figure:
    """Sankey of option choices from block to block; nodes coloured by area and labelled.

    ``pupils`` (their ``pupil_key``) limits it to a filtered cohort; a trust's pupil 17 at two schools is two pupils.
    """
    o = conform("options", options)  # keyed by pupil_key, also when built by hand
    o = o if pupils is None else o[o["pupil_key"].isin(pupils)]
    o = o.drop_duplicates(["pupil_key", "block"])
    if o.empty:
        return empty("No KS4 option choices imported", "Upload the options file (one column per option block).")
    blocks = sorted(o["block"].astype(str).unique())
    wide = o.pivot(index="pupil_key", columns="block", values="subject").reindex(columns=blocks)
    area_of = dict(zip(o["subject"], o["area"], strict=False))
    nodes = [(b, s) for b in blocks for s in sorted(wide[b].dropna().unique())]
    index = {n: k for k, n in enumerate(nodes)}
    src, dst, val = [], [], []
    for a, b in itertools.pairwise(blocks):
        pairs = wide[[a, b]].dropna().value_counts()
        for (sa, sb), n in zip(pairs.index.tolist(), pairs.tolist(), strict=True):
            src.append(index[(a, sa)])
            dst.append(index[(b, sb)])
            val.append(int(n))
    routes = wide.fillna("-").value_counts()
    top = routes.index[0]
    top_text = " + ".join(plain(s) for s in top if s != "-")
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [f"{plain(s)} ({plain(b)})" for b, s in nodes],
                "color": [area_colour(area_of.get(s, "")) for _, s in nodes],
                "pad": 8,
                "hovertemplate": "%{label}: %{value:,} pupils<extra></extra>",
            },
            link={
                "source": src,
                "target": dst,
                "value": val,
                "color": "rgba(120,120,120,0.25)",
                "hovertemplate": "%{source.label} then %{target.label}: %{value:,} pupils<extra></extra>",
            },
        )
    )
    # The colour key: one legend entry per area present (markers with no data, so nothing else is drawn).
    present = [a for a in AREAS if a in set(area_of.values())]
    if any(area_of.get(s, "") not in AREAS for _, s in nodes):
        present.append("")
    for area in present:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": area_colour(area), "line": _EDGE},
                name=AREA_LABELS[area] if area else "Other / unmapped",
                hovertemplate="%{fullData.name}: colour key<extra></extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(
        fig,
        f"{len(routes):,} different option routes; the most common ({routes.iloc[0]:,} pupils) is {top_text}",
        f"Option choices flowing from block {plain(blocks[0])} to block {plain(blocks[-1])}; "
        "each subject's box is coloured by its Core Learning area (key above)",
        side_legend=True,
    )


# ---- Equity --------------------------------------------------------------------------------

_GROUP_STYLE = {
    EquityGroup.DISADVANTAGED: (series_colour(0), "circle"),
    EquityGroup.SEN_SUPPORT: (series_colour(1), "square"),
    EquityGroup.EHC_PLAN: (series_colour(3), "diamond"),
    EquityGroup.SEN_TYPE_NOT_GIVEN: (series_colour(4), "square-open"),
    EquityGroup.EAL: (series_colour(2), "triangle-up"),
    EquityGroup.GIRLS: (series_colour(5), "star"),
}


def equity_gaps(equity: pd.DataFrame, settings: Settings) -> go.Figure:
    """Gap in percentage points per indicator and group; gaps beyond the threshold are labelled."""
    if equity.empty:
        return empty("No equity gaps to show", "Pupil details with Pupil Premium, SEN, EAL or sex are needed.")
    t = settings.equity["gap_threshold_pp"]
    minimum = settings.equity["min_group_size"]
    ids = equity.dropna(subset=["gap_pp"])
    if ids.empty:
        return empty(
            "No group is large enough to compare",
            f"Figures for groups of fewer than {minimum} pupils are suppressed (small numbers).",
        )
    e = equity_table(ids)
    order = list(dict.fromkeys(e["indicator"]))[::-1]
    fig = go.Figure()
    fig.add_vrect(x0=-t, x1=t, fillcolor="#E8EEF4", line_width=0, layer="below")
    fig.add_vline(x=0, line_color="#888")
    # Every marker outside the band is labelled. Labels on one row alternate above and below in order of the
    # gap, so two groups with close gaps never print on top of each other ("+18" and "+19" read "+1819").
    outside = e["gap_pp"].abs() >= t
    rank = e["gap_pp"].where(outside).groupby(e["indicator"]).rank(method="first")
    e = e.assign(_label=outside, _above=(rank.fillna(0) % 2 == 1))
    for group, g in e.groupby("group", sort=False):
        colour, symbol = _GROUP_STYLE.get(EquityGroup(ids.loc[g.index[0], "group"]), ("#444", "circle"))
        flagged = g["highlight"].to_numpy(bool)
        labelled = g["_label"].to_numpy(bool)
        fig.add_trace(
            go.Scatter(
                x=g["gap_pp"],
                y=g["indicator"],
                mode="markers+text",
                name=group,
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": np.where(flagged, 15, 9).tolist(),
                    "line": {"color": np.where(flagged, "#000", colour).tolist(), "width": 2},
                },
                text=[f"{v:+.1f} pp" if f else "" for v, f in zip(g["gap_pp"], labelled, strict=True)],
                textposition=np.where(g["_above"], "top center", "bottom center").tolist(),
                customdata=np.column_stack(
                    [
                        g["reference"],
                        g["pct_group"],
                        g["pct_reference"],
                        g["n_group"],
                        g["n_reference"],
                        [
                            mark(DrillChart.EQUITY_GAP, i, gr)
                            for i, gr in zip(ids.loc[g.index, "indicator"], ids.loc[g.index, "group"], strict=True)
                        ],
                    ]
                ),
                hovertemplate=(
                    f"{group}: %{{customdata[1]:.1f}}% (n=%{{customdata[3]}})<br>"
                    "%{customdata[0]}: %{customdata[2]:.1f}% (n=%{customdata[4]})<br>gap %{x:+.1f} pp<extra></extra>"
                ),
            )
        )
    beyond = ids[ids["highlight"]]
    if len(beyond):
        # the widest gap, preferring current measures to the legacy EBacc pattern
        # the largest deficit (a group behind) first; a group ahead only when no group is behind
        legacy = beyond["indicator"] == EquityIndicator.KS4_EBACC
        ranked = beyond.assign(_legacy=legacy, _ahead=beyond["gap_pp"] > 0, _size=-beyond["gap_pp"].abs())
        worst = ranked.sort_values(["_ahead", "_legacy", "_size"]).iloc[0]
        others = len(beyond) - 1
        title = equity_sentence(worst) + (
            f"; {others} more {'gap' if others == 1 else 'gaps'} beyond {t} pp" if others else ""
        )
    else:
        title = f"No gap reaches {t} pp between groups of at least {minimum} pupils"
    reach = max(float(e["gap_pp"].abs().max()), float(t)) + 5
    fig.update_xaxes(range=[-reach, reach], zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.update_layout(height=max(420, 56 * len(order) + 200))
    return _finish(
        fig,
        title,
        f"Percentage-point gap between each group and its comparison group (shaded: within ±{t} pp; "
        f"labelled, larger markers: beyond it). Groups of fewer than {minimum} pupils are not shown (small numbers)",
        "Gap (percentage points; negative = group is behind)",
        side_legend=True,
    )


# ---- Pupils --------------------------------------------------------------------------------


def pupil_periods(pupil: pd.Series, settings: Settings) -> go.Figure:
    """One pupil's periods per area per cycle (KS3: beside the reference profile)."""
    periods = pd.Series({a: pupil.get(f"periods_{a}") for a in AREAS}, dtype="Float64").astype(float)
    if periods.isna().all():
        return empty("No timetable periods for this pupil", "Class lists with periods per cycle give this chart.")
    labels = [AREA_LABELS[a] for a in AREAS]
    values = periods.fillna(0.0)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=[AREA_COLOURS[a] for a in AREAS],
            text=[f"{v:g}" for v in values],
            textposition="outside",
            name="Periods",
            hovertemplate="%{x}: %{y:g} periods per cycle<extra></extra>",
        )
    )
    if pupil.get("key_stage") == 3:
        ref = pd.Series(settings.core["ks3_reference_periods"], dtype=float)
        scale = settings.periods_per_cycle / 50
        fig.add_trace(
            go.Scatter(
                x=[AREA_LABELS[a] for a in ref.index],
                y=ref * scale,
                mode="markers",
                marker={"symbol": "diamond", "size": 10, "color": "#222"},
                name="KS3 reference",
                hovertemplate="%{x}: reference %{y:.1f} periods<extra></extra>",
            )
        )
    none = [AREA_LABELS[a] for a in AREAS if values[a] == 0]
    top = str(values.index[int(np.nanargmax(values.to_numpy(dtype="float64")))])
    title = f"Most time in {AREA_LABELS[top]} ({values[top]:g} periods)" + (
        f"; no time in {', '.join(none)}" if none else "; time in every area"
    )
    return _finish(fig, title, f"Periods per {settings.periods_per_cycle}-period cycle", None, "Periods per cycle")


def pupil_pd_hours(pupil: pd.Series, settings: Settings) -> go.Figure:
    """One pupil's Personal Development hours per category."""
    categories = settings.development["categories"]
    hours = pd.Series({c: pupil.get(f"pd_hours_{c}") for c in categories}, dtype="Float64").astype(float).fillna(0)
    if pd.isna(pupil.get("pd_hours")):
        return empty("No Personal Development log for this pupil", "Upload a Personal Development log.")
    fig = go.Figure(
        go.Bar(
            x=[plain(c) for c in hours.index],
            y=hours,
            marker_color="#548235",
            text=[f"{v:g} h" for v in hours],
            textposition="outside",
            name="Hours",
            hovertemplate="%{x}: %{y:g} hours<extra></extra>",
        )
    )
    gaps = [plain(c) for c, v in hours.items() if v == 0]
    programme = pupil.get("pd_programme_hours")
    since = "" if programme is None or pd.isna(programme) else f" ({programme:g} since the programme began)"
    title = f"{pupil.get('pd_hours', 0):g} hours this school year{since}" + (
        f"; nothing yet in {', '.join(gaps)}" if gaps else " across all three categories"
    )
    return _finish(fig, title, "Personal Development hours by category this year", None, "Hours")


# ---- Project & Development -----------------------------------------------------------------


def project_stages(records: pd.DataFrame, settings: Settings, *, log_imported: bool) -> go.Figure:
    """Personal Project stage reached, per year group (where a project is expected).

    ``log_imported`` says whether the import had a project log at all: the records cannot, since a pupil
    without a project has a blank stage either way (and a filter may show only such pupils).
    """
    stages = settings.project["stages"]
    if not log_imported:
        return empty("No Personal Project log imported", "Upload the Personal Project log to see project progress.")
    expected = records["year_group"] >= settings.project["expected_from_year"]
    r = records[expected.fillna(False)]
    if r.empty:
        return empty(
            "No pupils in project years", f"The project is expected from Year {settings.project['expected_from_year']}."
        )
    stage = r["project_stage"].fillna("not_started")  # the rule set's stage codes; no project is not started
    table = pd.crosstab(r["year_group"], stage).reindex(columns=stages, fill_value=0)
    pct = table.div(table.sum(axis=1), axis=0) * 100
    # An ordered scale, first stage light to last stage dark; "not started" is the neutral grey (no stage yet).
    started = [s for s in stages if s != "not_started"]
    shade = {"not_started": palette().neutral, **dict(zip(started, stage_colours(len(started)), strict=True))}
    words = dict(zip(stages, stage_words(pd.Series(stages, dtype="str")), strict=True))
    fig = go.Figure()
    for s in stages:
        fig.add_trace(
            go.Bar(
                x=[_year_label(y) for y in pct.index],
                y=pct[s],
                name=words[s],
                marker={"color": shade[s], "line": _EDGE},
                text=[f"{v:.0f}%" if v >= 4 else "" for v in pct[s]],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": text_on(shade[s])},
                customdata=table[s],
                hovertemplate=f"%{{x}}: %{{customdata}} pupils at {words[s].lower()} (%{{y:.0f}}%)<extra></extra>",
            )
        )
    behind = (r[Flag.PROJECT_BEHIND.column] | r[Flag.PROJECT_NOT_STARTED.column]).groupby(r["year_group"]).mean() * 100
    title = _worst_year(
        behind,
        "Every project is at or beyond the stage expected by now",
        "{year}: {pct}% of projects are behind or not started",
    )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    return _finish(
        fig,
        title,
        "Stage reached by pupils in the years a Personal Project is expected, first stage (light) to last (dark)",
        "Year group",
        "% of pupils",
        side_legend=True,
    )


def pd_hours_by_year(records: pd.DataFrame, settings: Settings, as_of: date) -> go.Figure:
    """Personal Development hours per pupil since their programme began, per year group, against the programme's
    target pro-rated to ``as_of`` (what PD_BEHIND is judged on)."""
    if not records["pd_hours"].notna().any():
        return empty("No Personal Development log imported", "Upload a Personal Development log.")
    r = records[records["pd_programme_hours"].notna()]
    if r.empty:
        return empty("No pupil is in a Personal Development programme", "See the programmes on the Settings page.")
    years = sorted(int(y) for y in r["year_group"].dropna().unique())
    targets = programme_expected_hours(settings, as_of, years)
    by_year = r.groupby("year_group")
    median = by_year["pd_programme_hours"].median().reindex(years).astype("float64")
    behind = by_year[Flag.PD_BEHIND.column].mean().reindex(years).astype("float64") * 100
    pupils = by_year.size().reindex(years)
    labels = [_year_label(y) for y in years]
    colour = series_colour(2)
    target = [float(targets.get(y, np.nan)) for y in years]
    # Years down the side, each named with its share behind (the finding); bars labelled with their hours.
    labels = [f"{lab}: {b:.0f}% behind" for lab, b in zip(labels, behind, strict=True)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=median,
            orientation="h",
            name="Median hours per pupil",
            marker={"color": colour, "line": _EDGE},
            text=[f"{m:g} h" for m in median],
            textposition="outside",
            customdata=np.column_stack([behind, pupils]),
            hovertemplate="%{y}: median %{x:g} hours; %{customdata[0]:.0f}% of %{customdata[1]} pupils behind"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=target,
            mode="markers",
            # a thin upright tick: a target mark that leaves the bar's label readable
            marker={"symbol": "line-ns-open", "size": 22, "line": {"color": palette().reference, "width": 3}},
            name="Target so far",
            hovertemplate="%{y}: target so far %{x:.1f} hours<extra></extra>",
        )
    )
    reach = float(np.nanmax([median.max(), np.nanmax(target) if len(target) else 0.0]))
    fig.update_xaxes(range=[0, reach * 1.2 + 1])  # room for the labels past the longest bar
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=140 + 44 * len(years), bargap=0.35)
    title = _worst_year(
        behind,
        "Every pupil is on pace for their Personal Development hours",
        "{year}: {pct}% of pupils are behind on Personal Development hours",
    )
    return _finish(
        fig,
        title,
        f"Bars: median hours logged per pupil since their programme began; beside each year, the share behind; "
        f"upright marks: the programme's target pro-rated to {as_of:%d/%m/%Y} over its teaching days",
        "Hours",
        side_legend=True,
    )


_BETTER_WORDS = {"higher": "higher is better", "lower": "lower is better", "zero": "0 means no gap"}


def trend_lines(trend: pd.DataFrame, section: Section) -> go.Figure:
    """One line per indicator across terms (``trend``: term, label, value, unit, better), titled by the
    biggest change between the first and the latest term."""
    title = f"{section.label} across terms"
    if trend.empty or trend["term"].nunique() == 0:
        return empty(title, "No stored terms have these indicators yet.")
    terms = list(dict.fromkeys(trend["term"]))
    fig = go.Figure()
    change_text = ""
    biggest = 0.0
    for n, (label, rows) in enumerate(trend.groupby("label", sort=False)):
        rows = rows.set_index("term").reindex(terms)
        values = rows["value"].astype("float64")
        unit = rows["unit"].dropna().iloc[0] if rows["unit"].notna().any() else ""
        fig.add_trace(
            go.Scatter(
                x=[plain(t) for t in terms],
                y=values,
                name=plain(label),
                mode="lines+markers+text" if len(terms) <= 6 else "lines+markers",
                text=[("" if np.isnan(v) else f"{v:.0f}{'%' if unit == '%' else ''}") for v in values],
                textposition="top center",
                line={"color": series_colour(n), "width": 3},
                marker={"size": 9, "symbol": n % 24},
                hovertemplate=f"%{{x}}<br>%{{fullData.name}}: %{{y:.1f}} {plain(unit)}<extra></extra>",
            )
        )
        known = values.dropna()
        if len(known) >= 2 and abs(known.iloc[-1] - known.iloc[0]) > abs(biggest):
            biggest = known.iloc[-1] - known.iloc[0]
            better = rows["better"].dropna().iloc[0]
            good = (
                (biggest > 0) == (better == "higher") if better != "zero" else abs(known.iloc[-1]) < abs(known.iloc[0])
            )
            direction = "better" if good else "worse"
            unit_word = " pp" if unit in ("%", "pp") else f" {unit}"
            change_text = (
                f"{plain(label)}: {known.iloc[0]:.0f} → {known.iloc[-1]:.0f}{'' if unit == 'years' else unit_word} "
                f"({direction}) since {plain(known.index[0])}"
            )
    if section is Section.EQUITY:
        fig.add_hline(y=0, line={"color": "#555", "width": 1, "dash": "dot"})
    headline = change_text or (f"{title}: one term so far" if len(terms) < 2 else f"{title}: no change")
    subtitle = "; ".join(f"{w}" for w in sorted({_BETTER_WORDS[b] for b in trend["better"].dropna().unique()}))
    return _finish(fig, headline, subtitle.capitalize(), x="Term", side_legend=True)


def school_comparison(frame: pd.DataFrame, title: str) -> go.Figure:
    """Schools side by side on the same indicators (``frame``: school, label, value, unit), bars labelled.

    ``title`` is plain text (it may name a term): it is escaped here like the school names.
    """
    title = plain(title)
    if frame.empty:
        return empty(title, "No school has these indicators in this term.")
    fig = go.Figure()
    schools = list(dict.fromkeys(frame["school"]))
    patterns = ["", "/", ".", "x", "-", "\\", "+", "|"]
    for n, school in enumerate(schools):
        rows = frame[frame["school"] == school]
        fig.add_trace(
            go.Bar(
                y=[wrap(plain(label), 40) for label in rows["label"]],
                x=rows["value"].astype("float64"),
                name=plain(school),
                orientation="h",
                text=[("" if pd.isna(v) else f"{v:.0f}") for v in rows["value"]],
                textposition="outside",
                marker={"color": series_colour(n), "pattern": {"shape": patterns[n % len(patterns)]}},
                hovertemplate="%{fullData.name}<br>%{y}: %{x:.1f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", height=max(360, 70 + 26 * len(schools) * frame["label"].nunique()))
    fig.update_yaxes(autorange="reversed")
    spread = frame.groupby("label")["value"].agg(lambda v: v.max() - v.min()).astype("float64")
    if len(schools) > 1 and spread.notna().any() and spread.max() > 0:
        label = str(spread.index[int(np.nanargmax(spread.to_numpy(dtype="float64")))])
        rows = frame[frame["label"] == label].set_index("school")["value"].astype("float64")
        low, high = f"{rows.min():.0f} at {plain(rows.idxmin())}", f"{rows.max():.0f} at {plain(rows.idxmax())}"
        title = f"{title}: widest spread is {plain(label.lower())} ({low} to {high})"
    return _finish(fig, title, "Each school's own pupils; labelled bars, patterned by school.", side_legend=True)
