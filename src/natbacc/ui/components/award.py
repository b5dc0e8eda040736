"""The NBfE award on the dashboard: evaluated once per scored cohort, shown on the Award page and in the
pupil profile, with the rule next to each verdict and transcripts to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from natbacc.analysis import Analysis
from natbacc.award.documents import Letterhead
from natbacc.award.status import AwardResult, evaluate, rule_text
from natbacc.award.table import tier_label
from natbacc.ui.components.safe import md
from natbacc.vocabulary import AwardStatus, Component, ComponentStatus

#: Each status in words with a symbol, so colour is never the only cue.
AWARD_STATUS_LABELS = {
    AwardStatus.COMPLETE.value: "✓ complete",
    AwardStatus.ON_COURSE.value: "• on course",
    AwardStatus.AT_RISK.value: "⚠ at risk",
    AwardStatus.NOT_ON_COURSE.value: "✗ not on course",
}
COMPONENT_LABELS = {
    ComponentStatus.DONE.value: "✓ done",
    ComponentStatus.ON_COURSE.value: "• on course",
    ComponentStatus.AT_RISK.value: "⚠ at risk",
    ComponentStatus.NOT_ON_COURSE.value: "✗ not on course",
}


@st.cache_resource(max_entries=4, scope="session", show_spinner="Working out the award...")
def _evaluate(key: tuple[int, str, int], _analysis: Analysis) -> AwardResult:
    return evaluate(_analysis.tables, _analysis.settings, _analysis.as_of)


def award_of(analysis: Analysis) -> AwardResult:
    """The whole cohort's award (the page filters to the sidebar's pupils), once per scored cohort."""
    return _evaluate((id(analysis), analysis.as_of.isoformat(), hash(analysis.settings)), analysis)


def letterhead(analysis: Analysis) -> Letterhead:
    """The school name from Settings and the logo uploaded this session (Settings' path is for the CLI)."""
    logo = st.session_state.get("award_logo")
    return Letterhead(str(analysis.settings.award["school_name"]), logo if isinstance(logo, bytes) else None)


def missing_label(key: str) -> str:
    """A ``missing`` key in words: "personal_development:Wellbeing" -> "Personal Development: Wellbeing"."""
    base, _, category = key.partition(":")
    member = Component.of(base)
    name = member.label if member else base
    return f"{name}: {category}" if category else name


def missing_option(key: str | None) -> str:
    """A "Missing" picker option: "Anything" for none, else the key in words."""
    return "Anything" if key is None else missing_label(key)


def pupil_award(result: AwardResult, key: str) -> None:
    """One pupil's award (``key``: their ``pupil_key``): tier, status, and each component's verdict with what is
    missing and the rule."""
    rows = result.pupils[result.pupils["pupil_key"] == key]
    if rows.empty:
        st.markdown("Not registered for an NBfE programme (no programme covers the year group, or not registered).")
        return
    p = rows.iloc[0]
    target = p["target_tier"] if isinstance(p["target_tier"], str) else ""
    st.markdown(
        f"**{md(p['programme_label'])}** · tier: **{md(tier_label(p['tier']))}**"
        + (f" (target {md(tier_label(target))})" if target else "")
        + f" · **{md(AWARD_STATUS_LABELS[p['status']])}** · ends {pd.Timestamp(p['deadline']):%d/%m/%Y}"
    )
    judged = p["judged_at"] if isinstance(p["judged_at"], str) else ""
    frame = pd.DataFrame(
        [
            {
                "Component": c.label,
                "Status": COMPONENT_LABELS[p[c.value]],
                "Still needed": p[f"{c.value}_words"] or "-",
                "Rule": rule_text(result.settings, judged, c, str(p["programme"])),
            }
            for c in Component
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
