"""Each pupil's NBfE programme as the award sees it: which one, when it started, when it ends, and how
much of its teaching time has gone.

The programmes are the Personal Development programmes of the rule set (``development.programmes``:
first and last year, hours target, category minimums), named and given tiers by ``award.programmes``.
Time is the school calendar's teaching days (``natbacc.calendar``), so a forecast at "the current
rate" is hours per teaching week, and holidays do not count against a pupil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from natbacc.settings import Settings
from natbacc.vocabulary import Tier


@dataclass(frozen=True)
class ProgrammeTime:
    """One year group's place in its programme on a date (the same for every pupil of the year)."""

    programme: str
    label: str
    first_year: int
    last_year: int
    tiers: tuple[Tier, ...]
    start: date
    deadline: date  # the last teaching day of the programme (its last year's course end)
    days_total: int  # teaching days in the whole programme
    days_elapsed: int  # teaching days before the as-of date
    in_grace: bool  # the as-of date is in the grace period at the start of the programme

    @property
    def weeks_elapsed(self) -> float:
        """Teaching weeks gone (five school days a week)."""
        return self.days_elapsed / 5

    @property
    def weeks_left(self) -> float:
        """Teaching weeks left before the deadline."""
        return max(self.days_total - self.days_elapsed, 0) / 5

    @property
    def ended(self) -> bool:
        """Every teaching day of the programme has gone."""
        return self.days_elapsed >= self.days_total


def award_programmes(settings: Settings) -> dict[str, dict[str, Any]]:
    """Programme name -> its development settings with the award's label and tiers added."""
    award = settings.award["programmes"]
    out: dict[str, dict[str, Any]] = {}
    for name, prog in settings.programmes.items():
        extra = award.get(name, {})
        tiers = tuple(Tier(t) for t in extra.get("tiers", [t.value for t in Tier]))
        out[name] = {**prog, "label": extra.get("label", name), "tiers": tiers}
    return out


def programme_times(settings: Settings, as_of: date, years: list[int]) -> dict[int, ProgrammeTime]:
    """Each year group's programme time on ``as_of`` (year groups in no programme are left out)."""
    cal = settings.calendar
    this_year = cal.year_start(as_of).year
    out: dict[int, ProgrammeTime] = {}
    for name, prog in award_programmes(settings).items():
        first, last = int(prog["first_year"]), int(prog["last_year"])
        for year in (y for y in years if first <= y <= last):
            start_year = this_year - (year - first)
            total = elapsed = 0
            deadline = cal.school_year_start(start_year)
            grace = False
            for k, group in enumerate(range(first, last + 1)):
                school_year = start_year + k
                periods = cal.teaching_periods(school_year, group)
                days = sum(int(np.busday_count(a, b + timedelta(days=1))) for a, b in periods)
                total += days
                if periods:
                    deadline = periods[-1][1]
                if school_year < this_year:
                    elapsed += days
                elif school_year == this_year:
                    progress = cal.progress(as_of, group)
                    elapsed += progress.elapsed
                    grace = k == 0 and progress.in_grace
            out[year] = ProgrammeTime(
                name,
                str(prog["label"]),
                first,
                last,
                prog["tiers"],
                cal.school_year_start(start_year),
                deadline,
                total,
                elapsed,
                grace,
            )
    return out


def long_date(day: date) -> str:
    """ "23 May 2027" (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def lookup(years: pd.Series, table: dict[int, Any], default: Any = np.nan) -> np.ndarray:
    """``table[year]`` for each pupil's year group, ``default`` where the year is missing or not in it.

    Values may be tuples or dates: each is placed as one object (a loop over the distinct years).
    """
    keys = years.astype("float64").to_numpy()
    values = np.empty(len(table) + 1, dtype=object)
    codes = np.full(len(keys), len(table))
    for i, (year, value) in enumerate(table.items()):
        values[i] = value
        codes[keys == year] = i
    values[len(table)] = default
    out: np.ndarray = values[codes]
    return out
