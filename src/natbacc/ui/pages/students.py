"""Students: find any pupil, see why they are flagged, open their profile."""

import pandas as pd
import streamlit as st

from natbacc import figures
from natbacc.flag_words import flag_help, flag_label, flag_labels
from natbacc.model import plural
from natbacc.records import flags_of
from natbacc.ui import actions, state
from natbacc.ui.components.layout import chart, page_header, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import STATUS_LABELS, pupil_table
from natbacc.ui.data import current
from natbacc.vocabulary import Flag, Status, Strand

loaded = current()
page_header("Students", loaded, "Search and filter pupils; choose one to open their profile.")
view = require_view(loaded)
records = view.records

c1, c2, c3, c4 = st.columns([2, 1, 1, 2])
search = c1.text_input("Search by name or ID", key=state.STUDENT_SEARCH, placeholder="e.g. Siobhán or 001234")
groups = sorted(g for g in records["reg_group"].dropna().unique())
picked_groups = c2.multiselect("Tutor group", groups, placeholder="All")
picked_status = c3.multiselect("Status", [s.value for s in Status], format_func=actions.status_label, placeholder="All")
flag_names = flag_labels(view.settings)
picked_flags = c4.multiselect(
    "Flags",
    list(flag_names),
    format_func=flag_names.__getitem__,
    placeholder="Any (or none)",
    help="Pupils with every flag chosen.",
)

keep = pd.Series(True, index=records.index)
if search.strip():
    needle = search.strip().casefold()
    keep &= records["name"].fillna("").str.casefold().str.contains(needle, regex=False) | records[
        "student_id"
    ].str.casefold().str.contains(needle, regex=False)
if picked_groups:
    keep &= records["reg_group"].isin(picked_groups)
if picked_status:
    keep &= records["overall_status"].isin(picked_status)
for code in picked_flags:
    keep &= records[Flag(code).column]
shown = records[keep.to_numpy()].reset_index(drop=True)
st.caption(f"{plural(len(shown), 'pupil')} match. Click a row to open the profile below.")
event = pupil_table(shown, key=state.STUDENT_TABLE, selectable=True, height=min(38 + 35 * max(len(shown), 1), 400))

rows = event.selection.rows
labels = {
    sid: f"{name} ({sid}), {group or 'no group'}"
    for sid, name, group in zip(shown["student_id"], shown["name"].fillna(""), shown["reg_group"], strict=True)
}
if rows and rows[0] < len(shown):
    st.session_state[state.STUDENT_PICK] = shown.loc[rows[0], "student_id"]
if st.session_state.get(state.STUDENT_PICK) not in labels:
    st.session_state.pop(state.STUDENT_PICK, None)
pick = st.selectbox(
    "Pupil profile",
    list(labels),
    format_func=labels.__getitem__,
    index=None,
    key=state.STUDENT_PICK,
    placeholder="Choose a pupil (type to search)",
)
if pick is None:
    st.stop()

pupil = records.loc[records["student_id"] == pick].iloc[0]
settings = view.settings
st.divider()
st.header(md(pupil["name"] or pick))
facts = [f"ID {pick}"]
if pd.notna(pupil["year_group"]):
    facts.append(f"Year {int(pupil['year_group'])}")
if pupil["reg_group"]:
    facts.append(f"tutor group {pupil['reg_group']}")
if pupil["pupil_premium"] is True:
    facts.append("Pupil Premium")
if pupil["sen"] in ("K", "E"):
    facts.append({"K": "SEN support", "E": "EHC plan"}[pupil["sen"]])
if pupil["eal"] is True:
    facts.append("EAL")
st.caption(md(" · ".join(facts)))
st.markdown(f"**Overall: {STATUS_LABELS[pupil['overall_status']]}**")

on = settings.status["on_track"]
for col, strand in zip(st.columns(3), Strand, strict=True):
    score = pupil[strand.score]
    col.metric(
        strand.label,
        Status.NOT_SCORED.value if pd.isna(score) else f"{score:.0f} / 100",
        delta=None if pd.isna(score) else f"{score - on:+.0f} vs on-track {on}",
        delta_color="normal",
        border=True,
    )
    col.caption(md(pupil[strand.explanation]))

flags = flags_of(pupil)
st.subheader("Flags")
if flags:
    for flag in flags:
        st.markdown(f"- **{md(flag_label(flag, settings))}** ({md(flag.value)}): {md(flag_help(flag, settings))}")
else:
    st.markdown("No flags.")

left, right = st.columns([3, 2])
with left:
    chart(figures.pupil_periods(pupil, settings), key="profile_periods", height=420)
with right:
    chart(figures.pupil_pd_hours(pupil, settings), key="profile_pd", height=420)

project = view.tables["project"]
project = project[project["student_id"] == pick]
st.subheader("Personal Project")
if project.empty:
    st.markdown("No Personal Project recorded.")
else:
    p = project.iloc[0]
    stage = str(pupil.get("project_stage") or p["stage"] or "not_started").replace("_", " ").capitalize()
    st.markdown(
        f"**{md(p['title'] or 'Untitled')}** · stage: {md(stage)} · {p['hours'] if pd.notna(p['hours']) else 0:g} hours"
        + (f" · supervisor {md(p['supervisor'])}" if p["supervisor"] else "")
    )
log = view.tables["development"]
log = log[log["student_id"] == pick].sort_values("date", ascending=False)
st.subheader("Personal Development log")
if log.empty:
    st.markdown("No Personal Development activities logged.")
else:
    st.dataframe(
        log.drop(columns="student_id"),
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY"),
            "activity": "Activity",
            "category": "Category",
            "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
        },
    )
