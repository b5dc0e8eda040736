"""Sheets that name pupils but carry no pupil ID: Microsoft/Google Forms option responses, course-request
sheets keyed by name, class lists by name. They are matched to the pupil list once every file is read.

Matching never guesses:

1. by email, where the pupil list has one (a school account: ``Email``, ``School Email``, or a
   ``Username`` holding addresses);
2. when the email matches no pupil (pupils often answer from a personal account) or there is none,
   by normalised name (case, accents, spacing and word order ignored) narrowed by tutor group and
   year when the response gives them;
3. a response matching no pupil, or more than one, is reported by row and not used.

A pupil who answered a form twice keeps the latest response (by its timestamp, else the later row),
and the report says so. Email addresses are used for matching only: never kept, stored or shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from natbacc.io.header import Header, load_aliases, normalise_header
from natbacc.io.issues import IssueLog
from natbacc.io.issues import where as describe
from natbacc.io.source import Grid
from natbacc.model import Issue, plural
from natbacc.vocabulary import IssueCode

__all__ = ["KeyedSheet", "form_header", "keyed_sheet", "match_keyed", "missing_id_issue", "pupil_emails"]

_EMAIL = {"email", "emailaddress", "schoolemail", "studentemail", "pupilemail", "emailid", "mail", "workemail"}
_TIME = ("completiontime", "timestamp", "submittedat", "submitted", "responsedate", "starttime", "date")
_FORM_MARKERS = {"completiontime", "starttime", "timestamp", "submittedat"}
_RANKS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5}
_RANK_CHOICE = re.compile(r"(?i)\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth)\s+(choice|option|preference)")
_BLOCK_IN_TEXT = re.compile(r"(?i)\b(?:block|column)\s+([A-J])\b")
_COURSE_SLOT = re.compile(r"(?i)^\s*c\s*(\d{1,2})\s*$")
_RESERVE = re.compile(r"(?i)reserve|backup|second[- ]choice for")


@dataclass
class KeyedSheet:
    """A sheet of option choices or classes that names pupils by email or name instead of an ID."""

    grid: Grid
    header_row: int
    kind: Literal["options", "enrolments"]
    roles: dict[str, int]  # email, name, forename, surname, reg, year, time -> column
    choices: list[tuple[int, str]] = field(default_factory=list)  # column, canonical heading
    keep: list[tuple[int, str]] = field(default_factory=list)  # enrolments: class/subject/period columns
    form: bool = False
    headings: dict[int, str] = field(default_factory=dict)


def _choice_heading(text: str) -> str | None:
    if _RESERVE.search(text):
        return None
    if m := _BLOCK_IN_TEXT.search(text):
        return f"Block {m.group(1).upper()}"
    if m := _RANK_CHOICE.search(text):
        return f"Choice {_RANKS[m.group(1).lower()]}"
    if m := _COURSE_SLOT.match(text):
        return f"Choice {int(m.group(1))}"
    return None


def keyed_sheet(grid: Grid, header: Header) -> KeyedSheet | None:
    """The sheet as a name- or email-keyed sheet, or None when it has a pupil ID (or names nobody)."""
    cells = [str(c).strip() for c in grid.cells.iloc[header.row].tolist()]
    keys = [normalise_header(c) for c in cells]
    form = bool(set(keys) & _FORM_MARKERS)
    if {"student_id", "upn"} & header.fields.keys():
        # A form's bare "ID" is its response number, not a pupil; any other ID heading (Adno, UPN) is a pupil ID.
        id_col = header.fields.get("student_id")
        if not form or "upn" in header.fields or id_col is None or normalise_header(header.names[id_col]) != "id":
            return None
    roles: dict[str, int] = {}
    if (email := next((i for i, k in enumerate(keys) if k in _EMAIL), None)) is not None:
        roles["email"] = email
    for role, fld in (
        ("name", "name"),
        ("forename", "forename"),
        ("surname", "surname"),
        ("reg", "reg_group"),
        ("year", "year_group"),
    ):
        if fld in header.fields:
            roles[role] = header.fields[fld]
    if (time := next((keys.index(t) for t in _TIME if t in keys), None)) is not None:
        roles["time"] = time
    if not {"email", "name", "forename", "surname"} & roles.keys():
        return None
    taken = set(roles.values())
    choices = [(c, f"Block {b}" if b.isalpha() else f"Choice {int(b)}") for c, b in header.option_columns]
    choices += [
        (i, heading)
        for i, text in enumerate(cells)
        if i not in taken and i not in {c for c, _ in choices} and (heading := _choice_heading(text))
    ]
    first_of: dict[str, int] = {}
    for c, h in choices:
        first_of.setdefault(h, c)
    choices = [(c, h) for h, c in first_of.items()]
    headings = {i: c for i, c in enumerate(cells) if c}
    if choices:
        return KeyedSheet(grid, header.row, "options", roles, choices, form=form, headings=headings)
    kept = [
        (header.fields[f], header.names[header.fields[f]])
        for f in ("class_code", "subject", "periods", "periods_per_week", "periods_per_fortnight")
        if f in header.fields
    ]
    if any(h for c, h in kept if c in (header.fields.get("class_code"), header.fields.get("subject"))):
        return KeyedSheet(grid, header.row, "enrolments", roles, keep=kept, form=form, headings=headings)
    return None


def form_header(grid: Grid) -> Header | None:
    """The header of a form export that names too few known columns for ``find_header`` (Google Forms:
    ``Timestamp, Email address, First choice, ...``): a row among the first five with a form's timestamp
    and an email or name column."""
    aliases = load_aliases()
    for r in range(min(5, len(grid.cells))):
        cells = [str(c).strip() for c in grid.cells.iloc[r].tolist()]
        keys = [normalise_header(c) for c in cells]
        names_someone = set(keys) & _EMAIL or "name" in {aliases.field_of.get(k) for k in keys}
        if not set(keys) & _FORM_MARKERS or not names_someone:
            continue
        header = Header(row=r, names={i: c for i, c in enumerate(cells) if c})
        for i, key in enumerate(keys):
            if (fld := aliases.field_of.get(key)) is not None:
                header.fields.setdefault(fld, i)
            elif (m := aliases.option_pattern.match(key)) is not None:
                header.option_columns.append((i, m.group(1).upper()))
        return header
    return None


def _found(sheet: KeyedSheet) -> str:
    named = [sheet.headings[c] for r, c in sheet.roles.items() if r != "time"]
    extra = [f"{plural(len(sheet.choices), 'choice column')}"] if sheet.choices else [h for _, h in sheet.keep]
    parts = [*named, *extra]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def missing_id_issue(sheet: KeyedSheet) -> Issue:
    """The blocking error for a keyed sheet when the upload has no pupil list to match it against."""
    by = "email or name" if "email" in sheet.roles else "name"
    return Issue(
        "error",
        f"{describe(sheet.grid.file, sheet.grid.sheet)} has {_found(sheet)} but no pupil ID: add an Adno or UPN "
        f"column, or upload the pupil list so pupils can be matched by {by}.",
        file=sheet.grid.file,
        sheet=sheet.grid.sheet,
        row=sheet.header_row + 1,
        code=IssueCode.NO_ID_COLUMN,
    )


def _email_key(values: pd.Series) -> pd.Series:
    return values.fillna("").astype("str").str.strip().str.casefold()


def _name_key(values: pd.Series) -> pd.Series:
    def key(text: str) -> str:
        plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        words = re.findall(r"[a-z0-9]+", plain.casefold().replace("'", "").replace("\u2019", ""))
        return " ".join(sorted(words))

    codes, uniques = pd.factorize(values.fillna("").astype("str"))
    keys = pd.Series([key(u) for u in uniques] + [""], dtype="str")
    return pd.Series(keys.take(codes).to_numpy(), index=values.index, dtype="str")


def pupil_emails(grid: Grid, header: Header, pupils: pd.DataFrame) -> pd.DataFrame:
    """``email`` -> ``student_id`` from a pupil list's email column (matching only; never stored)."""
    cells = [normalise_header(c) for c in grid.cells.iloc[header.row].tolist()]
    col = next((i for i, k in enumerate(cells) if k in _EMAIL), None)
    if col is None and "username" in cells:
        col = cells.index("username")
    if col is None or pupils.empty:
        return pd.DataFrame({"email": pd.Series(dtype="str"), "student_id": pd.Series(dtype="str")})
    email = _email_key(grid.cells.loc[pupils.index, col])
    frame = pd.DataFrame({"email": email, "student_id": pupils["student_id"]})
    return frame[frame["email"].str.contains("@", regex=False)]


