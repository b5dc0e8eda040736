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

Before searching, a timetabler's greedy draft (``greedy_design``; or the school's own design when it does
better) is scored: it is the first design shown and the floor of the search, so the designer never
returns anything worse than the draft or the school's design. Blocks are interchangeable, so the model
only looks at designs whose blocks are ordered busiest first.
"""

from __future__ import annotations

import math
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from natbacc.options.instance import Design, Rules, Season

#: Share of the time limit for stage 1 (all choices); stage 2 (everything else) gets the rest.
STAGE_ONE_SHARE = 0.8
#: Share of the time limit (at most ``DRAFT_MOST_SECONDS``) spent on timetabler's drafts before CP-SAT.
DRAFT_SHARE = 0.25
DRAFT_MOST_SECONDS = 60.0
#: How much a restart of the greedy draft jitters the subject order and the clash costs (0.3 = up to 30%).
DRAFT_JITTER = 0.3
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


#: CP-SAT runs a portfolio of different strategies, one per worker; with fewer than 8 it drops some that
#: found the best designs for a year group (large-neighbourhood search beside the bound search). On 2
#: cores, 8 workers found a perfect design for 240 pupils in 19 s where 2 had 229 of 240 after 30 s; for
#: 1,500 pupils (a model ten times the size) 8 workers crawled (576 of 1,500 after 2 minutes) where 2 had
#: 1,463 after one. So: 8 for a model of up to ``SMALL_MODEL`` groups of pupils, else one per core.
DEFAULT_WORKERS = 8
SMALL_MODEL = 600


def default_workers(groups: int = 0) -> int:
    """Solver workers: ``NATBACC_SOLVER_WORKERS`` if set, else by the size of the model (see above)."""
    configured = os.environ.get("NATBACC_SOLVER_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return DEFAULT_WORKERS if groups <= SMALL_MODEL else max(2, os.cpu_count() or 2)


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
        floor: int = -1,
    ) -> None:
        super().__init__()
        self.model, self.started, self.on_progress, self.stop = model, started, on_progress, stop
        self.floor = floor  # designs no better than the draft already shown are not reported
        self.timeline: list[tuple[float, int, int]] = []

    def on_solution_callback(self) -> None:
        found = int(self.objective_value)
        bound = math.floor(self.best_objective_bound + 1e-6)
        seconds = time.monotonic() - self.started
        if found > self.floor:
            self.timeline.append((seconds, found, bound))
        if self.on_progress is not None and found > self.floor:
            self.on_progress(Progress(seconds, found, bound, self.model.design_of(self.value)))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def greedy_design(season: Season, rules: Rules, rng: random.Random | None = None) -> list[list[int]]:
    """Classes per subject per block, drawn the way a timetabler starts: fixed subjects first, then the most
    chosen, each class into the block where it clashes least with the classes already there (pupils
    choosing both, shared among each subject's classes), emptier blocks first on a tie. With ``rng`` the
    order and the costs are jittered (one of many restarts). Blocks are then ordered busiest first.
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
    apart = {(s, t) for s, t in rules.apart} | {(t, s) for s, t in rules.apart}

    def jitter() -> float:
        return 1.0 + (DRAFT_JITTER * rng.random() if rng is not None else 0.0)

    counts = [[0] * blocks for _ in range(n)]
    load = [0] * blocks
    for s, b in rules.fixed:
        if counts[s][b] == 0 and sum(counts[s]) < most[s]:
            counts[s][b] += 1
            load[b] += 1
    for s in sorted(range(n), key=lambda k: -demand[k] * jitter()):
        for _ in range(most[s] - sum(counts[s])):

            def cost(b: int, s: int = s) -> tuple[bool, float, int]:
                banned = any(counts[t][b] for t in range(n) if (s, t) in apart)
                clash = sum(together[s][t] * counts[t][b] / max(1, most[t]) for t in range(n) if t != s)
                return (banned, (clash + demand[s] * counts[s][b] / max(1, most[s])) * jitter(), load[b])

            b = min(range(blocks), key=cost)
            counts[s][b] += 1
            load[b] += 1
    if not rules.fixed:
        order = sorted(range(blocks), key=lambda b: -load[b])
        counts = [[row[b] for b in order] for row in counts]
    return counts


def _as_design(counts: list[list[int]], rules: Rules) -> Design:
    return Design.uniform(
        [[s for s in range(len(counts)) for _ in range(counts[s][b])] for b in range(rules.blocks)], rules.class_size
    )


def _draft(
    season: Season,
    rules: Rules,
    started: float,
    seconds: float,
    start: Design | None = None,
    stop: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Solution:
    """The best draft found in ``seconds`` by a timetabler's method, pupils placed greedily.

    Restarts of ``greedy_design`` (the plain one first, then jittered ones) for a third of the time, then
    moves of one class to another block (or two classes swapped) kept when no fewer pupils get all their
    choices. Each draft is scored in milliseconds (``place_greedily``), so thousands are tried. The school's
    design (``start``) competes too. A draft within the rules beats one that is not. The best is the first
    design the dashboard shows and the floor of the search: the designer never returns anything worse.
    It is deliberately not given to CP-SAT as a hint: measured on 240 and 1,500 pupils, hinted searches
    stayed near the draft while unhinted ones went past it.
    """
    rng = random.Random(1)
    deadline = time.monotonic() + seconds

    def tell(solution: Solution) -> None:
        if on_progress is not None and _keeps_rules(solution, season, rules):  # only designs the school could use
            on_progress(
                Progress(time.monotonic() - started, solution.fully_placed, season.pupil_count, solution.design)
            )

    def going(until: float) -> bool:
        return time.monotonic() < until and best.fully_placed < season.pupil_count and not (stop and stop.is_set())

    def score(counts: list[list[int]] | None, design: Design | None = None) -> tuple[tuple[bool, int], Solution]:
        solution = place_greedily(season, design or _as_design(counts or [], rules), started)
        return (_keeps_rules(solution, season, rules), solution.fully_placed), solution

    best_counts = greedy_design(season, rules)
    best_key, best = score(best_counts)
    tell(best)
    if start is not None and len(start.blocks) == rules.blocks:
        key, solution = score(None, start)
        if key > best_key:
            best_key, best = key, solution
            best_counts = [[start.classes(s, b) for b in range(rules.blocks)] for s in range(len(season.subjects))]
            tell(best)
    restarts_until = time.monotonic() + seconds / 3
    while going(restarts_until):
        counts = greedy_design(season, rules, rng)
        key, solution = score(counts)
        if key > best_key:
            best_key, best, best_counts = key, solution, counts
            tell(best)
    fixed = set(rules.fixed)
    n = len(season.subjects)
    while going(deadline):
        counts = [row[:] for row in best_counts]
        s = rng.randrange(n)
        sources = [b for b in range(rules.blocks) if counts[s][b] and not ((s, b) in fixed and counts[s][b] == 1)]
        if not sources:
            continue
        b, to = rng.choice(sources), rng.randrange(rules.blocks)
        if to == b:
            continue
        counts[s][b] -= 1
        counts[s][to] += 1
        others = [t for t in range(n) if t != s and counts[t][to] and not ((t, to) in fixed and counts[t][to] == 1)]
        if others and rng.random() < 0.5:
            t = rng.choice(others)
            counts[t][to] -= 1
            counts[t][b] += 1
        key, solution = score(counts)
        if key >= best_key:
            if key > best_key:
                tell(solution)
            best_key, best, best_counts = key, solution, counts
    best.given_design = False
    return best


def place_greedily(season: Season, design: Design, started: float) -> Solution:
    """Pupils placed one by one (each group in turn) in ``design``: all their choices in distinct blocks with
    room if they fit, else as many as fit, choices before reserves. Fast, and never better than the solver."""
    room = {(s, b): design.capacity(s, b) for b in range(len(design.blocks)) for s in set(design.blocks[b])}
    full: list[int] = []
    on_full: dict[tuple[int, int, int], int] = {}
    on_part: dict[tuple[int, int, int], int] = {}
    for gi, group in enumerate(season.groups):
        fitted = 0
        for _ in range(group.size):
            fit = _fit(group.choices, room)
            if fit is not None:
                fitted += 1
                for i, b in fit.items():
                    room[group.choices[i], b] -= 1
                    on_full[gi, i, b] = on_full.get((gi, i, b), 0) + 1
                continue
            used: set[int] = set()
            for i, s in enumerate((*group.choices, *group.reserves)):
                if i >= len(group.choices) and len(used) >= len(group.choices):
                    break  # a reserve only stands in for a choice not placed
                free = [b for b in range(len(design.blocks)) if b not in used and room.get((s, b), 0) > 0]
                if free:
                    b = max(free, key=lambda k: room[s, k])
                    room[s, b] -= 1
                    used.add(b)
                    on_part[gi, i, b] = on_part.get((gi, i, b), 0) + 1
        full.append(fitted)
    return Solution(
        design=design,
        full=full,
        on_full=on_full,
        on_part=on_part,
        fully_placed=sum(full),
        bound=None,
        optimal=False,
        seconds=time.monotonic() - started,
    )


def _keeps_rules(draft: Solution, season: Season, rules: Rules) -> bool:
    """Whether a placed draft meets the designer's rules: classes per subject, minimum to run, fixed, apart."""
    design = draft.design
    most = rules.classes_for(season)
    for s in range(len(season.subjects)):
        if sum(design.classes(s, b) for b in range(len(design.blocks))) > most[s]:
            return False
    pupils: dict[tuple[int, int], int] = {}
    for source in (draft.on_full, draft.on_part):
        for (g, i, b), n in source.items():
            group = season.groups[g]
            s = (*group.choices, *group.reserves)[i]
            pupils[s, b] = pupils.get((s, b), 0) + n
    for b, block in enumerate(design.blocks):
        for s in set(block):
            if pupils.get((s, b), 0) < rules.min_class * design.classes(s, b):
                return False
    if any(design.classes(s, b) == 0 for s, b in rules.fixed):
        return False
    return not any(design.classes(s, b) and design.classes(t, b) for s, t in rules.apart for b in range(rules.blocks))


def _fit(choices: tuple[int, ...], room: dict[tuple[int, int], int]) -> dict[int, int] | None:
    """Each choice (by position) in its own block with room, roomiest blocks tried first; None if none fits."""
    options = [
        sorted((b for (s2, b), r in room.items() if s2 == s and r > 0), key=lambda b: -room[s, b]) for s in choices
    ]
    order = sorted(range(len(choices)), key=lambda i: len(options[i]))
    chosen: dict[int, int] = {}

    def search(k: int) -> bool:
        if k == len(order):
            return True
        i = order[k]
        for b in options[i]:
            if b not in chosen.values():
                chosen[i] = b
                if search(k + 1):
                    return True
                del chosen[i]
        return False

    return dict(chosen) if search(0) else None


def _solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    stop: threading.Event | None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> cp_model.CpSolverStatus:
    """``solver.solve``, ended early (with the best so far) as soon as ``stop`` is set."""
    if stop is None:
        return solver.solve(model, callback)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            if stop.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="natbacc-options-stop", daemon=True)
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()


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
    start: Design | None = None,
    draft: bool = True,
) -> Solution:
    """The best design found within ``time_limit`` seconds (or, with ``design``, the best assignment under it).

    ``start`` (the school's design, say) is tried beside the greedy draft as the search's floor; ``draft=False``
    searches from nothing (to test and measure the search alone).
    ``on_progress`` hears of every better design (the best so far is always usable); setting ``stop``
    ends the search early with the best found. Raises ``ValueError`` if no design can be found at all
    (the rules contradict each other).
    """
    started = time.monotonic()
    workers = workers or default_workers(len(season.groups))
    floor = -1
    budget = min(DRAFT_MOST_SECONDS, time_limit * DRAFT_SHARE)
    first_draft = _draft(season, rules, started, budget, start, stop, on_progress) if design is None and draft else None
    if first_draft is not None and not _keeps_rules(first_draft, season, rules):
        first_draft = None  # a draft that breaks a rule (a class under the minimum, say) is never the answer
    if first_draft is not None:
        floor = first_draft.fully_placed
    if (
        first_draft is not None
        and first_draft.fully_placed == season.pupil_count
        and _keeps_rules(first_draft, season, rules)
    ):
        # Every pupil gets every choice within the rules: no design can do better, no search is needed.
        best = solve(season, rules, design=first_draft.design, time_limit=time_limit, workers=workers)
        best.given_design, best.bound, best.optimal = False, season.pupil_count, True
        best.timeline = [(first_draft.seconds, first_draft.fully_placed, season.pupil_count)]
        best.seconds = time.monotonic() - started
        return best
    model = _Model(season, rules, design)
    model.m.maximize(model.fully_placed)
    solver = _solver(max(1.0, time_limit * STAGE_ONE_SHARE - (time.monotonic() - started)), workers)
    watcher = _Watcher(model, started, on_progress, stop, floor)
    if first_draft is not None:
        watcher.timeline.append((first_draft.seconds, first_draft.fully_placed, season.pupil_count))
    status = _solve_stoppable(solver, model.m, stop, watcher)
    found_any = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found_any and (first_draft is None or status == cp_model.INFEASIBLE):
        raise ValueError(_why_not(status))
    bound = min(season.pupil_count, math.floor(solver.best_objective_bound + 1e-6)) if found_any else None
    if first_draft is not None and (not found_any or first_draft.fully_placed >= solver.objective_value):
        # The search did not beat the draft: place the rest of the pupils in the draft, keep the bound.
        left = max(1.0, time_limit - (time.monotonic() - started))
        if stop is not None and stop.is_set():
            left = min(left, GIVEN_DESIGN_STAGE_TWO)
        best = solve(season, rules, design=first_draft.design, time_limit=left, workers=workers)
        best.given_design, best.bound, best.optimal = False, bound, bool(bound == best.fully_placed)
        best.timeline, best.seconds = watcher.timeline, time.monotonic() - started
        best.stopped = bool(stop is not None and stop.is_set())
        return best
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
    status = _solve_stoppable(second_solver, model.m, stop)
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
