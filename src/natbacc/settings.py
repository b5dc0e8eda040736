"""The NBfE rule set: defaults from ``config/nbfe.toml``, overridable per school.

Settings are data, not code: targets, thresholds and expected areas live in a TOML file whose
every default cites its source. A school overrides any subset with its own TOML (``--settings``)
or in the dashboard; ``Settings`` validates overrides against the defaults so a typo is reported
instead of silently ignored.
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
import warnings
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from natbacc.calendar import Calendar, CalendarError


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
        "development.programmes.ks3_ks4.min_category_hours",
        "development.programmes.post16.min_category_hours",
        "academic_year.course_end",
        "development.programmes",
        "award.programmes",
        "core_learning.ks3_reference_periods",
    }
)


#: Settings earlier releases had, which this one no longer reads, and what replaced them. A rule set that names
#: one (a school's file, or one kept with a stored term) still loads: the value is ignored, with a warning.
RETIRED_SETTINGS = {
    "academic_year.end_month": "the year ends with the last of academic_year.half_terms",
    "academic_year.end_day": "the year ends with the last of academic_year.half_terms",
    "development.target_hours_per_year": (
        "Personal Development is measured over a programme: development.programmes.*.target_hours"
    ),
}


def _merge(base: dict[str, Any], override: dict[str, Any], path: str = "") -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if where in RETIRED_SETTINGS:
            warnings.warn(
                f"Setting '{where}' is no longer used and was ignored ({RETIRED_SETTINGS[where]}).",
                UserWarning,
                stacklevel=2,
            )
            continue
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


#: No NBfE setting (hours, periods, percentages, pupils) comes near this; beyond it a value is a typo or an attack.
MAX_SETTING_NUMBER = 1_000_000


def _check_numbers(node: object, where: str = "") -> None:
    """Every number in the rule set is finite and between 0 and ``MAX_SETTING_NUMBER``, on every path in.

    TOML accepts ``inf`` and ``nan``; ``periods_per_cycle = inf`` once made every timetable unreadable.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            _check_numbers(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for value in node:
            _check_numbers(value, where)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        if not math.isfinite(node):
            raise SettingsError(f"Setting '{where}' must be a finite number, not {node!r}.")
        if not 0 <= node <= MAX_SETTING_NUMBER:
            raise SettingsError(f"Setting '{where}' must be between 0 and {MAX_SETTING_NUMBER:,}, not {node!r}.")


def _check(data: dict[str, Any]) -> dict[str, Any]:
    """Cross-field rules the type check cannot see: numbers in range, known area names, thresholds in order."""
    from natbacc.model import AREAS  # model has no dependencies; imported here to keep this module light

    _check_numbers(data)
    core = data["core_learning"]
    for key in ("areas", "entitlement_areas"):
        unknown = [a for a in core[key] if a not in AREAS]
        if unknown:
            raise SettingsError(
                f"Setting 'core_learning.{key}' names unknown areas: {', '.join(unknown)}. "
                f"Areas are: {', '.join(AREAS)}."
            )
    slots = [part for slot in core["ks4_core"] for part in slot.split("|")]
    if unknown := [a for a in slots if a not in AREAS]:
        raise SettingsError(f"Setting 'core_learning.ks4_core' names unknown areas: {', '.join(unknown)}.")
    known = set(_default_data()["core_learning"]["ks3_statutory"])
    if unknown := [a for a in core["ks3_statutory"] if a not in known]:
        raise SettingsError(
            f"Setting 'core_learning.ks3_statutory' names unknown subjects: {', '.join(unknown)}. "
            f"Known: {', '.join(sorted(known))}."
        )
    status = data["status"]
    if not 0 <= status["off_track"] <= status["on_track"] <= 100:
        raise SettingsError(
            "Settings 'status.off_track' and 'status.on_track' must satisfy 0 <= off_track <= on_track <= 100 "
            f"(got {status['off_track']} and {status['on_track']})."
        )
    if not data["project"]["stages"]:
        raise SettingsError("Setting 'project.stages' needs at least one stage.")
    if data["timetable"]["periods_per_cycle"] <= 0:
        raise SettingsError("Setting 'timetable.periods_per_cycle' must be above zero.")
    try:
        Calendar.from_table(data["academic_year"])
    except CalendarError as exc:
        raise SettingsError(str(exc)) from None
    _check_programmes(data["development"])
    _check_award(data["award"])
    k = data["privacy"]["k_anonymity"]
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise SettingsError(f"Setting 'privacy.k_anonymity' must be a whole number of 2 or more, not {k!r}.")
    return data


def _check_programmes(dev: dict[str, Any]) -> None:
    """Personal Development programmes: whole year groups, first <= last, no year in two programmes,
    minimum hours only for known categories."""
    seen: dict[int, str] = {}
    known = [*dev["categories"], *dev["extra_categories"]]
    for name, prog in dev["programmes"].items():
        where = f"development.programmes.{name}"
        if not isinstance(prog, dict) or {"first_year", "last_year", "target_hours"} - prog.keys():
            raise SettingsError(
                f"Setting '{where}' must be a table with first_year, last_year and target_hours "
                "(a school's own programme, e.g. Years 7 to 9)."
            )
        prog.setdefault("min_category_hours", {})
        if isinstance(prog["target_hours"], bool) or not isinstance(prog["target_hours"], int | float):
            raise SettingsError(f"Setting '{where}.target_hours' must be a number of hours.")
        first, last = prog["first_year"], prog["last_year"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)) or not first <= last:
            raise SettingsError(
                f"Settings '{where}.first_year' and '{where}.last_year' must be whole year groups with "
                f"first_year <= last_year (got {first!r} and {last!r})."
            )
        for year in range(first, last + 1):
            if year in seen:
                raise SettingsError(f"Year {year} is in two programmes: '{seen[year]}' and '{where}'.")
            seen[year] = where
        if unknown := [c for c in prog["min_category_hours"] if c not in known]:
            raise SettingsError(
                f"Setting '{where}.min_category_hours' names unknown categories: {', '.join(unknown)}. "
                f"Categories are: {', '.join(known)}."
            )


