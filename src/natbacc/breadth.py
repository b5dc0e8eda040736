"""Per-pupil curriculum matrices: periods and coverage per area, statutory subjects covered.

Everything downstream (strand scores, flags, cohort indicators) reads these matrices, built once
with group-bys and pivots: no Python loop touches an individual pupil.

A pupil *covers* an area when they have a timetabled class in it (with periods above zero, or with
no period count in the export) or an option choice in it. Coverage of an area is the NBfE's broad
breadth; the law is narrower and is kept apart: a KS3 statutory subject is met by that subject (or,
for citizenship, by a lesson whose title names it), and a KS4 entitlement area (Education Act 2002
s.85A) only by a subject in it (history or geography; design and technology itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from natbacc.model import AREAS, Tables
from natbacc.settings import Settings, SettingsError
from natbacc.subjects import SubjectMap

#: The four KS4 entitlement areas of Education Act 2002 s.85A(2), as natbacc's area names.
ENTITLEMENT_AREAS = ("arts", "humanities", "languages", "technology")
#: What a school may declare as delivered outside the timetable (tutor time, drop-down days, assemblies).
DELIVERABLE = ("citizenship", "religious_education", "pshe")

#: The ``statutory`` code of an ancient language (Latin, Ancient Greek, Classical Hebrew) in
#: ``config/subjects.csv``. It is in the languages area (NBfE breadth, and the EBacc languages pillar, which
#: counts ancient languages: docs/sources.md#ebacc-languages), but it does not meet the KS3 statutory language,
#: which must be a *modern* foreign language (KS2 allows an ancient one), nor the KS4 entitlement area, "a modern
#: foreign language" (docs/sources.md#national-curriculum-ks3-ks4, #ks4-entitlement-areas).
ANCIENT_LANGUAGE = "ancient_language"

#: Statutory KS3 subjects that a whole Core Learning area satisfies, whatever the subject's name
#: (an ancient language excepted: it never meets the statutory modern foreign language).
#: PSHE is not among them: a PSHE lesson counts for citizenship only when its title names citizenship
#: (``core_learning.citizenship_labels``), so Careers alone never does.
_AREA_STATUTORY = {
    "english": "english",
    "maths": "maths",
    "science": "science",
    "languages": "languages",
    "computing": "computing",
    "physical_education": "physical_education",
    "religious_education": "religious_education",
}


@dataclass(frozen=True)
class Breadth:
    """Curriculum matrices indexed by ``pupil_key`` (every pupil, in the students table's order)."""

    periods: pd.DataFrame  # float periods per cycle per area (NaN where the export has no periods)
    covered: pd.DataFrame  # bool: the pupil has time or an option in the area
    statutory: pd.DataFrame  # bool: KS3 statutory subject covered
    entitled: pd.DataFrame  # bool: a subject in the KS4 entitlement area as s.85A defines it
    has_curriculum: pd.Series  # bool: any class or option imported for the pupil
    has_periods: pd.Series  # bool: at least one class with a period count
    has_options: pd.Series  # bool: option choices recorded
    subjects: pd.Series  # int: distinct curricular subjects (KS5 breadth)
    ks5_size: pd.Series  # float: A-level equivalents, each subject at its largest qualification

    def parts(self) -> tuple[pd.DataFrame | pd.Series, ...]:
        """Every matrix and series, in field order (to rebuild a ``Breadth`` row-selected or re-indexed)."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def select(self, keep: np.ndarray) -> Breadth:
        """The pupils at the ``True`` positions of the boolean mask ``keep``, in every matrix and series."""
        return replace(self, **{f.name: getattr(self, f.name).loc[keep] for f in fields(self)})

    def with_index(self, index: pd.Index) -> Breadth:
        """Every matrix and series relabelled, position by position, with ``index``."""
        return replace(self, **{f.name: getattr(self, f.name).set_axis(index, axis=0) for f in fields(self)})

    @property
    def areas_covered(self) -> pd.Series:
        """How many Core Learning areas each pupil covers."""
        return self.covered.sum(axis=1).astype("int64")


def positions(index: pd.Index, keys: pd.Series) -> np.ndarray:
    """Position of each key in ``index`` (-1 when absent), hashing each distinct key once.

    Factorising first means the expensive string hashing happens over distinct values (pupils,
    areas), not over every enrolment row.
    """
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    where = index.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
    return np.where(codes >= 0, where[codes], -1) if len(where) else np.full(len(keys), -1)


def _scatter(n_rows: int, n_cols: int, r: np.ndarray, c: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
    """Dense (rows x cols) matrix from code pairs: membership, or sums of ``values`` (NaN where none)."""
    ok = (r >= 0) & (c >= 0)
    flat = r[ok] * n_cols + c[ok]
    size = n_rows * n_cols
    if values is None:
        return np.bincount(flat, minlength=size).reshape(n_rows, n_cols) > 0
    vals = values[ok]
    known = ~np.isnan(vals)
    sums = np.bincount(flat[known], weights=vals[known], minlength=size).reshape(n_rows, n_cols)
    counts = np.bincount(flat[known], minlength=size).reshape(n_rows, n_cols)
    return np.where(counts > 0, sums, np.nan)


def statutory_entitlement(settings: Settings) -> bool:
    """True when the KS4 entitlement areas follow the law's definitions (``ks4.entitlement``), not the school's."""
    rule = str(settings.data["ks4"].get("entitlement", "statutory")).strip().lower()
    if rule not in ("statutory", "school"):
        raise SettingsError(f'Setting \'ks4.entitlement\' must be "statutory" or "school", not {rule!r}.')
    return rule == "statutory"


def area_met(breadth: Breadth, settings: Settings, area: str) -> pd.Series:
    """Pupils with a subject in ``area``: as s.85A defines the area by default, else any subject mapped to it."""
    if statutory_entitlement(settings) and area in breadth.entitled:
        return breadth.entitled[area]
    return breadth.covered[area]


def entitlement_met(breadth: Breadth, settings: Settings) -> pd.DataFrame:
    """One boolean column per KS4 entitlement area: the law's definition by default, else area coverage."""
    ent = settings.core["entitlement_areas"]
    return pd.DataFrame({a: area_met(breadth, settings, a) for a in ent}, index=breadth.covered.index)


def qualification_size(labels: pd.Series, sizes: dict[str, float]) -> np.ndarray:
    """A-level equivalents of each label: the size of the longest phrase of ``sizes`` it names, else 1.

    Read from the label as the school wrote it, before the subject normaliser drops "Extended
    Diploma" or "Level 3" as noise ("BTEC Extended Diploma in Sport" is three A levels' worth).
    """
    out = np.ones(len(labels))
    words = labels.fillna("").astype("str").str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True)
    words = " " + words + " "
    done = np.zeros(len(labels), dtype=bool)
    for phrase in sorted(sizes, key=len, reverse=True):
        key = " " + " ".join(phrase.lower().split()) + " "
        hit = ~done & words.str.contains(key, regex=False).to_numpy()
        out[hit] = float(sizes[phrase])
        done |= hit
    return out


