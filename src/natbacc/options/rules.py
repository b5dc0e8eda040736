"""The designer's optional rules as a deputy writes them: "Art=A" (fixed in block A), "Art,French" (never in
the same block), "French=2" (at most two classes). Subjects are matched as the choices file and the
subject mapping name them ("Fr" and "French" are one subject)."""

from __future__ import annotations

from natbacc.options.instance import Season
from natbacc.options.read import subject_key
from natbacc.subjects import SubjectMap


class RuleError(ValueError):
    """A rule that names no chosen subject or no block, in words that say how to write it."""


def _subject(season: Season, text: str, subject_map: SubjectMap) -> int:
    wanted = text.strip()
    labels = {s.label.casefold(): i for i, s in enumerate(season.subjects)}
    if wanted.casefold() in labels:
        return labels[wanted.casefold()]
    subject, area, _ = subject_map.resolve(wanted)
    key = subject_key(subject, area, wanted)
    keys = season.keys
    if key in keys:
        return keys.index(key)
    raise RuleError(f"'{wanted}' is not among the pupils' choices; write a subject as the choices file names it.")


def _block(text: str, blocks: int) -> int:
    t = text.strip().upper().removeprefix("BLOCK").strip()
    if len(t) == 1 and "A" <= t <= "Z" and ord(t) - ord("A") < blocks:
        return ord(t) - ord("A")
    if t.isdigit() and 1 <= int(t) <= blocks:
        return int(t) - 1
    raise RuleError(f"'{text.strip()}' is not one of the {blocks} blocks; write a letter from A or a number from 1.")


def parse_fixed(season: Season, items: list[str], blocks: int, subject_map: SubjectMap) -> tuple[tuple[int, int], ...]:
    """``["Art=A", "Music=2"]`` -> ((subject, block), ...)."""
    out = []
    for item in items:
        name, sep, block = item.rpartition("=")
        if not sep:
            raise RuleError(f"'{item}': write a fixed subject as Subject=Block, e.g. Art=A.")
        out.append((_subject(season, name, subject_map), _block(block, blocks)))
    return tuple(out)


def parse_apart(season: Season, items: list[str], subject_map: SubjectMap) -> tuple[tuple[int, int], ...]:
    """``["Art,French"]`` -> ((subject, subject), ...)."""
    out = []
    for item in items:
        parts = [p for p in item.split(",") if p.strip()]
        if len(parts) != 2:
            raise RuleError(f"'{item}': write two subjects kept apart as Subject,Subject, e.g. Art,French.")
        out.append((_subject(season, parts[0], subject_map), _subject(season, parts[1], subject_map)))
    return tuple(out)


def parse_classes(season: Season, items: list[str], subject_map: SubjectMap) -> dict[int, int]:
    """``["French=2"]`` -> {subject: most classes}."""
    out = {}
    for item in items:
        name, sep, count = item.rpartition("=")
        if not sep or not count.strip().isdigit():
            raise RuleError(f"'{item}': write a subject's classes as Subject=Number, e.g. French=2.")
        out[_subject(season, name, subject_map)] = int(count)
    return out
