"""Per-pupil curriculum matrices: periods and coverage per area, statutory subjects covered.

Everything downstream (strand scores, flags, cohort indicators) reads these matrices, built once
with group-bys and pivots: no Python loop touches an individual pupil.

A pupil *covers* an area when they have a timetabled class in it (with periods above zero, or with
no period count in the export) or an option choice in it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from natbacc.model import AREAS, Tables
from natbacc.subjects import SubjectMap

#: Statutory KS3 subjects that a whole Core Learning area satisfies, whatever the subject's name
#: (so a school's own "Life Skills" mapped to PSHE still counts for citizenship).
_AREA_STATUTORY = {
    "english": "english",
    "maths": "maths",
    "science": "science",
    "languages": "languages",
    "computing": "computing",
    "physical_education": "physical_education",
    "religious_education": "religious_education",
    "pshe": "citizenship",
}


@dataclass(frozen=True)
class Breadth:
    """Curriculum matrices indexed by ``student_id`` (every pupil, in the students table's order)."""

    periods: pd.DataFrame  # float periods per cycle per area (NaN where the export has no periods)
    covered: pd.DataFrame  # bool: the pupil has time or an option in the area
    statutory: pd.DataFrame  # bool: KS3 statutory subject covered
    has_curriculum: pd.Series  # bool: any class or option imported for the pupil
    has_periods: pd.Series  # bool: at least one class with a period count
    has_options: pd.Series  # bool: option choices recorded
    subjects: pd.Series  # int: distinct curricular subjects (KS5 breadth)

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


def build_breadth(tables: Tables, subject_map: SubjectMap, statutory: list[str]) -> Breadth:
    """Build the matrices from canonical tables whose subjects are already mapped."""
    ids = pd.Index(tables["students"]["student_id"].to_numpy(dtype=object), name="student_id")
    n = len(ids)
    areas = pd.Index(AREAS, name="area")
    enrol, options = tables["enrolments"], tables["options"]

    e_pupil, e_area = positions(ids, enrol["student_id"]), positions(areas, enrol["area"])
    o_pupil, o_area = positions(ids, options["student_id"]), positions(areas, options["area"])
    e_periods = enrol["periods"].to_numpy("float64", na_value=np.nan)
    timed = np.isnan(e_periods) | (e_periods > 0)

    periods = _scatter(n, len(areas), e_pupil, e_area, e_periods)
    covered = _scatter(n, len(areas), e_pupil, e_area * np.where(timed, 1, -1)) | _scatter(
        n, len(areas), o_pupil, o_area
    )

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
    for area_name, key in _AREA_STATUTORY.items():
        if key in keys:
            rows = pupil[area == areas.get_loc(area_name)]
            stat[rows[rows >= 0], keys.get_loc(key)] = True

    has_curriculum = np.zeros(n, dtype=bool)
    has_curriculum[np.concatenate([e_pupil, o_pupil])[np.concatenate([e_pupil, o_pupil]) >= 0]] = True
    has_periods = np.zeros(n, dtype=bool)
    has_periods[e_pupil[(e_pupil >= 0) & ~np.isnan(e_periods)]] = True
    has_options = np.zeros(n, dtype=bool)
    has_options[o_pupil[o_pupil >= 0]] = True
    # Distinct curricular subjects per pupil (KS5 breadth).
    curricular = (pupil >= 0) & (area >= 0)
    n_subjects = _scatter(n, len(subj_names), pupil[curricular], subj_codes[curricular]).sum(axis=1)

    def frame(m: np.ndarray, cols: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(m, index=ids, columns=cols)

    return Breadth(
        periods=frame(periods, areas),
        covered=frame(covered, areas),
        statutory=frame(stat, keys),
        has_curriculum=pd.Series(has_curriculum, index=ids),
        has_periods=pd.Series(has_periods, index=ids),
        has_options=pd.Series(has_options, index=ids),
        subjects=pd.Series(n_subjects.astype("int64"), index=ids),
    )
