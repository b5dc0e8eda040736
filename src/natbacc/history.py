"""Term-on-term and school-by-school comparisons: the same headline indicators, every time.

A snapshot (one term's import, see ``natbacc.store``) keeps two small summaries besides its canonical
tables, computed here when it is saved so trends never re-score old terms:

* ``headline_indicators`` — one row per school (and "All schools" for a trust import) per indicator:
  strand on-track shares, KS3 length and statutory gaps, the KS4 entitlement gaps (no arts, no
  language, no humanity, no technology) and every equity gap.
* ``pupil_summary`` — one row per pupil: strand scores, status, flags and the areas they cover, so a
  later term can say who newly dropped an area.

Everything is pure pandas: the store writes and reads these frames; the dashboard and the CLI
only display them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from natbacc.analysis import Analysis
from natbacc.cohort import subset
from natbacc.model import AREA_LABELS, AREAS
from natbacc.scoring import STRANDS, breadth_aligned, on_track_shares

ALL_SCHOOLS = "All schools"
UNNAMED_SCHOOL = "Your school"

#: Sections in the order pages show them.
SECTIONS: tuple[str, ...] = ("Strands", "Key Stage 3", "Key Stage 4", "Equity")

HEADLINE_COLUMNS = ["school", "section", "key", "label", "value", "pupils", "unit", "better"]
PUPIL_COLUMNS = [
    "student_id",
    "school",
    "year_group",
    *STRANDS,
    "overall_status",
    "flags",
    "areas",
]
_ENTITLEMENT = {
    "arts": "KS4 pupils with no arts subject",
    "languages": "KS4 pupils with no language",
    "humanities": "KS4 pupils with no humanity",
    "technology": "KS4 pupils with no technology subject",
}


def school_names(records: pd.DataFrame, fallback: str = "") -> pd.Series:
    """Each pupil's school, with ``fallback`` (or "Your school") where the files named none."""
    return records["school"].fillna(fallback or UNNAMED_SCHOOL).astype("str")


def _row(section: str, key: str, label: str, value: float, pupils: int, unit: str = "%", better: str = "higher"):
    value = float(value) if value is not None and not pd.isna(value) else np.nan
    return {
        "section": section,
        "key": key,
        "label": label,
        "value": round(value, 1) if not np.isnan(value) else np.nan,
        "pupils": int(pupils),
        "unit": unit,
        "better": better,
    }


def headline_indicators(analysis: Analysis) -> pd.DataFrame:
    """The headline indicators of one cohort (columns as ``HEADLINE_COLUMNS`` without ``school``).

    Percentages are of the pupils each indicator is about (scored pupils for a strand, KS4 pupils
    with a curriculum for the entitlement gaps); ``pupils`` is that denominator. ``better`` says
    which direction is an improvement ("higher", "lower", or "zero" for an equity gap).
    """
    records, ind, settings = analysis.records, analysis.indicators, analysis.settings
    breadth = breadth_aligned(analysis.breadth, records)
    rows = []
    shares = on_track_shares(records, settings)
    for col, label in STRANDS.items():
        rows.append(_row("Strands", f"on_track:{col}", f"{label}: on track", shares[label], records[col].notna().sum()))
    status = records["overall_status"].dropna()
    status = status[status != ""]
    overall = (status == "on track").mean() * 100
    rows.append(_row("Strands", "on_track:overall", "All three strands: on track", overall, len(status)))

    ks = records["key_stage"]
    has = breadth.has_curriculum.to_numpy()
    ks3 = (ks == 3).fillna(False).to_numpy() & has
    length = ind.ks3_length["ks3_years"].iloc[0] if len(ind.ks3_length) else np.nan
    rows.append(
        _row("Key Stage 3", "ks3:years", "Length of Key Stage 3", length, ks3.sum(), unit="years", better="higher")
    )
    keys = [k for k in settings.core["ks3_statutory"] if k in breadth.statutory.columns]
    missing = ~breadth.statutory.loc[ks3, keys].all(axis=1)
    rows.append(
        _row(
            "Key Stage 3",
            "ks3:missing_statutory",
            "KS3 pupils missing a statutory subject",
            missing.mean() * 100 if ks3.any() else np.nan,
            ks3.sum(),
            better="lower",
        )
    )
    dropped = ind.dropped_before_y10
    # Distinct areas dropped in any of the cohort's schools (one school: its own count).
    n_dropped = dropped.loc[dropped["dropped_in_year"].notna(), "area"].nunique() if len(dropped) else np.nan
    rows.append(
        _row(
            "Key Stage 3",
            "ks3:areas_dropped",
            "Areas dropped before Year 10",
            n_dropped,
            ks3.sum(),
            unit="areas",
            better="lower",
        )
    )

    ks4 = (ks == 4).fillna(False).to_numpy() & has
    for area, label in _ENTITLEMENT.items():
        if area not in breadth.covered.columns:
            continue
        share = (~breadth.covered.loc[ks4, area]).mean() * 100 if ks4.any() else np.nan
        rows.append(_row("Key Stage 4", f"ks4:no_{area}", label, share, ks4.sum(), better="lower"))
    fewer = settings.core.get("min_areas", {}).get("ks4")
    if fewer:
        share = (records.loc[ks4, "areas_covered"] < fewer).mean() * 100 if ks4.any() else np.nan
        rows.append(
            _row(
                "Key Stage 4",
                "ks4:few_areas",
                f"KS4 pupils covering fewer than {fewer} areas",
                share,
                ks4.sum(),
                better="lower",
            )
        )

    for eq in ind.equity.itertuples():
        rows.append(
            _row(
                "Equity",
                f"gap:{eq.group}:{eq.indicator}",
                f"{eq.group}: {eq.indicator}",
                eq.gap_pp,
                eq.n_group,
                unit="pp",
                better="zero",
            )
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS[1:])


