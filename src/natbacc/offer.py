"""The school's KS4 offer beside take-up: could every pupil choose a subject in each entitlement area?

Education Act 2002 s.85A makes the four entitlement areas (the arts, design and technology, the humanities,
modern foreign languages) a pupil's *right*: the school must offer a course in each, and the pupil may take
it up or not (docs/sources.md#ks4-entitlement-areas). Take-up alone ("20% study technology") cannot tell a
free choice from a subject that was never on offer, so this table puts the offer beside it, year group by
year group, from what the files show:

* with option blocks: the share of the year's pupils who had a subject in the area in at least one of the
  blocks they chose from (a pathway whose blocks hold no such subject leaves its pupils without access);
* a subject in the area taken by every pupil of the year: taught to all, so every pupil has it;
* without option blocks: whether a class in the area runs for the year (access per pupil cannot be told);
* neither: not offered, as far as the files show.

The area follows the entitlement rule in force: the law's narrow areas by default, the school's own broader
rule when ``ks4.entitlement = "school"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from natbacc.analysis import Analysis
from natbacc.breadth import entitlement_met, statutory_entitlement, this_years_options
from natbacc.model import AREA_LABELS

OFFER_COLUMNS = ["school", "year_group", "area", "pupils", "take_up_pct", "offered", "access_pct", "how"]


def _in_area(rows: pd.DataFrame, analysis: Analysis, area: str) -> np.ndarray:
    """Rows (classes or options) whose subject is in the entitlement ``area`` under the rule in force."""
    if rows.empty:
        return np.zeros(0, dtype=bool)
    if statutory_entitlement(analysis.settings):
        subjects = rows["subject"].fillna("").astype("str")
        areas = {s: analysis.subject_map.entitlement_of(s) for s in subjects.unique()}
        return (subjects.map(areas) == area).to_numpy(bool)
    return (rows["area"] == area).fillna(False).to_numpy(bool)


def entitlement_offer(analysis: Analysis) -> pd.DataFrame:
    """One row per school, KS4 year group and entitlement area: pupils, take-up, whether the area was offered,
    the share of pupils with access to it, and how that was told, in words."""
    records = analysis.records
    ks4 = (records["key_stage"] == 4).fillna(False).to_numpy(bool) & records["year_group"].notna().to_numpy(bool)
    if not ks4.any():
        return pd.DataFrame(columns=OFFER_COLUMNS)
    met = entitlement_met(analysis.breadth, analysis.settings).to_numpy(bool)[ks4]
    areas = list(analysis.settings.core["entitlement_areas"])
    pupils = pd.DataFrame(
        {
            "pupil_key": records["pupil_key"].to_numpy(object)[ks4],
            "school": records["school"].fillna("").astype("str").to_numpy(object)[ks4],
            "year_group": records["year_group"].to_numpy()[ks4].astype(int),
        }
    )
    where = pupils.set_index("pupil_key")
    options = this_years_options(analysis.tables["options"])
    options = options[options["pupil_key"].isin(where.index)]
    options = options.assign(year_group=options["pupil_key"].map(where["year_group"]))
    classes = analysis.tables["enrolments"]
    timed = classes["periods"].isna() | (classes["periods"] > 0)
    classes = classes[classes["pupil_key"].isin(where.index) & timed.fillna(True).to_numpy(bool)]
    classes = classes.assign(year_group=classes["pupil_key"].map(where["year_group"]))
    rows = []
    for (school, year), group in pupils.groupby(["school", "year_group"], sort=True):
        ids = set(group["pupil_key"])
        n = len(ids)
        in_group = group.index.to_numpy()
        year_options = options[options["pupil_key"].isin(ids)]
        year_classes = classes[classes["pupil_key"].isin(ids)]
        has_blocks = year_options["block"].notna().any()
        all_blocks = ", ".join(sorted(map(str, set(year_options["block"].dropna()))))
        for i, area in enumerate(areas):
            take_up = float(met[in_group, i].mean() * 100)
            option_rows = year_options[_in_area(year_options, analysis, area)]
            class_rows = year_classes[_in_area(year_classes, analysis, area)]
            everyone = class_rows["pupil_key"].nunique() == n
            label = AREA_LABELS.get(area, area).lower()
            if everyone:
                offered, access, how = True, 100.0, f"every pupil of the year is taught {label}"
            elif has_blocks:
                blocks = set(option_rows["block"].dropna())
                had = year_options.loc[year_options["block"].isin(blocks), "pupil_key"].nunique()
                access = had / n * 100
                offered = bool(blocks)
                how = (
                    f"in option block{'s' if len(blocks) > 1 else ''} {', '.join(sorted(map(str, blocks)))}: "
                    f"{had:,} of {n:,} pupils chose from {'one of them' if len(blocks) > 1 else 'it'}"
                    if blocks
                    else f"in none of the year's option blocks ({all_blocks})"
                )
            elif len(class_rows):
                offered, access, how = (
                    True,
                    np.nan,
                    "a class runs for the year; without option blocks, who could choose it cannot be told",
                )
            else:
                offered, access, how = False, 0.0, "no class and no option in the area for this year"
            rows.append(
                {
                    "school": school,
                    "year_group": int(str(year)),
                    "area": area,
                    "pupils": n,
                    "take_up_pct": round(take_up, 1),
                    "offered": offered,
                    "access_pct": round(access, 1) if access == access else np.nan,
                    "how": how,
                }
            )
    return pd.DataFrame(rows, columns=OFFER_COLUMNS)


def offer_sentences(offer: pd.DataFrame) -> list[str]:
    """Each year and area where not every pupil could choose a subject, in words (empty when all could)."""
    out = []
    short = offer[offer["access_pct"].notna() & (offer["access_pct"] < 100)]
    for row in short.to_dict("records"):
        area = AREA_LABELS.get(str(row["area"]), str(row["area"])).lower()
        who = f"{row['school']}, " if row["school"] else ""
        if row["offered"]:
            out.append(
                f"{who}Year {row['year_group']}: only {row['access_pct']:.0f}% of pupils could choose a subject in "
                f"{area} ({row['how']}); {row['take_up_pct']:.0f}% study one."
            )
        else:
            out.append(
                f"{who}Year {row['year_group']}: no pupil could choose a subject in {area} ({row['how']}); the "
                "KS4 entitlement means the school must offer one."
            )
    return out
