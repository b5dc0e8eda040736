"""Drill-down: exactly which pupils are behind a bar, a heatmap cell or a marker on a chart.

A figure that can be drilled into carries a *mark* in each point's ``customdata`` (its last element when
the customdata is a row): ``"ks4_entitlement|arts"``, ``"ks3_statutory|9|music"``. The dashboard reads the
clicked point's mark back and asks ``pupils_behind`` for the pupils; the same rule that computed the figure
selects them, so the list under a chart always has as many pupils as the mark says.

Pupils are identified through ``pupil_key`` only, so the key can change (school and ID) in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from natbacc.analysis import Analysis
from natbacc.indicators import ENTITLEMENT_INDICATORS, EQUITY_GROUPS, pupil_indicators
from natbacc.model import AREA_LABELS
from natbacc.scoring import STATUTORY_LABELS, breadth_aligned
from natbacc.vocabulary import DrillChart, Entitlement, EquityGroup, EquityIndicator, Flag, Status, Strand

#: The columns that identify a pupil: ``pupil_key`` is the pupil ID, or school and ID in a trust's upload
#: (natbacc.io.identity).
PUPIL_KEY_COLUMNS: tuple[str, ...] = ("pupil_key",)
_SEP = "|"


def pupil_key(records: pd.DataFrame) -> pd.Series:
    """Each pupil's key as text (the URL and the profile picker use it)."""
    parts = [records[c].astype("string").fillna("") for c in PUPIL_KEY_COLUMNS]
    key = parts[0]
    for part in parts[1:]:
        key = key + " / " + part
    return key


@dataclass(frozen=True)
class Mark:
    """What a point on a chart stands for: the chart and its arguments (codes, never display text)."""

    chart: DrillChart
    args: tuple[str, ...]

    def encode(self) -> str:
        """The text put in a point's customdata."""
        return _SEP.join((self.chart.value, *self.args))

    @classmethod
    def decode(cls, text: object) -> Mark | None:
        """The mark in ``text`` (None for anything else, e.g. a national-figure marker)."""
        if not isinstance(text, str) or _SEP not in text:
            return None
        chart, *args = text.split(_SEP)
        kind = DrillChart.of(chart)
        return cls(kind, tuple(args)) if kind is not None else None


def mark(chart: DrillChart, *args: object) -> str:
    """An encoded mark for a figure's customdata."""
    return Mark(chart, tuple(str(a) for a in args)).encode()


def selected_mark(points: Sequence[dict[str, Any]]) -> Mark | None:
    """The mark of the first clicked point that has one (a Streamlit Plotly selection's ``points``)."""
    for point in points:
        data = point.get("customdata")
        values = data if isinstance(data, list | tuple) else [data]
        for value in reversed(values):
            found = Mark.decode(value)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Behind:
    """The pupils behind a mark, and (where the mark is a share) the rest of the same pupils."""

    title: str
    pupils: pd.DataFrame
    others_title: str = ""
    others: pd.DataFrame | None = None


def _year(value: str) -> float:
    return float(value)


def _split(records: pd.DataFrame, base: np.ndarray, behind: np.ndarray, title: str, others_title: str) -> Behind:
    total = str(int(base.sum()))

    def words(template: str, n: int) -> str:  # str.replace, not format: names may hold braces
        return template.replace("{n}", str(n)).replace("{total}", total)

    return Behind(
        words(title, int((base & behind).sum())),
        records[base & behind],
        words(others_title, int((base & ~behind).sum())),
        records[base & ~behind],
    )


