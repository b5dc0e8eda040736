"""Who will complete the NBfE award, at which tier, and what each pupil still needs, by when.

For every registered pupil (everyone in a programme's years, or those the pupil list marks registered)
this judges the three components at a tier: the registered target tier where the school set one, else
the highest tier the programme offers whose Core Learning the pupil meets (achieved, or entered and
still to be sat). Each component is done, on course, at risk or not on course, with what is missing in
words and by which date; the forecast is the current rate (hours per teaching week so far, project
stages per teaching week) carried on to the programme's last teaching day. Once a programme has ended a
pupil is complete or not, with the reason.

Everything is computed per tier and per component over the whole cohort at once (loops run over the
four tiers, the components and the PDP categories, never over pupils).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from natbacc.award.programme import ProgrammeTime, award_programmes, long_date, lookup, programme_times
from natbacc.award.qualifications import level_words, size_unit
from natbacc.breadth import positions
from natbacc.model import Tables
from natbacc.records import stage_words
from natbacc.scoring import programme_hours, programmes_of, year_due
from natbacc.settings import Settings
from natbacc.subjects import SubjectMap
from natbacc.text import S, fmt, join, text, when
from natbacc.vocabulary import AwardStatus, Component, ComponentStatus, QualificationStatus, Tier

#: Component statuses from best to worst: a pupil's overall status is their worst component's.
_ORDER = (ComponentStatus.DONE, ComponentStatus.ON_COURSE, ComponentStatus.AT_RISK, ComponentStatus.NOT_ON_COURSE)
_OVERALL = {
    ComponentStatus.DONE: AwardStatus.COMPLETE,
    ComponentStatus.ON_COURSE: AwardStatus.ON_COURSE,
    ComponentStatus.AT_RISK: AwardStatus.AT_RISK,
    ComponentStatus.NOT_ON_COURSE: AwardStatus.NOT_ON_COURSE,
}
#: Separator of the ``missing`` codes and words in the table (the JSON and the pages split them).
SEP = "; "


@dataclass(frozen=True)
class AwardResult:
    """One row per registered pupil (``pupils``, identified by ``pupil_key``), and the facts behind the verdicts."""

    pupils: pd.DataFrame
    as_of: date
    settings: Settings
    #: PDP categories (the scored ones), in order: ``pupils`` has ``pd_hours:<category>`` for each.
    categories: tuple[str, ...]

    def missing_counts(self, pupils: pd.DataFrame | None = None) -> pd.Series:
        """How many pupils miss each component key (most often missing first)."""
        frame = self.pupils if pupils is None else pupils
        keys = frame["missing"].str.split(SEP).explode()
        return keys[keys.fillna("") != ""].value_counts()


def has_missing(pupils: pd.DataFrame, key: str) -> pd.Series:
    """Pupils whose ``missing`` codes include exactly ``key`` (``personal_development`` is not its categories)."""
    padded = SEP + pupils["missing"].fillna("").astype("str") + SEP
    return padded.str.contains(SEP + key + SEP, regex=False)


def _status_codes(values: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.asarray([s.value for s in _ORDER], dtype=object)[values]
    return out


def _subject_areas(quals: pd.DataFrame) -> pd.Series:
    labels = quals["subject_label"].fillna("")
    return SubjectMap.default().map_labels(labels)["area"]


@dataclass
class _Core:
    done: np.ndarray
    possible: np.ndarray
    words: np.ndarray
    has_any: np.ndarray
    size_achieved: np.ndarray


def _core(
    quals: pd.DataFrame, pupil: np.ndarray, areas: pd.Series, n: int, tier_cfg: dict[str, object], tier: Tier
) -> _Core:
    """Core Learning at one tier for every pupil: met, still possible with the entries, and what is missing."""
    level = int(str(tier_cfg["level"]))
    need = float(str(tier_cfg["min_size"]))
    em = bool(tier_cfg["english_maths"])
    ok = pupil >= 0
    lvl = quals["level"].astype("Float64").fillna(-1).to_numpy("float64")
    reached = quals["level_achieved"].astype("Float64").fillna(-1).to_numpy("float64")
    size = quals["size"].astype("Float64").fillna(0).to_numpy("float64")
    entered = (quals["status"] == QualificationStatus.ENTERED.value).to_numpy(bool)
    area = areas.to_numpy(dtype=object)
    core_subject = np.isin(area, ["english", "maths"]) if em else np.zeros(len(quals), bool)
    at_level = ok & (lvl >= level)
    achieved = at_level & (reached >= level)
    pending = at_level & entered

    def per_pupil(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(pupil[rows], weights=None if weights is None else weights[rows], minlength=n)[:n]

    counted = ~core_subject
    size_achieved = per_pupil(achieved & counted, size)
    size_pending = per_pupil(pending & counted, size)
    has_any = per_pupil(ok) > 0
    done = size_achieved >= need - 1e-9
    possible = size_achieved + size_pending >= need - 1e-9
    pieces: list[np.ndarray] = []
    unit = size_unit(level)
    short = ~done
    pieces.append(
        when(
            short,
            fmt(size_achieved, 1)
            + f" of {need:g} {unit}s' worth of {level_words(level)} qualifications achieved"
            + (" besides English and maths" if em else "")
            + np.where(size_pending > 0, " (" + fmt(size_pending, 1) + " more entered)", "").astype(S),
        )
    )
    if em:
        for subject, name in (("english", "English"), ("maths", "maths")):
            mine = area == subject
            got = per_pupil(achieved & mine) > 0
            sitting = per_pupil(pending & mine) > 0
            done &= got
            possible &= got | sitting
            pieces.append(
                when(~got, f"{name} not yet at {level_words(level)}" + np.where(sitting, " (entered)", "").astype(S))
            )
    words = join(pieces, "; ")
    return _Core(done, possible, words, has_any, size_achieved)


def _choose_tier(
    offered: dict[Tier, np.ndarray], target: np.ndarray, meets: dict[Tier, np.ndarray], has_any: np.ndarray
) -> np.ndarray:
    """The tier each pupil is judged at: the target where set, else the highest offered tier they meet."""
    n = len(target)
    chosen = np.full(n, "", dtype=object)
    for tier in Tier:  # lowest first, so a higher tier met overwrites a lower one
        chosen = np.where(offered[tier] & meets[tier] & has_any, tier.value, chosen)
    return np.where(target != "", target, chosen)


def evaluate(tables: Tables, settings: Settings, as_of: date) -> AwardResult:
    """Every registered pupil's tier, component statuses, missing keys and words, and forecast."""
    students = tables["students"].reset_index(drop=True)
    cfg = settings.award
    dev_cfg = settings.development
    cats = tuple(dev_cfg["categories"])
    tolerance = float(dev_cfg["behind_tolerance"])
    years = sorted({int(y) for y in students["year_group"].dropna()})
    times = programme_times(settings, as_of, years)
    year = students["year_group"]
    prog_name = lookup(year, {y: t.programme for y, t in times.items()}, "")
    in_prog = prog_name != ""
    registered = in_prog.copy()
    if cfg["registration"] == "column":
        registered &= students["registered"].fillna(False).to_numpy(bool)
    pupils = students[registered].reset_index(drop=True)
    n = len(pupils)
    year = pupils["year_group"]
    t_of: dict[str, np.ndarray] = {
        field: lookup(year, {y: getattr(t, field) for y, t in times.items()}, None)
        for field in ProgrammeTime.__dataclass_fields__
    }
    weeks_elapsed = lookup(year, {y: t.weeks_elapsed for y, t in times.items()}).astype("float64")
    weeks_left = lookup(year, {y: t.weeks_left for y, t in times.items()}).astype("float64")
    ended = lookup(year, {y: t.ended for y, t in times.items()}, False).astype(bool)
    deadline_words = text(lookup(year, {y: long_date(t.deadline) for y, t in times.items()}, ""))
    by = " by " + deadline_words

    # ---- Core Learning, at every tier -------------------------------------------------------------
    quals = tables["qualifications"]
    # A pupil is their pupil_key (the ID, or school and ID in a trust's upload where IDs restart per school).
    ids = pd.Index(pupils["pupil_key"].to_numpy(dtype=object))
    q_pupil = positions(ids, quals["pupil_key"])
    areas = _subject_areas(quals)
    cores = {tier: _core(quals, q_pupil, areas, n, cfg["tiers"][tier.value], tier) for tier in Tier}
    has_any = cores[Tier.ENTRY].has_any
    q_years = int(cfg["qualification_years"])
    last = t_of["last_year"].astype("float64")
    core_due = (year.astype("float64").to_numpy() > last - q_years) | ended
    target = pupils["target_tier"].fillna("").to_numpy(dtype=object)
    offered = {t: lookup(year, {y: t in pt.tiers for y, pt in times.items()}, False).astype(bool) for t in Tier}
    highest = lookup(year, {y: pt.tiers[-1].value if pt.tiers else "" for y, pt in times.items()}, "")
    meets = {t: cores[t].done | cores[t].possible for t in Tier}
    tier = _choose_tier(offered, target, meets, has_any)
    # Requirements of the tier judged at: the chosen tier; with none yet, the programme's highest (project hours).
    judged = np.where(tier != "", tier, highest)

    def at_tier(values: dict[Tier, np.ndarray]) -> np.ndarray:
        out = np.zeros(n, dtype=np.asarray(next(iter(values.values()))).dtype)
        for t, v in values.items():
            out = np.where(judged == t.value, v, out)
        return out

    core_done = at_tier({t: c.done for t, c in cores.items()}).astype(bool)
    core_possible = at_tier({t: c.possible for t, c in cores.items()}).astype(bool)
    core_words = at_tier({t: c.words for t, c in cores.items()}).astype(S)
    no_tier = tier == ""
    core_status = np.where(
        core_done,
        0,
        np.where(ended, 3, np.where(~core_due, 1, np.where(core_possible & ~no_tier, 1, 3))),
    )
    from_year = text(fmt(last - q_years + 1))
    no_entries = (
        "no qualifications entered"
        if len(quals)
        else "no qualifications imported (add the exams office's entries and results to judge Core Learning)"
    )
    core_words = np.where(
        core_done,
        "",
        np.where(
            ~core_due & ~has_any,
            "no qualifications expected before Year " + from_year,
            np.where(has_any, core_words, no_entries),
        ).astype(S),
    ).astype(S)
    core_words = np.where(
        no_tier & has_any & ~core_done & core_due, "meets no tier's Core Learning: " + core_words, core_words
    )

    # ---- Personal Project -----------------------------------------------------------------------
    pcfg = settings.project
    stages = list(pcfg["stages"])
    rank_of = {s: i for i, s in enumerate(stages)}
    complete = len(stages) - 1
    project = tables["project"]
    p_pupil = positions(ids, project["pupil_key"])
    okp = p_pupil >= 0
    p_rank = np.full(n, 0.0)
    np.maximum.at(p_rank, p_pupil[okp], project["stage"].map(rank_of).fillna(0).to_numpy("float64")[okp])
    p_hours = np.bincount(
        p_pupil[okp], weights=project["hours"].astype("Float64").fillna(0).to_numpy("float64")[okp], minlength=n
    )[:n]
    need_hours = at_tier({t: np.full(n, float(cfg["tiers"][t.value]["project_hours"])) for t in Tier}).astype("float64")
    need_hours = np.where(judged == "", np.nan, need_hours)
    first = t_of["first_year"].astype("float64")
    p_from = np.clip(float(pcfg["expected_from_year"]), first, last)
    yr = year.astype("float64").to_numpy()
    due_share = year_due(pupils, settings, as_of).to_numpy("float64")
    by_year = {int(k): rank_of[v] for k, v in pcfg["expected_stage_by_year"].items()}
    end_rank = lookup(year, by_year).astype("float64")
    prev_rank = np.where(yr - 1 >= p_from, lookup(year - 1, by_year).astype("float64"), 0.0)
    expected_rank = np.floor(np.nan_to_num(prev_rank + (end_rank - prev_rank) * due_share))
    # Project weeks: teaching weeks since the start of the project's first year (a share of the programme's).
    p_years_total = last - p_from + 1
    p_years_done = np.clip(yr - p_from, 0, None) + np.where(yr >= p_from, due_share, 0)
    p_weeks_total = weeks_elapsed + weeks_left
    share_of_prog = np.where(last - first + 1 > 0, p_years_total / (last - first + 1), 1)
    p_weeks_elapsed = p_weeks_total * share_of_prog * np.where(p_years_total > 0, p_years_done / p_years_total, 0)
    p_due = (yr >= p_from) & (p_years_done > 0)
    p_rate_stage = np.where(p_weeks_elapsed > 0, p_rank / np.maximum(p_weeks_elapsed, 1e-9), 0)
    p_rate_hours = np.where(p_weeks_elapsed > 0, p_hours / np.maximum(p_weeks_elapsed, 1e-9), 0)
    p_proj_rank = p_rank + p_rate_stage * weeks_left
    p_proj_hours = p_hours + p_rate_hours * weeks_left
    p_done = (p_rank >= complete) & (p_hours >= np.nan_to_num(need_hours) - 1e-9)
    p_behind = p_due & (p_rank < expected_rank)
    # A rate is a forecast only once enough of the project's time has gone (award.forecast_after): a few weeks
    # of a multi-year project say nothing of its end, and calling the pupil at risk on them would be false.
    forecast_after = float(cfg["forecast_after"])
    p_forecast = np.where(p_years_total > 0, p_years_done / np.maximum(p_years_total, 1e-9), 0) >= forecast_after
    p_short = p_due & p_forecast & ((p_proj_rank < complete - 1e-9) | (p_proj_hours < need_hours - 1e-9))
    p_nothing = p_due & (p_rank == 0) & (p_hours == 0) & ((expected_rank > 0) | (p_weeks_elapsed > 0))
    project_status = np.where(
        p_done, 0, np.where(ended, 3, np.where(p_nothing & (expected_rank > 0), 3, np.where(p_behind | p_short, 2, 1)))
    )
    stage_codes = np.asarray(stages, dtype=object)

    def stage_of(ranks: np.ndarray) -> np.ndarray:
        """Stage codes of (fractional) ranks, cut to the stages there are."""
        out: np.ndarray = stage_codes[np.clip(np.nan_to_num(np.floor(ranks)), 0, complete).astype(int)]
        return out

    stage_name = text(stage_words(pd.Series(stage_of(p_rank), dtype="str")))
    expected_name = text(stage_words(pd.Series(stage_of(expected_rank), dtype="str")))
    p_words = join(
        [
            when(
                (p_rank == 0) & (p_hours == 0),
                np.where(p_due, "project not started", "project not expected before Year " + text(fmt(p_from))).astype(
                    S
                ),
            ),
            when(
                (p_rank > 0) & (p_rank < complete),
                "project at " + stage_name + " stage" + when(p_behind, "; " + expected_name + " expected by now"),
            ),
            when(
                (p_due | (p_hours > 0)) & (p_hours < np.nan_to_num(need_hours) - 1e-9),
                fmt(p_hours, 1) + " of " + fmt(need_hours) + " project hours" + by,
            ),
            when(
                p_short & ~ended & (p_weeks_elapsed > 0) & ((p_rank > 0) | (p_hours > 0)),
                "at the current rate "
                + fmt(p_proj_hours, 0)
                + " h and "
                + text(stage_words(pd.Series(stage_of(p_proj_rank), dtype="str")))
                + " stage by then",
            ),
        ],
        "; ",
    )
    p_words = np.where(p_done, "", p_words).astype(S)
    if project.empty:  # nothing to judge from: say so, not that each pupil has done nothing
        p_words = np.where(p_due, "no Personal Project log imported", p_words).astype(S)

    # ---- Personal Development ---------------------------------------------------------------------
    progs = programmes_of(pupils, settings, as_of)
    hours = programme_hours(pupils, tables["development"], settings, as_of, progs)
    total = hours.total.to_numpy("float64")
    target_h = progs.target.to_numpy("float64")
    share_due = progs.share_due.to_numpy("float64")
    expected_h = target_h * share_due
    rate = np.where(weeks_elapsed > 0, total / np.maximum(weeks_elapsed, 1e-9), 0)
    projected = total + rate * weeks_left
    # The same for Personal Development: the current rate is carried to the end only once forecast_after of the
    # programme's teaching time has gone; before that, only "behind what is due by now" puts a pupil at risk.
    forecast = weeks_elapsed / np.maximum(weeks_elapsed + weeks_left, 1e-9) >= forecast_after
    falls_short = forecast & (projected < target_h - 1e-9)
    all_cats = at_tier({t: np.full(n, bool(cfg["tiers"][t.value]["all_categories"])) for t in Tier}).astype(bool)
    gap_after = float(cfg["category_gap_after"])
    pd_done = total >= target_h - 1e-9
    pd_at_risk = (total < tolerance * expected_h - 1e-9) | falls_short
    missing_keys: list[np.ndarray] = []
    cat_words: list[np.ndarray] = []
    cat_short_any = np.zeros(n, bool)
    cat_risk_any = np.zeros(n, bool)
    for cat in cats:
        got = hours.by_category[cat].to_numpy("float64")
        minimum = progs.minimum[cat].to_numpy("float64") if cat in progs.minimum else np.zeros(n)
        need_any = all_cats & (minimum <= 0)
        short = (got < minimum - 1e-9) | (need_any & (got <= 0))
        proj_c = got + np.where(weeks_elapsed > 0, got / np.maximum(weeks_elapsed, 1e-9), 0) * weeks_left
        risk = short & (
            ended
            | (minimum > 0) & ((got < tolerance * minimum * share_due - 1e-9) | forecast & (proj_c < minimum - 1e-9))
            | need_any & (share_due >= gap_after)
        )
        cat_short_any |= short
        cat_risk_any |= risk
        missing_keys.append(when(risk, Component.PERSONAL_DEVELOPMENT.category(cat)))
        amount = np.where(minimum > 0, fmt(np.maximum(minimum - got, 0), 1) + " h", "some hours").astype(S)
        cat_words.append(when(short, amount + f" of {cat}" + by))
    pd_done &= ~cat_short_any
    pd_nothing = (total <= 0) & (expected_h > 0)
    pd_status = np.where(
        pd_done,
        0,
        np.where(
            ended,
            3,
            np.where(pd_at_risk | cat_risk_any | pd_nothing, 2, 1),
        ),
    )
    pd_words = join(
        [
            when(total < target_h - 1e-9, fmt(np.maximum(target_h - total, 0), 1) + " h of Personal Development" + by),
            *cat_words,
            when(
                ~ended & falls_short & (weeks_elapsed > 0),
                "at the current rate " + fmt(projected, 0) + " of " + fmt(target_h) + " h by then",
            ),
            when(
                ~ended & (total < tolerance * expected_h - 1e-9),
                fmt(total, 1) + " h so far, " + fmt(expected_h, 1) + " h expected by now",
            ),
        ],
        "; ",
    )
    pd_words = np.where(pd_done, "", pd_words).astype(S)
    if tables["development"].empty:
        pd_words = np.where(expected_h > 0, "no Personal Development log imported", pd_words).astype(S)

    # ---- Overall ------------------------------------------------------------------------------------
    worst = np.maximum(np.maximum(core_status, project_status), pd_status)
    status = np.asarray([_OVERALL[s].value for s in _ORDER], dtype=object)[worst]
    pd_key = when((pd_status >= 2) & ((total < target_h - 1e-9) | ~cat_risk_any), Component.PERSONAL_DEVELOPMENT.value)
    missing = join(
        [
            when(core_status >= 2, Component.CORE_LEARNING.value),
            when(project_status >= 2, Component.PERSONAL_PROJECT.value),
            pd_key,
            *[when(pd_status >= 2, k) for k in missing_keys],
        ],
        SEP,
    )
    reason = join(
        [
            when(core_status >= 2, "Core Learning: " + core_words),
            when(project_status >= 2, "Personal Project: " + p_words),
            when(pd_status >= 2, "Personal Development: " + pd_words),
        ],
        SEP,
    )
    will_miss = ~ended & (p_short | falls_short | cat_risk_any)

    out = pd.DataFrame(
        {
            "pupil_key": pupils["pupil_key"],
            "student_id": pupils["student_id"],
            "school": pupils["school"],
            "name": pupils["name"],
            "year_group": pupils["year_group"],
            "reg_group": pupils["reg_group"],
            "programme": pd.Series(t_of["programme"], dtype="str"),
            "programme_label": pd.Series(t_of["label"], dtype="str"),
            "deadline": pd.Series(t_of["deadline"]).astype("datetime64[s]"),
            "ended": ended,
            "tier": pd.Series(tier, dtype="str").replace("", pd.NA),
            "target_tier": pupils["target_tier"],
            "judged_at": pd.Series(judged, dtype="str").replace("", pd.NA),
            "status": pd.Series(status, dtype="str"),
            Component.CORE_LEARNING.value: pd.Series(_status_codes(core_status), dtype="str"),
            Component.PERSONAL_PROJECT.value: pd.Series(_status_codes(project_status), dtype="str"),
            Component.PERSONAL_DEVELOPMENT.value: pd.Series(_status_codes(pd_status), dtype="str"),
            "core_learning_words": pd.Series(core_words.astype(object), dtype="str"),
            "personal_project_words": pd.Series(p_words.astype(object), dtype="str"),
            "personal_development_words": pd.Series(pd_words.astype(object), dtype="str"),
            "missing": pd.Series(missing.astype(object), dtype="str"),
            "reason": pd.Series(reason.astype(object), dtype="str"),
            "will_miss": will_miss,
            "qualification_size": at_tier({t: c.size_achieved for t, c in cores.items()}).astype("float64"),
            "project_stage": pd.Series(stage_of(p_rank), dtype="str"),
            "project_hours": p_hours,
            "project_hours_needed": need_hours,
            "project_projected_hours": np.where(p_due & ~ended, p_proj_hours, np.nan),
            "pd_hours": total,
            "pd_target": target_h,
            "pd_expected_now": expected_h,
            "pd_projected": np.where(~ended & (weeks_elapsed > 0), projected, np.nan),
            **{f"pd_hours:{c}": hours.by_category[c].to_numpy("float64") for c in cats},
        }
    )
    return AwardResult(out, as_of, settings, cats)


