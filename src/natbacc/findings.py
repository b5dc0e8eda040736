"""Findings: the plain-English sentences a deputy head reads first, each from one small rule.

A rule looks at the scored cohort and its indicators (``FindingContext``) and returns the findings
it has, most serious first by ``priority`` (1 is the most serious). ``RULES`` lists every rule in
the order their findings are offered; ``find`` runs them all. A new finding is a new rule with its
own test, never another branch in a long function.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from natbacc.breadth import Breadth, entitlement_met
from natbacc.model import plural
from natbacc.settings import Settings
from natbacc.vocabulary import Entitlement, EquityGroup, EquityIndicator, Flag


class IndicatorTables(Protocol):
    """The cohort indicators the rules read (``natbacc.indicators.Indicators`` has them all)."""

    statutory_coverage: pd.DataFrame
    group_statutory_gaps: pd.DataFrame
    dropped_before_y10: pd.DataFrame
    ks4_entitlement: pd.DataFrame
    zero_takeup: pd.DataFrame
    equity: pd.DataFrame


#: How each entitlement area reads in a sentence ("study no language", "at least one arts subject").
AREA_NOUNS = {
    "arts": "arts subject",
    "languages": "language",
    "humanities": "humanity",
    "technology": "technology subject",
}
#: A KS4 entitlement area missed by at least this share of KS4 pupils is worth a sentence.
ENTITLEMENT_SHARE_WORTH_SAYING = 5
#: A year where at most this share of pupils study every statutory KS3 subject is worth a sentence.
STATUTORY_SHARE_WORTH_SAYING = 75


@dataclass
class Finding:
    """One sentence for the deputy head, with how serious it is (lower = more serious)."""

    priority: int
    topic: str
    text: str


@dataclass(frozen=True)
class FindingContext:
    """What every rule may look at: the scored records, their breadth, the indicators and the rules."""

    records: pd.DataFrame
    breadth: Breadth
    indicators: IndicatorTables
    early: dict[int, str]
    settings: Settings
    #: KS3 years whose recorded option choices are next year's (year group -> pupils with choices).
    choices: dict[int, int] = field(default_factory=dict)

    @property
    def many_schools(self) -> bool:
        """A trust's findings name the school; a single school's need not."""
        return bool(self.records["school"].nunique() > 1)

    def at(self, school: str) -> str:
        """The "School: " prefix a trust's sentence needs ("" for one school)."""
        return f"{school}: " if self.many_schools else ""


Row = Mapping[Hashable, Any]


def _rows(frame: pd.DataFrame) -> list[dict[Hashable, Any]]:
    """A table's rows as mappings (column -> value), for wording one row at a time."""
    return frame.to_dict("records")


def equity_sentence(row: Row | pd.Series) -> str:
    """One equity gap in words, with both groups' sizes: "Disadvantaged pupils are 20 pp less likely to study a
    language at KS4 (41% of 60 vs 61% of 180 other pupils)".

    The gap is the difference of the whole percentages shown, so the sentence adds up as printed.
    ``row`` is a row of ``Indicators.equity`` (a mapping or a Series).
    """
    shown_group, shown_ref = round(float(row["pct_group"])), round(float(row["pct_reference"]))
    gap = shown_group - shown_ref
    more = "less" if gap < 0 else "more"
    group, indicator = EquityGroup(str(row["group"])), EquityIndicator(str(row["indicator"]))
    return (
        f"{group.noun} are {abs(gap)} pp {more} likely {indicator.phrase} ({shown_group}% of {int(row['n_group'])} "
        f"vs {shown_ref}% of {int(row['n_reference'])} {group.reference_noun})"
    )


def national_comparison(pct: float, value: float, year: str, phrase: str, measure: str, school_measure: str) -> str:
    """A school's share beside a national figure, naming the direction, the national measure, its year and,
    when the two measures differ, that they do: "above the national figure of 53.5% entered for at least one
    arts subject (exam entries, 2016; this school's figure is timetabled study, a different measure)"."""
    if round(pct, 1) > value:
        direction = "above"
    elif round(pct, 1) < value:
        direction = "below"
    else:
        direction = "the same as"
    differs = f"; this school's figure is {school_measure}, a different measure" if measure != school_measure else ""
    return f"{direction} the national figure of {value:g}% {phrase} ({measure}, {year}{differs})"