def _measured(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(measured, true) masks of a per-pupil 1/0/NaN indicator."""
    return values.notna().to_numpy(bool), (values == 1).to_numpy(bool)


def _entitlement(view: Analysis, args: tuple[str, ...]) -> Behind:
    code = Entitlement(args[0])
    breadth = breadth_aligned(view.breadth, view.records)
    per_pupil = pupil_indicators(view.records, breadth, view.settings)
    base, yes = _measured(per_pupil[ENTITLEMENT_INDICATORS[code]])
    what = code.label[0].lower() + code.label[1:]
    return _split(view.records, base, yes, f"{{n}} of {{total}} KS4 pupils study {what}", "{n} of {total} do not")


def _statutory(view: Analysis, args: tuple[str, ...]) -> Behind:
    year, key = _year(args[0]), args[1]
    records = view.records
    breadth = breadth_aligned(view.breadth, records)
    base = (
        (records["key_stage"] == 3).fillna(False).to_numpy(bool)
        & breadth.has_curriculum.to_numpy(bool)
        & (records["year_group"] == year).fillna(False).to_numpy(bool)
    )
    keys = view.settings.core["ks3_statutory"] if key == "all_statutory" else [key]
    studies = breadth.statutory[keys].all(axis=1).to_numpy(bool)
    subject = "every statutory KS3 subject" if key == "all_statutory" else STATUTORY_LABELS.get(key, key)
    return _split(
        records,
        base,
        studies,
        f"{{n}} of {{total}} Year {int(year)} pupils study {subject}",
        "{n} of {total} do not",
    )


def _coverage(view: Analysis, args: tuple[str, ...]) -> Behind:
    year, area = _year(args[0]), args[1]
    records = view.records
    breadth = breadth_aligned(view.breadth, records)
    base = breadth.has_curriculum.to_numpy(bool) & (records["year_group"] == year).fillna(False).to_numpy(bool)
    covered = breadth.covered[area].to_numpy(bool)
    return _split(
        records,
        base,
        covered,
        f"{{n}} of {{total}} Year {int(year)} pupils have time or an option in {AREA_LABELS[area]}",
        "{n} of {total} do not",
    )


def status_band(scores: pd.Series, on: float, off: float) -> pd.Series:
    """Each score's status band (the strand chart's bands): on track, at risk, off track; NA unscored."""
    values = scores.astype("float64")
    band = np.select(
        [values >= on, values >= off, values < off], [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK], ""
    )
    return pd.Series(band, index=scores.index).where(values.notna())


def _strand(view: Analysis, args: tuple[str, ...]) -> Behind:
    strand, year, status = Strand(args[0]), _year(args[1]), Status(args[2])
    records = view.records
    band = status_band(records[strand.score], view.settings.status["on_track"], view.settings.status["off_track"])
    base = band.notna().to_numpy(bool) & (records["year_group"] == year).fillna(False).to_numpy(bool)
    return _split(
        records,
        base,
        (band == status).to_numpy(bool),
        f"{{n}} of {{total}} scored Year {int(year)} pupils are {status.label.lower()} in {strand.label}",
        "{n} of {total} are not",
    )


def _equity(view: Analysis, args: tuple[str, ...]) -> Behind:
    indicator, group = EquityIndicator(args[0]), EquityGroup(args[1])
    records = view.records
    _, column, value, _ = next(g for g in EQUITY_GROUPS if g[0] is group)
    per_pupil = pupil_indicators(records, breadth_aligned(view.breadth, records), view.settings)
    measured, yes = _measured(per_pupil[indicator])
    base = measured & (records[column] == value).fillna(False).to_numpy(bool)
    return _split(
        records,
        base,
        yes,
        f"{{n}} of {{total}} {group.noun[0].lower() + group.noun[1:]} ({indicator.label})",
        "{n} of {total} do not",
    )


def _flag(view: Analysis, args: tuple[str, ...]) -> Behind:
    flag = Flag(args[0])
    flagged = view.records[flag.column].fillna(False).to_numpy(bool)
    return Behind(f"{int(flagged.sum())} pupils flagged: {flag.label}", view.records[flagged])


_RULES: dict[DrillChart, Callable[[Analysis, tuple[str, ...]], Behind]] = {
    DrillChart.KS4_ENTITLEMENT: _entitlement,
    DrillChart.KS3_STATUTORY: _statutory,
    DrillChart.COVERAGE: _coverage,
    DrillChart.STRAND_STATUS: _strand,
    DrillChart.EQUITY_GAP: _equity,
    DrillChart.FLAG: _flag,
}


def pupils_behind(view: Analysis, chosen: Mark) -> Behind | None:
    """The pupils behind ``chosen`` among the pupils of ``view`` (None for a mark that no longer applies)."""
    try:
        return _RULES[chosen.chart](view, chosen.args)
    except (KeyError, ValueError, IndexError, StopIteration):
        return None


#: The columns a downloaded list keeps (no scores' explanations: a list to act on, not a record card).
DOWNLOAD_COLUMNS = (
    "student_id",
    "name",
    "school",
    "year_group",
    "reg_group",
    "overall_status",
    "core_learning_score",
    "personal_project_score",
    "personal_development_score",
)


def download_frame(pupils: pd.DataFrame) -> pd.DataFrame:
    """The list of pupils as a download keeps it (the caller writes it with ``formulas.csv_bytes``)."""
    return pupils[[c for c in DOWNLOAD_COLUMNS if c in pupils]].reset_index(drop=True)


@dataclass(frozen=True)
class FlaggedSplit:
    """Pupils carrying any of some progress flags, split by their strand score: ``behind`` are not on track
    (or not scored), ``slipping`` carry the flag but still score on track. A list headed "behind" never holds
    a pupil whose score says on track, and its heading counts exactly its rows."""

    behind: pd.DataFrame
    slipping: pd.DataFrame


def flagged_split(records: pd.DataFrame, flags: Sequence[Flag], strand: Strand, on_track: float) -> FlaggedSplit:
    """Split the pupils with any of ``flags`` at the ``strand``'s on-track line."""
    flagged = np.zeros(len(records), dtype=bool)
    for flag in flags:
        flagged |= records[flag.column].fillna(False).to_numpy(bool)
    on = (records[strand.score].astype("float64") >= on_track).fillna(False).to_numpy(bool)
    return FlaggedSplit(records[flagged & ~on], records[flagged & on])
