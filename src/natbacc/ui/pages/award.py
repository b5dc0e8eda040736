"""Award: who will complete the NBfE award, at which tier, what is most often missing, and who will miss
the deadline at the current rate; transcripts for the pupils shown."""

import pandas as pd
import streamlit as st

from natbacc.award.documents import cohort_pdf
from natbacc.award.status import has_missing
from natbacc.award.table import award_frame, tier_label
from natbacc.drill import pupil_key
from natbacc.model import plural
from natbacc.ui.components.award import (
    AWARD_STATUS_LABELS,
    COMPONENT_LABELS,
    award_of,
    letterhead,
    missing_label,
    missing_option,
    pupil_award,
)
from natbacc.ui.components.layout import metrics, page_header, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.data import current
from natbacc.vocabulary import AwardStatus, Component, Tier

loaded = current()
page_header(
    "Award",
    loaded,
    "The National Baccalaureate as a programme: each registered pupil's tier, whether they are on course to "
    "complete it, and what they still need, by when.",
)
view = require_view(loaded)
result = award_of(loaded.analysis or view)
# Pupils are selected by pupil_key (the ID, or school and ID in a trust's upload where IDs restart per school).
pupils = award_frame(result, pupil_key(view.records), with_key=True).merge(
    result.pupils[["pupil_key", "judged_at", "programme_label", *(f"{c.value}_words" for c in Component)]],
    on="pupil_key",
    how="left",
)
#: In a trust's upload the same ID can be two pupils: the tables then show each pupil's school beside the ID.
several_schools = bool((pupils["pupil_key"] != pupils["student_id"]).any())
absent = [
    what
    for table, what in (
        (view.tables["qualifications"], "qualifications (Core Learning)"),
        (view.tables["project"], "Personal Project log"),
        (view.tables["development"], "Personal Development log"),
    )
    if table.empty
]
if absent:
    st.warning(
        f"Not imported: {md(', '.join(absent))}. Those components cannot be judged, so every pupil for whom they are "
        'due shows them as not on course, with the reason "not imported". Add the files on the Import page.'
    )
if pupils.empty:
    st.info("No pupil in this filter is registered for an NBfE programme.")
    st.stop()

counts = pupils["status"].value_counts()
metrics(
    [
        ("Registered pupils", f"{len(pupils):,}", "Pupils in a programme's years (or marked registered)."),
        *(
            (s.label, f"{int(counts.get(s.value, 0)):,}", s.help)
            for s in (AwardStatus.COMPLETE, AwardStatus.ON_COURSE, AwardStatus.AT_RISK, AwardStatus.NOT_ON_COURSE)
        ),
    ]
)

left, right = st.columns([3, 2])
with left:
    st.subheader("Pupils by tier and status")
    grid = pd.crosstab(pupils["tier"].map(tier_label), pupils["status"]).reindex(
        columns=[s.value for s in AwardStatus], fill_value=0
    )
    order = [tier_label(t.value) for t in reversed(Tier)] + ["No tier yet"]
    grid = grid.reindex([t for t in order if t in grid.index]).rename(columns=AWARD_STATUS_LABELS)
    grid.index.name, grid.columns.name = "Tier", None
    st.dataframe(grid, width="stretch")
    st.caption(
        "Tier: the target tier the school registered, else the highest tier the programme offers whose Core "
        "Learning the pupil meets (achieved, or entered). No tier yet: no target and no qualifications yet."
    )
with right:
    st.subheader("Most often missing")
    missing = result.missing_counts(pupils)
    if missing.empty:
        st.markdown("Nothing is at risk or missing for these pupils.")
    else:
        st.dataframe(
            pd.DataFrame({"Component": [missing_label(k) for k in missing.index], "Pupils": missing.to_numpy()}),
            hide_index=True,
            width="stretch",
        )

st.subheader("Will miss the deadline at the current rate")
forecast = pupils[pupils["will_miss"].astype(bool)]
st.caption(
    f"{plural(len(forecast), 'pupil')}: hours per teaching week so far, and project stages so far, carried on "
    "to the programme's last teaching day fall short. The list to act on each half-term."
)
columns = {
    "student_id": "ID",
    **({"school": "School"} if several_schools else {}),
    "name": "Name",
    "year_group": "Year",
    "tier": "Tier",
    "status": "Status",
    "reason": "What is missing",
    "pd_projected": "PD hours by the end",
}
if len(forecast):
    shown = forecast.assign(tier=forecast["tier"].map(tier_label), status=forecast["status"].map(AWARD_STATUS_LABELS))
    st.dataframe(shown[list(columns)].rename(columns=columns), hide_index=True, width="stretch", height=300)

st.subheader("Pupils")
c1, c2, c3 = st.columns(3)
tiers = c1.multiselect("Tier", [t.value for t in Tier] + [""], format_func=tier_label)
statuses = c2.multiselect("Status", [s.value for s in AwardStatus], format_func=AWARD_STATUS_LABELS.__getitem__)
component = c3.selectbox("Missing", [None, *missing.index], format_func=missing_option)
keep = pd.Series(True, index=pupils.index)
if tiers:
    keep &= pupils["tier"].fillna("").isin(tiers)
if statuses:
    keep &= pupils["status"].isin(statuses)
if component:
    keep &= has_missing(pupils, component)
chosen = pupils[keep.to_numpy()]
table = chosen.assign(
    tier=chosen["tier"].map(tier_label),
    status=chosen["status"].map(AWARD_STATUS_LABELS),
    **{c.value: chosen[c.value].map(COMPONENT_LABELS) for c in Component},
)
cols = {**{k: v for k, v in columns.items() if k != "pd_projected"}, **{c.value: c.label for c in Component}}
st.caption(f"{plural(len(chosen), 'pupil')} match.")
st.dataframe(
    table[list(cols)].rename(columns=cols),
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * max(len(table), 1), 320),
)

names = {
    key: f"{name} ({sid}, {school})" if several_schools else f"{name} ({sid})"
    for key, sid, school, name in zip(
        chosen["pupil_key"], chosen["student_id"], chosen["school"].fillna(""), chosen["name"].fillna(""), strict=True
    )
}
pick = st.selectbox(
    "Open a pupil's award",
    list(names),
    format_func=names.__getitem__,
    index=None,
    placeholder="Choose a pupil",
    key="award_pick",
)
if pick is not None:
    pupil_award(result, pick)

st.subheader("Certificates and transcripts")
st.markdown(
    f"One PDF for the {plural(len(chosen), 'pupil')} listed above: a certificate and transcript for each "
    "pupil who has completed, a transcript marked PROVISIONAL for everyone else. Each page holds one pupil's "
    "data only; the file holds personal data about children, so keep it where your data protection policy says."
)
logo = st.file_uploader("School logo for the PDFs (PNG or JPEG, optional)", type=["png", "jpg", "jpeg"])
if logo is not None:
    st.session_state["award_logo"] = logo.getvalue()
if st.button(f"Prepare the PDF ({plural(len(chosen), 'pupil')})", disabled=chosen.empty, key="award_prepare"):
    with st.spinner("Drawing certificates and transcripts..."):
        st.session_state["award_pdf"] = (
            tuple(chosen["pupil_key"]),
            cohort_pdf(result, view.tables, chosen["pupil_key"], letterhead(view)),
        )
prepared = st.session_state.get("award_pdf")
if prepared and prepared[0] == tuple(chosen["pupil_key"]):
    st.download_button(
        "Download certificates and transcripts (PDF)",
        prepared[1],
        file_name="nbfe-transcripts.pdf",
        mime="application/pdf",
        key="award_download",
    )
