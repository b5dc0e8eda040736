"""Import: upload the school's exports, see what natbacc made of them, fix the subject mapping."""

from functools import partial

import pandas as pd
import streamlit as st

from natbacc.availability import nothing_scored, student_noun
from natbacc.export import template_workbook
from natbacc.formulas import csv_bytes
from natbacc.model import ALL_AREAS, AREA_LABELS, KIND_LABELS, TABLE_KINDS, UNMAPPED, describe_tables, plural
from natbacc.ui import actions, state
from natbacc.ui import store as stored_terms
from natbacc.ui.components.layout import metrics
from natbacc.ui.components.safe import md
from natbacc.ui.components.tables import issues_table, sheets_frame
from natbacc.ui.components.terms import delete_term_control, keep_term_form
from natbacc.ui.data import current, subject_map
from natbacc.vocabulary import IssueCode

#: Accepted by the uploader. A timetabler's own file (.fet) is let through so the importer says in words what
#: it does with it: a type refused by the uploader is only a red icon on the file's chip, with no reason.
FILE_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "xml", "fet"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
loaded = current()
st.title("Import")
st.markdown(
    "Drop in the spreadsheets you already have, in any mix: **pupil details**, **timetable or class lists**, "
    "**KS4 option choices**, the **Personal Project** log and the **Personal Development** log. natbacc works out "
    "what each file holds from its columns. Files are read in memory for this browser tab only, until you "
    "save them as a term."
)
if upgraded := stored_terms.upgrade_notice():
    st.info(md(upgraded))
st.file_uploader(
    "Upload exports (Excel, CSV or a CTF; several at once)",
    type=FILE_TYPES,
    accept_multiple_files=True,
    key=actions.uploader_key(),
    on_change=actions.on_upload,
    max_upload_size=50,
    help="SIMS, Arbor, Bromcom and timetabler exports work as they are; title rows and merged headings are fine.",
)
left, right = st.columns([3, 2])
with left:
    if loaded.is_sample:
        st.caption("Nothing uploaded yet: the pages show the sample school.")
    else:
        ds = state.dataset()
        if loaded.snapshot is None and ds is not None:
            st.caption(f"Loaded: {', '.join(md(n) for n in ds.names)}")
        st.button("Show the sample school instead", on_click=actions.back_to_sample, icon=":material/restart_alt:")
with right:
    st.text_input(
        "School name (for files that do not say)",
        value=state.school_name(),
        key=actions.SCHOOL_INPUT,
        on_change=actions.on_school_name,
        help="Trusts: name each school's upload so pupils are grouped by school.",
    )
if (uploaded := state.dataset()) is not None and loaded.snapshot is None:
    named = state.file_schools()
    unsure = {IssueCode.PUPIL_AT_SEVERAL_SCHOOLS, IssueCode.CONFLICTING_YEAR, IssueCode.CONFLICTING_NAME}
    with st.expander(
        "Trusts: which school is each file from?",
        expanded=bool(named) or any(i.code in unsure for i in loaded.result.issues),
    ):
        st.caption(
            "A trust's exports often number pupils afresh in every school: pupil 17 at two schools is two children. "
            "Files with a School column say it themselves. For the others, type the school as your trust names it "
            "(a name or a code such as SCH01); pupils are then told apart by school and pupil ID."
        )
        for n, name in enumerate(uploaded.names):
            box = f"file_school_{state.version(actions.UPLOADER)}_{n}"
            st.text_input(
                f"School of {md(name)}",
                value=named.get(name, ""),
                key=box,
                on_change=actions.on_file_school,
                args=(name, box),
                placeholder="e.g. SCH01 (blank: as the file says)",
            )