_TIERS = ("entry", "foundation", "intermediate", "advanced")


def _check_award(award: dict[str, Any]) -> None:
    """The award's registration rule, tiers and programmes: known words, levels 0-3."""
    if award["registration"] not in ("everyone", "column"):
        raise SettingsError(
            f'Setting \'award.registration\' must be "everyone" or "column", not {award["registration"]!r}.'
        )
    for name, tier in award["tiers"].items():
        if tier["level"] not in (0, 1, 2, 3):
            raise SettingsError(f"Setting 'award.tiers.{name}.level' must be 0 (Entry), 1, 2 or 3.")
    for name, prog in award["programmes"].items():
        if not isinstance(prog, dict):
            raise SettingsError(f"Setting 'award.programmes.{name}' must be a table with a label and tiers.")
        tiers = prog.get("tiers", list(_TIERS))
        unknown = [t for t in tiers if t not in _TIERS] if isinstance(tiers, list) else [repr(tiers)]
        if unknown:
            raise SettingsError(
                f"Setting 'award.programmes.{name}.tiers' names unknown tiers ({', '.join(map(str, unknown))}). "
                f"Tiers are: {', '.join(_TIERS)}."
            )


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
        return cls(_check(_merge(_default_data(), overrides or {})))

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
        return Settings(_check(_merge(self.data, overrides)))

    def __hash__(self) -> int:  # Settings are used as cache keys by the dashboard.
        return hash(repr(self.data))

    def _table(self, name: str) -> dict[str, Any]:
        # Every top-level table is a TOML table: the defaults are, and _merge refuses an override that is not.
        table: dict[str, Any] = self.data[name]
        return table

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
        return self._table("core_learning")

    @property
    def project(self) -> dict[str, Any]:
        """The [project] table."""
        return self._table("project")

    @property
    def development(self) -> dict[str, Any]:
        """The [development] table."""
        return self._table("development")

    @property
    def status(self) -> dict[str, Any]:
        """The [status] table."""
        return self._table("status")

    @property
    def equity(self) -> dict[str, Any]:
        """The [equity] table."""
        return self._table("equity")

    @property
    def privacy(self) -> dict[str, Any]:
        """The [privacy] table (pseudonymised exports)."""
        return self._table("privacy")

    @property
    def award(self) -> dict[str, Any]:
        """The [award] table (NBfE programmes, tiers, certificates)."""
        return self._table("award")

    @property
    def calendar(self) -> Calendar:
        """The school calendar: term dates, course ends and the grace period (``[academic_year]``)."""
        return _calendar(repr(self.data["academic_year"]), self.data["academic_year"])

    @property
    def programmes(self) -> dict[str, dict[str, Any]]:
        """The Personal Development programmes (``[development.programmes.*]``), by name."""
        programmes: dict[str, dict[str, Any]] = self.development["programmes"]
        return programmes

    def academic_year_start(self, as_of: date) -> date:
        """The first day of the school year ``as_of`` falls in."""
        return self.calendar.year_start(as_of)

    def academic_year_fraction(self, as_of: date, year_group: int | None = None) -> float:
        """How much of the school year's teaching time has gone by ``as_of``, 0..1 (school days in the term
        dates, before ``as_of``; cut at the year group's course end)."""
        return self.calendar.progress(as_of, year_group).fraction

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

    def to_toml(self) -> str:
        """The rule set as a TOML file a school can keep, edit and load again (``--settings``)."""
        return "# natbacc NBfE rule set (all values; comments and sources: natbacc's config/nbfe.toml)\n" + (
            tomli_w.dumps(self.data)
        )

    def with_rows(self, edited: dict[str, str]) -> Settings:
        """A copy with settings given as ``rows()`` text ("a, b, c" for lists) applied and validated.

        This is how the dashboard's settings tables come back: every value as text. Each is parsed to
        the type of the value it replaces; a bad value raises ``SettingsError`` naming the setting.
        """
        current = dict(self.rows())
        overrides: dict[str, Any] = {}
        for name, text in edited.items():
            if current.get(name) == str(text).strip():
                continue
            node: dict[str, Any] = overrides
            *path, leaf = name.split(".")
            for part in path:
                node = node.setdefault(part, {})
            node[leaf] = _parse_value(name, str(text), self._value_at(name))
        return self.with_overrides(overrides) if overrides else self

    def _value_at(self, name: str) -> Any:
        node: Any = self.data
        *path, leaf = name.split(".")
        for part in path:
            if not isinstance(node, dict) or part not in node:
                raise SettingsError(f"Unknown setting '{name}'.")
            node = node[part]
        if leaf in node:
            return node[leaf]
        siblings = list(node.values())  # a new key in an open table takes its siblings' type
        if ".".join(path) in _OPEN_TABLES and siblings:
            return siblings[0]
        raise SettingsError(f"Unknown setting '{name}'.")