def rule_text(settings: Settings, tier: str, component: Component, programme: str = "") -> str:
    """The rule a verdict is judged by, in words (shown next to each verdict)."""
    if tier not in {t.value for t in Tier}:
        return "No tier yet: judged against the programme's highest tier."
    cfg = settings.award["tiers"][tier]
    level = int(cfg["level"])
    if component is Component.CORE_LEARNING:
        base = (
            f"{float(cfg['min_size']):g} {size_unit(level)}s' worth of qualifications achieved at {level_words(level)}"
        )
        return base + (f", besides English and maths at {level_words(level)}" if cfg["english_maths"] else "")
    if component is Component.PERSONAL_PROJECT:
        return f"a completed project of at least {float(cfg['project_hours']):g} hours"
    prog = award_programmes(settings).get(programme)
    hours = f"{float(prog['target_hours']):g} h over the programme" if prog else "the programme's hours target"
    mins = {c: h for c, h in (prog or {}).get("min_category_hours", {}).items() if h}
    parts = [hours]
    if mins:
        parts.append("at least " + ", ".join(f"{h:g} h of {c}" for c, h in mins.items()))
    if cfg["all_categories"]:
        parts.append("hours in every category (" + ", ".join(settings.development["categories"]) + ")")
    return "; ".join(parts)


__all__ = ["SEP", "AwardResult", "evaluate", "has_missing", "rule_text"]