result = loaded.result
frame = sheets_frame(result)
counts = pd.Series([i.severity for i in result.issues]).value_counts()
noun = student_noun(result)
metrics(
    [
        ("Files", f"{len({s.file for s in result.sheets}):,}", None),
        (
            "Student sets" if noun == "student set" else "Pupils",
            f"{len(result.students) if noun == 'student set' else result.pupils:,}",
            "Student sets (groups) listed by the timetabler's export: not pupils until a pupil details file names them."
            if noun == "student set"
            else "Pupils found across all files, joined on their pupil ID (and their school, when files name several).",
        ),
        ("Blocking errors", f"{counts.get('error', 0):,}", "Errors stop a file or sheet from being used."),
        ("Warnings", f"{counts.get('warning', 0):,}", "Rows or values skipped or questioned; the rest was imported."),
    ]
)
if loaded.failure:
    st.error(loaded.failure)
elif result.blocking or result.students.empty:
    errors = [i for i in result.issues if i.severity == "error"]
    st.error(
        "These files cannot be scored yet. Fix what is listed here in your spreadsheet and upload again.\n\n"
        + "\n".join(f"- **{md(i.location or 'Import')}**: {md(i.message)}" for i in errors[:8])
        + (f"\n- ... and {len(errors) - 8} more in the issues table below." if len(errors) > 8 else "")
        + ("" if errors else "\n- No pupils were found in any file.")
    )
elif loaded.snapshot is not None:
    info = loaded.snapshot
    st.success(
        f"Showing the stored term **{md(info.title)}**: {plural(info.students, 'pupil')}, imported "
        f"{info.imported_at.astimezone():%d/%m/%Y at %H:%M}. Upload files above to import another term."
    )
elif loaded.is_sample:
    st.info(
        f"Showing the sample school: {plural(len(result.students), 'synthetic pupil')}, read from the files shipped "
        "with natbacc. Upload your own exports above to replace them.",
        icon=":material/science:",
    )
elif why := nothing_scored(loaded.analysis.records if loaded.analysis is not None else result.students, result):
    st.warning(
        f"Read {plural(len(result.students), noun)}, but none can be scored. {md(why)}", icon=":material/warning:"
    )
else:
    st.success(f"Imported {plural(result.pupils, 'pupil')}. Every page now shows these pupils.")
    if loaded.analysis is not None:
        keep_term_form(loaded)

st.subheader("What each file was recognised as")
st.dataframe(frame, hide_index=True, width="stretch", key="import_sheets")
# only what natbacc could not place: files read through a layout (staff lists, class tables) are settled
unrecognised = [s for s in result.sheets if s.label is None and (s.file, s.sheet) not in result.unreadable_sheets]
overrides = state.kind_overrides()
if unrecognised or overrides:
    with st.expander("Tell natbacc what a file holds", expanded=bool(unrecognised)):
        st.caption("For a file or sheet whose columns natbacc did not recognise. Its headings must still match.")
        targets = list(
            dict.fromkeys([f"{s.file}:{s.sheet}" if s.sheet else s.file for s in unrecognised] + list(overrides))
        )
        options = [None, *TABLE_KINDS]
        for n, target in enumerate(targets):
            current_kind = overrides.get(target)
            choice = st.selectbox(
                md(target),
                options,
                index=options.index(current_kind) if current_kind in options else 0,
                format_func=actions.kind_label,
                key=f"kind_{state.version(actions.UPLOADER)}_{n}",
            )
            if choice != current_kind:
                state.set_kind_override(target, choice)
                st.rerun()

st.subheader("Issues")
if result.issues:
    st.caption("Blocking errors first. Row numbers are the ones your spreadsheet program shows.")
    issues_table(result.issues, key="import_issues")
else:
    st.markdown("No issues: every row of every file was imported.")

st.subheader("Subject mapping")
st.markdown(
    "Each subject in your files counts towards one Core Learning area. Subjects marked **⚠ not mapped** count "
    "towards nothing: choose an area (or *Non-curricular* for tutor time, study periods) and press **Save mapping**."
)
labels = pd.concat([result.tables["enrolments"]["subject_label"], result.tables["options"]["subject_label"]])
if labels.dropna().empty:
    st.caption("No timetable or options file yet, so there are no subjects to map.")
