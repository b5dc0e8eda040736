"""Vectorised parsers for the values schools type into spreadsheets.

Each parser takes a text Series (as read from the file) and returns the parsed Series plus a
boolean mask of cells that were present but could not be understood, so the caller can report the
exact rows. Nothing here loops per row in Python: distinct values are parsed once and mapped back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import pandas as pd

from natbacc.distinct import by_unique
from natbacc.io.header import normalise_header
from natbacc.model import secondary_years

_TRUE = {"y", "yes", "true", "t", "1", "pp", "fsm", "eal", "x", "✓", "ever6", "ever 6", "disadvantaged"}
_FALSE = {"n", "no", "false", "f", "0", "", "-", "none", "not eligible", "non pp", "non-pp", "nonpp"}


def blank(series: pd.Series) -> pd.Series:
    """True where a cell is empty or whitespace."""
    return series.isna() | (series.astype("str").str.strip() == "")


def _by_distinct(
    series: pd.Series, parse: Callable[[str], object], dtype: Literal["Int64", "boolean", "str"]
) -> pd.Series:
    """``parse`` of each cell's stripped text, worked out once per distinct text (``distinct.by_unique``)."""
    text = series.fillna("").astype("str").str.strip()

    def parse_all(part: pd.Series) -> pd.Series:
        return part.map(parse).astype(dtype)

    return by_unique(text, parse_all)


_YEAR = re.compile(r"^(?:nc\s*)?(?:year|yr|y|ncy)?\s*(\d{1,2})(?:\.0+)?$")


def _year(value: str) -> object:
    match = _YEAR.match(value.lower().replace("-", " ").strip())
    return int(match.group(1)) if match else pd.NA


def parse_year_group(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ "Year 10", "Y10", "Yr 10", "10", "NC Year 10" -> 10. Bad: present but not a year 7-13."""
    years = secondary_years(_by_distinct(series, _year, "Int64"))
    return years, ~blank(series) & years.isna()


def _bool(value: str) -> object:
    v = value.lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return pd.NA


def parse_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/No, Y/N, True/False, 1/0, blank (= No). Bad: anything else (left unknown)."""
    values = _by_distinct(series, _bool, "boolean")
    return values, values.isna()


_SEN = {
    "n": "N",
    "no": "N",
    "none": "N",
    "": "N",
    "no sen": "N",
    "-": "N",
    "k": "K",
    "sen support": "K",
    "support": "K",
    "school action": "K",
    "school action plus": "K",
    "a": "K",
    "p": "K",
    "e": "E",
    "ehcp": "E",
    "ehc plan": "E",
    "ehc": "E",
    "education health and care plan": "E",
    "s": "E",
    "statement": "E",
    "statemented": "E",
    # SEN held as yes/no (a trust warehouse's T/F "send" column): yes says SEN without saying which provision.
    "y": "U",
    "yes": "U",
    "t": "U",
    "true": "U",
    "f": "N",
    "false": "N",
}


def parse_sen(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """SEN provision codes N/K/E (school census). Obsolete S (statement) and A/P (School Action
    /Plus) are mapped to their successors E and K. Yes/no (Y/N, T/F, True/False) is U for yes (SEN, type
    not given; ``vocabulary.Sen``) and N for no. Bad: unknown codes (treated as N)."""
    text = series.fillna("").astype("str").str.strip().str.lower()
    mapped = text.map(_SEN)
    bad = mapped.isna()
    return mapped.fillna("N").astype("str"), bad


_SEX = {"m": "M", "male": "M", "boy": "M", "b": "M", "f": "F", "female": "F", "girl": "F", "g": "F"}


def parse_sex(series: pd.Series) -> pd.Series:
    """M / F from the common spellings; anything else is kept as written (never guessed)."""
    text = series.fillna("").astype("str").str.strip()
    mapped = text.str.lower().map(_SEX)
    return mapped.fillna(text.where(text != "")).astype("str")


#: First-language codes of the DfE school census and the CTF (the CBDS language code set), and the words
#: exports print for them. The DfE's own list of the codes (NPD data dictionary, "First Language",
#: https://find-npd-data.education.gov.uk/en/data_elements/f3f105ba-29e7-45b6-8d82-9bf2a582f99a):
#: ENG English and ENB "not known but believed to be English" are English; OTH "other than English",
#: OTB "not known but believed to be other than English" and every specific language (POL, URD, ...) are
#: EAL; NOT "information not obtained", REF "refused" and PEN "classification pending" are unknown. UNK
#: is not a DfE code, but MIS exports use it for "unknown". See docs/sources.md#dfe-ctf.
_ENGLISH = frozenset({"eng", "enb", "english", "english (believed)", "not known but believed to be english"})
_UNKNOWN_LANGUAGE = frozenset(
    {"", "not", "ref", "pen", "unk", "refused", "not obtained", "information not obtained", "unknown"}
    | {"classification pending"}
)


def first_language_is_eal(code: str) -> bool | None:
    """EAL from one first-language code or word: True, False, or None when it is not known."""
    text = code.strip().lower()
    if text in _UNKNOWN_LANGUAGE:
        return None
    return text not in _ENGLISH


def eal_from_first_language(series: pd.Series) -> pd.Series:
    """EAL = first language not English (unknown when refused, not obtained, pending or blank)."""
    return _by_distinct(series, lambda v: pd.NA if (eal := first_language_is_eal(v)) is None else eal, "boolean")


def parse_number(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers, with "4.5", "4,5" and "4 hrs" tolerated. Returns (values, not-a-number, negative)."""
    return by_unique(series, _parse_number)


def _parse_number(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    text = series.fillna("").astype("str").str.strip()
    cleaned = text.str.replace(r"(?i)\s*(h|hr|hrs|hours?|periods?|lessons?)$", "", regex=True).str.replace(
        r"^(\d+),(\d+)$", r"\1.\2", regex=True
    )
    values = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce").astype("Float64")
    not_number = (text != "") & values.isna()
    negative = values.lt(0).fillna(False).astype(bool)
    return values.mask(negative), not_number, negative


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)


def parse_date(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """UK day-first dates ("03/10/2026" is 3 October), ISO dates and spreadsheet date cells."""
    return by_unique(series, _parse_date)


def _parse_date(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = series.fillna("").astype("str").str.strip()
    result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[s]")
    todo = text != ""
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna()
        result.loc[hit[hit].index] = parsed[hit].astype("datetime64[s]")
        todo.loc[hit[hit].index] = False
    return result, todo


def lookup_aliases(series: pd.Series, aliases: dict[str, list[str]]) -> tuple[pd.Series, pd.Series]:
    """Map free text onto canonical names through an alias table (case- and spacing-insensitive).

    Used for project stages and PDP categories. Returns (canonical, unknown mask); unknown values
    are kept as written so nothing is lost.
    """

    table = {normalise_header(name): name for name in aliases}
    for name, names in aliases.items():
        for alias in names:
            table.setdefault(normalise_header(alias), name)
    text = series.fillna("").astype("str").str.strip()
    mapped = _by_distinct(text, lambda v: table.get(normalise_header(v), pd.NA), "str")
    unknown = mapped.isna() & (text != "")
    return mapped.fillna(text.where(text != "")).astype("str"), unknown
