"""What a design does to each pupil: their blocks, what they lose and why, and who loses more.

The solver says how many pupils of each group take each subject in each block
(``natbacc.options.solve``); here those counts become individual timetables (the counts always split
into whole timetables: König's theorem, see ``solve``), then class lists, then sentences. Reasons are
worked out from the design itself: a choice not offered at all, choices whose blocks are too few for
them (Hall's condition: "Art and French are both only in block B"), or, when an arrangement exists,
the full classes it would need.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from natbacc.indicators import EQUITY_GROUPS
from natbacc.model import plural
from natbacc.options.instance import Design, Group, Season
from natbacc.options.solve import Solution
from natbacc.vocabulary import ClassStatus, EquityGroup

#: The equity groups an options season is compared on (the issue: disadvantaged, SEN and EAL pupils).
SEASON_GROUPS = (EquityGroup.DISADVANTAGED, EquityGroup.SEN_SUPPORT, EquityGroup.EHC_PLAN, EquityGroup.EAL)
#: How each KS4 entitlement area reads in a sentence.
AREA_WORDS = {
    "arts": "an arts subject",
    "humanities": "a humanity",
    "languages": "a language",
    "technology": "technology",
}


def block_name(b: int) -> str:
    """Blocks are lettered as schools letter them: A, B, C..."""
    return chr(ord("A") + b) if b < 26 else str(b + 1)


@dataclass(frozen=True)
class Analysis:
    """A design's outcome for every pupil.

    ``pupils``: one row per pupil (``student_id``, ``name``, ``choices``, ``placed_all``, ``missing``,
    ``reserves_used``, ``lost_areas``, ``reason``, the equity flags). ``placed``: one row per subject a
    pupil takes (``student_id``, ``subject`` index, ``label``, ``block`` 0-based, ``class_no`` 1-based,
    ``reserve``). ``classes``: one row per class (``block``, ``label``, ``class_no``, ``pupils``,
    ``capacity``, ``status``). ``equity``: each group against the rest (blank under the minimum size).
    """

    season: Season
    design: Design
    solution: Solution
    pupils: pd.DataFrame
    placed: pd.DataFrame
    classes: pd.DataFrame
    equity: pd.DataFrame
    min_class: int

    @property
    def fully_placed(self) -> int:
        return int(self.pupils["placed_all"].sum())

    @property
    def lost_area(self) -> int:
        return int((self.pupils["lost_areas"] != "").sum())

    def blocks_as_labels(self) -> list[list[str]]:
        """The design as the choices file names its subjects (a subject twice = two classes)."""
        return [[self.season.subjects[s].label for s in block] for block in self.design.blocks]

    def placed_by_pupil(self) -> dict[str, dict[str, int]]:
        """Each pupil's subjects and their 0-based blocks (the CLI's JSON ``placed``)."""
        out: dict[str, dict[str, int]] = {str(sid): {} for sid in self.pupils["student_id"]}
        for sid, label, block in self.placed[["student_id", "label", "block"]].itertuples(index=False):
            out[str(sid)][str(label)] = int(block)
        return out

    def summary(self) -> list[str]:
        """The design's outcome in plain sentences, best news first."""
        n = len(self.pupils)
        lines = [f"{self.fully_placed:,} of {plural(n, 'pupil')} get all their choices."]
        more = self.solution.more_possible
        given = self.solution.given_design
        if more == 0:
            lines.append(
                "No placement of pupils in this design gives more of them all their choices."
                if given
                else "No design can give more pupils all their choices (the solver proved it)."
            )
        elif more is not None:
            lines.append(
                f"At most {plural(more, 'more pupil')} could get all their choices "
                + (
                    "in this design (the solver's bound)."
                    if given
                    else "with the best possible design (the solver's bound)."
                )
            )
        if self.lost_area:
            verb = "loses" if self.lost_area == 1 else "lose"
            lines.append(
                f"{plural(self.lost_area, 'pupil')} {verb} an entitlement area they chose (arts, a language, "
                "a humanity or technology)."
            )
        else:
            lines.append("No pupil loses an entitlement area they chose.")
        reserves = int((self.pupils["reserves_used"] != "").sum())
        if reserves:
            lines.append(f"Reserves are used for {plural(reserves, 'pupil')}.")
        crowded = int(self.pupils["full_classes"].sum())
        if crowded:
            lines.append(
                f"{plural(crowded, 'pupil')} miss a choice only because the classes that fit were full "
                "(another class, or a bigger one, would place them)."
                if crowded > 1
                else "1 pupil misses a choice only because the classes that fit were full (another class, or a "
                "bigger one, would place them)."
            )
        small = self.classes[self.classes["status"] == ClassStatus.TOO_SMALL]
        if len(small):
            lines.append(f"{plural(len(small), 'class', 'classes')} would have fewer than {self.min_class} pupils.")
        return lines