def this_years_options(options: pd.DataFrame) -> pd.DataFrame:
    """The option choices for this school year: choices the file says are for next year (``next_year``,
    e.g. Year 9's choices for Year 10) are never this year's curriculum."""
    if "next_year" not in options or options.empty:
        return options
    return options[~options["next_year"].fillna(False).to_numpy(bool)]


def _declared(settings: Settings) -> dict[int, list[str]]:
    """Year group -> what the school delivers outside the timetable (validated)."""
    table = settings.core.get("delivered_outside_timetable", {})
    out: dict[int, list[str]] = {}
    for year, things in table.items():
        if unknown := [t for t in things if t not in DELIVERABLE]:
            raise SettingsError(
                f"Setting 'core_learning.delivered_outside_timetable.{year}' names {', '.join(unknown)}; "
                f"it takes: {', '.join(DELIVERABLE)}."
            )
        out[int(year)] = list(things)
    return out


def build_breadth(
    tables: Tables, subject_map: SubjectMap, statutory: list[str], settings: Settings | None = None
) -> Breadth:
    """Build the matrices from canonical tables whose subjects are already mapped.

    ``settings`` (the defaults when omitted) gives the titles that count for citizenship, what each
    year group is taught outside the timetable, and the KS5 qualification sizes.
    """
    settings = settings or Settings.default()
    core = settings.core
    ids = pd.Index(tables["students"]["pupil_key"].to_numpy(dtype=object), name="pupil_key")
    n = len(ids)
    areas = pd.Index(AREAS, name="area")
    enrol, options = tables["enrolments"], this_years_options(tables["options"])

    e_pupil, e_area = positions(ids, enrol["pupil_key"]), positions(areas, enrol["area"])
    o_pupil, o_area = positions(ids, options["pupil_key"]), positions(areas, options["area"])
    e_periods = enrol["periods"].to_numpy("float64", na_value=np.nan)
    timed = np.isnan(e_periods) | (e_periods > 0)

    periods = _scatter(n, len(areas), e_pupil, e_area, e_periods)
    covered = _scatter(n, len(areas), e_pupil, np.where(timed, e_area, -1)) | _scatter(n, len(areas), o_pupil, o_area)

    # Statutory KS3 subjects: through the subject (art, music, D&T, history, geography...) or its area.
    keys = pd.Index(statutory, name="statutory")
    subj_codes, subj_names = pd.factorize(pd.concat([enrol["subject"], options["subject"]], ignore_index=True))
    pupil = np.concatenate([np.where(timed, e_pupil, -1), o_pupil])
    area = np.concatenate([e_area, o_area])
    stat = np.zeros((n, len(keys)), dtype=bool)
    for i, name in enumerate(subj_names):
        for key in subject_map.statutory_of(str(name)):
            if key in keys:
                rows = pupil[(subj_codes == i) & (area >= 0)]
                stat[rows[rows >= 0], keys.get_loc(key)] = True
    ancient_codes = [i for i, name in enumerate(subj_names) if ANCIENT_LANGUAGE in subject_map.statutory_of(str(name))]
    ancient = np.isin(subj_codes, ancient_codes)
    for area_name, key in _AREA_STATUTORY.items():
        if key in keys:
            rows = pupil[(area == areas.get_loc(area_name)) & ~ancient]
            stat[rows[rows >= 0], keys.get_loc(key)] = True
    labels = pd.concat([enrol["subject_label"], options["subject_label"]], ignore_index=True).fillna("").astype("str")
    if "citizenship" in keys and len(labels):
        words = [w.lower() for w in core.get("citizenship_labels", ["citizenship"]) if w.strip()]
        pattern = "|".join(map(re.escape, words))
        named = labels.str.lower().str.contains(pattern).to_numpy(bool) if words else np.zeros(len(labels), bool)
        rows = pupil[named & (area >= 0)]
        stat[rows[rows >= 0], keys.get_loc("citizenship")] = True

    # KS4 entitlement areas as the law defines them, through the subject only.
    ent_keys = pd.Index(ENTITLEMENT_AREAS, name="entitlement")
    ent = np.zeros((n, len(ent_keys)), dtype=bool)
    for i, name in enumerate(subj_names):
        if (where := subject_map.entitlement_of(str(name))) in ent_keys:
            rows = pupil[(subj_codes == i) & (area >= 0)]
            ent[rows[rows >= 0], ent_keys.get_loc(where)] = True

    # What the school declares is taught outside the timetable, per year group.
    year = tables["students"]["year_group"].to_numpy(dtype="float64", na_value=np.nan)
    for year_group, things in _declared(settings).items():
        in_year = year == year_group
        for thing in things:
            if thing in keys:
                stat[in_year, keys.get_loc(thing)] = True
            if thing in areas:
                covered[in_year, areas.get_loc(thing)] = True

    has_curriculum = np.zeros(n, dtype=bool)
    has_curriculum[np.concatenate([e_pupil, o_pupil])[np.concatenate([e_pupil, o_pupil]) >= 0]] = True
    has_periods = np.zeros(n, dtype=bool)
    has_periods[e_pupil[(e_pupil >= 0) & ~np.isnan(e_periods)]] = True
    has_options = np.zeros(n, dtype=bool)
    has_options[o_pupil[o_pupil >= 0]] = True
    # Distinct curricular subjects per pupil (KS5 breadth).
    curricular = (pupil >= 0) & (area >= 0)
    n_subjects = _scatter(n, len(subj_names), pupil[curricular], subj_codes[curricular]).sum(axis=1)
    # KS5 size: each subject counted once, at the largest qualification the pupil takes in it.
    size = qualification_size(labels, core.get("ks5_qualification_sizes", {}))
    per_subject = pd.DataFrame({"p": pupil[curricular], "s": subj_codes[curricular], "size": size[curricular]})
    sized = per_subject.groupby(["p", "s"])["size"].max().groupby(level="p").sum()
    ks5_size = np.zeros(n)
    ks5_size[sized.index.to_numpy(dtype="int64")] = sized.to_numpy(dtype="float64")

    def frame(m: np.ndarray, cols: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(m, index=ids, columns=cols)

    return Breadth(
        periods=frame(periods, areas),
        covered=frame(covered, areas),
        statutory=frame(stat, keys),
        entitled=frame(ent, ent_keys),
        has_curriculum=pd.Series(has_curriculum, index=ids),
        has_periods=pd.Series(has_periods, index=ids),
        has_options=pd.Series(has_options, index=ids),
        subjects=pd.Series(n_subjects.astype("int64"), index=ids),
        ks5_size=pd.Series(ks5_size, index=ids),
    )