else:
    smap = subject_map(state.subject_overrides())
    table = smap.mapping_table(labels)
    area_names = [AREA_LABELS[a] for a in ALL_AREAS]
    by_name = {AREA_LABELS[a]: a for a in ALL_AREAS}
    shown = table.assign(
        check=table["area"].map(lambda a: "⚠ not mapped" if a == UNMAPPED else "✓"),
        area=table["area"].map(AREA_LABELS),
    )[["check", "label", "subject", "area", "matched_by", "rows"]]
    if result.label_sources:  # names looked up in a course table: say which code and table they came from
        shown = shown.assign(
            matched_by=[
                f"{how}; {result.label_sources[label]}" if label in result.label_sources else how
                for label, how in zip(shown["label"], shown["matched_by"], strict=True)
            ]
        )
    unmapped = int((table["area"] == UNMAPPED).sum())
    st.caption(
        f"{plural(len(table), 'subject')}; {plural(unmapped, 'is', 'are')} not mapped."
        if unmapped
        else f"All {plural(len(table), 'subject')} are mapped."
    )
    with st.form(f"mapping_form_{state.version('mapping')}"):
        edited = st.data_editor(
            shown,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 460),
            num_rows="fixed",
            key=f"mapping_editor_{state.version('mapping')}",
            disabled=["check", "label", "matched_by", "rows"],
            column_config={
                "check": st.column_config.TextColumn("", width="small"),
                "label": "In your files",
                "subject": st.column_config.TextColumn("Subject", required=True),
                "area": st.column_config.SelectboxColumn("Core Learning area", options=area_names, required=True),
                "matched_by": "Matched by",
                "rows": st.column_config.NumberColumn("Rows", format="%d"),
            },
        )
        saved = st.form_submit_button("Save mapping", icon=":material/save:", type="primary")
    if saved:
        changed = (edited["area"] != shown["area"]) | (edited["subject"] != shown["subject"])
        decisions = {label: (label, subject, area) for label, subject, area in state.subject_overrides()}
        rows = edited[changed.to_numpy()]
        for label, subject, area in zip(rows["label"], rows["subject"], rows["area"], strict=True):
            decisions[label] = (label, subject, by_name.get(area, UNMAPPED))
        state.set_subject_overrides(tuple(decisions.values()))
        stored_terms.remember_overrides(tuple(decisions.values()))
        state.bump("mapping")
        state.set_notice(
            "success", f"Mapping saved ({plural(int(changed.sum()), 'subject')} changed); every page is re-scored."
        )
        st.rerun()
    kept = state.subject_overrides()
    if kept:
        c1, c2 = st.columns(2)
        c1.download_button(
            f"Download your {plural(len(kept), 'mapping decision')} (CSV)",
            data=csv_bytes(pd.DataFrame(list(kept), columns=["label", "subject", "area"])),
            file_name="natbacc-subject-mapping.csv",
            mime="text/csv",
            help="Use it next time, or on the command line with --subjects.",
            on_click="ignore",
        )
        c2.button("Undo all mapping changes", on_click=actions.reset_mapping)

if loaded.snapshot is not None:
    delete_term_control(loaded.snapshot)

st.subheader("Templates")
st.markdown(
    "No export for something? Download a template, fill it in, and upload it with the rest. Each heading has a "
    "note saying what goes in it."
)
for col, kind in zip(st.columns(len(TABLE_KINDS)), TABLE_KINDS, strict=True):
    col.download_button(
        KIND_LABELS[kind],
        data=partial(template_workbook, kind),
        file_name=f"natbacc-template-{kind}.xlsx",
        mime=XLSX,
        icon=":material/table_view:",
        on_click="ignore",
        key=f"template_{kind}",
    )
with st.expander("What natbacc reads from each kind of file"):
    about = describe_tables()
    about = about.assign(table=about["table"].map(KIND_LABELS))
    st.dataframe(about, hide_index=True, width="stretch")
