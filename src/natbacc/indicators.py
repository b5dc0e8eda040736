"""Cohort narrowing indicators, equity gaps and plain-English findings.

Everything is computed from the scored records and the breadth matrices by group-bys over the
cohort. National reference figures (``config/national.toml``) are placed beside the school's own,
with their year and source. Findings are short sentences ranked so the most serious comes first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from natbacc.breadth import Breadth, entitlement_met, this_years_options
from natbacc.findings import Finding, FindingContext, find, national_comparison
from natbacc.model import AREA_LABELS, Tables
from natbacc.scoring import STATUTORY_LABELS, early_option_years, next_year_choices
from natbacc.settings import Settings
from natbacc.vocabulary import Entitlement, EquityGroup, EquityIndicator, Strand

#: Which pupils each equity group and its reference group are: (group, column, group value, reference value).
EQUITY_GROUPS: tuple[tuple[EquityGroup, str, object, object], ...] = (
    (EquityGroup.DISADVANTAGED, "pupil_premium", True, False),
    (EquityGroup.SEN_SUPPORT, "sen", "K", "N"),
    (EquityGroup.EHC_PLAN, "sen", "E", "N"),
    (EquityGroup.SEN_TYPE_NOT_GIVEN, "sen", "U", "N"),
    (EquityGroup.EAL, "eal", True, False),
    (EquityGroup.GIRLS, "sex", "F", "M"),
)

#: Groups a school's exports may simply not use (SEN held as yes/no): compared only when some pupil is in them.
_ONLY_WHEN_PRESENT = frozenset({EquityGroup.SEN_TYPE_NOT_GIVEN})

#: What the school's own figures measure (a pupil studies an area when it is on their timetable or options).
SCHOOL_MEASURE = "timetabled study"

#: The KS3 statutory subjects behind each curricular area, named when an area is dropped.
AREA_SUBJECTS: dict[str, tuple[str, ...]] = {
    "humanities": ("history", "geography"),
    "arts": ("art_and_design", "music"),
    "technology": ("design_and_technology",),
    "languages": ("languages",),
    "computing": ("computing",),
    "physical_education": ("physical_education",),
    "religious_education": ("religious_education",),
    "pshe": ("citizenship",),
}


@cache
def national_references() -> dict[str, dict[str, object]]:
    """National reference figures with year and source."""
    text = resources.files("natbacc.config").joinpath("national.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass
class Indicators:
    """All cohort indicators, as tables ready for charts and the export."""

    area_coverage: pd.DataFrame
    ks3_length: pd.DataFrame
    dropped_before_y10: pd.DataFrame
    statutory_coverage: pd.DataFrame
    group_statutory_gaps: pd.DataFrame
    ks4_area_counts: pd.DataFrame
    ks4_entitlement: pd.DataFrame
    zero_takeup: pd.DataFrame
    equity: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    #: KS3 tutor groups with fewer pupils than core_learning.min_tutor_group_size: too small to judge.
    small_tutor_groups: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["school", "year_group", "reg_group", "pupils"])
    )


def _school(records: pd.DataFrame) -> pd.Series:
    return records["school"].fillna("All pupils")


def _stacked(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame`` as one long Series named ``name``: its columns become the last level of the index."""
    long = frame.stack()
    assert isinstance(long, pd.Series), "stacking a frame with one column level gives a Series"
    return long.rename(name)


def _area_coverage(records: pd.DataFrame, breadth: Breadth) -> pd.DataFrame:
    has = breadth.has_curriculum.to_numpy()
    keys = pd.DataFrame(
        {"school": _school(records), "year_group": records["year_group"], "key_stage": records["key_stage"]}
    )[has]
    covered = breadth.covered[has].set_axis(keys.index)
    periods = breadth.periods[has].set_axis(keys.index)
    group = [keys["school"], keys["year_group"], keys["key_stage"]]
    pct = _stacked(covered.groupby(group).mean() * 100, "pct_students")
    mean_periods = _stacked(periods.groupby(group).mean(), "mean_periods")
    n = covered.groupby(group).size().rename("students")
    out = pd.concat([pct, mean_periods], axis=1).reset_index()
    out.columns = ["school", "year_group", "key_stage", "area", "pct_students", "mean_periods"]
    out = out.merge(n.reset_index(), on=["school", "year_group", "key_stage"])
    out["area_label"] = out["area"].map(AREA_LABELS)
    return out[
        ["school", "year_group", "key_stage", "area", "area_label", "students", "pct_students", "mean_periods"]
    ].round({"pct_students": 1, "mean_periods": 1})


