"""The block designer and the best assignment under a design: one CP-SAT model, solved in two stages.

Why CP-SAT (OR-Tools): the design is integer through and through (classes per subject per block,
pupils per class), CP-SAT proves bounds as it searches (so natbacc can say how far a design is from
the best possible), runs with a time limit, reports every better design as it finds it, and is a
maintained wheel on the package index with no external solver to install.

The model, per group of pupils with identical choices (``Season.groups``):

* ``classes[s, b]``: classes of subject ``s`` in block ``b`` (free when designing, fixed when analysing).
* ``full[g]``: pupils of the group who get every choice, and ``on_full[g, i, b]`` of them taking choice
  ``i`` in block ``b``. Each choice is taken by exactly ``full[g]`` of them and each block by at most
  ``full[g]``; by König's edge-colouring theorem such counts split into ``full[g]`` individual timetables,
  each with every choice in its own block, so this counts fully placed pupils exactly.
* ``on_part[g, i, b]``: the group's other pupils taking choice or reserve ``i`` in block ``b`` (each
  choice and each block at most once per pupil, by the same theorem).
* Class sizes: pupils in ``s`` in block ``b`` are at most ``class size × classes[s, b]`` and, when
  designing, at least ``minimum to run × classes[s, b]`` (a class the school could not run is not drawn).

The objective is lexicographic, in the issue's order, by staged solves rather than one weighted sum:
stage 1 maximises the pupils who get all their choices, so the solver's bound is a bound on exactly that
number (a weighted sum would only bound the mixture); stage 2 keeps that number and places the rest,
with weights that make every entitlement-area subject (a choice, or a reserve in an area the pupil chose)
worth more than all other placements together, and a choice worth more than a reserve. Whether each
pupil keeps every area they chose is then measured exactly, pupil by pupil, in ``natbacc.options.analyse``.
Balanced class sizes come last: classes are filled evenly when the pupils are put into class lists.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from natbacc.options.instance import Design, Rules, Season

#: Share of the time limit for stage 1 (all choices); stage 2 (everything else) gets the rest.
STAGE_ONE_SHARE = 0.8
#: Most seconds for stage 2 under a given design (its stage 1 is typically proved in well under a second).
GIVEN_DESIGN_STAGE_TWO = 3.0


@dataclass(frozen=True)
class Progress:
    """A better design found while searching: what it achieves and the best any design could."""

    seconds: float
    fully_placed: int
    bound: int
    design: Design


@dataclass
class Solution:
    """A design with how many pupils of each group take each choice in each block."""

    design: Design
    full: list[int]
    on_full: dict[tuple[int, int, int], int]  # (group, choice position, block) -> pupils
    on_part: dict[tuple[int, int, int], int]  # (group, position in choices + reserves, block) -> pupils
    fully_placed: int
    bound: int | None
    optimal: bool
    seconds: float
    stopped: bool = False
    given_design: bool = False  # the school's design, analysed (the bound is then within that design)
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (seconds, fully placed, bound)

    @property
    def more_possible(self) -> int | None:
        """At most how many more pupils any design could give all their choices (None: unknown)."""
        return None if self.bound is None else max(0, self.bound - self.fully_placed)


#: CP-SAT runs a portfolio of different strategies, one per worker; with fewer than 8 it drops the ones
#: that found the best designs here (large-neighbourhood search beside the core-based bound search), so
#: 8 workers share however many cores there are: on 2 cores they found a perfect design for 240 pupils in
#: 19 s where 2 workers had 229 of 240 after 30 s (benchmarks/options.py).
DEFAULT_WORKERS = 8


def default_workers() -> int:
    """Solver workers: ``NATBACC_SOLVER_WORKERS`` if set, else ``DEFAULT_WORKERS``."""
    configured = os.environ.get("NATBACC_SOLVER_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return DEFAULT_WORKERS


class _Model:
    """The CP-SAT model of one season under one set of rules, or under one fixed design."""

    def __init__(self, season: Season, rules: Rules, design: Design | None) -> None:
        self.season, self.rules, self.fixed_design = season, rules, design
        self.m = cp_model.CpModel()
        n_subjects = len(season.subjects)
        self.n_blocks = len(design.blocks) if design is not None else rules.blocks
        blocks = range(self.n_blocks)
        self.classes: dict[tuple[int, int], cp_model.IntVar | int] = {}
        capacity: dict[tuple[int, int], cp_model.LinearExprT] = {}
        minimum: dict[tuple[int, int], cp_model.LinearExprT] = {}
        if design is not None:
            for s in range(n_subjects):
                for b in blocks:
                    self.classes[s, b] = design.classes(s, b)
                    capacity[s, b] = design.capacity(s, b)
        else:
            most = rules.classes_for(season)
            for s in range(n_subjects):
                for b in blocks:
                    var = self.m.new_int_var(0, most[s], f"classes_{s}_{b}")
                    self.classes[s, b] = var
                    capacity[s, b] = rules.class_size * var
                    minimum[s, b] = rules.min_class * var
                self.m.add(sum(self.classes[s, b] for b in blocks) <= most[s])
            for s, b in rules.fixed:
                self.m.add(self.classes[s, b] >= 1)
            for s, t in rules.apart:
                for b in blocks:
                    both = self.m.new_bool_var(f"apart_{s}_{t}_{b}")
                    self.m.add(self.classes[s, b] == 0).only_enforce_if(both.Not())
                    self.m.add(self.classes[t, b] == 0).only_enforce_if(both)
            if not rules.fixed:  # blocks are interchangeable: look only at designs with busier blocks first
                loads = [sum(self.classes[s, b] for s in range(n_subjects)) for b in blocks]
                for b in range(self.n_blocks - 1):
                    self.m.add(loads[b] >= loads[b + 1])

        taking: dict[tuple[int, int], list[cp_model.IntVar]] = {(s, b): [] for s in range(n_subjects) for b in blocks}
        self.full: list[cp_model.IntVar] = []
        self.on_full: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.on_part: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.part_weights: dict[tuple[int, int, int], int] = {}
        total_places = sum(g.size * (len(g.choices) + len(g.reserves)) for g in season.groups)
        heavy = 2 * total_places + 1
        for gi, group in enumerate(season.groups):
            n = group.size
            can_fill = len(group.choices) <= self.n_blocks
            full = self.m.new_int_var(0, n if can_fill else 0, f"full_{gi}")
            self.full.append(full)
            part = n - full
            for i, s in enumerate(group.choices):
                here = []
                for b in blocks:
                    if design is not None and capacity[s, b] == 0:
                        continue
                    var = self.m.new_int_var(0, n, f"f_{gi}_{i}_{b}")
                    self.on_full[gi, i, b] = var
                    taking[s, b].append(var)
                    here.append(var)
                self.m.add(sum(here) == full)
            for b in blocks:
                in_block = [self.on_full[gi, i, b] for i in range(len(group.choices)) if (gi, i, b) in self.on_full]
                if len(in_block) > 1:
                    self.m.add(sum(in_block) <= full)
            chosen_areas = {season.subjects[s].entitlement for s in group.choices} - {""}
            every = (*group.choices, *group.reserves)
            for i, s in enumerate(every):
                here = []
                is_reserve = i >= len(group.choices)
                area = season.subjects[s].entitlement
                weight = heavy if area and (not is_reserve or area in chosen_areas) else 1 if is_reserve else 2
                for b in blocks:
                    if design is not None and capacity[s, b] == 0:
                        continue
                    var = self.m.new_int_var(0, n, f"p_{gi}_{i}_{b}")
                    self.on_part[gi, i, b] = var
                    self.part_weights[gi, i, b] = weight
                    taking[s, b].append(var)
                    here.append(var)
                if here:
                    self.m.add(sum(here) <= part)
            for b in blocks:
                in_block = [self.on_part[gi, i, b] for i in range(len(every)) if (gi, i, b) in self.on_part]
                if len(in_block) > 1:
                    self.m.add(sum(in_block) <= part)
        for (s, b), vars_ in taking.items():
            if not vars_:
                continue
            pupils = sum(vars_)
            self.m.add(pupils <= capacity[s, b])
            if (s, b) in minimum:
                self.m.add(pupils >= minimum[s, b])
        self.fully_placed = sum(self.full)

    def design_of(self, value: Callable[[cp_model.IntVar], int]) -> Design:
        if self.fixed_design is not None:
            return self.fixed_design
        blocks: list[list[int]] = []
        for b in range(self.n_blocks):
            row: list[int] = []
            for s in range(len(self.season.subjects)):
                count = self.classes[s, b]
                row += [s] * (count if isinstance(count, int) else value(count))
            blocks.append(row)
        return Design.uniform(blocks, self.rules.class_size)

    def solution(self, solver: cp_model.CpSolver, bound: int | None, optimal: bool, started: float) -> Solution:
        value = solver.value
        return Solution(
            design=self.design_of(value),
            full=[int(value(v)) for v in self.full],
            on_full={k: int(value(v)) for k, v in self.on_full.items() if value(v)},
            on_part={k: int(value(v)) for k, v in self.on_part.items() if value(v)},
            fully_placed=int(sum(value(v) for v in self.full)),
            bound=bound,
            optimal=optimal,
            seconds=time.monotonic() - started,
            given_design=self.fixed_design is not None,
        )


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each better stage-1 design and stops the search when asked."""

    def __init__(
        self,
        model: _Model,
        started: float,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
    ) -> None:
        super().__init__()
        self.model, self.started, self.on_progress, self.stop = model, started, on_progress, stop
        self.timeline: list[tuple[float, int, int]] = []

    def on_solution_callback(self) -> None:
        found = int(self.objective_value)
        bound = math.floor(self.best_objective_bound + 1e-6)
        seconds = time.monotonic() - self.started
        self.timeline.append((seconds, found, bound))
        if self.on_progress is not None:
            self.on_progress(Progress(seconds, found, bound, self.model.design_of(self.value)))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def greedy_design(season: Season, rules: Rules) -> list[list[int]]:
    """Classes per subject per block, drawn the way a timetabler starts: fixed subjects first, then the most
    chosen, each class into the block where it clashes least with the classes already there (pupils
    choosing both, shared among each subject's classes), emptier blocks first on a tie. Blocks are then
    ordered busiest first (the model's symmetry rule). A starting point for the search, never the answer.
    """
    n, blocks = len(season.subjects), rules.blocks
    together = [[0] * n for _ in range(n)]
    for group in season.groups:
        for s in group.choices:
            for t in group.choices:
                if s != t:
                    together[s][t] += group.size
    most = rules.classes_for(season)
    demand = season.demand()
    counts = [[0] * blocks for _ in range(n)]
    load = [0] * blocks
    for s, b in rules.fixed:
        if counts[s][b] == 0 and sum(counts[s]) < most[s]:
            counts[s][b] += 1
            load[b] += 1
    for s in sorted(range(n), key=lambda k: -demand[k]):
        for _ in range(most[s] - sum(counts[s])):

            def cost(b: int, s: int = s) -> tuple[float, int]:
                clash = sum(together[s][t] * counts[t][b] / max(1, most[t]) for t in range(n) if t != s)
                return (clash + demand[s] * counts[s][b] / max(1, most[s]), load[b])

            b = min(range(blocks), key=cost)
            counts[s][b] += 1
            load[b] += 1
    if not rules.fixed:
        order = sorted(range(blocks), key=lambda b: -load[b])
        counts = [[row[b] for b in order] for row in counts]
    return counts