_CALENDARS: dict[str, Calendar] = {}


def _calendar(key: str, table: dict[str, Any]) -> Calendar:
    """The parsed calendar of an ``[academic_year]`` table, parsed once per distinct table."""
    calendar = _CALENDARS.get(key)
    if calendar is None:
        calendar = Calendar.from_table(table)
        if len(_CALENDARS) > 64:  # the dashboard's edits make a new table each time
            _CALENDARS.clear()
        _CALENDARS[key] = calendar
    return calendar


_TRUE, _FALSE = {"true", "yes", "y", "1", "on"}, {"false", "no", "n", "0", "off"}


def _parse_value(name: str, text: str, like: Any) -> Any:
    """``text`` as a value of the same type as ``like`` (the default it overrides)."""
    text = text.strip()
    if isinstance(like, bool):
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise SettingsError(f"Setting '{name}' must be true or false, not '{text}'.")
    if isinstance(like, (int, float)):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise SettingsError(f"Setting '{name}' must be a number like {like!r}, not '{text}'.") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise SettingsError(f"Setting '{name}' must be a finite number, not '{text}'.")
        if number < 0:
            raise SettingsError(f"Setting '{name}' cannot be negative ('{text}').")
        return int(number) if isinstance(like, int) and number.is_integer() else number
    if isinstance(like, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


_KEY_LINE = re.compile(r'^\s*("[^"]+"|[A-Za-z0-9_\-]+)\s*=')
_TABLE_LINE = re.compile(r"^\s*\[([^\]]+)\]\s*$")


@cache
def setting_notes() -> dict[str, str]:
    """What each default setting means and where it comes from: the comments above it in ``nbfe.toml``.

    Keys are table names ("core_learning.min_areas" covers all three of its values) and dotted
    settings; ``note_for`` picks the most specific one. Shown beside every value in the dashboard so
    a coordinator can see why a threshold is what it is before changing it.
    """
    notes: dict[str, str] = {}
    table, pending, current = "", [], ""
    for line in default_settings_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        if match := _TABLE_LINE.match(line):
            table, pending, current = match[1].strip(), [], ""
            continue
        if (match := _KEY_LINE.match(line)) and table:
            # A comment covers the run of keys under it, up to the next blank line or comment.
            if pending:
                current, pending = " ".join(pending), []
            if current:
                notes[f"{table}.{match[1].strip(chr(34))}"] = current
        elif not stripped:
            pending, current = [], ""
    return notes


def note_for(name: str) -> str:
    """The source note of a dotted setting, or of the nearest table that has one."""
    notes = setting_notes()
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if (note := notes.get(".".join(parts[:end]))) is not None:
            return note
    return ""
