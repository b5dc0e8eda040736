"""Subject -> Core Learning area mapping, from data files a school can override.

``config/subjects.csv`` lists canonical subjects with their area, the KS3 statutory subject they
satisfy and the KS4 entitlement area (Education Act 2002 s.85A) they are in (the six GCSE Art and Design
titles are art, docs/sources.md#aqa-art-and-design-titles); ``config/subject_aliases.csv``
maps the names and SIMS codes schools really use onto them. Short codes that mean different subjects in
different schools (``Ps``, ``Hs``, ``Lang``, ``Ss``, ``Sp``: ``config/subject_suggestions.csv``) are never
mapped silently: they stay unmapped, with the candidates shown for the school to confirm. A label
that matches nothing is never dropped: it maps to the ``unmapped`` area, is reported, and stays visible
until someone maps it.

Labels are resolved once per distinct label (a few hundred even for a trust), then broadcast back
to the rows, so mapping 100,000 enrolments costs one dictionary pass over the distinct labels.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from natbacc.distinct import by_unique
from natbacc.formulas import restore
from natbacc.model import ALL_AREAS, UNMAPPED, TableKind, secondary_years
from natbacc.text import match_key

#: SIMS-style class codes: ``10X/Ge2``, ``J9X/Sc3``, ``7x/Te1a``, ``12Y/Tu`` (docs/sources.md#mis-export-formats).
CLASS_CODE = re.compile(
    r"^(?P<prefix>[A-Za-z]?)(?P<year>\d{1,2})(?P<band>[A-Za-z]*)/(?P<subj>[A-Za-z]{1,4})(?P<set>\w*)$"
)

#: Other class-code styles seen in real exports (docs/sources.md#mis-export-formats), tried after the SIMS style:
#: year first with words (``Y10 Maths 1``, ``Y10-Bio-2``, ``10 IGCSE Physics 1``; aSc, FET schools) and
#: Gibbon's subject-year-class (``DR10.1``). Neither carries a band.
OTHER_CLASS_CODES = (
    re.compile(
        r"^(?:Y(?:ear)?\s*)?(?P<year>\d{1,2})[\s\-]+(?P<subj>[A-Za-z][A-Za-z &/\-]*?)[\s\-]+(?P<set>\d+[A-Za-z]?)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<subj>[A-Za-z]{1,4})(?P<year>\d{1,2})\.(?P<set>\w+)$"),
)

# Words that qualify a subject without changing it: qualification types, boards, levels, years, sets.
_NOISE = re.compile(
    r"\b(gcse|igcse|i/gcse|btec|tech|award|cambridge|nationals?|ocr|aqa|edexcel|pearson|wjec|eduqas|vcert|"
    r"ncfe|level|l[123]|a-?level|as|ks[345]|year|yr|y\d{1,2}|\d{1,2}[a-z]{0,2}(-[a-z])?|core|set|group|"
    r"option|options|double|single|dual|hl|sl|ib|foundation|higher|fnd|hgh|first|certificate|diploma|"
    r"extended|subsidiary|short|full|course|class|lesson|lessons|ks\d|a-d|e-h|[a-z])\b"
)


#: The key subject labels are matched on (the same key as column headings: ``natbacc.text.match_key``).
normalise_label = match_key


def _words(label: str) -> list[str]:
    return re.sub(r"[^a-z0-9/&\- ]", " ", label.lower().replace("&", " and ")).split()


@cache
def _read_config_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("natbacc.config").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class SubjectMap:
    """Resolves subject labels from school files to canonical subjects and Core Learning areas."""

    #: canonical subject -> (area, statutory subjects it satisfies)
    subjects: dict[str, tuple[str, tuple[str, ...]]]
    #: normalised alias -> canonical subject
    aliases: dict[str, str]
    #: normalised label -> (subject, area); a school's own decisions, applied first
    overrides: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: canonical subject -> the KS4 entitlement area it is in under s.85A (absent: none)
    entitlement: dict[str, str] = field(default_factory=dict)
    #: normalised ambiguous code -> the subjects it may mean (never applied without the school's say)
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def default(cls) -> SubjectMap:
        """The shipped mapping (built once; it is never modified, ``with_overrides`` makes a copy)."""
        return _shipped_map()

    @classmethod
    def _build_default(cls) -> SubjectMap:
        subjects = {
            row["subject"]: (
                row["area"],
                tuple(s for s in row["statutory"].split(";") if s),
            )
            for row in _read_config_csv("subjects.csv")
        }
        aliases = {normalise_label(s): s for s in subjects}
        for row in _read_config_csv("subject_aliases.csv"):
            aliases.setdefault(normalise_label(row["alias"]), row["subject"])
        entitlement = {
            row["subject"]: row["ks4_entitlement"]
            for row in _read_config_csv("subjects.csv")
            if row.get("ks4_entitlement")
        }
        suggestions: dict[str, tuple[str, ...]] = {}
        for row in _read_config_csv("subject_suggestions.csv"):
            key = normalise_label(row["alias"])
            aliases.pop(key, None)  # an ambiguous code is never an alias
            suggestions[key] = (*suggestions.get(key, ()), row["subject"])
        return cls(subjects, aliases, entitlement=entitlement, suggestions=suggestions)

    def with_overrides(self, table: pd.DataFrame) -> SubjectMap:
        """A copy where each ``label`` in ``table`` maps to its ``area`` (and ``subject`` if given).

        ``table`` has columns ``label`` and ``area``, optionally ``subject``; this is the shape of the
        dashboard's mapping editor and of a ``--subjects`` override CSV.
        """
        overrides = dict(self.overrides)
        for row in table.to_dict("records"):
            label = restore(str(row.get("label") or "").strip())  # natbacc's CSV quotes formula-like text
            area = str(row.get("area") or "").strip()
            if not label or area not in ALL_AREAS:
                continue
            subject = restore(str(row.get("subject") or "").strip())
            if not subject or pd.isna(row.get("subject")):
                subject = self.resolve(label)[0] if self.resolve(label)[1] != UNMAPPED else label
            overrides[normalise_label(label)] = (subject, area)
        return SubjectMap(self.subjects, self.aliases, overrides, self.entitlement, self.suggestions)

    def _lookup(self, key: str) -> str | None:
        return self.aliases.get(key)

    def resolve(self, label: str) -> tuple[str, str, str]:
        """``(subject, area, how)`` for one label; ``how`` says which rule matched."""
        key = normalise_label(label)
        if key in self.overrides:
            subject, area = self.overrides[key]
            return subject, area, "school override"
        if not key:
            return label, UNMAPPED, "unmapped"
        if (found := self._lookup(key)) is not None:
            return found, self.subjects[found][0], "alias"
        match = CLASS_CODE.match(label.strip())
        code = normalise_label(match["subj"]) if match else ""
        if match and (found := self._lookup(code)) is not None:
            return found, self.subjects[found][0], "class code"
        for candidate in (key, code):
            if candidate and (maybe := self.suggestions.get(candidate)):
                return label.strip(), UNMAPPED, "needs the school's confirmation: " + " or ".join(maybe) + "?"
        stripped = _NOISE.sub(" ", " ".join(_words(label)))
        words = [w for w in stripped.split() if w not in {"and", "of", "the", "in", "for"} or len(stripped.split()) > 2]
        if words and (found := self._lookup(normalise_label(" ".join(words)))) is not None:
            return found, self.subjects[found][0], "guess"
        # Longest run of words that names a subject ("Art (Photography)" -> Art and Design).
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                chunk = "".join(words[start : start + size])
                if len(chunk) >= 3 and (found := self._lookup(chunk)) is not None:
                    return found, self.subjects[found][0], "guess"
        return label.strip(), UNMAPPED, "unmapped"

    def map_labels(self, labels: pd.Series) -> pd.DataFrame:
        """Vectorised: a frame of ``subject`` and ``area`` aligned with ``labels``."""
        codes, uniques = pd.factorize(labels.fillna(""), sort=False)
        resolved = [self.resolve(str(u)) for u in uniques]
        subjects = pd.array([r[0] for r in resolved] + [""], dtype="str")
        areas = pd.array([r[1] for r in resolved] + [UNMAPPED], dtype="str")
        return pd.DataFrame(
            {"subject": subjects.take(codes), "area": areas.take(codes)},
            index=labels.index,
        )

    def mapping_table(self, labels: pd.Series) -> pd.DataFrame:
        """One row per distinct label: how it maps, for review and editing (unmapped first)."""
        counts = labels.dropna().value_counts()
        rows = []
        for label, n in counts.items():
            subject, area, how = self.resolve(str(label))
            rows.append({"label": label, "subject": subject, "area": area, "matched_by": how, "rows": int(n)})
        frame = pd.DataFrame(rows, columns=["label", "subject", "area", "matched_by", "rows"])
        return frame.sort_values(
            ["area", "label"], key=lambda s: s.map(lambda v: (v != UNMAPPED, v)) if s.name == "area" else s
        ).reset_index(drop=True)

    def entitlement_of(self, subject: str) -> str:
        """The KS4 entitlement area (s.85A) a canonical subject is in, or "" (Sociology, Food, Careers...)."""
        return self.entitlement.get(subject, "")

    def statutory_of(self, subject: str) -> tuple[str, ...]:
        """The KS3 statutory subjects a canonical subject satisfies (none for unknown subjects)."""
        entry = self.subjects.get(subject)
        return entry[1] if entry else ()


def parse_class_codes(codes: pd.Series) -> pd.DataFrame:
    """Split class codes into year, band, subject code and set (suggestions the user can override).

    SIMS style (``10X/Sc3``, ``J9X/Sc3``, ``7x/Te1a``) first, then ``OTHER_CLASS_CODES``. Codes in
    no known style give missing values; the subject mapping then works from the label itself.
    Each distinct code is parsed once (a class code repeats for every pupil in the class).
    """
    return by_unique(codes, _parse_class_codes)


def _parse_class_codes(codes: pd.Series) -> pd.DataFrame:
    text = codes.astype("str").str.strip()
    parts = text.str.extract(CLASS_CODE)
    for pattern in OTHER_CLASS_CODES:
        missing = parts["year"].isna()
        if not missing.any():
            break
        other = text[missing].str.extract(pattern)
        for col in ("year", "subj", "set"):
            parts.loc[missing, col] = other[col]
    year = pd.to_numeric(parts["year"], errors="coerce").astype("Int64")
    year = secondary_years(year)
    return pd.DataFrame(
        {"year_group": year, "band": parts["band"], "subject_code": parts["subj"], "set": parts["set"]},
        index=codes.index,
    )


def apply_subject_map(tables: dict[TableKind, pd.DataFrame], subject_map: SubjectMap) -> dict[TableKind, pd.DataFrame]:
    """Fill ``subject`` and ``area`` in enrolments and options from their labels (no re-parsing)."""
    out = dict(tables)
    for kind in ("enrolments", "options"):
        table = tables[kind]
        if table.empty:
            continue
        mapped = subject_map.map_labels(table["subject_label"])
        out[kind] = table.assign(subject=mapped["subject"], area=mapped["area"])
    return out


@cache
def _shipped_map() -> SubjectMap:
    return SubjectMap._build_default()
