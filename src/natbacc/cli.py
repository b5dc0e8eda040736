"""The ``natbacc`` command line: the same core functions the dashboard calls.

Imports are deferred into each command so ``natbacc --help`` starts instantly and a small
``natbacc report`` stays well under its start-up budget.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeGuard

if TYPE_CHECKING:  # imported for annotations only: each command imports what it uses (fast start-up)
    from datetime import date

    from natbacc.analysis import Analysis
    from natbacc.model import ImportResult, TableKind
    from natbacc.settings import Settings
    from natbacc.store.snapshots import Store
    from natbacc.subjects import SubjectMap

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2
#: A failure natbacc did not foresee (sysexits' EX_SOFTWARE).
EXIT_BUG = 70
_KINDS: tuple[TableKind, ...] = ("students", "enrolments", "options", "project", "development", "qualifications")


def _is_kind(text: str) -> TypeGuard[TableKind]:
    return text in _KINDS


def _kind_overrides(values: list[str] | None) -> dict[str, TableKind]:
    out: dict[str, TableKind] = {}
    for item in values or []:
        target, sep, kind = item.rpartition("=")
        if not sep or not _is_kind(kind):
            raise SystemExit(
                f"natbacc: --kind expects FILE=KIND (or FILE:SHEET=KIND) with KIND one of "
                f"{', '.join(_KINDS)}; got '{item}'."
            )
        out[Path(target).name if ":" not in target else target] = kind
    return out


def _split_schools(args: argparse.Namespace) -> None:
    """``--school NAME`` (once: pupils whose files name no school) and ``--school FILE=SCHOOL`` (per file, e.g.
    ``--school pupils_a.csv=SCH01``) into ``args.school`` and ``args.file_schools``."""
    given = getattr(args, "school", None)
    if not isinstance(given, list):
        return
    names = {Path(f).name for f in getattr(args, "files", None) or []}
    per_file: dict[str, str] = {}
    plain: list[str] = []
    for item in given:
        target, sep, school = item.partition("=")
        name = Path(target).name
        if sep and (name in names or (":" in name and name.split(":", 1)[0] in names)):
            if not school.strip():
                raise SystemExit(f"natbacc: --school {item}: say which school, e.g. --school '{target}=SCH01'.")
            per_file[name] = school.strip()
        elif sep and Path(target).suffix:
            raise SystemExit(
                f"natbacc: --school {item}: '{target}' is not one of the files given. Use --school FILE=SCHOOL with "
                "a file from this command."
            )
        else:
            plain.append(item)
    if len(plain) > 1:
        raise SystemExit(
            "natbacc: --school NAME can be given once (the school of pupils whose files name none); to say which "
            "school each file is from, use --school FILE=SCHOOL for each file."
        )
    args.school = plain[0] if plain else None
    args.file_schools = per_file


def _load(args: argparse.Namespace, store: Store | None = None) -> tuple[ImportResult, Settings, SubjectMap]:
    """Import ``args.files`` with the rule set and mapping the arguments (or, for an import into the
    store, the settings and mapping saved there) call for."""
    from natbacc.io import auto_workers, import_files
    from natbacc.settings import Settings, SettingsError
    from natbacc.subjects import SubjectMap

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"natbacc: no such file: {', '.join(missing)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    saved = store.saved_settings() if store is not None else None
    try:
        settings = Settings.from_file(args.settings) if getattr(args, "settings", None) else None
        settings = settings or saved or Settings.default()
    except (SettingsError, OSError) as exc:
        print(f"natbacc: settings: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from exc
    subject_map = SubjectMap.default()
    if store is not None and not getattr(args, "subjects", None):
        from natbacc.store.snapshots import overrides_map

        subject_map = overrides_map(store.saved_overrides())
    if getattr(args, "subjects", None):
        import pandas as pd

        subject_map = subject_map.with_overrides(pd.read_csv(args.subjects, dtype="str"))
    result = import_files(
        args.files,
        settings=settings,
        subject_map=subject_map,
        kinds=_kind_overrides(args.kind),
        school=args.school,
        workers=auto_workers(),  # a trust's many files are read on every core
        schools=getattr(args, "file_schools", None),
    )
    return result, settings, subject_map


def print_import_summary(result: ImportResult, out: TextIO | None = None, max_issues: int = 40) -> None:
    """The human-readable import report shared by ``check`` and ``report``."""
    import pandas as pd

    from natbacc.model import issues_frame

    out = out or sys.stdout
    if (reason := result.nothing_scored) is not None:  # first, so nobody reads "imported" as "scored"
        print(f"WARNING  {reason}\n", file=out)
    print("Recognised", file=out)
    unit = "sets" if result.sets_only else "pupils"  # a timetabler's student sets are never counted as pupils
    unreadable = result.unreadable_sheets
    for s in result.sheets:
        where = s.file + (f" > {s.sheet}" if s.sheet else "")
        if s.kind is None and s.layout:
            print(f"  {where:<46} {s.label} (see the notes below)", file=out)
        elif s.kind is None:
            gone = (s.file, s.sheet) in unreadable
            print(f"  {where:<46} {'could not be read' if gone else 'not recognised'}", file=out)
        else:
            print(
                f"  {where:<46} {s.label:<26} {s.rows:>7,} rows {s.students:>7,} {unit}"
                f"  (header on row {s.header_row})",
                file=out,
            )
    students = result.students
    sets = result.set_rows()
    print("\nPupils per year", file=out)
    counts = students[~sets]["year_group"].value_counts(dropna=False).sort_index()
    for year, n in zip(counts.index, counts, strict=True):
        label = "No year" if pd.isna(year) else f"Year {int(year)}"
        print(f"  {label:<10} {n:>7,}", file=out)
    print(f"  {'Total':<10} {result.pupils:>7,}", file=out)
    if sets.any():
        print(f"  Classes or student sets (not pupils, nothing scored per pupil): {int(sets.sum()):,}", file=out)
    per_school = students[~sets]["school"].value_counts().sort_index()
    if len(per_school) > 1:  # a trust's upload: pupils are school and pupil ID
        print("\nPupils per school (each pupil is identified by school and pupil ID)", file=out)
        for school, n in per_school.items():
            print(f"  {school:<30} {n:>7,}", file=out)
    frame = issues_frame(result.issues)
    severities = frame["severity"].value_counts()
    print(
        f"\nIssues: {severities.get('error', 0)} errors, {severities.get('warning', 0)} warnings, "
        f"{severities.get('info', 0)} notes",
        file=out,
    )
    for issue in [result.issues[i] for i in frame.index[:max_issues]]:
        print(f"  {issue.severity.upper():<8} {issue.location}: {issue.message}", file=out)
    if len(frame) > max_issues:
        print(f"  ... and {len(frame) - max_issues:,} more (use --json for all)", file=out)


def cmd_check(args: argparse.Namespace) -> int:
    """Import and validate files; report what was found."""
    from natbacc.model import issues_frame

    result, _, _ = _load(args)
    importable = not result.blocking and len(result.students) > 0
    if args.json:
        frame = issues_frame(result.issues)
        issues = [result.issues[i].as_dict() for i in frame.index]
        pupils = result.students[~result.set_rows()]
        years = pupils["year_group"].value_counts().sort_index()
        report: dict[str, object] = {
            "importable": importable,
            "students": result.pupils,
            # A trust's upload: pupils are (school, student_id) pairs; one school: the ID alone.
            "pupils_identified_by": (
                ["school", "student_id"] if pupils["pupil_key"].ne(pupils["student_id"]).any() else ["student_id"]
            ),
            "students_per_school": {str(k): int(v) for k, v in pupils["school"].value_counts().sort_index().items()},
            "students_per_year": {str(int(k)): int(v) for k, v in zip(years.index, years, strict=True)},
        }
        if result.set_rows().any():  # group-level data (timetablers' classes): counted apart, never as pupils
            report["student_sets"] = len(result.students) - result.pupils
        if result.nothing_scored is not None:
            report["nothing_scored"] = result.nothing_scored
        report |= {"sheets": [s.as_dict() for s in result.sheets], "issues": issues}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_import_summary(result)
        if importable:
            print(
                "\nImportable: yes"
                + (" (with warnings)" if any(i.severity == "warning" for i in result.issues) else "")
            )
        else:
            print("\nImportable: no. Fix the errors above and run the check again.")
    return EXIT_OK if importable else EXIT_BLOCKED


def _as_of(text: str | None) -> date:
    from datetime import date, datetime

    if not text:
        return date.today()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise SystemExit(f"natbacc: --as-of expects a date like 20/11/2026, not '{text}'.")


def cmd_report(args: argparse.Namespace) -> int:
    """Score every pupil (from files, or from a stored term) and write the records workbook."""
    if args.term and args.files:
        print("natbacc: give either files or --term, not both.", file=sys.stderr)
        return EXIT_USAGE
    if not args.term and not args.files:
        print("natbacc: give the files to report on, or --term LABEL to report on a stored term.", file=sys.stderr)
        return EXIT_USAGE
    if args.term:
        from natbacc.programme_log import programme_log, with_programme_log

        with _store() as store:
            stored = store.load(store.find_one(args.term, args.school).id)
            as_of = _as_of(args.as_of) if args.as_of else stored.info.as_of
            earlier = store.earlier_logs(stored.info.school, as_of, exclude=[stored.info.id])
        from natbacc.analysis import analyse

        log = programme_log(stored.result.tables, [(s.title, frame) for s, frame in earlier])
        tables = with_programme_log(stored.result.tables, log)
        analysis = analyse(tables, stored.settings, stored.subject_map, as_of)
        print(
            f"From the store: {stored.info.title} (snapshot {stored.info.id}, imported "
            f"{stored.info.imported_at:%d/%m/%Y %H:%M})"
        )
        if log.sentence():
            print(log.sentence())
        return _write_report(args, stored.result, analysis, term=stored.info.term, school=stored.info.school)
    as_of = _as_of(args.as_of)
    result, settings, subject_map = _load(args)
    if result.blocking or result.students.empty:
        print_import_summary(result)
        print("\nNo report written: fix the errors above (natbacc check shows them all) and run it again.")
        return EXIT_BLOCKED
    from natbacc.analysis import analyse

    return _write_report(args, result, analyse(result.tables, settings, subject_map, as_of))


def _write_report(
    args: argparse.Namespace, result: ImportResult, analysis: Analysis, term: str = "", school: str = ""
) -> int:
    from natbacc.export import ExportError, build_workbook
    from natbacc.pseudonym import PseudonymKeyError
    from natbacc.records import any_flag
    from natbacc.report_context import ReportContext, school_of
    from natbacc.vocabulary import Status

    context = ReportContext(school=school or school_of(analysis.records), term=term)

    if args.record_cards and args.pseudonymise:
        print(
            "natbacc: record cards are not made in a pseudonymised workbook (each shows a pupil's tutor group, "
            "periods and hours, which identify them): leave out --record-cards or --pseudonymise.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.record_cards and args.record_cards not in set(analysis.records["reg_group"].dropna()):
        print(f"natbacc: no pupils in registration group '{args.record_cards}' for record cards.", file=sys.stderr)
        return EXIT_USAGE
    written: list[str] = []
    pdf = getattr(args, "pdf", None)
    if pdf:
        from natbacc.governors_pdf import GovernorsReportError, governors_pdf

        try:
            report = governors_pdf(analysis, context)
        except GovernorsReportError as exc:
            print(f"natbacc: {exc}", file=sys.stderr)
            return EXIT_BLOCKED
        if not _write(Path(pdf), report):
            return EXIT_BLOCKED
        written.append(f"Wrote {pdf} ({len(report) / 1024:,.0f} KB), the report for governors (no pupil named)")
    # With --pdf alone, only the PDF: a workbook of every pupil's record is not made unless asked for.
    if args.output or not pdf:
        try:
            data = build_workbook(
                analysis, result.issues, pseudonymise=args.pseudonymise, record_cards=args.record_cards, context=context
            )
        except (ExportError, PseudonymKeyError) as exc:  # in words, without pupil data
            print(f"natbacc: {exc}", file=sys.stderr)
            return EXIT_BLOCKED
        what = "natbacc-records-pseudonymised" if args.pseudonymise else "natbacc-records"
        out = Path(args.output or context.filename(what, "xlsx"))
        if not _write(out, data):
            return EXIT_BLOCKED
        written.insert(
            0, f"Wrote {out} ({len(data) / 1024:,.0f} KB)" + (", pseudonymised" if args.pseudonymise else "")
        )
    records = analysis.records
    print(f"natbacc report: {len(records):,} pupils, as of {analysis.as_of:%d/%m/%Y}")
    print("\n% on track")
    for strand, pct in analysis.strand_summary().items():
        print(f"  {strand.label:<22} {'n/a' if pct != pct else f'{pct:.0f}%':>5}")
    status = records["overall_status"].value_counts()
    counted = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
    print("  " + ", ".join(f"{status.get(s.value, 0):,} {s.value}" for s in counted))
    print(f"  {int(any_flag(records).sum()):,} pupils have at least one flag")
    print("\nTop findings")
    for finding in analysis.indicators.findings[: args.findings]:
        print(f"  - {finding.text}")
    warnings = sum(1 for i in result.issues if i.severity == "warning")
    if warnings and (args.output or not pdf):
        print(
            f"\n{warnings} import warnings are listed in the workbook's 'Data issues' sheet"
            + (" (left out: pseudonymised)." if args.pseudonymise else ".")
        )
    print("\n" + "\n".join(written))
    return EXIT_OK


def cmd_award(args: argparse.Namespace) -> int:
    """Who will complete the NBfE award, at which tier, and what each pupil still needs; certificates and
    transcripts with ``-o``. A stored term (``--term``) is used on its own, or supplies earlier years'
    Personal Development logs to the files given."""
    from natbacc.award.cli import run_award

    if not args.term and not args.files:
        print("natbacc: give the files to judge, or --term LABEL for a stored term.", file=sys.stderr)
        return EXIT_USAGE
    stored = None
    if args.term:
        with _store() as store:
            stored = store.load(store.find_one(args.term, args.school).id)
    if args.files:
        result, settings, _ = _load(args)
        if result.blocking or result.students.empty:
            print_import_summary(result, out=sys.stderr if args.json else None)
            print("\nNo award judged: fix the errors above and run it again.", file=sys.stderr if args.json else None)
            return EXIT_BLOCKED
        tables = result.tables
    else:
        assert stored is not None
        tables, settings = stored.result.tables, stored.settings
    earlier = stored.result.tables if (stored is not None and args.files) else None
    as_of = _as_of(args.as_of) if args.as_of or stored is None else stored.info.as_of
    return run_award(tables, settings, as_of, json_out=args.json, output=args.output, earlier=earlier)


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path``; False (with a message) when it cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"natbacc: could not write {path} ({exc.strerror or type(exc).__name__}).", file=sys.stderr)
        return False
    return True


@contextmanager
def _store() -> Iterator[Store]:
    """``with _store() as store:`` — the store, its errors turned into a message and exit code 1."""
    from natbacc.store.database import StoreError
    from natbacc.store.snapshots import Store

    try:
        store = Store.open()
    except StoreError as exc:
        print(f"natbacc: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_BLOCKED) from exc
    if store.notice:
        print(f"natbacc: {store.notice}", file=sys.stderr)
    try:
        yield store
    except StoreError as exc:
        print(f"natbacc: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_BLOCKED) from exc
    finally:
        store.close()


def cmd_import(args: argparse.Namespace) -> int:
    """Import files, score them and keep them in the store as one term's snapshot."""
    as_of = _as_of(args.as_of)
    with _store() as store:
        result, settings, subject_map = _load(args, store)
        if result.blocking or result.students.empty:
            print_import_summary(result)
            print("\nNothing stored: fix the errors above (natbacc check shows them all) and run it again.")
            return EXIT_BLOCKED
        from natbacc.analysis import analyse
        from natbacc.programme_log import programme_log, with_programme_log
        from natbacc.store.snapshots import school_label

        # Earlier terms' Personal Development logs count over the programme (the term being replaced does not).
        label = school_label(result, args.school)
        replaced = [s.id for s in store.find(args.term, label)] if label else []
        earlier = store.earlier_logs(label, as_of, exclude=replaced)
        log = programme_log(result.tables, [(s.title, frame) for s, frame in earlier])
        analysis = analyse(with_programme_log(result.tables, log), settings, subject_map, as_of)
        if log.sentence():
            print(log.sentence())
        files = [(Path(f).name, Path(f).read_bytes()) for f in args.files]
        from natbacc.store.database import StoreError

        try:
            info = store.save(
                result,
                analysis,
                term=args.term,
                school=args.school,
                files=files,
                replace=args.replace,
                kinds=_kind_overrides(args.kind),
            )
        except StoreError as exc:
            hint = " (natbacc import --replace)" if "already stored" in str(exc) else ""
            raise StoreError(f"{exc}{hint}") from exc
        warnings = sum(1 for i in result.issues if i.severity == "warning")
        print(
            f"Stored snapshot {info.id}: {info.title}, {info.students:,} pupils, as of {info.as_of:%d/%m/%Y}"
            + (f" ({warnings} import warnings kept with it)" if warnings else "")
        )
        print(f"Store: {store.location} (the tables natbacc read; the files themselves are not kept)")
    return EXIT_OK


