"""The school calendar: how much teaching time of a year, and of a programme, has passed by a date.

Term dates are data (``[academic_year]`` in ``config/nbfe.toml``): the teaching periods between holidays
(half-terms by default) as recurring day/month pairs. Time is counted in school days (Monday to
Friday) inside those periods, so holidays and weekends do not make a pupil fall behind. Year groups
whose courses end early (Years 11 and 13 by default) have their year cut at that date. The first
``grace_half_terms`` teaching periods of each year are a grace period: nothing new is expected in
them, and the year's share of a target is pro-rated over the teaching time after it.

Pure: no pandas, no Settings; it reads the ``[academic_year]`` table as a plain mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})\s*$")
#: A reference school year for checking day/month pairs: September 2003 to August 2004 (2004 is a leap year).
_REF_AUTUMN, _REF_SPRING = 2003, 2004


class CalendarError(ValueError):
    """A term date that is not a real day, or periods out of order; the message names the setting."""


def parse_day_month(text: object, setting: str) -> tuple[int, int]:
    """``"31/05"`` -> ``(31, 5)``; anything else raises ``CalendarError`` naming ``setting``."""
    match = _DAY_MONTH.match(text) if isinstance(text, str) else None
    if match is None:
        raise CalendarError(f"Setting '{setting}' must be a day/month date like 31/05, not {text!r}.")
    day, month = int(match[1]), int(match[2])
    try:
        date(_REF_SPRING, month, day)  # a leap year, so 29/02 is accepted (and read as 28/02 in other years)
    except ValueError:
        raise CalendarError(f"Setting '{setting}' is not a real date: {text!r} (day/month).") from None
    return day, month


def _parse_period(text: object, setting: str) -> tuple[tuple[int, int], tuple[int, int]]:
    parts = text.split("-") if isinstance(text, str) else []
    if len(parts) != 2:
        raise CalendarError(f"Setting '{setting}' must list periods like 01/09-23/10 (first-last day), not {text!r}.")
    return parse_day_month(parts[0], setting), parse_day_month(parts[1], setting)


@dataclass(frozen=True)
class Calendar:
    """The school year's teaching periods as recurring dates (validated)."""

    start: tuple[int, int]  # (day, month) the school year starts
    periods: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    course_end: Mapping[int, tuple[int, int]]
    grace_periods: int

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> Calendar:
        """The calendar of an ``[academic_year]`` table; ``CalendarError`` names any bad setting."""
        for key in ("start_day", "start_month"):
            if not isinstance(table[key], int) or isinstance(table[key], bool):
                raise CalendarError(f"Setting 'academic_year.{key}' must be a whole number, not {table[key]!r}.")
        start = parse_day_month(f"{table['start_day']}/{table['start_month']}", "academic_year.start_day/start_month")
        where = "academic_year.half_terms"
        periods = tuple(_parse_period(p, where) for p in table["half_terms"])
        if not periods:
            raise CalendarError(f"Setting '{where}' needs at least one teaching period.")
        previous: date | None = None
        for (first, last), text in zip(periods, table["half_terms"], strict=True):
            a, b = _ref(first, start), _ref(last, start)
            if b < a or (previous is not None and a <= previous):
                raise CalendarError(
                    f"Setting '{where}': {text!r} is out of order (periods run from the start of the school "
                    f"year, {start[0]:02d}/{start[1]:02d}, each after the last)."
                )
            previous = b
        ends = {}
        for year, text in table["course_end"].items():
            if not str(year).isdigit():
                raise CalendarError(f"Setting 'academic_year.course_end' keys are year groups, not {year!r}.")
            ends[int(year)] = parse_day_month(text, f"academic_year.course_end.{year}")
        grace = table["grace_half_terms"]
        if isinstance(grace, bool) or not isinstance(grace, int) or grace > len(periods):
            raise CalendarError(
                f"Setting 'academic_year.grace_half_terms' must be a whole number from 0 to {len(periods)}, "
                f"not {grace!r}."
            )
        return cls(start, periods, ends, grace)

    def year_start(self, as_of: date) -> date:
        """The first day of the school year ``as_of`` falls in."""
        day, month = self.start
        return self.school_year_start(as_of.year if (as_of.month, as_of.day) >= (month, day) else as_of.year - 1)

    def school_year_start(self, school_year: int) -> date:
        """The first day of the school year that starts in the calendar year ``school_year``."""
        return _on(self.start, self.start, school_year)

    def teaching_periods(self, school_year: int, year_group: int | None = None) -> list[tuple[date, date]]:
        """The year starting in ``school_year``'s teaching periods (first and last day), cut at the year group's
        course end."""
        out = [
            (_on(first, self.start, school_year), _on(last, self.start, school_year)) for first, last in self.periods
        ]
        end = self.course_end.get(year_group) if year_group is not None else None
        if end is not None:
            cut = _on(end, self.start, school_year)
            out = [(a, min(b, cut)) for a, b in out if a <= cut]
        return out

    def progress(self, as_of: date, year_group: int | None = None) -> Progress:
        """How far through its school year ``as_of`` is for ``year_group``, in school days before ``as_of``."""
        periods = self.teaching_periods(self.year_start(as_of).year, year_group)
        days = [_busdays(a, b + timedelta(days=1)) for a, b in periods]
        done = [_busdays(a, min(max(as_of, a), b + timedelta(days=1))) for a, b in periods]
        grace = sum(days[: self.grace_periods])
        return Progress(total=sum(days), elapsed=sum(done), grace=grace)


@dataclass(frozen=True)
class Progress:
    """School days of one year: in all, before the date, and in the grace period at the start."""

    total: int
    elapsed: int
    grace: int

    @property
    def fraction(self) -> float:
        """Share of the year's teaching days gone, 0..1."""
        return min(self.elapsed / self.total, 1.0) if self.total else 1.0

    @property
    def in_grace(self) -> bool:
        """The date falls in the grace period (the first half-term by default)."""
        return self.elapsed < self.grace

    @property
    def expected_fraction(self) -> float:
        """Share of the year's target due by the date: 0 in the grace period, then pro-rated over the teaching
        days after it, reaching 1 on the year's (or the course's) last day."""
        after = self.total - self.grace
        if after <= 0:
            return 0.0 if self.in_grace else 1.0
        return min(max(self.elapsed - self.grace, 0) / after, 1.0)


def _ref(day_month: tuple[int, int], start: tuple[int, int]) -> date:
    day, month = day_month
    year = _REF_AUTUMN if (month, day) >= (start[1], start[0]) else _REF_SPRING
    return date(year, month, day)


def _on(day_month: tuple[int, int], start: tuple[int, int], school_year: int) -> date:
    """The day/month in the school year starting in ``school_year`` (29/02 is 28/02 outside leap years)."""
    day, month = day_month
    year = school_year if (month, day) >= (start[1], start[0]) else school_year + 1
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def _busdays(first: date, stop: date) -> int:
    """Monday-to-Friday days from ``first`` up to but not including ``stop`` (0 when ``stop`` is earlier)."""
    if stop <= first:
        return 0
    return int(np.busday_count(first, stop))
