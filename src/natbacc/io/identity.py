"""Who each row is about: in a trust's upload a pupil is the pair (school, pupil ID).

A trust's exports restart pupil IDs in every school: pupil 17 at SCH01 and pupil 17 at SCH02 are two
children. When an upload names more than one school (a school column, or a school named per file on
the Import page or with ``--school FILE=SCHOOL``), every row gets ``pupil_key`` = school + separator + ID,
and every join of the canonical tables (classes to pupils, options, logs, scoring, the store) uses it.
With one school or none, ``pupil_key`` is the pupil ID itself, so a single school's import is exactly
what it always was.

Why one key column rather than a two-column (school, student_id) index: each join stays a one-column
lookup (``pd.Index.get_indexer``, ``isin``, ``groupby``), as fast as before and written the same way
everywhere; the store keeps one extra text column; and people never see it: pages, workbooks and the CLI
show ``school`` and ``student_id`` as the files give them.

A row whose file names no school is given the school its pupil ID has in the other files when exactly one
school has that ID; when several do, the row cannot be placed and is left out with a warning at its row.
The same pupil of one school given two year groups, or two names with no word in common, is warned with
both rows located: it is the sign of IDs that restart per school imported without the school.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from natbacc.io.build import Built
from natbacc.io.issues import MAX_ROWS_LISTED, IssueLog, where
from natbacc.model import KEY_SEPARATOR, Issue, plural
from natbacc.vocabulary import IssueCode

__all__ = ["conflicting_facts", "key_labels", "key_pupils", "pupil_keys"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LISTED_SCHOOLS = 5


def pupil_keys(school: pd.Series, ids: pd.Series) -> pd.Series:
    """``school`` + separator + ID for each row; the ID alone where the school is not known."""
    return (school.astype("str") + KEY_SEPARATOR + ids.astype("str")).fillna(ids).astype("str")


def key_labels(keys: pd.Series | pd.Index) -> pd.Series:
    """Keys as people read them: "17 (SCH01)" for a trust's pupil, the ID alone otherwise."""
    text = pd.Series(keys, dtype="str")
    if text.empty:
        return text
    parts = text.str.partition(KEY_SEPARATOR)
    keyed = parts[1] != ""
    return (parts[2] + " (" + parts[0] + ")").where(keyed, parts[0])


def clean_school(name: str) -> str:
    """A school named by the user (CLI, Import page): stripped, without control characters."""
    return _CONTROL.sub("", name).strip()


def _schools_in(built: list[Built]) -> list[str]:
    found: set[str] = set()
    for b in built:
        if "school" in b.students:
            found.update(b.students["school"].dropna().astype("str"))
    return sorted(found)


def key_pupils(built: list[Built], named: Mapping[str, str] | None = None) -> list[Issue]:
    """Set ``pupil_key`` (and the resolved ``school``) on every built sheet's rows and pupil facts, in place.

    ``named`` gives a school per file name (or "file:sheet"), filling that file's blank school cells. Returns
    the issues: rows that could not be placed at one school, and a note when pupils are keyed by school.
    """
    named = {k: clean_school(v) for k, v in (named or {}).items() if clean_school(v)}
    for b in built:
        school = named.get(f"{b.file}:{b.sheet}") or named.get(b.file)
        if school:
            facts = b.students
            facts["school"] = facts["school"].fillna(school) if "school" in facts else school
    schools = _schools_in(built)
    issues: list[Issue] = []
    if len(schools) <= 1:
        for b in built:
            b.students["pupil_key"] = b.students["student_id"]
    else:
        issues += _key_by_school(built, schools)
    for b in built:
        b.table["pupil_key"] = b.students["pupil_key"].reindex(b.table.index).to_numpy()
        if "school" in b.table and "school" in b.students:
            b.table["school"] = b.students["school"].reindex(b.table.index).to_numpy()
    return issues


def _key_by_school(built: list[Built], schools: list[str]) -> list[Issue]:
    # Every sheet's pupil rows at once (one pass, not one per sheet), then handed back sheet by sheet.
    sizes = [len(b.students) for b in built]
    ids = pd.concat([b.students["student_id"] for b in built], ignore_index=True).astype("str")
    school = pd.concat(
        [
            b.students["school"] if "school" in b.students else pd.Series(pd.NA, index=b.students.index, dtype="str")
            for b in built
        ],
        ignore_index=True,
    ).astype("str")
    known = pd.DataFrame({"student_id": ids, "school": school}).dropna().drop_duplicates()
    per_id = known.groupby("student_id")["school"]
    count, only = per_id.size(), per_id.first()
    blank = school.isna()
    school = school.fillna(ids.map(only[count == 1]).astype("str"))
    ambiguous = (blank & ids.isin(count.index[count > 1])).to_numpy()
    keys = pupil_keys(school, ids).to_numpy()
    school_cells = school.to_numpy()
    issues: list[Issue] = []
    start = 0
    for b, n in zip(built, sizes, strict=True):
        part = slice(start, start + n)
        start += n
        facts = b.students.assign(school=school_cells[part], pupil_key=keys[part])
        refused = pd.Series(ambiguous[part], index=facts.index)
        if refused.any():
            log = IssueLog(b.file, b.sheet)
            log.rows(
                refused,
                facts["student_id"],
                "Pupil ID '{value}' is used at more than one school of this upload and this file does not say "
                "which school, so the row was not used. Add a School column to the file, or name its school "
                "when importing (natbacc --school 'FILE=SCHOOL', or the file's school box on the Import page).",
                column=b.id_column,
                code=IssueCode.PUPIL_AT_SEVERAL_SCHOOLS,
            )
            issues += log.issues
            b.table = b.table[~b.table.index.isin(facts.index[refused.to_numpy()])]
            facts = facts[~refused]
        b.students = facts
    shown = ", ".join(schools[:_LISTED_SCHOOLS]) + (" ..." if len(schools) > _LISTED_SCHOOLS else "")
    issues.append(
        Issue(
            "info",
            f"This upload holds {len(schools)} schools ({shown}): each pupil is identified by school and pupil ID, "
            "so the same ID at two schools is two pupils.",
            file=next((b.file for b in built if "school" in b.students), built[0].file if built else ""),
            code=IssueCode.KEYED_BY_SCHOOL,
        )
    )
    return issues