def analyse(season: Season, solution: Solution, *, min_class: int, min_group_size: int) -> Analysis:
    """Every pupil's timetable under ``solution``, with reasons, class lists and the equity comparison."""
    design = solution.design
    rows: list[tuple[str, int, int, bool]] = []  # (pupil, subject, block, reserve)
    for gi, group in enumerate(season.groups):
        rows += _timetables(gi, group, solution)
    placed = pd.DataFrame(rows, columns=["student_id", "subject", "block", "reserve"])
    placed["label"] = [season.subjects[s].label for s in placed["subject"]]
    placed = _into_classes(placed, design)
    pupils = _pupil_rows(season, design, placed)
    classes = _class_rows(season, design, placed, min_class)
    equity = _equity(pupils, min_group_size)
    return Analysis(season, design, solution, pupils, placed, classes, equity, min_class)


def _timetables(gi: int, group: Group, sol: Solution) -> list[tuple[str, int, int, bool]]:
    """Split the group's counts into one timetable per pupil, pupils in ID order."""
    n_choices = len(group.choices)
    every = (*group.choices, *group.reserves)
    full = sol.full[gi]
    rows: list[tuple[str, int, int, bool]] = []
    full_counts = {(i, b): c for (g, i, b), c in sol.on_full.items() if g == gi}
    part_counts = {(i, b): c for (g, i, b), c in sol.on_part.items() if g == gi}
    pupils = sorted(group.pupils)
    for k, pupil in enumerate(pupils):
        if k < full:
            match = _peel(full_counts, full - k, cover_rows=True, rows=n_choices)
        else:
            match = _peel(part_counts, group.size - k, cover_rows=False, rows=len(every))
        rows += [(pupil, every[i], b, i >= n_choices) for i, b in match.items()]
    return rows


def _peel(counts: dict[tuple[int, int], int], left: int, *, cover_rows: bool, rows: int) -> dict[int, int]:
    """One pupil's timetable out of ``counts`` (``left`` pupils still to place), taken away from ``counts``.

    The timetable covers every row and block still needed by all ``left`` pupils (so the rest still split:
    a bipartite multigraph always has a matching covering its vertices of most degree), and is as large as
    possible, choices before reserves.
    """
    row_sum = [sum(c for (i, _), c in counts.items() if i == r) for r in range(rows)]
    blocks = sorted({b for (_, b) in counts})
    col_sum = {b: sum(c for (_, bb), c in counts.items() if bb == b) for b in blocks}
    tight_rows = {r for r in range(rows) if row_sum[r] == left and row_sum[r] > 0}
    tight_cols = {b for b in blocks if col_sum[b] == left}
    best: dict[int, int] | None = None
    best_key: tuple[int, ...] = ()

    def search(r: int, chosen: dict[int, int], used: set[int]) -> None:
        nonlocal best, best_key
        if r == rows:
            if tight_cols <= used:
                key = (len(chosen), *(-i for i in sorted(chosen)))
                if best is None or key > best_key:
                    best, best_key = dict(chosen), key
            return
        for b in blocks:
            if b not in used and counts.get((r, b), 0) > 0:
                chosen[r] = b
                used.add(b)
                search(r + 1, chosen, used)
                used.discard(b)
                del chosen[r]
        if not (cover_rows and row_sum[r] > 0) and r not in tight_rows:
            search(r + 1, chosen, used)

    if left == 1:
        best = {i: b for (i, b), c in counts.items() if c > 0}
    else:
        search(0, {}, set())
    match = best or {}
    for i, b in match.items():
        counts[i, b] -= 1
        if counts[i, b] == 0:
            del counts[i, b]
    return match