def school_indicators(analysis: Analysis, fallback_school: str = "") -> pd.DataFrame:
    """``headline_indicators`` for each school in the cohort, plus "All schools" when there are several.

    Each school's indicators are computed on its own pupils (``cohort.subset``), exactly as the
    dashboard's school filter shows them.
    """
    names = school_names(analysis.records, fallback_school)
    schools = sorted(names.unique())
    frames = []
    for school in schools:
        keep = (names == school).to_numpy()
        part = headline_indicators(subset(analysis, keep))
        frames.append(part.assign(school=school))
    if len(schools) > 1:
        frames.append(headline_indicators(analysis).assign(school=ALL_SCHOOLS))
    if not frames:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[HEADLINE_COLUMNS]


def pupil_summary(analysis: Analysis, fallback_school: str = "") -> pd.DataFrame:
    """One row per pupil: school, year, strand scores, status, flags and covered areas (space-separated)."""
    records = analysis.records
    covered = breadth_aligned(analysis.breadth, records).covered
    areas = [a for a in AREAS if a in covered.columns]
    matrix = covered[areas].to_numpy(bool)
    # One string per pupil from the boolean matrix, without a per-pupil Python loop over areas.
    names = np.array([a + " " for a in areas], dtype=object)
    joined = (matrix * names).sum(axis=1) if len(areas) else np.full(len(records), "", dtype=object)
    joined = pd.Series(joined, index=records.index).astype("str").str.strip()
    out = records[["student_id", "year_group", *STRANDS, "overall_status", "flags"]].copy()
    out.insert(1, "school", school_names(records, fallback_school))
    out["areas"] = joined.replace("0", "")
    return out[PUPIL_COLUMNS].reset_index(drop=True)


CHANGE_COLUMNS = [
    "school",
    "student_id",
    "year_before",
    "year_after",
    "dropped",
    "added",
    "status_before",
    "status_after",
    "new_flags",
    *[f"{label} change" for label in STRANDS.values()],
]
_STATUS_RANK = {"off track": 0, "at risk": 1, "on track": 2}


def _differences(old_items: pd.Series, new_items: pd.Series, labels: dict | None = None) -> tuple[pd.Series, pd.Series]:
    """Per row, the items only before and only after (comma-joined labels), with exploded frames rather
    than a loop over pupils. ``old_items`` and ``new_items`` hold lists and share an index."""
    old = old_items.explode().rename("item").reset_index()
    new = new_items.explode().rename("item").reset_index()
    merged = old.merge(new, on=["index", "item"], how="outer", indicator=True)
    merged = merged[merged["item"].fillna("") != ""]
    merged["item"] = merged["item"].map(labels).fillna(merged["item"]) if labels else merged["item"]

    def only(side: str) -> pd.Series:
        items = merged[merged["_merge"] == side].groupby("index")["item"].agg(", ".join)
        return items.reindex(old_items.index, fill_value="")

    return only("left_only"), only("right_only")


def pupil_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Pupils in both summaries whose breadth or status changed, most serious first.

    Columns (``CHANGE_COLUMNS``): school, student_id, year_before, year_after, dropped (area labels
    newly not covered), added, status_before, status_after, new_flags, and each strand's score change.
    """
    both = before.merge(after, on=["school", "student_id"], suffixes=("_before", "_after"), how="inner")
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    out = both[["school", "student_id"]].copy()
    out["year_before"] = both["year_group_before"]
    out["year_after"] = both["year_group_after"]

    def areas(text: pd.Series) -> pd.Series:
        return text.fillna("").str.split()

    def flags(text: pd.Series) -> pd.Series:
        return text.fillna("").str.split(r";\s*", regex=True)

    out["dropped"], out["added"] = _differences(areas(both["areas_before"]), areas(both["areas_after"]), AREA_LABELS)
    out["status_before"] = both["overall_status_before"]
    out["status_after"] = both["overall_status_after"]
    out["new_flags"] = _differences(flags(both["flags_before"]), flags(both["flags_after"]))[1]
    for col, label in STRANDS.items():
        after_score, before_score = both[f"{col}_after"].astype("Float64"), both[f"{col}_before"].astype("Float64")
        out[f"{label} change"] = (after_score - before_score).round(1)
    changed = (out["dropped"] != "") | (out["added"] != "") | (out["status_before"] != out["status_after"])
    out = out[changed | (out["new_flags"] != "")]
    severity = (out["dropped"] == "").astype(int) * 10 + out["status_after"].map(_STATUS_RANK).astype("float64").fillna(
        3
    )
    return (
        out.assign(_order=severity)
        .sort_values(["_order", "school", "student_id"])
        .reset_index(drop=True)[CHANGE_COLUMNS]
    )


def term_label(day: date) -> str:
    """The school term a date falls in: "Autumn 2026" (Sep-Dec), "Spring 2027" (Jan-Mar), "Summer 2027"."""
    if day.month >= 9:
        return f"Autumn {day.year}"
    return f"{'Spring' if day.month <= 3 else 'Summer'} {day.year}"
