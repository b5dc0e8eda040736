"""Qualification types, levels, sizes and grade scales: what an exams-office row is worth to the award.

The table of types lives in ``config/qualifications.toml`` (data, not code): each type's level, its size
(in GCSEs up to Level 2, in A levels at Level 3) and its grade scale, each grade with the level it
reaches. ``level_achieved`` is then computed from the grade, never guessed from the subject or type:
a GCSE grade 3 is Level 1, a 4 is Level 2; "6-6" in combined science is two Level 2 grades; "D*D*D" in
an Extended Diploma is three Level 3 grades. Everything works on distinct values (a cohort has a few
dozen distinct labels and grades), never pupil by pupil.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from natbacc.distinct import by_unique

_WORD = re.compile(r"[^a-z0-9*]+")
#: A scale value meaning "the qualification's own level" (pass/fail scales).
OWN_LEVEL = 99


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, padded: " gcse combined science " (``*`` kept for grades)."""
    return " " + _WORD.sub(" ", str(text).lower().replace("&", " and ")).strip() + " "


@dataclass(frozen=True)
class QualificationType:
    """One row of the types table."""

    key: str
    label: str
    level: int
    size: float
    scale: str


@dataclass(frozen=True)
class Scale:
    """A grade scale: each grade's level (upper-cased keys), its fail grades, a pattern splitting compound grades."""

    key: str
    levels: dict[str, int]
    fail: frozenset[str]
    pattern: re.Pattern[str]

    def level_of(self, grade: str, parts_expected: int = 1) -> tuple[int | None, bool]:
        """(level reached, recognised) for one grade as written.

        A qualification the size of two or three (a double award, a Diploma, an Extended Diploma) has a
        compound grade of that many parts ("6-6", "D*D*D"); it reaches the level of its lowest part.
        """
        text = grade.strip().upper().replace(" ", "")
        if text in self.fail:
            return None, True
        if text in self.levels:
            return self.levels[text], True
        if parts_expected < 2:
            return None, False
        parts = [p for p in re.split(r"[-/,]", text) if p] if re.search(r"[-/,]", text) else self.pattern.findall(text)
        if len(parts) != parts_expected or "".join(parts) != re.sub(r"[-/,]", "", text):
            return None, False
        if any(p in self.fail for p in parts):
            return None, all(p in self.fail or p in self.levels for p in parts)
        if not all(p in self.levels for p in parts):
            return None, False
        return min(self.levels[p] for p in parts), True

    def grades_text(self) -> str:
        """The scale's grades for a message: "9, 8, 7, ... or U"."""
        return ", ".join(self.levels) + (" or " + "/".join(sorted(self.fail)) if self.fail else "")


