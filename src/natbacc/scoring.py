"""Score every pupil on the three NBfE strands, flag narrowing, and explain both in plain English.

All rules read their numbers from the NBfE settings (``config/nbfe.toml``); everything is computed
column-wise over the whole cohort. Explanations and flags are built by concatenating vectorised
string columns, not by formatting pupil by pupil.

Strands that do not apply (a Personal Project before Year 10, a log that was not imported) score
blank, are said to be so in the explanation, and do not count towards ``overall_status``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from natbacc.breadth import Breadth, area_met, build_breadth, entitlement_met, positions, statutory_entitlement
from natbacc.model import AREA_LABELS, AREAS, Tables
from natbacc.records import conform_records, stage_words
from natbacc.settings import Settings, SettingsError
from natbacc.subjects import SubjectMap
from natbacc.text import const, fmt, join, per_pattern, text, when
from natbacc.vocabulary import Flag, Status, Strand

MISSING_FLAG_AREAS = {
    "arts": Flag.MISSING_ARTS,
    "languages": Flag.MISSING_LANGUAGES,
    "humanities": Flag.MISSING_HUMANITIES,
    "technology": Flag.MISSING_TECHNOLOGY,
}
STATUTORY_LABELS = {
    "english": "English",
    "maths": "maths",
    "science": "science",
    "art_and_design": "art and design",
    "music": "music",
    "design_and_technology": "design and technology",
    "computing": "computing",
    "geography": "geography",
    "history": "history",
    "languages": "a modern foreign language",
    "physical_education": "PE",
    "citizenship": "citizenship",
    "religious_education": "RE",
}
#: What ``core_learning.school_type`` may be.
SCHOOL_TYPES = ("maintained", "academy", "independent")
_KS_FIRST_YEAR = {3: 7, 4: 10, 5: 12}
_KS_YEARS = {3: 3, 4: 2, 5: 2}


def _b(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A boolean mask as a plain numpy array, missing values false."""
    return np.asarray(pd.Series(mask).fillna(False), dtype=bool)


def _lookup(keys: pd.Series, table: Mapping[int, float]) -> pd.Series:
    """``keys.map(table).astype("float64")`` for small integer keys (year groups, key stages).

    A comparison per table entry over a float array, instead of pandas mapping every element of a
    nullable-integer column one by one (the biggest single cost of scoring at trust scale).
    """
    values = keys.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(values), np.nan)
    for key, value in table.items():
        out[values == key] = value
    return pd.Series(out, index=keys.index)


def _pick(ks: pd.Series, by_stage: dict[int, np.ndarray], default: str = "") -> np.ndarray:
    out = const(len(ks), default)
    for stage, values in by_stage.items():
        out = np.where(_b(ks == stage), values, out).astype(out.dtype)
    return out


# ---- Core Learning -------------------------------------------------------------------


def _balance(breadth: Breadth, limit: float) -> tuple[pd.Series, pd.Series, pd.Series]:
    periods = breadth.periods
    total = periods.sum(axis=1, min_count=1)
    top_share = periods.max(axis=1) / total
    top_area = periods.fillna(-1).idxmax(axis=1).where(total.notna())
    balance = (1 - (top_share - limit) / limit).clip(0, 1).where(top_share > limit, 1.0).where(total > 0)
    return balance, top_share, top_area


def school_type(settings: Settings) -> str:
    """``maintained``, ``academy`` or ``independent`` (anything else is refused, naming the setting)."""
    kind = str(settings.core.get("school_type", "maintained")).strip().lower()
    if kind not in SCHOOL_TYPES:
        raise SettingsError(
            f"Setting 'core_learning.school_type' must be one of {', '.join(SCHOOL_TYPES)}, not {kind!r}."
        )
    return kind


def ks3_subjects_phrase(settings: Settings) -> str:
    """What the KS3 subjects are called: statutory only where the National Curriculum binds the school."""
    return "statutory KS3 subjects" if school_type(settings) == "maintained" else "National Curriculum KS3 subjects"


def ks4_slots(settings: Settings) -> list[str]:
    """The KS4 core slots checked: the setting, plus computing and citizenship for maintained schools
    (foundation subjects at KS4, Education Act 2002 s.85(4))."""
    slots = list(settings.core["ks4_core"])
    if school_type(settings) == "maintained":
        slots += [k for k in ("computing", "citizenship") if not any(k in s.split("|") for s in slots)]
    return slots


