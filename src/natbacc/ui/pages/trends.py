"""Trends: is narrowing getting better or worse? Every stored term on the same indicators, and who changed."""

import pandas as pd
import streamlit as st

from natbacc.figures import trend_lines
from natbacc.history import ALL_SCHOOLS, SECTIONS, pupil_changes, with_labels
from natbacc.records import flags_from_text, flags_words
from natbacc.ui import store as stored_terms
from natbacc.ui.components.layout import IMPORT_PAGE, chart
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import STATUS_LABELS
from natbacc.ui.components.terms import equity_group, no_terms_yet
from natbacc.vocabulary import Section, Status

st.title("Trends")
st.markdown(
    "Each saved term on the same indicators, scored as they were when the term was saved: is the curriculum "
    "narrowing, and for whom?"
)
terms = stored_terms.snapshots()
if not terms:
    no_terms_yet("Trends compare terms")
revision = stored_terms.revision()
frame = with_labels(stored_terms.indicators(revision))
schools = sorted(set(frame["school"]) - {ALL_SCHOOLS}) + ([ALL_SCHOOLS] if ALL_SCHOOLS in set(frame["school"]) else [])
school = st.selectbox("School", schools, key="trend_school") if len(schools) > 1 else schools[0]
ours = frame[frame["school"] == school]
# One value per term: when a term was saved twice for this school (two files), the later one counts.
ours = ours.drop_duplicates(["term", "indicator", "equity_group"], keep="last")
term_order = list(dict.fromkeys(ours["term"]))
shown_terms = ", ".join(md(t) for t in term_order)
st.caption(
    f"{md(school)}: {len(term_order)} saved term{'s' if len(term_order) != 1 else ''} ({shown_terms}). "
    "Whole-school figures as saved with each term: the sidebar's pupil filters do not apply here."
)
if len(term_order) < 2:
    st.info("Only one term is saved for this school so far: save next term's import to see the trend.")

tabs = st.tabs([section.label for section in SECTIONS])
for tab, section in zip(tabs, SECTIONS, strict=True):
    with tab:
        part = ours[ours["section"] == section]
        if section is Section.EQUITY and not part.empty:
            part, group = equity_group(part, "trend_equity_group")
            st.caption(f"Percentage-point gap between {md(group)} and their comparison group; 0 means no gap.")
        chart(trend_lines(part, section), key=f"trend_{section.label}")
        table = part.pivot_table(index="label", columns="term", values="value", sort=False, aggfunc="last")
        table = table.reindex(columns=[t for t in term_order if t in table.columns])
        if table.shape[1] >= 2:
            table["Change"] = table.iloc[:, -1] - table.iloc[:, -2]
        st.dataframe(table, width="stretch", key=f"trend_table_{section.label}", column_config={"label": "Indicator"})

st.subheader("Pupils who changed")
# Terms filed under this school (or a trust file naming it among several).
choices = [t for t in terms if school == ALL_SCHOOLS or school in t.school]
if len(choices) < 2:
    st.caption("With two saved terms for this school, pupils who dropped an area or changed status are listed here.")
    st.stop()
labels = {t.id: (t.term if school != ALL_SCHOOLS else t.title) for t in choices}
by_label = {label: sid for sid, label in labels.items()}
left, right = st.columns(2)
before = by_label[left.selectbox("From", list(by_label), index=len(choices) - 2, key="trend_from")]
after = by_label[right.selectbox("To", list(by_label), index=len(choices) - 1, key="trend_to")]
pupils = stored_terms.pupils((before, after), revision)
if school != ALL_SCHOOLS:
    pupils = pupils[pupils["school"] == school]
old, new = pupils[pupils["snapshot_id"] == before], pupils[pupils["snapshot_id"] == after]
changes = pupil_changes(old, new)
pupil_names = new.drop_duplicates(["school", "student_id"]).set_index(["school", "student_id"])[["name", "reg_group"]]
changes = changes.join(pupil_names, on=["school", "student_id"])
dropped = changes[changes["dropped"] != ""]
c1, c2, c3 = st.columns(3)
c1.metric("Pupils in both terms", f"{len(old.merge(new, on=['school', 'student_id'])):,}", border=True)
c2.metric("Newly dropped an area", f"{len(dropped):,}", border=True)
c3.metric(
    "Newly off track",
    f"{int(((changes['status_after'] == Status.OFF_TRACK) & (changes['status_before'] != Status.OFF_TRACK)).sum()):,}",
    border=True,
)
shown = changes.assign(
    status_before=changes["status_before"].map(STATUS_LABELS).fillna(changes["status_before"]),
    status_after=changes["status_after"].map(STATUS_LABELS).fillna(changes["status_after"]),
    new_flags=flags_words(flags_from_text(changes["new_flags"])),  # the stored codes, shown in words
)
columns = ["name", "reg_group", "year_after", "dropped", "added", "status_before", "status_after", "new_flags"]
st.dataframe(
    shown[columns + [c for c in shown.columns if c.endswith(" change")]],
    hide_index=True,
    width="stretch",
    key="trend_changes",
    column_config={
        "name": "Pupil",
        "reg_group": "Tutor group",
        "year_after": st.column_config.NumberColumn("Year", format="%d"),
        "dropped": "Dropped",
        "added": "Took up",
        "status_before": "Was",
        "status_after": "Now",
        "new_flags": "New flags",
    },
)

st.subheader("One pupil over time")
everyone = stored_terms.pupils(tuple(t.id for t in choices), revision)
if school != ALL_SCHOOLS:
    everyone = everyone[everyone["school"] == school]
# A pupil across terms is (school, pupil ID): a trust's pupil 17 at two schools is two pupils.
people = everyone.drop_duplicates(["school", "student_id"], keep="last")
names = people["name"].fillna("") + " (" + people["reg_group"].fillna("") + ")"
names = names.where(~names.duplicated(keep=False), names + " " + people["student_id"])
names = names.where(~names.duplicated(keep=False), names + ", " + people["school"])
pupil_ids = dict(zip(names, zip(people["school"], people["student_id"], strict=True), strict=True))
chosen = st.selectbox("Pupil", list(pupil_ids), index=None, placeholder="Type a name", key="trend_pupil")
pick = pupil_ids.get(chosen) if chosen is not None else None
if pick is not None:
    mine = (everyone["school"] == pick[0]) & (everyone["student_id"] == pick[1])
    history = everyone[mine].merge(
        pd.DataFrame({"snapshot_id": list(labels), "term": list(labels.values())}), on="snapshot_id"
    )
    history = history.assign(areas=history["areas"].str.split().str.len().fillna(0).astype(int))
    st.dataframe(
        history[
            [
                "term",
                "year_group",
                "core_learning_score",
                "personal_project_score",
                "personal_development_score",
                "overall_status",
                "areas",
                "flags",
            ]
        ],
        hide_index=True,
        width="stretch",
        key="trend_pupil_table",
        column_config={
            "term": "Term",
            "year_group": st.column_config.NumberColumn("Year", format="%d"),
            "core_learning_score": st.column_config.NumberColumn("Core Learning", format="%.0f"),
            "personal_project_score": st.column_config.NumberColumn("Personal Project", format="%.0f"),
            "personal_development_score": st.column_config.NumberColumn("Personal Development", format="%.0f"),
            "overall_status": "Status",
            "areas": st.column_config.NumberColumn("Areas covered", format="%d"),
            "flags": "Flags",
        },
    )
st.page_link(IMPORT_PAGE, label="Save another term on the Import page", icon=":material/upload_file:")