def early_options(ctx: FindingContext) -> list[Finding]:
    """KS3 years whose own timetable follows options (divergent areas, statutory subjects dropped): how long
    KS3 really lasts. Option choices alone never say so."""
    if not ctx.early:
        return []
    early = ctx.early
    first = min(early)
    years = ", ".join(f"Year {y}" for y in sorted(early))
    verb = "follows" if len(early) == 1 else "follow"
    if first <= 7:  # no year of common curriculum at all: not a KS3 "of 0 years", a timetable natbacc cannot judge
        text = (
            f"{years} {verb} an options-like curriculum from Year 7 ({early[first]}), so KS3 length cannot be judged: "
            "a timetable that lists student sets or groups rather than each pupil's classes looks like this."
        )
        return [Finding(1, "KS3 length", text)]
    length = {1: "one year", 2: "two years"}.get(first - 7, f"{first - 7} years")
    text = f"{years} {verb} a KS4-style options curriculum: KS3 lasts {length} ({early[first]})."
    return [Finding(1, "KS3 length", text)]


def next_year_choices(ctx: FindingContext) -> list[Finding]:
    """Option choices recorded for a KS3 year whose timetable is a full KS3: next year's choices, as information."""
    return [
        Finding(
            6,
            "Options",
            f"Year {year}'s choices for Year {year + 1} are recorded ({plural(n, 'pupil')}); "
            f"they are next year's choices, not Year {year}'s curriculum this year.",
        )
        for year, n in sorted(ctx.choices.items())
    ]


def tutor_groups_missing_a_subject(ctx: FindingContext) -> list[Finding]:
    """Tutor groups with no lessons in a statutory KS3 subject the rest of their year studies."""
    return [
        Finding(
            1,
            "Statutory KS3",
            f"{ctx.at(row['school'])}{row['reg_group']} has no {row['subject']}: {plural(row['pupils'], 'pupil')} "
            "miss a statutory KS3 subject the rest of their year studies.",
        )
        for row in _rows(ctx.indicators.group_statutory_gaps)
    ]


def years_missing_statutory_subjects(ctx: FindingContext) -> list[Finding]:
    """Year groups where many pupils miss a statutory KS3 subject, naming the subjects missed most."""
    stat = ctx.indicators.statutory_coverage
    # The three least-studied subjects of every school year, found in one sort (a stable sort keeps ties
    # in table order).
    subjects = stat[(stat["statutory"] != "all_statutory") & (stat["pct_students"] < 100)]
    worst = subjects.sort_values("pct_students", kind="stable").groupby(["school", "year_group"], sort=False).head(3)
    without = (100 - worst["pct_students"]).round(0).astype("int64").astype("str")
    named = (worst["subject"] + " (" + without + "% without)").groupby(
        [worst["school"], worst["year_group"]], sort=False
    )
    most_often = named.agg(", ".join)
    low = stat[(stat["statutory"] == "all_statutory") & (stat["pct_students"] <= STATUTORY_SHARE_WORTH_SAYING)]
    return [
        Finding(
            2,
            "Statutory KS3",
            f"{ctx.at(row['school'])}In Year {row['year_group']}, {100 - row['pct_students']:.0f}% of pupils miss "
            f"at least one statutory KS3 subject, most often {most_often.get((row['school'], row['year_group']), '')}.",
        )
        for row in _rows(low)
    ]


def areas_dropped_before_year_10(ctx: FindingContext) -> list[Finding]:
    """Areas that some pupils stop studying before KS4, naming the subjects behind each area."""
    dropped = ctx.indicators.dropped_before_y10
    if not len(dropped) or not dropped["dropped_in_year"].notna().any():
        return []
    gone = dropped[dropped["dropped_in_year"].notna()]
    parts = []
    for r in _rows(gone):
        year = int(r["dropped_in_year"])
        subjects = str(r.get("subjects") or "")
        behind = f"; {subjects}" if subjects else ""
        parts.append(f"{str(r['area_label']).lower()} (Year {year}: {r[f'Y{year}']:.0f}% still study it{behind})")
    text = "Some pupils stop studying these areas before Year 10: " + "; ".join(parts) + "."
    return [Finding(2, "Dropped before Y10", text)]