def _slot_label(slot: str) -> str:
    return " or ".join(
        STATUTORY_LABELS["citizenship"] if a == "citizenship" else AREA_LABELS[a] for a in slot.split("|")
    )


def _slots_met(breadth: Breadth, slots: list[str]) -> pd.DataFrame:
    """One boolean column per KS4 core slot (``slot_0``...): any of its areas covered (citizenship: the subject)."""
    cols = {}
    for i, slot in enumerate(slots):
        parts = [
            breadth.statutory[a] if a == "citizenship" and a in breadth.statutory else breadth.covered[a]
            for a in slot.split("|")
            if a in breadth.covered or a in breadth.statutory
        ]
        cols[f"slot_{i}"] = pd.concat(parts, axis=1).any(axis=1) if parts else breadth.has_curriculum & False
    return pd.DataFrame(cols, index=breadth.covered.index)


def _core_words(d: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Core Learning explanations for distinct patterns (columns as assembled in ``_core_learning``)."""
    core = settings.core
    keys, expected = core["ks3_statutory"], core["areas"]
    slots, ent = ks4_slots(settings), core["entitlement_areas"]
    crowded = text(d["top_area"].map(AREA_LABELS)) + " takes " + fmt(d["top_share"] * 100) + "% of curricular time"
    balance = np.where(_b(d["balance"] >= 1), "balanced timetable", np.where(_b(d["balance"] < 1), crowded, ""))
    balance = balance.astype(crowded.dtype)
    missing_stat = join([when(~d[f"stat_{k}"].to_numpy(bool), STATUTORY_LABELS.get(k, k)) for k in keys], ", ")
    n_stat = d[[f"stat_{k}" for k in keys]].sum(axis=1)
    ks3 = join(
        [
            fmt(n_stat)
            + f" of {len(keys)} {ks3_subjects_phrase(settings)}"
            + when(missing_stat != "", " (missing: " + missing_stat + ")"),
            fmt(d[[f"cov_{a}" for a in expected]].sum(axis=1)) + f" of {len(expected)} areas",
            balance,
        ],
        "; ",
    )
    slot_ok = {s: d[f"slot_{i}"].to_numpy(bool) for i, s in enumerate(slots)}
    missing_core = join([when(~ok, _slot_label(s)) for s, ok in slot_ok.items()], ", ")
    missing_ent = join([when(~d[f"ent_{a}"].to_numpy(bool), AREA_LABELS[a].lower()) for a in ent], ", ")
    rule = "" if statutory_entitlement(settings) else " (the school's rule)"
    ks4 = join(
        [
            "core "
            + fmt(np.sum([ok.astype(int) for ok in slot_ok.values()], axis=0))
            + f" of {len(slots)}"
            + when(missing_core != "", " (missing: " + missing_core + ")"),
            "a subject in "
            + fmt(d[[f"ent_{a}" for a in ent]].sum(axis=1))
            + f" of {len(ent)} entitlement areas{rule}"
            + when(missing_ent != "", " (none in " + missing_ent + ")"),
            balance,
        ],
        "; ",
    )
    ks5 = (
        fmt(d["subjects"])
        + np.where(d["subjects"].to_numpy() == 1, " subject, ", " subjects, ")
        + fmt(d["ks5_size"], 1)
        + " A levels' worth (the Advanced tier expects "
        + f"{core['ks5_min_subjects']} A levels or a Level 3 Diploma of that size)"
    )
    words = _pick(d["ks"], {3: ks3, 4: ks4, 5: ks5}, "no year group, so no key stage")
    return np.where(~d["has"].to_numpy(bool) & d["ks"].notna().to_numpy(), "no classes or options imported", words)


def _core_learning(students: pd.DataFrame, breadth: Breadth, settings: Settings) -> tuple[pd.Series, pd.Series]:
    core = settings.core
    ks = students["key_stage"]
    covered = breadth.covered
    balance, top_share, top_area = _balance(breadth, core["max_area_share"])
    has_balance = balance.notna()

    # KS3: statutory subjects, expected areas, balance.
    keys = core["ks3_statutory"]
    n_stat = breadth.statutory[keys].sum(axis=1)
    expected = core["areas"]
    n_areas = covered[expected].sum(axis=1)
    w3 = core["ks3_weights"]
    ks3_score = (
        w3["statutory"] * n_stat / len(keys) + w3["areas"] * n_areas / len(expected) + w3["balance"] * balance.fillna(0)
    ) / (w3["statutory"] + w3["areas"] + w3["balance"] * has_balance)

    # KS4: the core every pupil follows, the four entitlement areas, balance.
    slot_ok = _slots_met(breadth, ks4_slots(settings))
    ent = core["entitlement_areas"]
    ent_ok = entitlement_met(breadth, settings)
    n_ent = ent_ok.sum(axis=1)
    w4 = core["ks4_weights"]
    ks4_score = (
        w4["core"] * slot_ok.mean(axis=1) + w4["entitlement"] * n_ent / len(ent) + w4["balance"] * balance.fillna(0)
    ) / (w4["core"] + w4["entitlement"] + w4["balance"] * has_balance)

    # KS5: the Advanced tier expects three A levels' worth or more (qualification size, not subject names).
    ks5_score = (breadth.ks5_size / core["ks5_min_subjects"]).clip(upper=1)

    score = pd.Series(np.nan, index=students.index, dtype="float64")
    score = score.mask(_b(ks == 3), ks3_score).mask(_b(ks == 4), ks4_score).mask(_b(ks == 5), ks5_score) * 100
    score = score.mask(~breadth.has_curriculum.to_numpy())

    inputs = pd.concat(
        [
            breadth.statutory[keys].add_prefix("stat_"),
            covered.add_prefix("cov_"),
            slot_ok,
            ent_ok.add_prefix("ent_"),
            pd.DataFrame(
                {
                    "balance": balance.round(3),
                    "top_share": top_share.round(2),
                    "top_area": top_area,
                    "subjects": breadth.subjects,
                    "ks5_size": breadth.ks5_size.round(1),
                    "ks": ks.to_numpy(),
                    "has": breadth.has_curriculum.to_numpy(),
                },
                index=students.index,
            ),
        ],
        axis=1,
    )
    return score.round(0), per_pattern(inputs, lambda d: _core_words(d, settings))


# ---- Personal Project -------------------------------------------------------------------


@dataclass(frozen=True)
class StrandResult:
    """One strand scored for every pupil: the score, the words, and what the strand flags and adds."""

    score: pd.Series
    text: pd.Series
    #: Flag -> pupils who carry it because of this strand.
    flags: dict[Flag, np.ndarray]
    #: Extra record columns (project stage and hours, development hours per category).
    extra: dict[str, pd.Series]


def year_due(students: pd.DataFrame, settings: Settings, as_of: date) -> pd.Series:
    """Per pupil, the share of this school year's part of a target due by ``as_of`` (``Progress.expected_fraction``):
    0 in the grace period, then pro-rated over the year's remaining teaching days, cut at the course end of
    Years 11 and 13 by default."""
    cal = settings.calendar
    years = sorted({int(y) for y in students["year_group"].dropna()})
    due = _lookup(students["year_group"], {y: cal.progress(as_of, y).expected_fraction for y in years})
    return due.fillna(cal.progress(as_of).expected_fraction)


def _project(students: pd.DataFrame, project: pd.DataFrame, settings: Settings, due: pd.Series) -> StrandResult:
    cfg = settings.project
    idx = students.index
    n = len(idx)
    stages = list(cfg["stages"])
    rank_of = {s: i for i, s in enumerate(stages)}
    year = students["year_group"]
    ks = students["key_stage"]
    if project.empty:
        none = np.zeros(n, dtype=bool)
        return StrandResult(
            pd.Series(np.nan, index=idx),
            pd.Series("no project log imported", index=idx, dtype="str"),
            {Flag.PROJECT_NOT_STARTED: none, Flag.PROJECT_BEHIND: none},
            {},
        )

    rows = project.assign(rank=project["stage"].map(rank_of))
    agg = rows.groupby("pupil_key").agg(rank=("rank", "max"), hours=("hours", "sum"))
    agg = agg.reindex(students["pupil_key"]).set_axis(idx)
    has = _b(agg["rank"].notna() | agg["hours"].gt(0))
    rank = agg["rank"].fillna(0).astype("float64")
    hours = agg["hours"].fillna(0).astype("float64")

    first = _lookup(ks, _KS_FIRST_YEAR)
    year_index = year.astype("float64") - first
    length = _lookup(ks, _KS_YEARS)
    target = _lookup(ks, {k: cfg["target_hours"][f"ks{k}"] for k in (3, 4, 5)})
    expected_hours = (target * (year_index + due) / length).fillna(0)
    by_year = {int(k): rank_of[v] for k, v in cfg["expected_stage_by_year"].items()}
    end_rank = _lookup(year, by_year)
    prev = _lookup(year - 1, by_year)
    start_rank = prev.where(_b((year - 1) >= first), 0).fillna(0)
    expected_rank = (start_rank + (end_rank - start_rank) * due).floordiv(1).fillna(0)
    expected = _b(year >= cfg["expected_from_year"])
    # Something is due by now: not in the grace period at the start of the first project year.
    due_now = expected & _b((expected_rank > 0) | (expected_hours > 0))

    w = cfg["weights"]
    # Nothing due yet (the grace period at the start of the first project year) is not a shortfall.
    stage_part = (rank / expected_rank.clip(lower=1)).clip(upper=1).where(due_now, 1.0)
    hours_part = (hours / expected_hours.clip(lower=1)).clip(upper=1).where(due_now, 1.0)
    score = (100 * (w["stage"] * stage_part + w["hours"] * hours_part) / (w["stage"] + w["hours"])).round(0)
    score = score.where(due_now | has)

    not_started = due_now & (~has | (rank.to_numpy() == 0))
    behind = (
        has
        & (rank.to_numpy() > 0)
        & _b((rank < expected_rank) | (hours < cfg["behind_tolerance"] * expected_hours - 1e-9))
    )

    stage_code = rank.map(dict(enumerate(stages))).astype("str")
    stage_name = stage_words(stage_code)
    inputs = pd.DataFrame(
        {
            "has": has,
            "expected": expected,
            "due": due_now,
            "stage": stage_name,
            "hours": hours.round(1),
            "target": target,
            "expected_hours": expected_hours.round(1),
        },
        index=idx,
    )
    from_year = cfg["expected_from_year"]

    def words(d: pd.DataFrame) -> np.ndarray:
        expected_now = d["expected"].to_numpy(bool)
        out = join(
            [
                text(d["stage"]) + " stage",
                fmt(d["hours"], 1)
                + " h of the "
                + fmt(d["target"])
                + " h target"
                + when(expected_now, " (" + fmt(d["expected_hours"], 1) + " h expected by now)"),
            ],
            ", ",
        )
        fallback = np.where(
            d["due"].to_numpy(bool),
            "no project recorded",
            np.where(
                expected_now,
                "no project recorded, none due yet (start of the year)",
                f"not expected until Year {from_year}",
            ),
        )
        return np.where(d["has"].to_numpy(bool), out, fallback)

    extra: dict[str, pd.Series] = {"project_stage": stage_code.where(has), "project_hours": hours.where(has)}
    flags = {Flag.PROJECT_NOT_STARTED: not_started, Flag.PROJECT_BEHIND: behind}
    return StrandResult(score, per_pattern(inputs, words), flags, extra)


# ---- Personal Development -------------------------------------------------------------------


@dataclass(frozen=True)
class Programmes:
    """Each pupil's Personal Development programme, looked up by year group (NaN outside every programme)."""

    first_year: pd.Series
    years: pd.Series  # years in the programme
    target: pd.Series  # hours by the end of the programme
    #: Category -> minimum hours by the end of the programme (0 = none).
    minimum: dict[str, pd.Series]
    #: Hours due by now over the programme: the target pro-rated through its years and this year's teaching days.
    share_due: pd.Series


def programmes_of(students: pd.DataFrame, settings: Settings, as_of: date) -> Programmes:
    """The programme each pupil is in and how much of it is due by ``as_of``."""
    year = students["year_group"]
    first: dict[int, float] = {}
    length: dict[int, float] = {}
    target: dict[int, float] = {}
    minimum: dict[str, dict[int, float]] = {}
    for prog in settings.programmes.values():
        for y in range(prog["first_year"], prog["last_year"] + 1):
            first[y] = prog["first_year"]
            length[y] = prog["last_year"] - prog["first_year"] + 1
            target[y] = prog["target_hours"]
            for cat, hours in prog["min_category_hours"].items():
                minimum.setdefault(cat, {})[y] = hours
    first_year = _lookup(year, first)
    years = _lookup(year, length)
    done = year.astype("float64") - first_year
    share_due = (done + year_due(students, settings, as_of)) / years
    return Programmes(
        first_year,
        years,
        _lookup(year, target),
        {c: _lookup(year, by_year).fillna(0) for c, by_year in minimum.items() if any(by_year.values())},
        share_due,
    )


def programme_expected_hours(settings: Settings, as_of: date, years: list[int]) -> dict[int, float]:
    """Personal Development hours due by ``as_of`` over the programme, per year group (for charts)."""
    students = pd.DataFrame({"year_group": pd.array(years, dtype="Int64")})
    progs = programmes_of(students, settings, as_of)
    due = (progs.target * progs.share_due).to_numpy()
    return {y: float(h) for y, h in zip(years, due, strict=True)}


@dataclass(frozen=True)
class ProgrammeHours:
    """Personal Development hours per pupil (rows aligned to the pupils), this school year and since the
    start of their programme, in all and per category (the scored categories, then the extra ones)."""

    year_total: pd.Series
    year_by_category: pd.DataFrame
    total: pd.Series
    by_category: pd.DataFrame
    #: The first day of each pupil's programme (NaT outside every programme).
    starts: np.ndarray


def programme_hours(
    students: pd.DataFrame, dev: pd.DataFrame, settings: Settings, as_of: date, progs: Programmes | None = None
) -> ProgrammeHours:
    """Hours logged up to ``as_of``: this school year, and since the start of each pupil's programme (every
    year of a multi-year log counts; undated rows count in both, rows after ``as_of`` in neither)."""
    cfg = settings.development
    idx = students.index
    n = len(idx)
    known = list(cfg["categories"]) + [c for c in cfg["extra_categories"] if c not in cfg["categories"]]
    cal = settings.calendar
    year_start = cal.year_start(as_of)
    progs = progs or programmes_of(students, settings, as_of)
    # The first day of each pupil's programme: the start of the school year they were in its first year.
    back = (students["year_group"].astype("float64") - progs.first_year).to_numpy()
    starts = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    for b in np.unique(back[~np.isnan(back)]):
        starts[back == b] = np.datetime64(cal.school_year_start(year_start.year - int(b)), "s")
    ids = pd.Index(students["pupil_key"].to_numpy(dtype=object))
    pupil = positions(ids, dev["pupil_key"])
    cat = positions(pd.Index(known), dev["category"])
    hours = np.nan_to_num(dev["hours"].to_numpy("float64", na_value=np.nan))
    dated = dev["date"].to_numpy("datetime64[s]")
    undated = np.isnat(dated)
    today = np.datetime64(as_of, "s")
    ok = pupil >= 0
    row_start = np.where(ok, starts[np.where(ok, pupil, 0)], np.datetime64("NaT"))
    # Undated rows count in both (their time cannot be told); rows after as_of count in neither.
    in_year = ok & (undated | ((dated >= np.datetime64(year_start, "s")) & (dated <= today)))
    in_programme = ok & ~np.isnat(row_start) & (undated | ((dated >= row_start) & (dated <= today)))

    def sums(rows: np.ndarray) -> tuple[pd.Series, pd.DataFrame]:
        total = pd.Series(np.bincount(pupil[rows], weights=hours[rows], minlength=n)[:n], index=idx)
        both = rows & (cat >= 0)
        per = np.bincount(pupil[both] * len(known) + cat[both], weights=hours[both], minlength=n * len(known))
        return total, pd.DataFrame(per.reshape(n, len(known)), index=idx, columns=known)

    year_total, year_by_cat = sums(in_year)
    total, by_cat = sums(in_programme)
    return ProgrammeHours(year_total, year_by_cat, total, by_cat, starts)


def _development(students: pd.DataFrame, dev: pd.DataFrame, settings: Settings, as_of: date) -> StrandResult:
    cfg = settings.development
    idx = students.index
    n = len(idx)
    cats = list(cfg["categories"])
    known = cats + [c for c in cfg["extra_categories"] if c not in cats]
    if dev.empty:
        none = np.zeros(n, dtype=bool)
        return StrandResult(
            pd.Series(np.nan, index=idx),
            pd.Series("no development log imported", index=idx, dtype="str"),
            {Flag.PD_BEHIND: none, Flag.PD_CATEGORY_GAP: none},
            {},
        )
    progs = programmes_of(students, settings, as_of)
    hours = programme_hours(students, dev, settings, as_of, progs)
    year_total, year_by_cat, total, by_cat = hours.year_total, hours.year_by_category, hours.total, hours.by_category
    in_prog = _b(progs.target.notna())
    total = total.where(in_prog)
    expected = progs.target * progs.share_due
    n_cats = (by_cat[cats] > 0).sum(axis=1)
    tolerance = cfg["behind_tolerance"]
    short = {
        c: _b(
            (progs.minimum[c] * progs.share_due > 0)
            & (by_cat[c] < tolerance * progs.minimum[c] * progs.share_due - 1e-9)
        )
        for c in progs.minimum
        if c in known
    }

    w = cfg["weights"]
    # Nothing due yet (the grace period at the start of a programme) is not a shortfall.
    hours_part = (total / expected.clip(lower=0.5)).clip(upper=1).where(expected > 0, 1.0)
    score = (100 * (w["hours"] * hours_part + w["spread"] * n_cats / len(cats)) / (w["hours"] + w["spread"])).round(0)
    started = _b((expected > 0) | (total > 0))
    score = score.where(in_prog & started)
    behind = in_prog & _b(total < tolerance * expected - 1e-9)  # exactly at the tolerance is not behind
    gap = in_prog & started & (_b(n_cats < len(cats)) | np.logical_or.reduce([np.zeros(n, bool), *short.values()]))
    inputs = pd.concat(
        [
            pd.DataFrame(
                {
                    "in": in_prog,
                    "started": started,
                    "total": total.round(1),
                    "expected": expected.round(1),
                    "target": progs.target,
                    "first": progs.first_year,
                    "last": progs.first_year + progs.years - 1,
                    "year_total": year_total.round(1),
                    "n": n_cats,
                    "year": students["year_group"].astype("float64"),
                },
                index=idx,
            ),
            (by_cat[cats] > 0).add_prefix("in_"),
            pd.DataFrame({f"short_{c}": v for c, v in short.items()}, index=idx),
        ],
        axis=1,
    )

    def words(d: pd.DataFrame) -> np.ndarray:
        missing = join([when(~d[f"in_{c}"].to_numpy(bool), c) for c in cats], ", ")
        below = join([const(len(d), ""), *(when(d[f"short_{c}"].to_numpy(bool), c) for c in short)], ", ")
        few = d["n"].to_numpy() < len(cats)
        out = join(
            [
                fmt(d["total"], 1)
                + " h since Year "
                + fmt(d["first"])
                + " ("
                + fmt(d["expected"], 1)
                + " h expected by now over the programme; target "
                + fmt(d["target"])
                + " h by the end of Year "
                + fmt(d["last"])
                + ")",
                fmt(d["year_total"], 1) + " h this school year",
                fmt(d["n"]) + f" of {len(cats)} categories" + when(few, " (none in " + missing + ")"),
                when(below != "", "below the minimum so far in " + below),
            ],
            "; ",
        )
        waiting = "nothing logged and nothing due yet (start of the programme)"
        out = np.where(d["started"].to_numpy(bool), out, waiting)
        outside = np.where(
            d["year"].notna().to_numpy(),
            "Year " + fmt(d["year"]) + " is in no Personal Development programme",
            "no year group",
        )
        return np.where(d["in"].to_numpy(bool), out, outside)

    extra = {"pd_hours": year_total, "pd_programme_hours": total} | {f"pd_hours_{c}": year_by_cat[c] for c in cats}
    return StrandResult(score, per_pattern(inputs, words), {Flag.PD_BEHIND: behind, Flag.PD_CATEGORY_GAP: gap}, extra)


# ---- Early options (shortened KS3) -------------------------------------------------------------------


def early_option_years(students: pd.DataFrame, breadth: Breadth, settings: Settings) -> dict[int, str]:
    """KS3 year groups whose own timetable already follows options, with the evidence in words.

    The evidence is this year's curriculum only: at least ``min_divergent_areas`` curricular areas are
    taken by some but not most of the year's pupils, the way option blocks split a year (a French/Spanish
    split does not count: both are languages), and at least ``min_share_dropping_statutory`` of them study
    without one or more statutory KS3 subjects. Option choices alone are never evidence: schools record
    next year's choices every spring (``next_year_choices``).
    """
    cfg = settings.data["early_options"]
    out: dict[int, str] = {}
    # Only pupils with a timetable are evidence: a pupil with option choices and no class with periods may
    # have nothing imported but next year's choices.
    timetabled = breadth.has_periods.to_numpy() | ~breadth.has_options.to_numpy()
    mask = _b(students["key_stage"] == 3) & breadth.has_curriculum.to_numpy() & timetabled
    if not mask.any():
        return out
    years = students["year_group"].to_numpy()[mask]
    covered = breadth.covered.to_numpy()[mask]
    share = pd.DataFrame(covered, columns=breadth.covered.columns).groupby(years).mean()
    keys = [k for k in settings.core["ks3_statutory"] if k in breadth.statutory.columns]
    missing = ~breadth.statutory[keys].to_numpy()[mask].all(axis=1)
    dropping = pd.Series(missing).groupby(years).mean()
    divergent = ((share > cfg["divergent_share_low"]) & (share < cfg["divergent_share_high"])).sum(axis=1)
    for year in share.index:
        if divergent[year] >= cfg["min_divergent_areas"] and dropping[year] >= cfg["min_share_dropping_statutory"]:
            out[int(year)] = (
                f"{divergent[year]} areas are studied by only some of Year {int(year)}, as option blocks do, and "
                f"{dropping[year]:.0%} of the year study without a statutory KS3 subject"
            )
    return out


def next_year_choices(
    students: pd.DataFrame, breadth: Breadth, early: Mapping[int, str], options: pd.DataFrame | None = None
) -> dict[int, int]:
    """Next year's option choices, never this year's curriculum (year group -> pupils with choices): those
    the file says are for next year (``options.next_year``, any year group), and those of a KS3 year whose
    own timetable does not follow options."""
    mask = _b(students["key_stage"] == 3) & breadth.has_options.to_numpy()
    if options is not None and "next_year" in options and len(options):
        marked = options.loc[options["next_year"].fillna(False).to_numpy(bool), "student_id"].unique()
        mask |= _b(students["student_id"].isin(marked)) & _b(students["year_group"].notna())
    years, counts = np.unique(students["year_group"].to_numpy()[mask].astype("int64"), return_counts=True)
    return {int(y): int(n) for y, n in zip(years, counts, strict=True) if int(y) not in early}


def mark_implied_next_year(tables: Tables, breadth: Breadth, settings: Settings) -> Tables | None:
    """``tables`` with the option choices of KS3 years whose own timetable is a full KS3 (no early options)
    marked as next year's, or None when there are none to mark.

    A full-KS3 Year 9 with choices recorded is choosing for Year 10: those choices are never this year's
    curriculum, whether or not the file says so (``io.next_year`` marks those it does). ``breadth`` must be
    built from ``tables`` (rows in the students table's order).
    """
    options = tables["options"]
    if options.empty:
        return None
    students = tables["students"].reset_index(drop=True)
    early = early_option_years(students, breadth_aligned(breadth, students), settings)
    ks3 = students[_b(students["key_stage"] == 3) & ~_b(students["year_group"].isin(list(early)))]
    implied = options["student_id"].isin(ks3["student_id"]).to_numpy(bool)
    already = (
        options["next_year"].fillna(False).to_numpy(bool) if "next_year" in options else np.zeros(len(options), bool)
    )
    if not (implied & ~already).any():
        return None
    out = dict(tables)
    out["options"] = options.assign(next_year=pd.array(implied | already, dtype="boolean"))
    return out


# ---- Everything together -------------------------------------------------------------------


def score_students(
    tables: Tables,
    settings: Settings,
    subject_map: SubjectMap,
    as_of: date,
    breadth: Breadth | None = None,
) -> pd.DataFrame:
    """One row per pupil: context, periods per area, strand scores, status, flags and explanations."""
    students = tables["students"].reset_index(drop=True)
    idx = students.index
    breadth = breadth or build_breadth(tables, subject_map, settings.core["ks3_statutory"], settings)
    aligned = breadth_aligned(breadth, students)
    ks = students["key_stage"]

    core_score, core_text = _core_learning(students, aligned, settings)
    project = _project(students, tables["project"], settings, year_due(students, settings, as_of))
    development = _development(students, tables["development"], settings, as_of)

    covered = aligned.covered
    has_curr = aligned.has_curriculum.to_numpy()
    ks3 = _b(ks == 3)
    ks34 = _b(ks.isin([3, 4])) & has_curr
    early = early_option_years(students, aligned, settings)
    min_areas = _lookup(ks, {k: settings.core["min_areas"][f"ks{k}"] for k in (3, 4, 5)})
    areas_covered = covered.sum(axis=1).astype("int64")
    keys = settings.core["ks3_statutory"]
    # An entitlement area is missing when no subject in it is studied: the law's subjects by default
    # (history or geography; design and technology itself), the school's broader rule if set.
    # At KS4 an entitlement area is missing when no subject in it is studied as s.85A defines it (history
    # or geography; design and technology itself), or as the school's broader rule does if set; at KS3,
    # where KS3_STATUTORY_GAP checks the statutory subjects, when nothing at all is studied in the area.
    ks4 = ks34 & _b(ks == 4)
    masks: dict[Flag, np.ndarray] = {
        flag: (ks4 & ~area_met(aligned, settings, area).to_numpy()) | (ks34 & ~ks4 & ~covered[area].to_numpy())
        for area, flag in MISSING_FLAG_AREAS.items()
    }
    masks[Flag.KS3_STATUTORY_GAP] = ks3 & has_curr & ~aligned.statutory[keys].all(axis=1).to_numpy()
    masks[Flag.EARLY_OPTIONS] = ks3 & has_curr & _b(students["year_group"].isin(list(early)))
    masks[Flag.FEW_AREAS] = has_curr & _b(areas_covered < min_areas)
    masks |= project.flags | development.flags

    cfg = settings.status
    scores = pd.concat([core_score, project.score, development.score], axis=1)
    on = (scores.isna() | (scores >= cfg["on_track"])).all(axis=1)
    off = (scores < cfg["off_track"]).any(axis=1)
    status = np.where(off, Status.OFF_TRACK.value, np.where(on, Status.ON_TRACK.value, Status.AT_RISK.value))
    status = np.where(scores.notna().any(axis=1), status, Status.NOT_SCORED.value)

    strands = pd.DataFrame({"core": core_text, "project": project.text, "pd": development.text}, index=idx)
    explanation = per_pattern(
        strands,
        lambda d: (
            join(
                [
                    "Core Learning: " + text(d["core"]),
                    "Personal Project: " + text(d["project"]),
                    "Personal Development: " + text(d["pd"]),
                ],
                ". ",
            )
            + "."
        ),
    )
    out = students.copy()
    for area in AREAS:
        out[f"periods_{area}"] = aligned.periods[area].to_numpy()
    out["areas_covered"] = pd.array(np.where(has_curr, areas_covered, 0), dtype="Int64")
    out.loc[~has_curr, "areas_covered"] = pd.NA
    out["core_learning_score"] = core_score.astype("Float64")
    out["personal_project_score"] = project.score.astype("Float64")
    out["personal_development_score"] = development.score.astype("Float64")
    out["overall_status"] = pd.Series(status, index=idx, dtype="str")
    for flag in Flag:
        out[flag.column] = np.asarray(masks[flag], dtype=bool)
    out["explanation"] = explanation
    out["core_learning_explanation"] = core_text
    out["personal_project_explanation"] = project.text
    out["personal_development_explanation"] = development.text
    for name, series in (project.extra | development.extra).items():
        out[name] = series.to_numpy()
    return conform_records(out, settings)


def breadth_aligned(breadth: Breadth, students: pd.DataFrame) -> Breadth:
    """The matrices re-indexed positionally to ``students`` (scores are built on a RangeIndex)."""
    return breadth.with_index(students.index)


def on_track_shares(records: pd.DataFrame, settings: Settings) -> dict[Strand, float]:
    """% of scored pupils at or above the on-track threshold, per strand (NaN where none is scored)."""
    on = settings.status["on_track"]
    out = {}
    for strand in Strand:
        scores = records[strand.score].dropna()
        out[strand] = round(float((scores >= on).mean() * 100), 1) if len(scores) else float("nan")
    return out
