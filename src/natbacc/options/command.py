"""``natbacc options FILES... --blocks N --class-size MAX [--design FILE] [--time-limit S] [--json] [-o plan.xlsx]``.

With ``--design`` it analyses the school's design; without, it designs one. ``--json`` prints only the
issue's JSON document on standard output (progress and messages go to standard error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``options`` command."""
    p = sub.add_parser(
        "options",
        help="option blocks: analyse the school's design (--design) or design blocks that keep pupils' choices",
    )
    p.add_argument("files", nargs="+", help="choices files (Adno, Choice 1..n, Reserve 1..n), optionally pupil details")
    p.add_argument("--blocks", type=int, help="number of option blocks (taken from the design with --design)")
    p.add_argument("--class-size", type=int, required=True, metavar="MAX", help="most pupils in one class")
    p.add_argument("--min-class", type=int, default=10, metavar="MIN", help="fewest pupils to run a class (10)")
    p.add_argument("--design", metavar="BLOCKS_FILE", help="the school's block design: one column per block")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds to search (default 60)")
    p.add_argument(
        "--fix", action="append", default=[], metavar="SUBJECT=BLOCK", help="put a subject in a block (Art=A)"
    )
    p.add_argument(
        "--apart", action="append", default=[], metavar="SUBJECT,SUBJECT", help="never in one block (Art,French)"
    )
    p.add_argument(
        "--classes", action="append", default=[], metavar="SUBJECT=N", help="most classes a subject runs (French=2)"
    )
    p.add_argument("--json", action="store_true", help="print only the JSON result on standard output")
    p.add_argument("-o", "--output", metavar="plan.xlsx", help="write the plan workbook here")
    p.add_argument("--settings", metavar="TOML", help="your NBfE rule set (equity minimum group size)")
    p.add_argument("--subjects", metavar="CSV", help="subject mapping overrides: columns label, area[, subject]")
    p.set_defaults(func=run)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"natbacc: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    """Read, design or analyse, report."""
    import pandas as pd

    from natbacc.options.instance import Rules
    from natbacc.options.plan import analyse_design, as_json, design_blocks
    from natbacc.options.read import read_choices, read_design
    from natbacc.options.workbook import design_table, plan_workbook
    from natbacc.settings import Settings, SettingsError
    from natbacc.subjects import SubjectMap

    missing = [f for f in [*args.files, *([args.design] if args.design else [])] if not Path(f).is_file()]
    if missing:
        return _fail(f"no such file: {', '.join(missing)}")
    if args.class_size < 1 or args.min_class < 0 or args.time_limit <= 0:
        return _fail("--class-size must be at least 1, --min-class 0 or more and --time-limit above 0.")
    if args.design is None and (args.blocks is None or args.blocks < 1):
        return _fail("say how many option blocks to design with --blocks N (or give the school's --design).")
    try:
        settings = Settings.from_file(args.settings) if args.settings else Settings.default()
    except (SettingsError, OSError) as exc:
        return _fail(f"settings: {exc}")
    subject_map = SubjectMap.default()
    if args.subjects:
        subject_map = subject_map.with_overrides(pd.read_csv(args.subjects, dtype="str"))
    log = sys.stderr if args.json else sys.stdout

    season, issues = read_choices(args.files, settings=settings, subject_map=subject_map)
    design = None
    if season is not None and args.design:
        design, more = read_design(args.design, season, class_size=args.class_size, subject_map=subject_map)
        issues += more
    for issue in issues:
        if issue.severity != "info":
            print(f"  {issue.severity.upper():<8} {issue.location}: {issue.message}", file=sys.stderr)
    if season is None or (args.design and design is None):
        return EXIT_BLOCKED

    blocks = len(design.blocks) if design is not None else int(args.blocks)
    if design is not None and args.blocks and args.blocks != blocks:
        print(f"natbacc: the design has {blocks} blocks; --blocks {args.blocks} is not used.", file=sys.stderr)
    from natbacc.options.rules import RuleError, parse_apart, parse_classes, parse_fixed

    try:
        rules = Rules(
            blocks=blocks,
            class_size=args.class_size,
            min_class=args.min_class,
            classes=parse_classes(season, args.classes, subject_map),
            fixed=parse_fixed(season, args.fix, blocks, subject_map),
            apart=parse_apart(season, args.apart, subject_map),
        )
    except RuleError as exc:
        return _fail(str(exc))

    def progress(p: object) -> None:
        from natbacc.options.solve import Progress

        if isinstance(p, Progress):
            print(
                f"  {p.seconds:6.1f} s: {p.fully_placed:,} of {season.pupil_count:,} pupils get all their choices "
                f"(no design can give more than {p.bound:,})",
                file=sys.stderr,
            )

    try:
        if design is not None:
            analysis = analyse_design(season, design, rules, time_limit=args.time_limit, settings=settings)
        else:
            analysis = design_blocks(
                season,
                rules,
                time_limit=args.time_limit,
                settings=settings,
                on_progress=None if args.json else progress,
            )
    except ValueError as exc:
        return _fail(str(exc), EXIT_BLOCKED)

    if args.output:
        minimum = int(settings.equity["min_group_size"])
        Path(args.output).write_bytes(plan_workbook(analysis, min_group_size=minimum))
    if args.json:
        print(json.dumps(as_json(analysis), ensure_ascii=False))
        return EXIT_OK
    print("\n".join(analysis.summary()), file=log)
    print("", file=log)
    print(design_table(analysis).to_string(index=False), file=log)
    if args.output:
        print(f"\nWrote {args.output}", file=log)
    return EXIT_OK
