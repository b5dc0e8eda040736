"""Benchmark: designing option blocks (issue #20) for 240 and 1,500 pupils, with the gap to the solver's bound.

One command (kept out of the test suite; it takes about eight minutes):

    .venv/bin/python benchmarks/options.py             # both sizes -> docs/performance.md
    .venv/bin/python benchmarks/options.py --quick     # 240 pupils once, printed only

Each instance is a synthetic Year 9 (``natbacc.options.synthetic``: most pupils a humanity, half a
language, the rest popularity-weighted) with 4 choices and 1 reserve from 22 subjects, 4 blocks, classes
of at most 30 and at least 10, written as a choices CSV and read by ``natbacc.options.read`` as a
school's file would be. For each run it records the best design over time (every improvement the
solver reports), the bound at the end, and the first moment the design was within 1% of that bound.
The targets (issue #20): within 1% of the bound in under 30 s for 240 pupils, and in under 5 minutes
for 1,500, on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
SECTION = "## Option blocks (issue #20)"

#: (pupils, seeds, seconds allowed, target seconds to be within 1% of the bound)
SIZES = ((240, (1, 2, 3), 30.0, 30.0), (1500, (1,), 300.0, 300.0))


def run_one(pupils: int, seed: int, seconds: float) -> dict[str, float]:
    from natbacc.io.source import Source
    from natbacc.options.instance import Rules
    from natbacc.options.read import read_choices
    from natbacc.options.solve import solve
    from natbacc.options.synthetic import synthetic_choices

    frame = synthetic_choices(pupils, seed=seed)
    season, _ = read_choices([Source("choices.csv", frame.to_csv(index=False).encode("utf-8"))])
    assert season is not None
    started = time.perf_counter()
    solution = solve(season, Rules(blocks=4, class_size=30, min_class=10), time_limit=seconds)
    total = time.perf_counter() - started
    bound = solution.bound if solution.bound is not None else season.pupil_count
    within = next((t for t, found, _ in solution.timeline if found >= 0.99 * bound), float("nan"))
    return {
        "pupils": pupils,
        "seed": seed,
        "fully_placed": solution.fully_placed,
        "bound": bound,
        "gap_pct": 100 * (bound - solution.fully_placed) / bound if bound else 0.0,
        "within_1pct_s": within,
        "proved": float(solution.optimal),
        "total_s": total,
    }


def _median(rows: list[dict[str, float]], key: str) -> float:
    values = [r[key] for r in rows if r[key] == r[key]]
    return statistics.median(values) if values else float("nan")


def report(results: dict[int, list[dict[str, float]]]) -> str:
    import ortools

    from natbacc.options.solve import default_workers

    lines = [
        SECTION,
        "",
        f"Measured by `python benchmarks/options.py` on {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, OR-Tools {ortools.__version__} (CP-SAT: {default_workers(240)} workers for "
        f"240 pupils, {default_workers(1500)} for 1,500); times vary with the machine's load (see below). "
        "Synthetic Year 9s: 4 choices and 1 reserve from 22 subjects, 4 blocks, "
        "classes of 10 to 30 pupils. *Within 1%*: the first moment the best design gave all their choices to at "
        "least 99% of the number the solver's bound allows. The bound is what the solver proved by the end of "
        "the run; until it proves better, it is the number of pupils.",
        "",
        "| Pupils | Runs (seeds) | Allowed | Within 1% of the bound (median) | All choices (median) | Bound (median) "
        "| Gap to bound (median) | Proved best | Target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for pupils, _seeds, seconds, target in SIZES:
        rows = results.get(pupils)
        if not rows:
            continue
        within = _median(rows, "within_1pct_s")
        reached = all(r["within_1pct_s"] == r["within_1pct_s"] and r["within_1pct_s"] <= target for r in rows)
        lines.append(
            f"| {pupils:,} | {len(rows)} ({', '.join(str(int(r['seed'])) for r in rows)}) | {seconds:.0f} s "
            f"| {'not reached' if within != within else f'{within:.1f} s'} "
            f"| {_median(rows, 'fully_placed'):,.0f} | {_median(rows, 'bound'):,.0f} | {_median(rows, 'gap_pct'):.1f}% "
            f"| {sum(int(r['proved']) for r in rows)} of {len(rows)} "
            f"| under {target:.0f} s: {'met in every run' if reached else 'not met in every run'} |"
        )
    lines += [
        "",
        "The designer first drafts blocks the way a timetabler does (each class in the block where it clashes "
        "least, restarted with jitter, then improved one move at a time, each draft scored in milliseconds), for "
        "a quarter of the time, then searches with CP-SAT, which also proves the bound. A draft that gives every "
        "pupil every choice within the rules ends the search (nothing can beat it); the rest of such a run is "
        "placing every pupil exactly in that design and writing class lists. Before the drafts were added, "
        "CP-SAT alone reached 224 to 240 of 240 pupils in 30 s (it proved a perfect design once in three runs) "
        "and 1,489 of 1,500 in 150 s with 2 workers (579 with 8 workers on the same 2 cores). A time-limited "
        "search varies from run to run with the machine's load: on a machine shared with seven other busy "
        "processes, seed 2 once stopped at 236 of 240 (1.7% from the bound) in 30 s.",
        "",
        "Every run:",
        "",
    ]
    for pupils, rows in results.items():
        for r in rows:
            after = "never" if r["within_1pct_s"] != r["within_1pct_s"] else f"{r['within_1pct_s']:.1f} s"
            lines.append(
                f"- {pupils:,} pupils, seed {int(r['seed'])}: {int(r['fully_placed']):,} of {pupils:,} get all their "
                f"choices, bound {int(r['bound']):,}, gap {r['gap_pct']:.1f}%, within 1% after {after}, "
                f"run {r['total_s']:.0f} s."
            )
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.DOTALL)
    text = pattern.sub(section.rstrip("\n"), text) if SECTION in text else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="240 pupils once, printed only")
    args = parser.parse_args()
    sizes = ((240, (1,), 30.0, 30.0),) if args.quick else SIZES
    results: dict[int, list[dict[str, float]]] = {}
    for pupils, seeds, seconds, _ in sizes:
        for seed in seeds:
            row = run_one(pupils, seed, seconds)
            print(row, flush=True)
            results.setdefault(pupils, []).append(row)
    section = report(results)
    print(section)
    if not args.quick:
        write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
