"""One options run, as the CLI and the dashboard both do it: design (or take) the blocks, then analyse them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from natbacc.options.analyse import Analysis, analyse
from natbacc.options.instance import Design, Rules, Season
from natbacc.options.solve import Progress, solve
from natbacc.settings import Settings

#: Seconds to place pupils in a given design: the assignment alone is small and nearly always proved best.
ANALYSIS_SECONDS = 20.0


def design_blocks(
    season: Season,
    rules: Rules,
    *,
    time_limit: float,
    settings: Settings | None = None,
    workers: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    start: Design | None = None,
) -> Analysis:
    """The best design found in ``time_limit`` seconds, analysed pupil by pupil (``start``: the school's design,
    a starting point for the search)."""
    solution = solve(
        season, rules, time_limit=time_limit, workers=workers, on_progress=on_progress, stop=stop, start=start
    )
    return _analysed(season, solution, rules, settings)


def analyse_design(
    season: Season,
    design: Design,
    rules: Rules,
    *,
    time_limit: float = ANALYSIS_SECONDS,
    settings: Settings | None = None,
    workers: int | None = None,
) -> Analysis:
    """Each pupil's best placement in the school's ``design``, analysed."""
    solution = solve(season, rules, design=design, time_limit=time_limit, workers=workers)
    return _analysed(season, solution, rules, settings)


def _analysed(season: Season, solution: Any, rules: Rules, settings: Settings | None) -> Analysis:
    settings = settings or Settings.default()
    return analyse(season, solution, min_class=rules.min_class, min_group_size=int(settings.equity["min_group_size"]))


def as_json(analysis: Analysis) -> dict[str, Any]:
    """The CLI's ``--json`` document (the issue's contract: nothing more, nothing less)."""
    return {
        "pupils": len(analysis.pupils),
        "blocks": analysis.blocks_as_labels(),
        "placed": analysis.placed_by_pupil(),
        "fully_placed": analysis.fully_placed,
        "bound": analysis.solution.bound,
    }