def match_keyed(sheet: KeyedSheet, pupils: pd.DataFrame, emails: pd.DataFrame) -> tuple[Grid | None, list[Issue]]:
    """The sheet with a Student ID column from the pupil list, and a report of every row not matched."""
    grid, log = sheet.grid, IssueLog(sheet.grid.file, sheet.grid.sheet)
    data = grid.cells.iloc[sheet.header_row + 1 :].apply(lambda c: c.str.strip())
    data = data[(data != "").any(axis=1)]
    roles = sheet.roles

    def col(role: str) -> pd.Series:
        return data[roles[role]] if role in roles else pd.Series("", index=data.index, dtype="str")

    name = col("name")
    if "name" not in roles:
        name = (col("forename") + " " + col("surname")).str.strip()
    resp = pd.DataFrame(
        {"email": _email_key(col("email")), "name": _name_key(name), "reg": col("reg").map(normalise_header)},
        index=data.index,
    )
    resp["year"] = pd.to_numeric(col("year").str.extract(r"(\d{1,2})")[0], errors="coerce")
    matched = pd.Series(pd.NA, index=data.index, dtype="str")
    how = pd.Series("", index=data.index, dtype="str")
    if not emails.empty:
        by_email = emails.drop_duplicates("email", keep=False).set_index("email")["student_id"]
        found = resp["email"].map(by_email)
        matched, how = matched.fillna(found), how.mask(found.notna(), "email")
    rest = resp[matched.isna()]
    people = pd.DataFrame(
        {
            "student_id": pupils["student_id"].astype("str"),
            "name": _name_key(pupils["name"]) if "name" in pupils else "",
            "p_reg": pupils["reg_group"].fillna("").map(normalise_header) if "reg_group" in pupils else "",
            "p_year": pd.to_numeric(pupils["year_group"], errors="coerce") if "year_group" in pupils else pd.NA,
        }
    )
    people = people[people["name"] != ""]
    pairs = rest[rest["name"] != ""].reset_index(names="row").merge(people, on="name", how="inner")
    fits = ((pairs["reg"] == "") | (pairs["p_reg"] == "") | (pairs["reg"] == pairs["p_reg"])) & (
        pairs["year"].isna() | pairs["p_year"].isna() | (pairs["year"] == pairs["p_year"])
    )
    pairs = pairs[fits.fillna(True).astype(bool)]
    count = pairs.groupby("row")["student_id"].nunique()
    unique = pairs[pairs["row"].isin(count[count == 1].index)].drop_duplicates("row").set_index("row")["student_id"]
    matched = matched.fillna(unique.reindex(matched.index))
    how = how.mask(how.eq("") & matched.notna(), "name")
    ambiguous = count[count > 1]
    candidates = (
        pairs[pairs["row"].isin(ambiguous.index)].groupby("row")["student_id"].agg(lambda s: ", ".join(sorted(set(s))))
    )
    where = describe(grid.file, grid.sheet)
    log.rows(
        pd.Series(data.index.isin(candidates.index), index=data.index),
        candidates.reindex(data.index).fillna(""),
        "This row matches more than one pupil by name (pupil IDs {value}), so it was not used: natbacc never "
        "guesses between pupils. Add the tutor group or the school email to the row.",
        column=sheet.headings.get(roles.get("name", roles.get("surname", -1))),
        code=IssueCode.FORM_AMBIGUOUS,
    )
    unmatched = matched.isna() & ~pd.Series(data.index.isin(candidates.index), index=data.index)
    by = "email or name" if "email" in roles else "name"
    log.rows(
        unmatched,
        None,
        f"No pupil in the pupil list matches this row by {by}"
        + (" and tutor group/year" if {"reg", "year"} & roles.keys() else "")
        + ", so it was not used. Check the name against the pupil list.",
        column=sheet.headings.get(roles.get("name", roles.get("surname", roles.get("email", -1)))),
        code=IssueCode.FORM_UNMATCHED,
    )
    keep = matched.notna()
    repeated = 0
    if sheet.kind == "options":
        order = pd.DataFrame({"id": matched, "row": data.index}, index=data.index)
        if "time" in roles:
            order["time"] = pd.to_datetime(col("time"), errors="coerce", dayfirst=True, format="mixed")
        else:
            order["time"] = pd.NaT
        order = order[keep].sort_values(["time", "row"], na_position="first", kind="stable")
        latest = ~order.duplicated("id", keep="last")
        earlier = order[~latest]
        repeated = int(earlier["id"].nunique())
        earlier_rows = earlier.groupby("id", sort=False)["row"].agg(
            lambda r: ("row " if len(r) == 1 else "rows ") + ", ".join(str(int(x) + 1) for x in r)
        )
        kept = order[latest & order["id"].isin(earlier_rows.index)]
        log.rows(
            pd.Series(data.index.isin(kept["row"]), index=data.index),
            (kept["id"] + " (earlier: " + kept["id"].map(earlier_rows) + ")").reindex(data.index),
            "Pupil {value} answered more than once; this, the latest response, was kept and the earlier ones "
            "were not used.",
            column=None,
            code=IssueCode.FORM_REPEATED,
            severity="info",
        )
        keep = pd.Series(data.index.isin(order.index[latest.to_numpy()]), index=data.index)
    ids = matched[keep]
    counts = how[matched.notna()].value_counts()
    parts = [f"{int(counts.get('email', 0)):,} matched to the pupil list by email"] if "email" in roles else []
    parts.append(
        f"{int(counts.get('name', 0)):,} {'by name' if parts else 'matched to the pupil list by name'}"
        + (" and tutor group/year" if {"reg", "year"} & roles.keys() else "")
    )
    parts += [f"{int(unmatched.sum()):,} matched no pupil (not used)"] if unmatched.any() else []
    parts += [f"{len(candidates):,} matched more than one pupil (not used)"] if len(candidates) else []
    parts += [f"{repeated:,} pupils answered more than once (the latest response kept)"] if repeated else []
    log.add(
        "info",
        f"Read {where} as {'form responses' if sheet.form else 'rows keyed by name'} without pupil IDs: "
        f"{plural(len(data), 'row')}; " + "; ".join(parts) + ".",
        code=IssueCode.FORM_RESPONSES,
    )
    if ids.empty:
        return None, log.issues
    columns = sheet.choices if sheet.kind == "options" else sheet.keep
    rows = pd.concat([ids.rename("id"), data.loc[ids.index, [c for c, _ in columns]]], axis=1)
    headings = ["Student ID", *[h for _, h in columns]]
    cells = pd.concat([pd.DataFrame([headings]), pd.DataFrame(rows.astype(str).to_numpy().tolist())], ignore_index=True)
    return Grid(grid.file, grid.sheet, cells.fillna("")), log.issues
