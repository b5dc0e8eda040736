"""The few rules the importer uses, taken from the NBfE settings once, at the importer's door.

Reading files depends only on these: the timetable cycle (to turn periods per week or fortnight into
periods per cycle, and to question more periods than the cycle has), and the words schools use for
project stages and PDP categories. Everything else in ``Settings`` (thresholds, weights, equity, ...)
only changes the scoring, so a dashboard keyed on ``ImportRules`` re-scores without re-reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from natbacc.settings import Settings


@dataclass(frozen=True)
class ImportRules:
    """What the importer reads from the rule set; its ``repr`` is a cache key for an import."""

    #: Weeks in one timetable cycle.
    cycle_weeks: int
    #: Timetable periods in one cycle.
    periods_per_cycle: int
    #: Project stage -> the other words schools use for it.
    stage_aliases: dict[str, list[str]]
    #: PDP category (the scored ones, then the extra ones) -> the other words schools use for it.
    category_aliases: dict[str, list[str]]

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportRules:
        """The import rules of a rule set."""
        dev = settings.development
        return cls(
            cycle_weeks=settings.cycle_weeks,
            periods_per_cycle=settings.periods_per_cycle,
            stage_aliases={stage: list(names) for stage, names in settings.project["stage_aliases"].items()},
            category_aliases={
                c: list(dev["category_aliases"].get(c, [])) for c in [*dev["categories"], *dev["extra_categories"]]
            },
        )

    @classmethod
    def default(cls) -> ImportRules:
        """The import rules of the shipped settings."""
        from natbacc.settings import Settings

        return cls.from_settings(Settings.default())
