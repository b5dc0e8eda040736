"""Benchmark: from a trust's export files to the records workbook, at 1,500, 30,000 and 100,000 pupils.

One command (kept out of the test suite; it takes several minutes at 100k):

    .venv/bin/python benchmarks/trust.py                 # all sizes -> docs/performance.md
    .venv/bin/python benchmarks/trust.py --sizes 1500    # one size, printed only (add --write to save)

Each size is a trust of synthetic schools written as the files schools really export: per school a
pupil-details workbook (title rows), a timetable workbook of class lists (one sheet per year), an
option-blocks workbook with merged headings, a Personal Project workbook and a Personal Development
CSV log. Every school is the sample generator run with its own seed, with trust-wide pupil IDs and a
School column. Files are generated once into ``benchmarks/.cache`` (git-ignored).

For each size, in a fresh process, it times every stage and samples the process's resident memory
while it runs: read (calamine, every sheet of every file), import (read + normalise into canonical
tables), score (subject mapping, breadth matrices, strand scores and flags), indicators (cohort and
equity), export (the records workbook). The yardstick is the same files read naively with pandas'
openpyxl engine (``pd.read_excel(sheet_name=None)`` plus ``pd.read_csv``), on its own. It also times a
100-pupil ``natbacc report`` from a cold start, and, through Streamlit's AppTest, an upload rendered
on the Overview page and dashboard interactions (filters, page switches) as server time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
DOC = ROOT / "docs" / "performance.md"
SCHOOL_SIZE = 1_320  # pupils per synthetic school (the sample generator's size)

TARGETS = {
    "pipeline_vs_naive": 0.5,  # 30k: files -> workbook at most half the naive openpyxl read
    "peak_gb_30k": 2.0,
    "peak_gb_100k": 4.0,
    "score_indicators_30k": 0.5,
    "small_report": 5.0,
    "upload_to_overview": 3.0,
    "interaction_30k": 0.5,
}


# -- generating the files ------------------------------------------------------------------------


def _retag(rows: list[list[object]], school: int) -> list[list[object]]:
    """Trust-wide identities: the school number before each Adno (leading zeros kept), and each school
    its own DfE establishment number inside the UPN (with the check letter recomputed)."""
    from natbacc.upn import check_letter

    header = rows[0]
    has_header = "Adno" in header or "UPN" in header
    adno = header.index("Adno") if "Adno" in header else (None if has_header else 0)  # option lists: no header
    upn = header.index("UPN") if "UPN" in header else None
    out = [header] if has_header else []
    for row in rows[1:] if has_header else rows:
        row = list(row)
        if adno is not None and row[adno] not in (None, ""):
            row[adno] = f"{school:02d}{row[adno]}"
        if upn is not None and row[upn]:
            body = f"801{4000 + school:04d}{row[upn][8:]}"
            row[upn] = check_letter(body) + body
        out.append(row)
    return out


def school_files(school: int) -> dict[str, bytes]:
    """One synthetic school's five export files, with trust-wide IDs and its name in the pupil details."""
    from natbacc import sample

    name = f"Academy {school:02d}"
    tables = {k: _retag(v, school) for k, v in sample.build_tables(seed=sample.SEED + school).items()}
    details = tables["details"]
    tables["details"] = [[*details[0], "School"], *[[*row, name] for row in details[1:]]]
    run = "SYNTHETIC BENCHMARK DATA: no real pupils."
    files = {
        f"{school:02d}_pupil_details.xlsx": sample._workbook(
            [("Pupils", [f"{name}: pupil details", run], tables["details"], {})]
        ),
        f"{school:02d}_timetable.xlsx": sample._workbook(
            [(k.split(":", 1)[1], [], v, {}) for k, v in tables.items() if k.startswith("tt:")]
        ),
    }
    opt_sheets = []
    for key, blocks in (("opt:Y10-11 options", 4), ("opt:Y9 options", 3)):
        rows = [["Adno", "Name", "Reg", *"ABCD"[:blocks], "Reserve"], *tables[key]]
        opt_sheets.append(
            (key.split(":", 1)[1], [f"{name}: option choices", run], rows, {"merged_options": (3, blocks)})
        )
    files[f"{school:02d}_options.xlsx"] = sample._workbook(opt_sheets)
    files[f"{school:02d}_projects.xlsx"] = sample._workbook(
        [("Projects", [f"{name}: projects"], tables["projects"], {})]
    )
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(tables["pd"])
    files[f"{school:02d}_pd_log.csv"] = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    return files