def _into_classes(placed: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Class numbers: each subject's pupils in a block shared evenly among its classes there."""
    placed = placed.sort_values(["block", "subject", "student_id"], kind="stable").reset_index(drop=True)
    class_no = np.zeros(len(placed), dtype="int64")
    keys = placed["block"].to_numpy() * 10_000 + placed["subject"].to_numpy()
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        b, s = divmod(int(key), 10_000)
        sizes = [size for subj, size in zip(design.blocks[b], design.sizes[b], strict=True) if subj == s]
        fill = _even_split(len(idx), sizes)
        class_no[idx] = np.repeat(np.arange(1, len(fill) + 1), fill)[: len(idx)]
    placed["class_no"] = class_no
    return placed


def _even_split(pupils: int, sizes: list[int]) -> list[int]:
    """Pupils per class, as even as the classes' sizes allow (any overflow goes to the last class)."""
    fill = [0] * len(sizes)
    for _ in range(pupils):
        room = [(fill[k] - sizes[k], fill[k], k) for k in range(len(sizes)) if fill[k] < sizes[k]]
        k = min(room, key=lambda t: (t[1] / max(1, sizes[t[2]]), t[2]))[2] if room else len(sizes) - 1
        fill[k] += 1
    return fill


def _choice_words(labels: list[str]) -> str:
    if len(labels) <= 2:
        return " and ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _blocks_words(blocks: list[int]) -> str:
    names = [block_name(b) for b in blocks]
    return "block " + names[0] if len(names) == 1 else "blocks " + _choice_words(names)


def clash_reason(season: Season, design: Design, choices: tuple[int, ...]) -> str | None:
    """Why no arrangement of the design fits all ``choices`` in distinct blocks, or None when one does."""
    labels = [season.subjects[s].label for s in choices]
    if len(choices) > len(design.blocks):
        return f"{plural(len(choices), 'choice')} for {plural(len(design.blocks), 'block')}"
    missing = [season.subjects[s].label for s in choices if not design.offered_in(s)]
    if missing:
        return f"{_choice_words(missing)} {'is' if len(missing) == 1 else 'are'} not offered in any block"
    for size in range(2, len(choices) + 1):
        for subset in combinations(range(len(choices)), size):
            blocks = sorted({b for i in subset for b in design.offered_in(choices[i])})
            if len(blocks) < size:
                names = [labels[i] for i in subset]
                both = "both " if size == 2 else ""
                return f"{_choice_words(names)} are {both}only in {_blocks_words(blocks)}"
    return None


def _pupil_rows(season: Season, design: Design, placed: pd.DataFrame) -> pd.DataFrame:
    subjects = season.subjects
    got = placed.groupby("student_id")["subject"].agg(frozenset)
    reserve_rows = placed[placed["reserve"]]
    reserves = reserve_rows.groupby("student_id")["label"].agg(lambda s: ", ".join(sorted(s)))
    fill = placed.groupby(["subject", "block"]).size()
    records = []
    for group in season.groups:
        reason_if_clash = clash_reason(season, design, group.choices)
        chosen_areas = [a for a in dict.fromkeys(subjects[s].entitlement for s in group.choices) if a]
        for pupil in group.pupils:
            has = got.get(pupil, frozenset())
            missing = [s for s in group.choices if s not in has]
            areas_had = {subjects[s].entitlement for s in has}
            lost = [a for a in chosen_areas if a not in areas_had]
            reason = ""
            if missing:
                reason = reason_if_clash or _full_reason(season, design, missing, fill)
            full_classes = bool(missing) and reason_if_clash is None
            records.append(
                {
                    "student_id": pupil,
                    "choices": ", ".join(subjects[s].label for s in group.choices),
                    "placed_all": not missing,
                    "missing": ", ".join(subjects[s].label for s in missing),
                    "reserves_used": reserves.get(pupil, ""),
                    "lost_areas": ", ".join(lost),
                    "lost_words": " and ".join(AREA_WORDS[a] for a in lost),
                    "reason": reason,
                    "full_classes": full_classes,
                }
            )
    frame = pd.DataFrame(
        records,
        columns=[
            "student_id",
            "choices",
            "placed_all",
            "missing",
            "reserves_used",
            "lost_areas",
            "lost_words",
            "reason",
            "full_classes",
        ],
    )
    facts = season.pupils.reindex(frame["student_id"])
    for col in ("name", "pupil_premium", "sen", "eal"):
        frame[col] = facts[col].to_numpy() if col in facts else pd.NA
    return frame.sort_values("student_id", kind="stable").reset_index(drop=True)


def _full_reason(season: Season, design: Design, missing: list[int], fill: pd.Series) -> str:
    """The classes a missing choice could have used, all full."""
    parts = []
    for s in missing:
        where = [
            f"block {block_name(b)} ({int(fill.get((s, b), 0))} of {design.capacity(s, b)})"
            for b in design.offered_in(s)
        ]
        parts.append(f"{season.subjects[s].label} in {_choice_words(where)}")
    return "the classes that fit were full: " + "; ".join(parts)


def _class_rows(season: Season, design: Design, placed: pd.DataFrame, min_class: int) -> pd.DataFrame:
    counts = placed.groupby(["block", "subject", "class_no"]).size()
    rows = []
    for b, block in enumerate(design.blocks):
        seen: dict[int, int] = {}
        for s, size in zip(block, design.sizes[b], strict=True):
            seen[s] = seen.get(s, 0) + 1
            n = int(counts.get((b, s, seen[s]), 0))
            status = ClassStatus.TOO_SMALL if n < min_class else ClassStatus.FULL if n >= size else ClassStatus.OK
            rows.append(
                {
                    "block": block_name(b),
                    "label": season.subjects[s].label,
                    "class_no": seen[s],
                    "pupils": n,
                    "capacity": size,
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=["block", "label", "class_no", "pupils", "capacity", "status"])


def _equity(pupils: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Each equity group against its reference: who gets all their choices, who loses an entitlement area."""
    rows = []
    lost = (pupils["lost_areas"] != "").to_numpy()
    full = pupils["placed_all"].to_numpy(bool)
    for group, column, value, ref_value in EQUITY_GROUPS:
        if group not in SEASON_GROUPS or column not in pupils or pupils[column].isna().all():
            continue
        is_group = (pupils[column] == value).fillna(False).to_numpy(bool)
        is_ref = (pupils[column] == ref_value).fillna(False).to_numpy(bool)
        n_g, n_r = int(is_group.sum()), int(is_ref.sum())
        small = n_g < minimum or n_r < minimum
        rows.append(
            {
                "group": group.label,
                "reference": group.reference,
                "n_group": n_g,
                "n_reference": n_r,
                "pct_all_choices_group": np.nan if small else round(100 * full[is_group].mean(), 1),
                "pct_all_choices_reference": np.nan if small else round(100 * full[is_ref].mean(), 1),
                "pct_lost_area_group": np.nan if small else round(100 * lost[is_group].mean(), 1),
                "pct_lost_area_reference": np.nan if small else round(100 * lost[is_ref].mean(), 1),
                "suppressed": small,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "group",
            "reference",
            "n_group",
            "n_reference",
            "pct_all_choices_group",
            "pct_all_choices_reference",
            "pct_lost_area_group",
            "pct_lost_area_reference",
            "suppressed",
        ],
    )