def _statutory(
    records: pd.DataFrame, breadth: Breadth, keys: list[str], minimum: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    mask = ((records["key_stage"] == 3).fillna(False) & breadth.has_curriculum).to_numpy()
    rec = records[mask]
    stat = breadth.statutory[mask].set_axis(rec.index)[keys]
    by_year = (stat.groupby([_school(rec), rec["year_group"]]).mean() * 100).round(1)
    by_year["all_statutory"] = (stat.all(axis=1).groupby([_school(rec), rec["year_group"]]).mean() * 100).round(1)
    long = _stacked(by_year, "pct_students").reset_index()
    long.columns = ["school", "year_group", "statutory", "pct_students"]
    long["subject"] = long["statutory"].map(STATUTORY_LABELS | {"all_statutory": "all statutory subjects"})

    # Registration groups (``minimum``+ pupils, core_learning.min_tutor_group_size) with none of a subject that
    # 90%+ of the rest of their year has; smaller groups are listed as too small to judge.
    keys_year = [_school(rec), rec["year_group"]]
    keys_group = [*keys_year, rec["reg_group"].fillna("")]
    g_sum, g_n = stat.groupby(keys_group).sum(), stat.groupby(keys_group).size()
    y_sum, y_n = stat.groupby(keys_year).sum(), stat.groupby(keys_year).size()
    y_sum_g = y_sum.reindex(g_sum.droplevel(2).index).set_axis(g_sum.index)
    y_n_g = y_n.reindex(g_n.droplevel(2).index).set_axis(g_n.index)
    others = (y_sum_g - g_sum).div(y_n_g - g_n, axis=0)
    gap = (g_sum == 0) & (others >= 0.9) & g_n.ge(minimum).to_numpy()[:, None]
    small = g_n[g_n.lt(minimum).to_numpy() & (g_n.index.get_level_values(2) != "")].rename("pupils").reset_index()
    small.columns = ["school", "year_group", "reg_group", "pupils"]
    gap = gap[gap.index.get_level_values(2) != ""]
    stacked = _stacked(gap, "_")
    hits = stacked[stacked].reset_index()
    hits.columns = ["school", "year_group", "reg_group", "statutory", "_"]
    hits["subject"] = hits["statutory"].map(STATUTORY_LABELS)
    hits["pupils"] = g_n.reindex(pd.MultiIndex.from_frame(hits[["school", "year_group", "reg_group"]])).to_numpy()
    gaps = hits.drop(columns="_")
    columns = ["school", "year_group", "reg_group", "statutory", "subject", "pupils"]
    return long, gaps[columns].reset_index(drop=True), small


def _dropped(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per school and area, % studying it in each KS3 year, and the first year it falls below 95% after
    a year at or above 95% (worked out on the whole school-by-area matrix at once)."""
    ks3 = coverage[coverage["key_stage"] == 3]
    wide = ks3.pivot_table(index=["school", "area"], columns="year_group", values="pct_students", observed=True)
    wide = wide[wide.notna().any(axis=1)]
    if wide.empty:
        return pd.DataFrame()
    years = [int(y) for y in wide.columns]
    pct = wide.to_numpy(dtype="float64")
    high_before = np.zeros_like(pct, dtype=bool)
    high_before[:, 1:] = np.logical_or.accumulate(pct >= 95, axis=1)[:, :-1]
    drop = (pct < 95) & high_before
    first = drop.argmax(axis=1)
    dropped_in = np.where(drop.any(axis=1), np.asarray(years, dtype="float64")[first], np.nan)
    out = wide.index.to_frame(index=False)
    out["area_label"] = out["area"].map(AREA_LABELS)
    for i, year in enumerate(years):
        out[f"Y{year}"] = pct[:, i]
    out["dropped_in_year"] = dropped_in
    return out


def _dropped_subjects(dropped: pd.DataFrame, statutory: pd.DataFrame) -> pd.DataFrame:
    """``dropped`` with a ``subjects`` column: for an area of several statutory subjects, the share studying
    each in the year it is dropped ("history 53%, geography 33%"), so a finding names what is behind it."""
    if dropped.empty:
        return dropped
    pct = statutory.set_index(["school", "year_group", "statutory"])["pct_students"]
    words = []
    for area, school, year in zip(dropped["area"], dropped["school"], dropped["dropped_in_year"], strict=True):
        keys = AREA_SUBJECTS.get(str(area), ())
        if len(keys) < 2 or np.isnan(float(year)):
            words.append("")
            continue
        found = [(STATUTORY_LABELS[k], pct.get((school, int(year), k))) for k in keys]
        words.append(", ".join(f"{label} {float(v):.0f}%" for label, v in found if v is not None and pd.notna(v)))
    return dropped.assign(subjects=words)


def _ebacc(breadth: Breadth) -> pd.Series:
    """The EBacc pattern: its languages pillar counts ancient languages too (Latin, Ancient Greek, Classical
    Hebrew; docs/sources.md#ebacc-languages), so it reads the languages *area*, not the KS4 entitlement."""
    c, s = breadth.covered, breadth.statutory
    humanity = s["history"] | s["geography"] if {"history", "geography"} <= set(s.columns) else c["humanities"]
    return c["english"] & c["maths"] & c["science"] & humanity & c["languages"]


#: The per-pupil indicator behind each KS4 entitlement bar (its share is the bar; its pupils are the drill-down).
ENTITLEMENT_INDICATORS: dict[Entitlement, EquityIndicator] = {
    Entitlement.ARTS: EquityIndicator.studies("arts"),
    Entitlement.LANGUAGES: EquityIndicator.studies("languages"),
    Entitlement.HUMANITIES: EquityIndicator.studies("humanities"),
    Entitlement.TECHNOLOGY: EquityIndicator.studies("technology"),
    Entitlement.EBACC_PATTERN: EquityIndicator.KS4_EBACC,
}


def pupil_indicators(records: pd.DataFrame, breadth: Breadth, settings: Settings) -> pd.DataFrame:
    """One 1/0 (or NaN where it does not apply) per pupil per indicator: the equity split, the KS4 entitlement
    bars and the pupils behind them all come from this one table."""
    return _pupil_indicators(records, breadth, settings)


def _pupil_indicators(records: pd.DataFrame, breadth: Breadth, settings: Settings) -> pd.DataFrame:
    """One boolean (or NA) per pupil per indicator, for the equity split."""
    ks = records["key_stage"]
    has = breadth.has_curriculum.to_numpy()
    ks4 = ((ks == 4).fillna(False).to_numpy()) & has
    ks3 = ((ks == 3).fillna(False).to_numpy()) & has
    out = pd.DataFrame(index=records.index)

    def only(mask: np.ndarray, values: pd.Series | np.ndarray) -> pd.Series:
        return pd.Series(np.asarray(values, dtype=float), index=records.index).where(mask)

    met = entitlement_met(breadth, settings)  # the law's areas by default, as the MISSING_* flags
    for area in settings.core["entitlement_areas"]:
        out[EquityIndicator.studies(area)] = only(ks4, met[area].to_numpy())
    out[EquityIndicator.KS4_EBACC] = only(ks4, _ebacc(breadth).to_numpy())
    keys = settings.core["ks3_statutory"]
    out[EquityIndicator.KS3_STATUTORY] = only(ks3, breadth.statutory[keys].all(axis=1).to_numpy())
    on = settings.status["on_track"]
    for strand in Strand:
        score = records[strand.score].astype("float64")
        out[EquityIndicator.on_track(strand)] = (score >= on).astype(float).where(score.notna())
    return out


def _equity(records: pd.DataFrame, per_pupil: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    threshold = settings.equity["gap_threshold_pp"]
    minimum = settings.equity["min_group_size"]
    rows = []
    for group, column, value, ref_value in EQUITY_GROUPS:
        if column not in records or records[column].isna().all():
            continue
        is_group = (records[column] == value).fillna(False).to_numpy()
        if group in _ONLY_WHEN_PRESENT and not is_group.any():
            continue
        is_ref = (records[column] == ref_value).fillna(False).to_numpy()
        # Every indicator's share for the group and its reference in two column-wise reductions.
        in_group, in_ref = per_pupil[is_group], per_pupil[is_ref]
        n_groups, n_refs = in_group.count(), in_ref.count()
        means_g, means_r = in_group.mean() * 100, in_ref.mean() * 100
        for indicator in per_pupil.columns:
            n_g, n_r = int(n_groups[indicator]), int(n_refs[indicator])
            if n_g == 0 and n_r == 0:
                continue
            # Small-number suppression: no figure for a group (or its reference) under the minimum size.
            small = n_g < minimum or n_r < minimum
            pct_g = float(means_g[indicator]) if n_g and not small else np.nan
            pct_r = float(means_r[indicator]) if n_r and not small else np.nan
            gap = pct_g - pct_r
            rows.append(
                {
                    "indicator": EquityIndicator(indicator),
                    "dimension": column,
                    "group": group,
                    "pct_group": round(pct_g, 1),
                    "pct_reference": round(pct_r, 1),
                    "gap_pp": round(gap, 1),
                    "n_group": n_g,
                    "n_reference": n_r,
                    "highlight": bool(not small and abs(gap) >= threshold),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "dimension",
            "group",
            "pct_group",
            "pct_reference",
            "gap_pp",
            "n_group",
            "n_reference",
            "highlight",
        ],
    )


def _zero_takeup(records: pd.DataFrame, breadth: Breadth, tables: Tables, settings: Settings) -> pd.DataFrame:
    ks = records["key_stage"]
    has = breadth.has_curriculum.to_numpy()
    rows = []
    for family in settings.data["ks4"]["families"]:
        if family not in breadth.statutory.columns:
            continue
        at_ks3 = breadth.statutory[family][((ks == 3).fillna(False).to_numpy()) & has].sum()
        ks4_mask = ((ks == 4).fillna(False).to_numpy()) & has
        at_ks4 = breadth.statutory[family][ks4_mask].sum()
        if at_ks3 > 0 and ks4_mask.any() and at_ks4 == 0:
            rows.append(
                {
                    "subject": STATUTORY_LABELS.get(family, family),
                    "ks3_pupils": int(at_ks3),
                    "ks4_pupils": 0,
                    "why": "taught at KS3, no KS4 pupil takes it",
                }
            )
    offered = settings.data["ks4"]["offered_subjects"]
    if offered:
        ks4_ids = records.loc[(ks == 4).fillna(False), "pupil_key"]
        both = pd.concat([tables["enrolments"], this_years_options(tables["options"])])
        taken = set(both.loc[both["pupil_key"].isin(ks4_ids), "subject"])
        rows += [
            {"subject": s, "ks3_pupils": np.nan, "ks4_pupils": 0, "why": "offered at KS4, no pupil takes it"}
            for s in offered
            if s not in taken
        ]
    return pd.DataFrame(rows, columns=["subject", "ks3_pupils", "ks4_pupils", "why"])


def entitlement_table(entitlement: pd.DataFrame) -> pd.DataFrame:
    """``Indicators.ks4_entitlement`` for people: each measure by its label."""
    return entitlement.assign(indicator=[Entitlement(code).label for code in entitlement["indicator"]])


def equity_table(equity: pd.DataFrame) -> pd.DataFrame:
    """``Indicators.equity`` for people: indicator, group and reference group by their labels.

    The frame itself keys rows by vocabulary ids; this is the edge where they become words (the
    workbook's Equity sheet and the dashboard's table).
    """
    if equity.empty:
        return equity.assign(reference=pd.Series(dtype="str"))[[*equity.columns[:3], "reference", *equity.columns[3:]]]
    groups = [EquityGroup(g) for g in equity["group"]]
    out = equity.assign(
        indicator=[EquityIndicator(code).label for code in equity["indicator"]],
        group=[g.label for g in groups],
        reference=[g.reference for g in groups],
    )
    return out[[*equity.columns[:3], "reference", *equity.columns[3:]]]


def compute_indicators(records: pd.DataFrame, breadth: Breadth, tables: Tables, settings: Settings) -> Indicators:
    """Every cohort indicator and the findings, from scored records and aligned breadth matrices."""
    coverage = _area_coverage(records, breadth)
    statutory, group_gaps, small_groups = _statutory(
        records, breadth, settings.core["ks3_statutory"], int(settings.core.get("min_tutor_group_size", 5))
    )
    dropped = _dropped_subjects(_dropped(coverage), statutory)
    early = early_option_years(records, breadth, settings)
    choices = next_year_choices(records, breadth, early, tables["options"])
    ks3_years = sorted(int(y) for y in records.loc[(records["key_stage"] == 3).fillna(False), "year_group"].unique())
    start = min(early) if early else (10 if ks3_years else None)
    ks3_length = pd.DataFrame(
        [
            {
                "options_start_year": start,
                "ks3_years": (start - 7) if start else None,
                "evidence": "; ".join(
                    [
                        *early.values(),
                        *([] if early else ["no KS3 year's timetable follows options" if ks3_years else ""]),
                        *(f"Year {y}'s choices for Year {y + 1} are recorded (next year's)" for y in choices),
                    ]
                ).strip("; ")
                or "no KS3 pupils imported",
            }
        ]
    )

    ks4 = ((records["key_stage"] == 4).fillna(False) & breadth.has_curriculum).to_numpy()
    counts = records.loc[ks4, "areas_covered"].value_counts().sort_index()
    ks4_counts = pd.DataFrame({"areas_covered": counts.index.astype(int), "pupils": counts.to_numpy()})
    if len(ks4_counts):
        ks4_counts["pct_pupils"] = (ks4_counts["pupils"] / ks4_counts["pupils"].sum() * 100).round(1)

    refs = national_references()
    per_pupil = _pupil_indicators(records, breadth, settings)
    ent_rows = []
    references = {
        Entitlement.ARTS: "ks4_arts",
        Entitlement.LANGUAGES: "ks4_languages",
        Entitlement.EBACC_PATTERN: "ks4_ebacc",
    }
    for code, col in ENTITLEMENT_INDICATORS.items():
        ref_key = references.get(code)
        r = refs.get(ref_key, {}) if ref_key else {}
        pct = round(per_pupil[col].mean() * 100, 1) if ks4.any() and col in per_pupil else np.nan
        value = r.get("value")
        has_ref = isinstance(value, (int, float)) and pd.notna(pct)
        ent_rows.append(
            {
                "indicator": code,
                "pct_pupils": pct,
                "measure": SCHOOL_MEASURE,
                "national_pct": float(value) if isinstance(value, (int, float)) else np.nan,
                "national_measure": str(r.get("measure", "")),
                "national_year": str(r.get("year", "")),
                "national_source": str(r.get("source", "no national figure")),
                "comparison": national_comparison(
                    float(pct),
                    float(value),
                    str(r["year"]),
                    str(r["phrase"]),
                    str(r["measure"]),
                    SCHOOL_MEASURE,
                )
                if has_ref and isinstance(value, (int, float))
                else "",
            }
        )
    entitlement = pd.DataFrame(ent_rows)
    equity = _equity(records, per_pupil, settings)
    zero = _zero_takeup(records, breadth, tables, settings)
    ind = Indicators(coverage, ks3_length, dropped, statutory, group_gaps, ks4_counts, entitlement, zero, equity)
    ind.small_tutor_groups = small_groups
    ind.findings = find(FindingContext(records, breadth, ind, early, settings, choices))
    return ind
