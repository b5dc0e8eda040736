"""Export: the student records workbook, for the whole school or the current filter, optionally pseudonymised."""

import streamlit as st

from natbacc.cohort import summary_line
from natbacc.export import build_workbook
from natbacc.model import plural
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
    chosen = view if scope == "filter" else whole
pseudonymise = st.toggle(
    "Pseudonymise names and IDs",
    key=state.EXPORT_PSEUDONYMISE,
    help="Replaces names, admission numbers and UPNs with stable codes, and leaves out the data issues sheet. "
    "Use it for anything that leaves the school (governors, the trust, the NBfE).",
)
groups = sorted(g for g in chosen.records["reg_group"].dropna().unique() if g)
cards = st.selectbox(
    "Record cards for a tutor group (one sheet per pupil)",
    [None, *groups],
    format_func=actions.none_label,
    key=state.EXPORT_CARDS,
)
st.caption(
    "The workbook holds personal data about children. Keep it on school systems, share it only with staff who "
    "need it, and delete copies you no longer need (UK GDPR)."
    if not pseudonymise
    else "Pseudonymised: the same pupil gets the same code in every export from this server, so trends can be "
    "followed without names."
)
name = f"natbacc-records{'-pseudonymised' if pseudonymise else ''}.xlsx"
st.download_button(
    f"Download the records workbook ({plural(len(chosen.records), 'pupil')})",
    data=lambda: build_workbook(chosen, loaded.result.issues, pseudonymise=pseudonymise, record_cards=cards),
    file_name=name,
    mime=XLSX,
    type="primary",
    icon=":material/download:",
    on_click="ignore",
    key="export_download",
)
