"""What an options season is made of: pupils' ranked choices and reserves, subjects, and a block design.

A subject is identified by its canonical name from the subject mapping (so "Fr" in the choices and
"French" in the school's block design are one subject); it is shown as the choices file wrote it.
Pupils with the same choices and reserves form one *group*: the solver reasons about how many pupils
of a group get which blocks, not about each pupil, which keeps the model small and free of the
symmetry between identical pupils.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

#: A class too small to run below this many pupils, unless the school says otherwise.
DEFAULT_MIN_CLASS = 10


@dataclass(frozen=True)
class Subject:
    """One option subject: how the choices file names it, its Core Learning area and KS4 entitlement area."""

    key: str
    label: str
    area: str
    entitlement: str  # "arts", "humanities", "languages", "technology" or "" (s.85A)


@dataclass(frozen=True)
class Group:
    """Pupils with identical choices (in rank order) and reserves."""

    choices: tuple[int, ...]  # subject indices, first choice first
    reserves: tuple[int, ...]
    pupils: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.pupils)


@dataclass(frozen=True)
class Season:
    """The choices of one options season, ready to analyse a design or to design one.

    ``pupils`` is indexed by ``student_id`` with ``name``, ``pupil_premium``, ``sen`` and ``eal`` where the
    files gave them; ``choices`` has one row per pupil and choice: ``student_id``, ``subject`` (index into
    ``subjects``), ``rank`` (1 = first) and ``reserve``.
    """

    subjects: tuple[Subject, ...]
    pupils: pd.DataFrame
    choices: pd.DataFrame
    groups: tuple[Group, ...] = field(default=())

    @classmethod
    def build(cls, subjects: tuple[Subject, ...], pupils: pd.DataFrame, choices: pd.DataFrame) -> Season:
        """A season with its groups worked out (one pass over distinct choice sets)."""
        ordered = choices.sort_values(["student_id", "reserve", "rank"], kind="stable")
        mains = ordered[~ordered["reserve"]].groupby("student_id", sort=False)["subject"].agg(tuple)
        spare = ordered[ordered["reserve"]].groupby("student_id", sort=False)["subject"].agg(tuple)
        ids = pd.Index(pupils.index)
        frame = pd.DataFrame(
            {
                "choices": mains.reindex(ids).map(lambda t: t if isinstance(t, tuple) else ()),
                "reserves": spare.reindex(ids).map(lambda t: t if isinstance(t, tuple) else ()),
            },
            index=ids,
        )
        frame = frame[frame["choices"].map(len) > 0]
        keys = list(zip(frame["choices"], frame["reserves"], strict=True))
        members: dict[tuple[tuple[int, ...], tuple[int, ...]], list[str]] = {}
        for key, pupil in zip(keys, frame.index, strict=True):  # one pass; a dict keeps first-seen order
            members.setdefault(key, []).append(str(pupil))
        groups = tuple(Group(c, r, tuple(p)) for (c, r), p in sorted(members.items()))
        return cls(subjects, pupils, choices, groups)

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.subjects]

    def index_of(self, key: str) -> int:
        return self.keys.index(key)

    @property
    def pupil_count(self) -> int:
        """Pupils with at least one choice (those the design is for)."""
        return sum(g.size for g in self.groups)

    def demand(self) -> list[int]:
        """Pupils who chose each subject (reserves not counted)."""
        counts = [0] * len(self.subjects)
        for g in self.groups:
            for s in g.choices:
                counts[s] += g.size
        return counts


@dataclass(frozen=True)
class Design:
    """Option blocks: for each block the subject of each class in it (a subject twice = two classes), with sizes.

    ``sizes[b][i]`` is the most pupils class ``i`` of block ``b`` takes.
    """

    blocks: tuple[tuple[int, ...], ...]
    sizes: tuple[tuple[int, ...], ...]

    @classmethod
    def uniform(cls, blocks: list[list[int]], class_size: int) -> Design:
        return cls(tuple(tuple(b) for b in blocks), tuple(tuple(class_size for _ in b) for b in blocks))

    def classes(self, subject: int, block: int) -> int:
        return self.blocks[block].count(subject)

    def capacity(self, subject: int, block: int) -> int:
        return sum(size for s, size in zip(self.blocks[block], self.sizes[block], strict=True) if s == subject)

    def offered_in(self, subject: int) -> list[int]:
        return [b for b, classes in enumerate(self.blocks) if subject in classes]


@dataclass(frozen=True)
class Rules:
    """What the designer must respect.

    ``classes`` caps the classes of a subject (default ⌈demand ÷ class size⌉); ``fixed`` puts a subject in a
    block (0-based); ``apart`` pairs never share a block.
    """

    blocks: int
    class_size: int
    min_class: int = DEFAULT_MIN_CLASS
    classes: dict[int, int] = field(default_factory=dict)
    fixed: tuple[tuple[int, int], ...] = ()
    apart: tuple[tuple[int, int], ...] = ()

    def classes_for(self, season: Season) -> list[int]:
        """Most classes each subject may run: the school's figure, else enough for everyone who chose it."""
        demand = season.demand()
        return [self.classes.get(s, math.ceil(d / self.class_size) if d else 0) for s, d in enumerate(demand)]
