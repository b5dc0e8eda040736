"""Files natbacc does not use (staff, rooms, periods, breaks, year-group tables): listed, never blocking.

The lists and their reasons are data (``config/not_pupil_data.toml``). Only the header row is looked
at; nothing in the file is read, kept or logged.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from natbacc.io.header import normalise_header
from natbacc.io.source import Grid
from natbacc.model import Issue
from natbacc.vocabulary import IssueCode

__all__ = ["NotUsed", "not_pupil_data", "not_used_issue"]


@dataclass(frozen=True)
class NotUsed:
    """One kind of file natbacc does not use: what it is, why, and the headings that show it."""

    what: str
    reason: str
    when: tuple[frozenset[str], ...]
    unless: frozenset[str]


@cache
def _lists() -> tuple[NotUsed, ...]:
    text = resources.files("natbacc.config").joinpath("not_pupil_data.toml").read_text(encoding="utf-8")
    return tuple(
        NotUsed(
            entry["what"],
            entry["reason"],
            tuple(frozenset(normalise_header(h) for h in group) for group in entry["when"]),
            frozenset(normalise_header(h) for h in entry.get("unless", [])),
        )
        for entry in tomllib.loads(text)["list"]
    )


def not_pupil_data(headings: list[str]) -> NotUsed | None:
    """The kind of not-pupil file a header row names, or None."""
    keys = {normalise_header(h) for h in headings} - {""}
    for entry in _lists():
        if keys & entry.unless:
            continue
        if any(group <= keys for group in entry.when):
            return entry
    return None


def not_used_issue(grid: Grid, what: str, reason: str) -> Issue:
    """The note that lists a file (or sheet) as not used, with the reason."""
    where = f"'{grid.file}'" + (f" sheet '{grid.sheet}'" if grid.sheet else "")
    return Issue(
        "info",
        f"Not used: {where} is {what}; {reason}.",
        file=grid.file,
        sheet=grid.sheet,
        code=IssueCode.NOT_USED,
    )