@dataclass(frozen=True)
class QualificationTypes:
    """The types table and the grade scales, loaded from ``config/qualifications.toml``."""

    types: dict[str, QualificationType]
    scales: dict[str, Scale]
    #: (alias as padded words, type key), longest alias first.
    aliases: tuple[tuple[str, str], ...]

    @classmethod
    @cache
    def default(cls) -> QualificationTypes:
        """The shipped table."""
        text = resources.files("natbacc.config").joinpath("qualifications.toml").read_text(encoding="utf-8")
        return cls.from_toml(tomllib.loads(text))

    @classmethod
    def from_toml(cls, data: dict[str, dict[str, dict[str, object]]]) -> QualificationTypes:
        """The table from parsed TOML (``[types.*]`` and ``[scales.*]``)."""
        scales: dict[str, Scale] = {}
        for key, spec in data["scales"].items():
            grades = spec["grades"]
            assert isinstance(grades, dict)
            levels = {str(g).upper().replace(" ", ""): int(v) for g, v in grades.items()}
            fail_list = spec.get("fail", [])
            assert isinstance(fail_list, list)
            fail = frozenset(str(f).upper().replace(" ", "") for f in fail_list)
            parts = sorted({*levels, *fail}, key=len, reverse=True)
            pattern = re.compile("|".join(re.escape(p) for p in parts))
            scales[key] = Scale(key, levels, fail, pattern)
        types: dict[str, QualificationType] = {}
        aliases: list[tuple[str, str]] = []
        for key, spec in data["types"].items():
            level, size = spec["level"], spec["size"]
            assert isinstance(level, int) and isinstance(size, int | float)
            types[key] = QualificationType(key, str(spec["label"]), level, float(size), str(spec["scale"]))
            names = spec["aliases"]
            assert isinstance(names, list)
            aliases += [(_words(a), key) for a in [*names, spec["label"]]]
        aliases.sort(key=lambda pair: len(pair[0]), reverse=True)
        return cls(types, scales, tuple(aliases))

    def type_of(self, text: str) -> str | None:
        """The type a qualification label (with its subject) names: the longest alias found as whole words."""
        words = _words(text)
        return next((key for alias, key in self.aliases if alias in words), None)

    def types_of(self, labels: pd.Series) -> pd.Series:
        """``type_of`` for a column of labels (each distinct label worked out once); missing where unknown."""
        return by_unique(labels.fillna(""), lambda part: part.map(self.type_of).astype("str"))

    def level_achieved(self, types: pd.Series, levels: pd.Series, grades: pd.Series) -> tuple[pd.Series, pd.Series]:
        """(level each grade reaches, capped at its qualification's level; grade not on the scale) per row.

        Rows with no type, no scale or no grade reach no level and are not "bad"; a grade the type's scale
        does not have is.
        """
        frame = pd.DataFrame(
            {"type": types.fillna(""), "level": levels.astype("Float64").fillna(-1), "grade": grades.fillna("")}
        )
        distinct = frame.drop_duplicates()
        reached: list[int | None] = []
        bad: list[bool] = []
        for t, lvl, g in distinct.itertuples(index=False):  # distinct (type, level, grade): a few dozen
            spec = self.types.get(t)
            if spec is None or not g.strip():
                reached.append(None)
                bad.append(False)
                continue
            parts = int(spec.size) if spec.size > 1 and float(spec.size).is_integer() else 1
            level, known = self.scales[spec.scale].level_of(g, parts)
            own = int(lvl) if lvl >= 0 else spec.level
            reached.append(None if level is None else min(level, own))
            bad.append(not known)
        distinct = distinct.assign(reached=pd.array(reached, dtype="Int64"), bad=bad)
        merged = frame.merge(distinct, on=["type", "level", "grade"], how="left")
        return (
            pd.Series(merged["reached"].to_numpy(), index=types.index, dtype="Int64"),
            pd.Series(merged["bad"].to_numpy(bool), index=types.index),
        )

    def scale_of(self, key: str) -> Scale | None:
        """The grade scale of a type, or None for an unknown type."""
        spec = self.types.get(key)
        return self.scales[spec.scale] if spec else None


_LEVEL = re.compile(
    r"^(?:level|lvl|l|rqf|nqf)?\s*(?:(\d)(?:\s*[/&-]\s*(?:level|l)?\s*(\d))?|(e|entry)(?:\s*level)?\s*\d?)$"
)


def parse_level(text: str) -> int | None:
    """ "2", "Level 2", "L2", "L1/L2", "Level 1/2" -> the highest level named; "Entry", "E3", "Entry 3" -> 0."""
    value = text.strip().lower()
    if not value:
        return None
    if value.startswith("entry") or value in {"e", "e1", "e2", "e3"}:
        return 0
    match = _LEVEL.match(value)
    if match is None:
        return None
    if match[3]:
        return 0
    levels = [int(x) for x in (match[1], match[2]) if x]
    return max(levels) if levels and max(levels) <= 3 else None


def level_words(level: int) -> str:
    """0 -> "Entry level", 2 -> "Level 2"."""
    return "Entry level" if level == 0 else f"Level {level}"


def size_unit(level: int) -> str:
    """What a size at ``level`` counts: "A level" at Level 3, "GCSE" below."""
    return "A level" if level >= 3 else "GCSE"
