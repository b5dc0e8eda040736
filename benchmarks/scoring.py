"""Benchmark: scoring and cohort indicators for a trust-sized cohort (not part of the test suite).

Builds a cohort of N pupils by replicating the sample school's canonical tables under new IDs
(real curriculum shapes, every year group), then times ``natbacc.analysis.analyse`` (subject mapping,
breadth matrices, strand scores, flags, explanations, cohort and equity indicators).

    .venv/bin/python benchmarks/scoring.py            # 1,320 / 30,360 / 100,320 pupils, 5 runs each
    .venv/bin/python benchmarks/scoring.py --sizes 30000 --runs 9
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from natbacc.analysis import analyse
from natbacc.io import import_files
from natbacc.sample import AS_OF, sample_paths


def replicate(tables: dict[str, pd.DataFrame], copies: int) -> dict[str, pd.DataFrame]:
    """The sample's tables ``copies`` times over, each copy under its own pupil IDs and school."""
    out = {}
    for name, table in tables.items():
        parts = [table.assign(student_id=table["student_id"] + f"-{i}") for i in range(copies)]
        if name == "students":
            parts = [p.assign(school=f"School {i + 1:02d}") for i, p in enumerate(parts)]
        out[name] = pd.concat(parts, ignore_index=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_320, 30_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = import_files(sample_paths()).tables
    analyse(base, as_of=AS_OF)  # warm imports and caches
    print("| pupils | median (s) | min (s) | runs |")
    print("| ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        tables = replicate(base, max(1, round(size / len(base["students"]))))
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            analyse(tables, as_of=AS_OF)
            times.append(time.perf_counter() - start)
        print(f"| {len(tables['students']):,} | {statistics.median(times):.2f} | {min(times):.2f} | {args.runs} |")


if __name__ == "__main__":
    main()
