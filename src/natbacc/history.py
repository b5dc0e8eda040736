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
from natbacc.breadth import area_met
from natbacc.cohort import subset
from natbacc.model import AREA_LABELS, AREAS
from natbacc.records import SCORE_COLUMNS, flags_text
from natbacc.scoring import breadth_aligned, on_track_shares
from natbacc.vocabulary import EquityGroup, EquityIndicator, Headline, Section, Status, Strand

ALL_SCHOOLS = "All schools"
UNNAMED_SCHOOL = "Your school"

#: Sections in the order pages show them.
SECTIONS: tuple[Section, ...] = tuple(Section)

#: A headline indicator row: ``indicator`` is a ``Headline`` id, or for an equity gap an ``EquityIndicator``
#: id with the ``EquityGroup`` id in ``equity_group``. Labels are looked up when shown (``with_labels``).
HEADLINE_COLUMNS = ["school", "section", "indicator", "equity_group", "value", "pupils", "unit", "better"]
PUPIL_COLUMNS = [
    "student_id",
    "school",
    "year_group",
    *SCORE_COLUMNS,
    "overall_status",
    "flags",
    "areas",
]
_NO_AREA = {
    "arts": Headline.KS4_NO_ARTS,
    "languages": Headline.KS4_NO_LANGUAGES,
    "humanities": Headline.KS4_NO_HUMANITIES,
    "technology": Headline.KS4_NO_TECHNOLOGY,
}


def school_names(records: pd.DataFrame, fallback: str = "") -> pd.Series:
    """Each pupil's school, with ``fallback`` (or "Your school") where the files named none."""
    return records["school"].fillna(fallback or UNNAMED_SCHOOL).astype("str")


def _row(
    section: Section,
    indicator: str,
    value: float | None,
    pupils: int | float,
    unit: str = "%",
    better: str = "higher",
    group: EquityGroup | None = None,
) -> dict[str, object]:
    value = float(value) if value is not None and not pd.isna(value) else np.nan
    return {
        "section": section.value,
        "indicator": str(indicator),
        "equity_group": group.value if group is not None else None,
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
    for strand in Strand:
        headline = Headline(f"on_track:{strand.score}")
        rows.append(_row(Section.STRANDS, headline, shares[strand], records[strand.score].notna().sum()))
    status = records["overall_status"].dropna()
    status = status[status != ""]
    overall = (status == Status.ON_TRACK).mean() * 100
    rows.append(_row(Section.STRANDS, Headline.ON_TRACK_OVERALL, overall, len(status)))

    ks = records["key_stage"]
    has = breadth.has_curriculum.to_numpy()
    ks3 = (ks == 3).fillna(False).to_numpy() & has
    length = ind.ks3_length["ks3_years"].iloc[0] if len(ind.ks3_length) else np.nan
    rows.append(_row(Section.KS3, Headline.KS3_YEARS, length, ks3.sum(), unit="years", better="higher"))
    keys = [k for k in settings.core["ks3_statutory"] if k in breadth.statutory.columns]
    missing = ~breadth.statutory.loc[ks3, keys].all(axis=1)
    rows.append(
        _row(
            Section.KS3,
            Headline.KS3_MISSING_STATUTORY,
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
            Section.KS3,
            Headline.KS3_AREAS_DROPPED,
            n_dropped,
            ks3.sum(),
            unit="areas",
            better="lower",
        )
    )

    ks4 = (ks == 4).fillna(False).to_numpy() & has
    for area, headline in _NO_AREA.items():
        if area not in breadth.covered.columns:
            continue
        share = (~area_met(breadth, settings, area)[ks4]).mean() * 100 if ks4.any() else np.nan
        rows.append(_row(Section.KS4, headline, share, ks4.sum(), better="lower"))
    fewer = settings.core.get("min_areas", {}).get("ks4")
    if fewer:
        share = (records.loc[ks4, "areas_covered"] < fewer).mean() * 100 if ks4.any() else np.nan
        rows.append(_row(Section.KS4, Headline.KS4_FEW_AREAS, share, ks4.sum(), better="lower"))

    for eq in ind.equity.to_dict("records"):
        rows.append(
            _row(
                Section.EQUITY,
                EquityIndicator(str(eq["indicator"])),
                eq["gap_pp"],
                eq["n_group"],
                unit="pp",
                better="zero",
                group=EquityGroup(str(eq["group"])),
            )
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS[1:])


def indicator_label(indicator: str, group: str | None = None) -> str:
    """A stored indicator in words (``Headline`` labels, or an equity gap's ``EquityIndicator`` label).

    Ids a later release no longer knows are shown as they are rather than hidden.
    """
    known = EquityIndicator.of(indicator) if group else Headline.of(indicator)
    return known.label if known else indicator


def group_label(group: str | None) -> str:
    """An equity group id in words ("" for rows that are not equity gaps)."""
    if not group:
        return ""
    known = EquityGroup.of(group)
    return known.label if known else group


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Headline rows with ``label``: the indicator in words, prefixed by the group for an equity gap."""
    groups = [g if isinstance(g, str) and g else None for g in frame["equity_group"]]
    words = [indicator_label(i, g) for i, g in zip(frame["indicator"], groups, strict=True)]
    return frame.assign(
        indicator_label=words,
        group_label=[group_label(g) for g in groups],
        label=[f"{group_label(g)}: {w}" if g else w for w, g in zip(words, groups, strict=True)],
    )


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
    out = records[["student_id", "year_group", *SCORE_COLUMNS, "overall_status"]].assign(flags=flags_text(records))
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
    *[f"{strand.label} change" for strand in Strand],
]
_STATUS_RANK = {Status.OFF_TRACK.value: 0, Status.AT_RISK.value: 1, Status.ON_TRACK.value: 2}


def _differences(
    old_items: pd.Series, new_items: pd.Series, labels: dict[str, str] | None = None
) -> tuple[pd.Series, pd.Series]:
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
    for strand in Strand:
        col = strand.score
        after_score, before_score = both[f"{col}_after"].astype("Float64"), both[f"{col}_before"].astype("Float64")
        out[f"{strand.label} change"] = (after_score - before_score).round(1)
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
