"""The award as a table: the workbook's *Award* sheet and the dashboard's pupil list share this shape."""

from __future__ import annotations

import pandas as pd

from natbacc.award.status import AwardResult
from natbacc.vocabulary import Component, Tier

#: Columns of the Award sheet, in order (codes, as other tools filter on them; words beside them).
AWARD_COLUMNS = (
    "student_id",
    "school",
    "name",
    "year_group",
    "reg_group",
    "programme",
    "deadline",
    "target_tier",
    "tier",
    "status",
    *(c.value for c in Component),
    "missing",
    "reason",
    "will_miss",
    "pd_hours",
    "pd_target",
    "pd_projected",
    "project_stage",
    "project_hours",
)


def award_frame(result: AwardResult, pupil_keys: pd.Series | None = None, *, with_key: bool = False) -> pd.DataFrame:
    """One row per registered pupil (those whose ``pupil_key`` is in ``pupil_keys`` when given): programme, tier,
    status, each component's status, the missing keys and the reason in words, and the forecast.

    ``with_key`` puts ``pupil_key`` first, for the dashboard to select a pupil by; the sheet leaves it out (pupils
    are shown by school and pupil ID as the files give them)."""
    p = result.pupils
    if pupil_keys is not None:
        p = p[p["pupil_key"].isin(set(pupil_keys))]
    out = p.assign(
        deadline=p["deadline"].dt.date,
        pd_projected=p["pd_projected"].round(1),
        pd_hours=p["pd_hours"].round(1),
        project_hours=p["project_hours"].round(1),
    )
    columns = ["pupil_key", *AWARD_COLUMNS] if with_key else list(AWARD_COLUMNS)
    return out[columns].reset_index(drop=True)


def tier_label(code: object) -> str:
    """A tier code as people read it ("No tier yet" for none)."""
    member = Tier.of(code) if isinstance(code, str) else None
    return member.label if member else "No tier yet"