def cmd_snapshots(args: argparse.Namespace) -> int:
    """List the stored snapshots."""
    with _store() as store:
        found = store.snapshots()
        location = store.location
    if args.json:
        print(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Store: {location}")
    if not found:
        print("No snapshots yet: `natbacc import FILE... --term 'Autumn 2026'` stores one.")
        return EXIT_OK
    print(f"\n  {'id':>4}  {'term':<20} {'school':<30} {'pupils':>7}  {'as of':<10}  imported")
    for s in found:
        print(
            f"  {s.id:>4}  {s.term:<20} {s.school or '-':<30} {s.students:>7,}  {s.as_of:%d/%m/%Y}  "
            f"{s.imported_at.astimezone():%d/%m/%Y %H:%M}"
        )
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one term's snapshot(s) with all their pupils' data."""
    with _store() as store:
        found = store.find(args.term, args.school)
        if not found:
            store.find_one(args.term, args.school)  # raises with the stored terms listed
        if len(found) > 1 and not args.all_schools:
            names = ", ".join(f"'{s.school}'" for s in found)
            print(
                f"natbacc: term '{args.term}' is stored for {len(found)} schools ({names}); name one with "
                "--school, or delete them all with --all-schools.",
                file=sys.stderr,
            )
            return EXIT_USAGE
        store.delete([s.id for s in found])
    for s in found:
        print(f"Deleted snapshot {s.id}: {s.title} ({s.students:,} pupils)")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete everything in the store (after confirmation)."""
    from natbacc.model import plural

    with _store() as store:
        n = len(store.snapshots())
        if not args.yes:
            if not sys.stdin.isatty():
                print("natbacc: purge deletes everything; confirm with --yes when not at a terminal.", file=sys.stderr)
                return EXIT_USAGE
            answer = input(
                f"This deletes all {n:,} snapshots, every pupil's data and the saved settings in "
                f"{store.location}.\nType 'purge' to confirm: "
            )
            if answer.strip().lower() != "purge":
                print("Nothing deleted.")
                return EXIT_BLOCKED
        store.purge()
        print(f"Purged {store.location}: {plural(n, 'snapshot')} and the saved settings deleted.")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    """Write the synthetic sample school."""
    from natbacc.sample import write_sample

    for path in write_sample(args.out):
        print(path)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the dashboard from the installed package (no checkout needed)."""
    from natbacc.serve import serve

    return serve(port=args.port, address=args.address)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="natbacc",
        description="Curriculum breadth tracker for English secondary schools (NBfE-aligned).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_import_args(p: argparse.ArgumentParser, files: str = "+") -> None:
        p.add_argument(
            "files", nargs=files, help="exports to read: .xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, CTF .xml (any mix)"
        )
        p.add_argument(
            "--kind",
            action="append",
            metavar="FILE=KIND",
            help=f"say what an ambiguous file or sheet holds ({', '.join(_KINDS)}); repeatable",
        )
        p.add_argument(
            "--school",
            action="append",
            metavar="NAME or FILE=SCHOOL",
            help="school name for pupils whose files carry none; or FILE=SCHOOL (repeatable) to say which school "
            "of a trust each file is from, e.g. --school pupils_a.csv=SCH01 (pupils are then school + ID)",
        )
        p.add_argument("--settings", metavar="TOML", help="your NBfE rule set (overrides the defaults)")
        p.add_argument("--subjects", metavar="CSV", help="subject mapping overrides: columns label, area[, subject]")

    check = sub.add_parser("check", help="import and validate files; exit 1 if a blocking error stops the import")
    add_import_args(check)
    check.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    check.set_defaults(func=cmd_check)

    report = sub.add_parser(
        "report", help="score every pupil (from files, or a stored term with --term) and write the records workbook"
    )
    add_import_args(report, files="*")
    report.add_argument("--term", metavar="LABEL", help="report on a stored term instead of files")
    report.add_argument(
        "-o",
        "--output",
        help="workbook to write (default: a name saying school, term and date, e.g. "
        "natbacc-records_Oakfield-Academy_Autumn-2026_2026-11-20.xlsx)",
    )
    report.add_argument(
        "--pseudonymise",
        action="store_true",
        help="for sharing: pupils as stable codes, no tutor group, sex, SEN, PP or EAL per pupil, k-anonymous "
        "(key: NATBACC_PSEUDONYM_KEY, at least 32 bytes)",
    )
    report.add_argument(
        "--pdf",
        metavar="PDF",
        help="also (or, without -o, only) write the report for governors as a PDF: school, term, the three "
        "strands, top findings with national comparisons, charts, equity; no pupil named",
    )
    report.add_argument("--record-cards", metavar="GROUP", help="add a record-card sheet per pupil of this tutor group")
    report.add_argument("--as-of", metavar="DATE", help="date the targets are pro-rated to (default: today)")
    report.add_argument("--findings", type=int, default=8, help="how many findings to print (default: 8)")
    report.set_defaults(func=cmd_report)

    imp = sub.add_parser("import", help="import files and keep them in the store as one term's snapshot")
    add_import_args(imp)
    imp.add_argument("--term", required=True, metavar="LABEL", help="the term's label, e.g. 'Autumn 2026'")
    imp.add_argument("--as-of", metavar="DATE", help="date the targets are pro-rated to (default: today)")
    imp.add_argument("--replace", action="store_true", help="replace a snapshot of the same term and school")
    imp.set_defaults(func=cmd_import)

    award = sub.add_parser(
        "award",
        help="the NBfE award: each pupil's tier, status and what is missing; certificates and transcripts (-o)",
    )
    add_import_args(award, files="*")
    award.add_argument("--as-of", metavar="DATE", help="date to judge on (default: today, or the stored term's)")
    award.add_argument("--json", action="store_true", help="print only the JSON list of pupils on standard output")
    award.add_argument(
        "-o",
        "--output",
        metavar="OUT.pdf|OUT.zip",
        help="write certificates and transcripts: one PDF for the cohort, or a zip with one PDF per pupil",
    )
    award.add_argument(
        "--term", metavar="LABEL", help="a stored term: judged on its own, or its logs added to the files given"
    )
    award.set_defaults(func=cmd_award)

    snaps = sub.add_parser("snapshots", help="list the stored snapshots")
    snaps.add_argument("--json", action="store_true", help="print a JSON list instead of the table")
    snaps.set_defaults(func=cmd_snapshots)

    delete = sub.add_parser("delete", help="delete a stored term with all its pupils' data")
    delete.add_argument("--term", required=True, metavar="LABEL", help="the term to delete")
    delete.add_argument("--school", help="the school, when the term is stored for several")
    delete.add_argument("--all-schools", action="store_true", help="delete the term for every school")
    delete.set_defaults(func=cmd_delete)

    purge = sub.add_parser("purge", help="delete everything in the store (asks for confirmation)")
    purge.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    purge.set_defaults(func=cmd_purge)

    sample = sub.add_parser("sample", help="write the synthetic sample school's files")
    sample.add_argument("--out", default="sample_data", help="directory to write (default: sample_data)")
    sample.set_defaults(func=cmd_sample)

    serve = sub.add_parser("serve", help="start the dashboard (on the sample school) from the installed package")
    serve.add_argument("--port", type=int, default=8501, help="port to listen on (default: 8501)")
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; deploy behind a proxy with sign-in)",
    )
    serve.set_defaults(func=cmd_serve)

    from natbacc.options.command import add_parser as add_options_parser

    add_options_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``natbacc`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        _split_schools(args)
        return int(args.func(args))
    except SystemExit as exc:  # commands stop early with an exit code, or a message for a usage error
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `natbacc snapshots | head`: the reader has all it wanted
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        # A traceback shows the values in play, and here they are pupils' data; scheduled runs keep stderr
        # in logs. The type is enough to report the problem; NATBACC_DEBUG=1 shows the traceback.
        if os.environ.get("NATBACC_DEBUG"):
            raise
        print(
            f"natbacc: unexpected error ({type(exc).__name__}); nothing was written. Run it again with "
            "NATBACC_DEBUG=1 to see the details, and report it without attaching pupil data.",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
