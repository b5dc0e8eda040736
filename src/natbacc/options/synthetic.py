"""Synthetic option choices shaped like a real Year 9's, for the sample school, the benchmark and tests.

Most pupils take a humanity (the EBacc steer), about half a language, and the rest of their choices
from a popularity-weighted list of 22 GCSE option subjects; each has a reserve they did not choose.
Seeded, so the same call gives the same choices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: (subject as a choices file writes it, popularity weight)
OPTION_SUBJECTS: tuple[tuple[str, float], ...] = (
    ("History", 0.0),
    ("Geography", 0.0),
    ("French", 0.0),
    ("Spanish", 0.0),
    ("German", 0.0),
    ("Art and Design", 6.0),
    ("Photography", 3.0),
    ("Music", 3.0),
    ("Drama", 4.0),
    ("Dance", 1.5),
    ("Design and Technology", 4.0),
    ("Food Preparation and Nutrition", 4.0),
    ("Computer Science", 5.0),
    ("Business Studies", 6.0),
    ("Religious Studies", 3.0),
    ("Sociology", 4.0),
    ("Psychology", 4.0),
    ("Physical Education", 6.0),
    ("Media Studies", 2.5),
    ("Statistics", 1.5),
    ("Triple Science", 5.0),
    ("Citizenship Studies", 1.0),
)
HUMANITIES = ("History", "Geography")
LANGUAGES = ("French", "Spanish", "German")


def synthetic_choices(
    pupils: int,
    *,
    seed: int = 0,
    choices: int = 4,
    reserves: int = 1,
    adnos: list[str] | None = None,
    flags: bool = True,
) -> pd.DataFrame:
    """A wide choices table: ``Adno``, ``Choice 1..n``, ``Reserve 1..m`` and (``flags``) ``PP``, ``SEN``, ``EAL``.

    ``adnos`` names the pupils (the sample school's Year 9); by default they are numbered from 09000.
    """
    rng = np.random.default_rng(seed)
    adnos = adnos or [f"{9000 + p:05d}" for p in range(pupils)]
    names = [s for s, _ in OPTION_SUBJECTS]
    weights = np.array([w for _, w in OPTION_SUBJECTS])
    rows = []
    for p in range(pupils):
        picked: list[str] = []
        if rng.random() < 0.85:
            picked.append(str(rng.choice(HUMANITIES, p=[0.55, 0.45])))
        if rng.random() < 0.5:
            picked.append(str(rng.choice(LANGUAGES, p=[0.5, 0.35, 0.15])))
        if rng.random() < 0.15 and len(picked) < choices:
            other = [h for h in HUMANITIES if h not in picked]
            picked.append(other[0])
        free = weights.copy()
        for s in picked:
            free[names.index(s)] = 0
        need = choices - len(picked)
        picked += [str(s) for s in rng.choice(names, size=need, replace=False, p=free / free.sum())]
        order = [picked[i] for i in rng.permutation(len(picked))]
        spare = weights.copy()
        for s in order:
            spare[names.index(s)] = 0
        backup = [str(s) for s in rng.choice(names, size=reserves, replace=False, p=spare / spare.sum())]
        row = {
            "Adno": adnos[p],
            **{f"Choice {i + 1}": s for i, s in enumerate(order)},
            **{f"Reserve {i + 1}": s for i, s in enumerate(backup)},
        }
        pp, sen, eal = rng.random() < 0.25, str(rng.choice(["N", "K", "E"], p=[0.82, 0.15, 0.03])), rng.random() < 0.15
        if flags:
            row |= {"PP": "Y" if pp else "N", "SEN": sen, "EAL": "Y" if eal else "N"}
        rows.append(row)
    return pd.DataFrame(rows)