def _words(name: str) -> frozenset[str]:
    """A name's words, ignoring case, accents and punctuation ("O'Brien, Zoë" -> {o, brien, zoe})."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return frozenset(re.findall(r"\w+", plain.casefold()))


def _different_people(a: pd.Series, b: pd.Series) -> pd.Series:
    """True where two names share no word: not a nickname or a reordering, another person.

    Compared once per distinct pair of names (a loop over distinct values, not over pupils).
    """
    pairs = pd.DataFrame({"a": a.to_numpy(), "b": b.to_numpy()})
    distinct = pairs[pairs["a"] != pairs["b"]].drop_duplicates()
    distinct["other"] = [
        not (_words(x) & _words(y)) for x, y in zip(distinct["a"].tolist(), distinct["b"].tolist(), strict=True)
    ]
    other = pairs.merge(distinct, on=["a", "b"], how="left")["other"]
    return pd.Series(other.eq(True).to_numpy(bool), index=a.index)


_WHAT = {"year_group": ("year group", IssueCode.CONFLICTING_YEAR), "name": ("name", IssueCode.CONFLICTING_NAME)}


def _shown(column: str, value: object) -> str:
    return f"Year {value}" if column == "year_group" else f"'{value}'"


def conflicting_facts(built: list[Built], students: pd.DataFrame) -> list[Issue]:
    """A warning per pupil of one school whose rows give two year groups, or two names with no word in common.

    Each names the first row and the first row that disagrees with it (file, sheet, row), and the value
    natbacc used (``students``, the joined pupils table). Years worked out from class codes are not compared.
    """
    frames = []
    for n, b in enumerate(built):
        facts = b.students.loc[b.table.index.unique()] if b.kind == "students" else b.students
        cols = [c for c in _WHAT if c in facts and not (c == "year_group" and b.year_from_codes)]
        if cols and len(facts):  # where each row is from, as numbers (the sheet's position in ``built``, the row)
            part = facts[["pupil_key", *cols]].reset_index(drop=True)
            frames.append(part.assign(at=n, row=facts.index.to_numpy() + 1))
    if not frames:
        return []
    rows = pd.concat(frames, ignore_index=True)
    used = students.set_index("pupil_key")
    issues: list[Issue] = []
    for column, (what, code) in _WHAT.items():
        if column not in rows:
            continue
        have = rows.dropna(subset=[column])
        first = have.drop_duplicates("pupil_key").set_index("pupil_key")
        reference = have["pupil_key"].map(first[column])
        if column == "name":
            differs = _different_people(have[column].astype("str"), reference.astype("str"))
        else:
            differs = have[column].astype("Int64") != reference.astype("Int64")
        clashes = have[differs.to_numpy(bool)].drop_duplicates("pupil_key")
        labels = key_labels(clashes["pupil_key"]).tolist()
        for label, (_, row) in list(zip(labels, clashes.iterrows(), strict=True))[:MAX_ROWS_LISTED]:
            one = first.loc[row["pupil_key"]]
            value = used[column].get(row["pupil_key"])
            there, here = built[int(one["at"])], built[int(row["at"])]
            before = f"{where(there.file, there.sheet)} row {int(one['row'])}"
            issues.append(
                Issue(
                    "warning",
                    f"Pupil {label} is given two {what}s: {_shown(column, one[column])} in {before} and "
                    f"{_shown(column, row[column])} here. Are these two pupils with the same ID (a trust export "
                    f"without its school column)? natbacc used {_shown(column, value)}; correct the export, or add "
                    "the School column.",
                    file=here.file,
                    sheet=here.sheet,
                    row=int(row["row"]),
                    code=code,
                )
            )
        if len(clashes) > MAX_ROWS_LISTED:
            rest = built[int(clashes["at"].iloc[MAX_ROWS_LISTED])]
            issues.append(
                Issue(
                    "warning",
                    f"{plural(len(clashes) - MAX_ROWS_LISTED, 'more pupil')} are given two {what}s in the same way.",
                    file=rest.file,
                    sheet=rest.sheet,
                    code=code,
                )
            )
    return issues