def ks4_entitlement_gaps(ctx: FindingContext) -> list[Finding]:
    """KS4 pupils with no subject in an entitlement area; where there is a national figure, the share who
    study one is set beside it, naming the direction, the measure and the year."""
    breadth = ctx.breadth
    ks4 = ((ctx.records["key_stage"] == 4).fillna(False) & breadth.has_curriculum).to_numpy()
    if not ks4.any():
        return []
    out = []
    references = ctx.indicators.ks4_entitlement.set_index("indicator")
    met = entitlement_met(breadth, ctx.settings)  # the law's areas by default, as the MISSING_* flags
    for area in ctx.settings.core["entitlement_areas"]:
        studies = met[area].to_numpy()[ks4].mean() * 100
        if 100 - studies < ENTITLEMENT_SHARE_WORTH_SAYING:
            continue
        shown = round(studies)
        text = f"{100 - shown}% of KS4 pupils study no {AREA_NOUNS[area]}"
        ref = references.loc[Entitlement(area)]
        if isinstance(ref.comparison, str) and ref.comparison:
            text += f"; {shown}% study at least one, {ref.comparison}"
        out.append(Finding(3, "KS4 entitlement", text + "."))
    return out


def equity_gaps(ctx: FindingContext) -> list[Finding]:
    """Highlighted equity gaps (both groups at least the minimum size): a group behind is more serious than a
    group ahead."""
    equity = ctx.indicators.equity
    return [
        Finding(2 if row["gap_pp"] < 0 else 4, "Equity", equity_sentence(row) + ".")
        for row in _rows(equity[equity["highlight"]])
    ]


def zero_take_up(ctx: FindingContext) -> list[Finding]:
    """Subjects on the timetable or in the options that no pupil takes."""
    return [
        Finding(3, "Zero take-up", f"{str(row['subject']).capitalize()}: {row['why']}.")
        for row in _rows(ctx.indicators.zero_takeup)
    ]


_PROGRESS = (
    (Flag.PROJECT_NOT_STARTED, "have not started a Personal Project where one is expected"),
    (Flag.PD_BEHIND, "are behind on Personal Development hours for their programme so far"),
)


def strand_progress(ctx: FindingContext) -> list[Finding]:
    """How many pupils have not started a project, or are behind on Personal Development hours."""
    counts = ((flag, int(np.count_nonzero(ctx.records[flag.column])), words) for flag, words in _PROGRESS)
    return [Finding(5, "Strands", f"{plural(n, 'pupil')} {words}.") for _, n, words in counts if n]


def no_development_hours(ctx: FindingContext) -> list[Finding]:
    """Pupils with no Personal Development hours at all (only when a log was imported)."""
    hours = ctx.records["pd_hours"]
    if not hours.notna().any():
        return []
    none = int((hours.fillna(0) == 0).sum())
    if not none:
        return []
    return [Finding(5, "Strands", f"{plural(none, 'pupil')} have logged no Personal Development hours this year.")]


Rule = Callable[[FindingContext], list[Finding]]
#: Every finding rule, in the order their findings are offered at equal priority.
RULES: tuple[Rule, ...] = (
    early_options,
    tutor_groups_missing_a_subject,
    years_missing_statutory_subjects,
    areas_dropped_before_year_10,
    ks4_entitlement_gaps,
    equity_gaps,
    zero_take_up,
    strand_progress,
    no_development_hours,
    next_year_choices,
)


def find(ctx: FindingContext) -> list[Finding]:
    """Every rule's findings, most serious first (a stable sort keeps each rule's order within a priority)."""
    return sorted((f for rule in RULES for f in rule(ctx)), key=lambda f: f.priority)
