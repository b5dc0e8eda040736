"""What ``natbacc award`` prints and writes (the command's argument handling is in ``natbacc.cli``)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from natbacc.award.documents import Letterhead, cohort_pdf, cohort_zip
from natbacc.award.status import SEP, AwardResult, evaluate
from natbacc.io.identity import key_labels
from natbacc.model import Tables, plural
from natbacc.settings import Settings
from natbacc.vocabulary import AwardStatus, Tier

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


def with_earlier_logs(tables: Tables, earlier: Tables | None) -> Tables:
    """``tables`` with a stored term's Personal Development log added (rows already in the files count once).

    A programme spans years; last year's log may only be in the store."""
    if earlier is None or earlier["development"].empty:
        return tables
    both = pd.concat([earlier["development"], tables["development"]], ignore_index=True)
    out = dict(tables)
    out["development"] = both.drop_duplicates(ignore_index=True)
    return out


def as_json(result: AwardResult) -> dict[str, list[dict[str, object]]]:
    """The ``--json`` shape: one entry per registered pupil, named by pupil ID as the files give it and school
    (the internal ``pupil_key`` is not shown)."""
    p = result.pupils

    def value(v: object) -> object:
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

    return {
        "pupils": [
            {
                "student_id": str(sid),
                "school": value(school),
                "programme": str(prog),
                "tier": value(tier),
                "status": str(status),
                "missing": [k for k in str(missing).split(SEP) if k],
            }
            for sid, school, prog, tier, status, missing in zip(
                p["student_id"], p["school"], p["programme"], p["tier"], p["status"], p["missing"], strict=True
            )
        ]
    }


def letterhead(settings: Settings) -> Letterhead:
    """The school name and logo the rule set names for certificates (a logo that cannot be read is left out)."""
    cfg = settings.award
    logo = None
    if cfg["logo"]:
        try:
            logo = Path(cfg["logo"]).read_bytes()
        except OSError as exc:
            print(f"natbacc: the logo {cfg['logo']} could not be read ({exc.strerror}); left out.", file=sys.stderr)
    return Letterhead(str(cfg["school_name"]), logo)


def print_summary(result: AwardResult) -> None:
    """Counts by tier and status, what is most often missing, and every pupil not on course, in words."""
    p = result.pupils
    print(f"natbacc award: {plural(len(p), 'registered pupil')}, as of {result.as_of:%d/%m/%Y}")
    tiers = p["tier"].fillna("").map(lambda t: Tier(t).label if t else "No tier yet")
    table = pd.crosstab(tiers, p["status"]).reindex(columns=[s.value for s in AwardStatus], fill_value=0)
    print("\nTier x status")
    print(table.to_string())
    counts = result.missing_counts()
    if len(counts):
        print("\nMost often missing")
        for key, n in counts.head(8).items():
            print(f"  {n:>5,}  {key}")
    act = p[p["status"].isin([AwardStatus.AT_RISK.value, AwardStatus.NOT_ON_COURSE.value])]
    if len(act):
        print(f"\nAt risk or not on course ({len(act):,}): pupil ID, year, status, what is missing")
        # "17 (SCH01)" in a trust's upload, where IDs restart per school; the ID alone for one school.
        for sid, year, status, reason in zip(
            key_labels(act["pupil_key"]), act["year_group"], act["status"], act["reason"], strict=True
        ):
            print(f"  {sid}  Y{year}  {status}: {reason}")


def run_award(
    tables: Tables, settings: Settings, as_of: date, *, json_out: bool, output: str | None, earlier: Tables | None
) -> int:
    """Judge the award, print it, and write the documents when asked."""
    if output and Path(output).suffix.lower() not in (".pdf", ".zip"):
        print(f"natbacc: -o writes a .pdf or a .zip, not '{output}'.", file=sys.stderr)
        return EXIT_USAGE
    tables = with_earlier_logs(tables, earlier)
    result = evaluate(tables, settings, as_of)
    if json_out:
        json.dump(as_json(result), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_summary(result)
    if output:
        head = letterhead(settings)
        data = (
            cohort_zip(result, tables, letterhead=head)
            if output.lower().endswith(".zip")
            else cohort_pdf(result, tables, letterhead=head)
        )
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            print(f"natbacc: could not write {output} ({exc.strerror or type(exc).__name__}).", file=sys.stderr)
            return EXIT_BLOCKED
        print(
            f"Wrote {output}: certificates and transcripts for {plural(len(result.pupils), 'pupil')} "
            f"({len(data) / 1024:,.0f} KB)",
            file=sys.stderr if json_out else sys.stdout,
        )
    return EXIT_OK