def trust_files(pupils: int) -> list[Path]:
    """The files of a trust of about ``pupils`` pupils (generated once, then read from the cache)."""
    schools = max(1, round(pupils / SCHOOL_SIZE))
    folder = CACHE / f"trust-{schools:03d}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for school in range(1, schools + 1):
            for name, data in school_files(school).items():
                (folder / name).write_bytes(data)
        done.write_text("ok")
    return sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv"))


# -- measuring ---------------------------------------------------------------------------------


class Peak:
    """Samples this process's resident memory every few ms while a block runs (no tracing overhead)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as f:  # noqa: PTH123 - /proc is not a path to manipulate
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(0.005)

    def __enter__(self) -> Peak:
        self.peak = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def _stage(results: dict, name: str, fn):
    with Peak() as peak:
        start = time.perf_counter()
        value = fn()
        took = time.perf_counter() - start
    results[name] = {"seconds": took, "peak_mb": peak.peak / 1_048_576}
    return value


def measure_pipeline(pupils: int) -> dict:
    """All stages for one trust size, in this (fresh) process."""
    import pandas as pd

    from natbacc.breadth import build_breadth
    from natbacc.export import build_workbook
    from natbacc.indicators import compute_indicators
    from natbacc.io import Source, apply_subject_map, import_files
    from natbacc.io.read import read_grids
    from natbacc.sample import AS_OF
    from natbacc.scoring import breadth_aligned, score_students
    from natbacc.settings import Settings
    from natbacc.subjects import SubjectMap

    paths = trust_files(pupils)
    sources = [Source.from_path(p) for p in paths]
    results: dict[str, dict] = {}
    _stage(results, "read", lambda: [read_grids(s) for s in sources])
    from natbacc.io import auto_workers

    # As `natbacc import` / `natbacc report` read them: a big upload over every core.
    result = _stage(results, "import", lambda: import_files(sources, workers=auto_workers()))
    settings, mapping = Settings.default(), SubjectMap.default()

    def score():
        tables = apply_subject_map(result.tables, mapping)
        breadth = build_breadth(tables, mapping, settings.core["ks3_statutory"])
        return tables, breadth, score_students(tables, settings, mapping, AS_OF, breadth=breadth)

    tables, breadth, records = _stage(results, "score", score)
    indicators = _stage(
        results,
        "indicators",
        lambda: compute_indicators(records, breadth_aligned(breadth, records), tables, settings),
    )
    from natbacc.analysis import Analysis

    analysis = Analysis(tables, settings, mapping, AS_OF, breadth, records, indicators)
    data = _stage(results, "export", lambda: build_workbook(analysis, result.issues))
    import resource

    # Worker processes (a big upload is read by one per core) have their own memory: count the
    # largest of them once per worker on top of this process's peak (an upper bound).
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workers = auto_workers() if child_mb else 0
    own_peak = max(r["peak_mb"] for r in results.values())
    return {
        "pupils": len(result.students),
        "files": len(paths),
        "megabytes": sum(p.stat().st_size for p in paths) / 1_048_576,
        "workbook_mb": len(data) / 1_048_576,
        "blocking": result.blocking,
        "stages": results,
        "workers": workers,
        "worker_peak_mb": child_mb,
        "peak_mb": own_peak + workers * child_mb,
        "pd_version": pd.__version__,
    }


def measure_naive(pupils: int) -> dict:
    """The yardstick: pandas with openpyxl reading every sheet of the same files (nothing else)."""
    import pandas as pd

    paths = trust_files(pupils)
    with Peak() as peak:
        start = time.perf_counter()
        for p in paths:
            if p.suffix == ".csv":
                pd.read_csv(p, dtype=str)
            else:
                pd.read_excel(p, sheet_name=None, engine="openpyxl", dtype=str)
        took = time.perf_counter() - start
    return {"seconds": took, "peak_mb": peak.peak / 1_048_576}


def measure_small_report(tmp: Path) -> float:
    """A 100-pupil school: ``natbacc report`` wall time including interpreter start-up (median of 3)."""
    import pandas as pd

    from natbacc.sample import sample_paths

    tmp.mkdir(parents=True, exist_ok=True)
    details = pd.read_excel(sample_paths()[0], header=3, dtype=str, engine="calamine")
    keep = set(details["Adno"].iloc[:100])
    pupils = tmp / "pupils.csv"
    details[details["Adno"].isin(keep)].to_csv(pupils, index=False)
    sheets = pd.read_excel(sample_paths()[1], sheet_name=None, dtype=str, engine="calamine").values()
    classes = [frame[frame["Adno"].isin(keep)] for frame in sheets]
    timetable = tmp / "timetable.csv"
    pd.concat(classes).to_csv(timetable, index=False)
    exe = Path(sys.executable).with_name("natbacc")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [str(exe), "report", str(pupils), str(timetable), "-o", str(tmp / "r.xlsx"), "--as-of", "20/11/2026"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_dashboard(pupils: int) -> dict:
    """Server time in Streamlit's AppTest: upload -> Overview rendered, then filters and page switches."""
    import tempfile

    from streamlit.testing.v1 import AppTest

    os.environ["NATBACC_DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in trust_files(pupils)]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("src/natbacc/ui/pages/import_data.py").run()
    start = time.perf_counter()
    at.file_uploader(key="uploader_0").set_value(files).run()
    at.switch_page("src/natbacc/ui/pages/overview.py").run()
    upload = time.perf_counter() - start
    assert not at.exception, [e.message for e in at.exception]
    timings: dict[str, list[float]] = {"page switch": [], "year filter": [], "pupil-group filter": []}
    pages = ["ks3", "ks4", "equity", "students", "overview"]
    for page in pages:
        start = time.perf_counter()
        at.switch_page(f"src/natbacc/ui/pages/{page}.py").run()
        timings["page switch"].append(time.perf_counter() - start)
    for years in ([10], [10, 11], [7], []):
        start = time.perf_counter()
        at.sidebar.multiselect(key="filter_years").set_value(years).run()
        timings["year filter"].append(time.perf_counter() - start)
    for group in ("Disadvantaged (Pupil Premium)", "All pupils"):
        start = time.perf_counter()
        at.sidebar.selectbox(key="filter_group").select(group).run()
        timings["pupil-group filter"].append(time.perf_counter() - start)
    assert not at.exception, [e.message for e in at.exception]
    return {"upload_to_overview": upload, **{k: statistics.median(v) for k, v in timings.items()}}


# -- running and reporting ---------------------------------------------------------------------


def _child(kind: str, pupils: int) -> dict:
    """Run one measurement in a fresh interpreter so memory and caches never carry over."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--sizes", str(pupils)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _measure_size(pupils: int, runs: int) -> dict:
    """natbacc and the naive read, alternated run by run so a busy machine slows both alike."""
    samples, naive = [], []
    for _ in range(runs):
        samples.append(_child("pipeline", pupils))
        naive.append(_child("naive", pupils))
    best = dict(samples[0])
    best["naive"] = {
        "seconds": statistics.median(s["seconds"] for s in naive),
        "peak_mb": max(s["peak_mb"] for s in naive),
    }
    best["stages"] = {
        stage: {
            "seconds": statistics.median(s["stages"][stage]["seconds"] for s in samples),
            "peak_mb": max(s["stages"][stage]["peak_mb"] for s in samples),
        }
        for stage in samples[0]["stages"]
    }
    best["peak_mb"] = max(s["peak_mb"] for s in samples)
    best["runs"] = runs
    return best


def _ok(value: float, limit: float) -> str:
    return "met" if value <= limit else "**missed**"


def report(rows: list[dict], extras: dict) -> str:
    """The Markdown written to docs/performance.md."""
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Performance",
        "",
        f"Measured by `python benchmarks/trust.py` on {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, pandas {rows[0]['pd_version']}. Median of the runs shown; peak memory is the",
        "highest resident set size sampled every 5 ms, plus, when an import used worker processes, the",
        "largest worker's peak once per worker (an upper bound). 'read' is calamine reading every sheet in one",
        "process; 'import' includes it and, for big uploads, spreads files over one worker per core.",
        "Files are synthetic schools in real export shapes (see the benchmark's docstring).",
        "",
        "## Files to workbook",
        "",
        "| pupils | files | MB | read (1 process) | import: read + normalise | score | indicators | export | total | "
        "naive openpyxl read | total / naive | peak memory |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        s = r["stages"]
        total = sum(s[k]["seconds"] for k in ("import", "score", "indicators", "export"))
        r["total"] = total
        lines.append(
            f"| {r['pupils']:,} | {r['files']} | {r['megabytes']:.1f} | {s['read']['seconds']:.2f} s | "
            f"{s['import']['seconds']:.2f} s{' (' + str(r['workers']) + ' workers)' if r['workers'] else ''} | "
            f"{s['score']['seconds']:.2f} s | "
            f"{s['indicators']['seconds']:.2f} s | {s['export']['seconds']:.2f} s | {total:.2f} s | "
            f"{r['naive']['seconds']:.2f} s | {total / r['naive']['seconds']:.2f} | {r['peak_mb'] / 1024:.2f} GB |"
        )
    lines += ["", "## Targets (issue #8)", "", "| target | measured | |", "| --- | ---: | --- |"]
    by_size = {round(r["pupils"], -3): r for r in rows}
    for size, key in ((30_000, "30k"), (100_000, "100k")):
        r = next((r for r in rows if abs(r["pupils"] - size) / size < 0.1), None)
        if r is None:
            continue
        if size == 30_000:
            ratio = r["total"] / r["naive"]["seconds"]
            lines.append(
                f"| 30k: files to workbook ≤ 0.5 × naive openpyxl read | {ratio:.2f} × "
                f"({r['total']:.1f} s vs {r['naive']['seconds']:.1f} s) | {_ok(ratio, TARGETS['pipeline_vs_naive'])} |"
            )
            si = r["stages"]["score"]["seconds"] + r["stages"]["indicators"]["seconds"]
            lines.append(
                f"| 30k: scoring + indicators < 0.5 s | {si:.2f} s | {_ok(si, TARGETS['score_indicators_30k'])} |"
            )
        gb = r["peak_mb"] / 1024
        lines.append(
            f"| {key}: peak memory < {TARGETS[f'peak_gb_{key}']:.0f} GB | {gb:.2f} GB | "
            f"{_ok(gb, TARGETS[f'peak_gb_{key}'])} |"
        )
    if "small_report" in extras:
        v = extras["small_report"]
        lines.append(f"| 100-pupil `natbacc report`, start-up included, < 5 s | {v:.2f} s | {_ok(v, 5.0)} |")
    small = f"{min(r['pupils'] for r in rows):,}-pupil school"  # the generator's school (issue: about 1,500)
    for size_key, label in (("dashboard_small", small), ("dashboard_30k", "30k")):
        d = extras.get(size_key)
        if not d:
            continue
        if size_key == "dashboard_small":
            v = d["upload_to_overview"]
            lines.append(f"| {label}: upload to rendered Overview < 3 s (server time) | {v:.2f} s | {_ok(v, 3.0)} |")
        else:
            for what in ("page switch", "year filter", "pupil-group filter"):
                v = d[what]
                lines.append(f"| 30k: {what} < 0.5 s (server time, median) | {v:.2f} s | {_ok(v, 0.5)} |")
    del by_size
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_500, 30_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md (default with all sizes)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fn = {"pipeline": measure_pipeline, "naive": measure_naive, "dashboard": measure_dashboard}[args.child]
        print(json.dumps(fn(args.sizes[0])))
        return
    rows = []
    for size in args.sizes:
        trust_files(size)
        runs = args.runs if size <= 30_000 else 1
        row = _measure_size(size, runs)
        rows.append(row)
        print(f"{row['pupils']:,} pupils: {json.dumps(row['stages'])} naive {row['naive']}", flush=True)
    extras: dict = {"small_report": measure_small_report(CACHE / "small-report")}
    if min(args.sizes) <= 2_000:
        extras["dashboard_small"] = _child("dashboard", min(args.sizes))
    if any(abs(s - 30_000) / 30_000 < 0.1 for s in args.sizes):
        extras["dashboard_30k"] = _child("dashboard", 30_000)
    text = report(rows, extras)
    print(text)
    if args.write or args.sizes == parser.get_default("sizes"):
        DOC.parent.mkdir(exist_ok=True)
        previous = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        notes = previous.split("\n## Profile", 1)[1] if "\n## Profile" in previous else ""
        DOC.write_text(text + ("\n## Profile" + notes if notes else ""), encoding="utf-8")
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
