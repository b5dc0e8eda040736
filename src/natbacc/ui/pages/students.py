"""Students: find any pupil, see why they are flagged, open their profile."""

import pandas as pd
import streamlit as st

from natbacc import figures
from natbacc.availability import student_noun
from natbacc.award.documents import document_stem, pupil_pdf
from natbacc.drill import pupil_key
from natbacc.flag_words import flag_help, flag_label, flag_labels
from natbacc.model import plural
from natbacc.records import flags_of
from natbacc.text import fold, folded, sorted_naturally
from natbacc.ui import actions, state
from natbacc.ui.components.award import award_of, letterhead, pupil_award
from natbacc.ui.components.layout import chart, page_header, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import STATUS_LABELS, pupil_table
from natbacc.ui.data import current
from natbacc.vocabulary import ANY_SEN, Flag, Sen, Status, Strand

loaded = current()
page_header("Students", loaded, "Search and filter pupils; choose one to open their profile.")
view = require_view(loaded, scored=False)
records = view.records
keys = pupil_key(records)
# The list filters and the open pupil are kept across pages and in the address (state.URL_FILTERS).
for kept in (state.STUDENT_GROUPS, state.STUDENT_STATUS, state.STUDENT_FLAGS, state.STUDENT_PICK):
    state.keep(kept)

c1, c2, c3, c4 = st.columns([2, 1, 1, 2])
search = c1.text_input("Search by name or ID", key=state.STUDENT_SEARCH, placeholder="e.g. Siobhán or 001234")
groups = sorted_naturally(records["reg_group"])  # 7A before 10A
statuses = [s.value for s in Status]
flag_names = flag_labels(view.settings)  # in words, as this type of school says them
flag_codes = list(flag_names)
for widget, offered in (
    (state.STUDENT_GROUPS, groups),
    (state.STUDENT_STATUS, statuses),
    (state.STUDENT_FLAGS, flag_codes),
):
    if widget in st.session_state:  # a link from another term may name a tutor group this one lacks
        st.session_state[widget] = [v for v in st.session_state[widget] or [] if v in offered]
picked_groups = c2.multiselect("Tutor group", groups, placeholder="All", key=state.STUDENT_GROUPS)
picked_status = c3.multiselect(
    "Status", statuses, format_func=actions.status_label, placeholder="All", key=state.STUDENT_STATUS
)
picked_flags = c4.multiselect(
    "Flags",
    flag_codes,
    format_func=flag_names.__getitem__,
    placeholder="Any (or none)",
    help="Pupils with every flag chosen.",
    key=state.STUDENT_FLAGS,
)

keep = pd.Series(True, index=records.index)
if search.strip():
    needle = fold(search.strip())  # accents and case ignored: "lukasz" finds Łukasz
    keep &= folded(records["name"]).str.contains(needle, regex=False) | folded(records["student_id"]).str.contains(
        needle, regex=False
    )
if picked_groups:
    keep &= records["reg_group"].isin(picked_groups)
if picked_status:
    keep &= records["overall_status"].isin(picked_status)
for code in picked_flags:
    keep &= records[Flag(code).column]
shown = records[keep.to_numpy()].reset_index(drop=True)
noun = student_noun(loaded.result)  # a timetabler's student sets are never called pupils
st.caption(f"{plural(len(shown), noun)} match. Click a row to open the profile below.")
event = pupil_table(shown, key=state.STUDENT_TABLE, selectable=True, height=min(38 + 35 * max(len(shown), 1), 400))

rows = event.selection.rows
# A pupil is its pupil_key: in a trust's upload pupil 17 of two schools is two pupils, told apart by school.
several_schools = shown["school"].nunique() > 1
at_school = (", " + shown["school"].fillna("")) if several_schools else pd.Series("", index=shown.index)
labels = {
    key: f"{name} ({sid}), {group or 'no group'}{school}"
    for key, sid, name, group, school in zip(
        shown["pupil_key"],
        shown["student_id"],
        shown["name"].fillna(""),
        shown["reg_group"].fillna(""),
        at_school,
        strict=True,
    )
}
if rows and rows[0] < len(shown):
    st.session_state[state.STUDENT_PICK] = shown.loc[rows[0], "pupil_key"]
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
for kept in (state.STUDENT_GROUPS, state.STUDENT_STATUS, state.STUDENT_FLAGS, state.STUDENT_PICK):
    state.remember(kept)
state.sync_url()
if pick is None:
    st.stop()

pupil = records.loc[records["pupil_key"] == pick].iloc[0]
settings = view.settings
st.divider()
st.header(md(pupil["name"] or pupil["student_id"]))
facts = [f"ID {pupil['student_id']}"] + ([f"school {pupil['school']}"] if pd.notna(pupil["school"]) else [])
if pd.notna(pupil["year_group"]):
    facts.append(f"Year {int(pupil['year_group'])}")
if pupil["reg_group"]:
    facts.append(f"tutor group {pupil['reg_group']}")
if pupil["pupil_premium"] is True:
    facts.append("Pupil Premium")
if (sen := Sen.of(pupil["sen"])) is not None and sen in ANY_SEN:
    facts.append(sen.label)
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

st.subheader("NBfE award")
award = award_of(loaded.analysis or view)
pupil_award(award, pick)
if award.pupils["pupil_key"].eq(pick).any() and st.button("Prepare this pupil's transcript (PDF)", key="award_one"):
    st.download_button(
        "Download the transcript",
        pupil_pdf(award, view.tables, pick, letterhead(view)),
        file_name=f"nbfe-transcript-{document_stem(pupil['school'], pupil['student_id'], pick)}.pdf",
        mime="application/pdf",
        key="award_one_download",
    )

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
project = project[project["pupil_key"] == pick]
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
log = log[log["pupil_key"] == pick].sort_values("date", ascending=False)
st.subheader("Personal Development log")
if log.empty:
    st.markdown("No Personal Development activities logged.")
else:
    st.dataframe(
        log.drop(columns=["student_id", "pupil_key"]),
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY"),
            "activity": "Activity",
            "category": "Category",
            "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
        },
    )
