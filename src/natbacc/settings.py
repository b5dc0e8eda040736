"""The NBfE rule set: defaults from ``config/nbfe.toml``, overridable per school.

Settings are data, not code: targets, thresholds and expected areas live in a TOML file whose
every default cites its source. A school overrides any subset with its own TOML (``--settings``)
or in the dashboard; ``Settings`` validates overrides against the defaults so a typo is reported
instead of silently ignored.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """An override names an unknown setting or gives a value of the wrong type."""


@cache
def _default_data() -> dict[str, Any]:
    text = resources.files("natbacc.config").joinpath("nbfe.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def default_settings_text() -> str:
    """The default rule set file, comments and sources included (for download and docs)."""
    return resources.files("natbacc.config").joinpath("nbfe.toml").read_text(encoding="utf-8")


#: Tables whose keys are names a school chooses (year groups, categories), so new keys are allowed.
_OPEN_TABLES = frozenset(
    {
        "project.stage_aliases",
        "project.expected_stage_by_year",
        "development.category_aliases",
        "development.target_hours_per_year",
        "core_learning.ks3_reference_periods",
    }
)


def _merge(base: dict[str, Any], override: dict[str, Any], path: str = "") -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if key not in base:
            if path in _OPEN_TABLES:
                out[key] = value
                continue
            known = ", ".join(sorted(base)) or "none"
            raise SettingsError(f"Unknown setting '{where}'. Known settings here: {known}.")
        current = base[key]
        if isinstance(current, dict):
            if not isinstance(value, dict):
                raise SettingsError(f"Setting '{where}' must be a table of values, not {value!r}.")
            out[key] = _merge(current, value, where)
        elif isinstance(current, bool) != isinstance(value, bool) or (
            isinstance(current, (int, float)) and not isinstance(value, (int, float))
        ):
            raise SettingsError(f"Setting '{where}' must be a number like {current!r}, not {value!r}.")
        elif isinstance(current, str) and not isinstance(value, str):
            raise SettingsError(f"Setting '{where}' must be text like {current!r}, not {value!r}.")
        elif isinstance(current, list) and not isinstance(value, list):
            raise SettingsError(f"Setting '{where}' must be a list like {current!r}, not {value!r}.")
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Settings:
    """A validated NBfE rule set. ``data`` mirrors the TOML structure."""

    data: dict[str, Any]

    @classmethod
    def default(cls) -> Settings:
        """The shipped defaults."""
        return cls(copy.deepcopy(_default_data()))

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any] | None = None) -> Settings:
        """Defaults with ``overrides`` merged in (validated)."""
        return cls(_merge(_default_data(), overrides or {}))

    @classmethod
    def from_file(cls, path: str | Path) -> Settings:
        """Defaults with a school's TOML file merged in."""
        try:
            overrides = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{Path(path).name}: not a valid TOML settings file ({exc}).") from exc
        return cls.from_overrides(overrides)

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        """A copy with more overrides applied."""
        return Settings(_merge(self.data, overrides))

    def __hash__(self) -> int:  # Settings are used as cache keys by the dashboard.
        return hash(repr(self.data))

    # Convenience accessors for the values the core reads most.
    @property
    def periods_per_cycle(self) -> int:
        """Timetable periods in one cycle."""
        return int(self.data["timetable"]["periods_per_cycle"])

    @property
    def cycle_weeks(self) -> int:
        """Weeks in one timetable cycle."""
        return int(self.data["timetable"]["cycle_weeks"])

    @property
    def core(self) -> dict[str, Any]:
        """The [core_learning] table."""
        return self.data["core_learning"]

    @property
    def project(self) -> dict[str, Any]:
        """The [project] table."""
        return self.data["project"]

    @property
    def development(self) -> dict[str, Any]:
        """The [development] table."""
        return self.data["development"]

    @property
    def status(self) -> dict[str, Any]:
        """The [status] table."""
        return self.data["status"]

    @property
    def equity(self) -> dict[str, Any]:
        """The [equity] table."""
        return self.data["equity"]

    def academic_year_start(self, as_of: date) -> date:
        """The first day of the school year ``as_of`` falls in."""
        ay = self.data["academic_year"]
        year = as_of.year if (as_of.month, as_of.day) >= (ay["start_month"], ay["start_day"]) else as_of.year - 1
        return date(year, ay["start_month"], ay["start_day"])

    def academic_year_fraction(self, as_of: date) -> float:
        """How far through the school year ``as_of`` is, 0..1 (targets are pro-rated by it)."""
        ay = self.data["academic_year"]
        start = self.academic_year_start(as_of)
        end = date(start.year + 1, ay["end_month"], ay["end_day"])
        return min(max((as_of - start).days / max((end - start).days, 1), 0.0), 1.0)

    def rows(self) -> list[tuple[str, str]]:
        """Flattened ``(setting, value)`` pairs, for the export's Settings sheet."""
        out: list[tuple[str, str]] = []

        def walk(node: dict[str, Any], prefix: str) -> None:
            for key, value in node.items():
                name = f"{prefix}.{key}" if prefix else key
                if isinstance(value, dict):
                    walk(value, name)
                else:
                    out.append((name, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))

        walk(self.data, "")
        return out