def _warm_start(
    model: _Model, season: Season, rules: Rules, seconds: float, workers: int, started: float
) -> Solution | None:
    """Hint the search with the timetabler's first draft and its best placement of pupils.

    CP-SAT's first designs are otherwise poor (it starts from nobody placed); a complete starting point,
    draft and placements together, lets it improve on a sensible design from the first second.
    """
    counts = greedy_design(season, rules)
    draft = Design.uniform(
        [[s for s in range(len(counts)) for _ in range(counts[s][b])] for b in range(rules.blocks)], rules.class_size
    )
    warm = _Model(season, rules, draft)
    warm.m.maximize(warm.fully_placed)
    solver = _solver(seconds, workers)
    if solver.solve(warm.m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    for (s, b), var in model.classes.items():
        if not isinstance(var, int):
            model.m.add_hint(var, counts[s][b])
    for gi, var in enumerate(model.full):
        model.m.add_hint(var, solver.value(warm.full[gi]))
    for key, var in model.on_full.items():
        model.m.add_hint(var, solver.value(warm.on_full[key]) if key in warm.on_full else 0)
    for key, var in model.on_part.items():
        model.m.add_hint(var, solver.value(warm.on_part[key]) if key in warm.on_part else 0)
    draft_solution = warm.solution(solver, None, False, started)
    draft_solution.given_design = False
    return draft_solution


def _solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1  # the same choices give the same design
    return solver


def solve(
    season: Season,
    rules: Rules,
    *,
    design: Design | None = None,
    time_limit: float = 30.0,
    workers: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Solution:
    """The best design found within ``time_limit`` seconds (or, with ``design``, the best assignment under it).

    ``on_progress`` hears of every better design (the best so far is always usable); setting ``stop``
    ends the search early with the best found. Raises ``ValueError`` if no design can be found at all
    (the rules contradict each other).
    """
    started = time.monotonic()
    workers = workers or default_workers()
    model = _Model(season, rules, design)
    draft = None
    if design is None:
        draft = _warm_start(model, season, rules, min(5.0, max(0.5, time_limit * 0.1)), workers, started)
        if draft is not None and on_progress is not None:
            on_progress(Progress(time.monotonic() - started, draft.fully_placed, season.pupil_count, draft.design))
    model.m.maximize(model.fully_placed)
    solver = _solver(time_limit * STAGE_ONE_SHARE, workers)
    watcher = _Watcher(model, started, on_progress, stop)
    status = solver.solve(model.m, watcher)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if draft is not None and status != cp_model.INFEASIBLE:  # out of time: the draft is the best so far
            draft.seconds = time.monotonic() - started
            return draft
        raise ValueError(_why_not(status))
    bound = min(season.pupil_count, math.floor(solver.best_objective_bound + 1e-6))
    first = model.solution(solver, bound, status == cp_model.OPTIMAL, started)
    first.timeline = watcher.timeline
    first.stopped = bool(stop is not None and stop.is_set())
    if first.stopped:
        return first

    # Stage 2: keep everyone who got all their choices; place the others' choices and reserves.
    for v in [*model.full, *model.on_full.values(), *model.on_part.values()]:
        model.m.add_hint(v, solver.value(v))
    for c in model.classes.values():
        if not isinstance(c, int):
            model.m.add_hint(c, solver.value(c))
    model.m.add(model.fully_placed >= first.fully_placed)
    model.m.maximize(sum(w * model.on_part[k] for k, w in model.part_weights.items()))
    remaining = max(time_limit - (time.monotonic() - started), min(2.0, time_limit * (1 - STAGE_ONE_SHARE)))
    if design is not None:  # placing pupils in a given design: the rest is quick, a dashboard should not wait
        remaining = min(remaining, GIVEN_DESIGN_STAGE_TWO)
    second_solver = _solver(remaining, workers)
    status = second_solver.solve(model.m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return first
    second = model.solution(second_solver, bound, first.optimal, started)
    second.timeline = first.timeline
    return second


def _why_not(status: cp_model.CpSolverStatus) -> str:
    if status == cp_model.INFEASIBLE:
        return (
            "No design meets these rules together (for example a subject fixed in a block it is also kept apart "
            "from, or more fixed subjects than classes allowed). Relax a rule and try again."
        )
    return "The solver found no design in the time allowed; give it more time."
