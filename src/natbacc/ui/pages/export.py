"""Export: the student records workbook, for the whole school or the current filter, optionally pseudonymised.

The workbook is built when the user presses *Prepare*, in the page's own run, so a failure (an unusable
pseudonym key, anything unforeseen) is shown here in words; a download button's deferred builder could
only fail silently and log the error's text, which may quote a pupil.
"""

import streamlit as st

from natbacc.cohort import ALL_PUPILS, summary_line
from natbacc.export import ExportError, build_workbook
from natbacc.governors_pdf import GovernorsReportError, governors_pdf
from natbacc.model import plural
from natbacc.pseudonym import PseudonymKeyError
from natbacc.report_context import EVERY_PUPIL, ReportContext, school_of
from natbacc.sample import SCHOOL as SAMPLE_SCHOOL
from natbacc.text import sorted_naturally
from natbacc.ui import actions, state
from natbacc.ui.components.layout import page_header, require_view
from natbacc.ui.components.safe import md
from natbacc.ui.data import current

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

loaded = current()
page_header(
    "Export",
    loaded,
    "An Excel workbook with every pupil's strand scores, flags and explanations, the narrowing and equity "
    "tables, the subject mapping and the rule set used.",
)
view = require_view(loaded)
whole = loaded.analysis
if whole is None:  # a view is the analysis filtered, so this is not expected: stop rather than fail mid-page
    st.error("The whole-school analysis is missing, so there is nothing to export. Reload the page to score again.")
    st.stop()
filtered = False
if loaded.cohort.is_everyone:
    chosen = whole
    st.markdown(
        f"**Pupils:** the whole school ({plural(len(whole.records), 'pupil')}). To export only some pupils, "
        "choose them with the filters in the sidebar."
    )
else:
    scopes = {
        "filter": f"Current filter ({md(summary_line(view, loaded.cohort))})",
        "whole": f"Whole school ({plural(len(whole.records), 'pupil')})",
    }
    scope = st.radio("Pupils", list(scopes), format_func=scopes.__getitem__, key=state.EXPORT_SCOPE)
    filtered = scope == "filter"
    chosen = view if filtered else whole
k = whole.settings.privacy["k_anonymity"]
pseudonymise = st.toggle(
    "Pseudonymise for sharing",
    key=state.EXPORT_PSEUDONYMISE,
    help="For anything that leaves the school (governors, the trust, the NBfE). Each pupil becomes a code; "
    "names, admission numbers, UPNs, tutor groups, sex, SEN, Pupil Premium, EAL, periods per area, hours, "
    "explanations, record cards and the data issues are left out. Each row keeps school, year group, key "
    "stage, areas covered, the three strand scores, status, flags and project stage, and every combination "
    f"of school, year and key stage is shared by at least {k} pupils (rarer pupils' year, then key stage, then "
    "school are blanked). Sex, SEN, Pupil Premium and EAL appear only as group percentages in the Equity "
    f"sheet, with groups under {max(k, whole.settings.equity['min_group_size'])} suppressed.",
)
groups = [g for g in sorted_naturally(chosen.records["reg_group"]) if g]  # 7A before 10A
cards = st.selectbox(
    "Record cards for a tutor group (one sheet per pupil)",
    [None, *groups],
    format_func=actions.none_label,
    key=state.EXPORT_CARDS,
    disabled=pseudonymise,
    help="Not in a pseudonymised workbook: a record card shows a pupil's tutor group, periods and hours."
    if pseudonymise
    else None,
)
if pseudonymise:
    cards = None
st.caption(
    "The workbook holds personal data about children. Keep it on school systems, share it only with staff who "
    "need it, and delete copies you no longer need (UK GDPR)."
    if not pseudonymise
    else "Pseudonymised: the same pupil gets the same code in every export made with this server's key, so "
    "trends can be followed without names. It is still personal data for the school (the key links codes to "
    "pupils): share it only with the people it is meant for."
)
if pseudonymise and filtered and loaded.cohort.group != ALL_PUPILS:
    st.error(
        f"A pseudonymised export of one pupil group ({md(loaded.cohort.group.label)}) would tell its reader that every "
        "pupil listed is in that group. Export the whole school, or remove the pupil-group filter in the sidebar."
    )
    st.stop()
context = ReportContext(
    school=loaded.snapshot.school
    if loaded.snapshot is not None
    else (SAMPLE_SCHOOL if loaded.is_sample else school_of(whole.records)),
    term=loaded.snapshot.term if loaded.snapshot is not None else "",
    filter=loaded.cohort.describe() if filtered else EVERY_PUPIL,
)
name = context.filename(f"natbacc-records{'-pseudonymised' if pseudonymise else ''}", "xlsx")
if st.button("Prepare the records workbook", type="primary", icon=":material/table_view:", key="export_prepare"):
    try:
        with st.spinner("Building the workbook…"):
            data = build_workbook(
                chosen, loaded.result.issues, pseudonymise=pseudonymise, record_cards=cards, context=context
            )
    except (ExportError, PseudonymKeyError) as exc:  # their messages say what to do and carry no pupil data
        st.error(f"No workbook: {md(str(exc))}")
    else:
        st.download_button(
            f"Download the records workbook ({plural(len(chosen.records), 'pupil')})",
            data=data,
            file_name=name,
            mime=XLSX,
            type="primary",
            icon=":material/download:",
            on_click="ignore",
            key="export_download",
        )

st.subheader("Report for governors (PDF)")
st.caption(
    "A few pages for a governing board: the school, term, filter and date; the three strands; the top findings "
    "with their national comparisons; the main charts; equity gaps with small groups suppressed. It names no "
    "pupil. Made from the same figures as the workbook's Summary sheet."
)
minimum = int(whole.settings.equity["min_group_size"])
if filtered and len(chosen.records) < minimum:
    st.warning(
        f"The current filter has {plural(len(chosen.records), 'pupil')}, fewer than {int(minimum)} (Settings: minimum "
        "group size): a report on so few could identify them. Choose the whole school, or widen the filter."
    )
elif st.button("Prepare the governors' report", icon=":material/picture_as_pdf:", key="export_prepare_pdf"):
    try:
        with st.spinner("Building the PDF…"):
            report = governors_pdf(chosen, context)
    except GovernorsReportError as exc:
        st.error(f"No report: {md(str(exc))}")
    else:
        st.download_button(
            "Download the report for governors (PDF)",
            data=report,
            file_name=context.filename("natbacc-governors-report", "pdf"),
            mime="application/pdf",
            type="primary",
            icon=":material/download:",
            on_click="ignore",
            key="export_download_pdf",
        )
