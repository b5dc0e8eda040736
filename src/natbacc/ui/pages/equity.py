"""Equity: are disadvantaged, SEN and EAL pupils (and girls or boys) kept from the broad curriculum?"""

import streamlit as st

from natbacc import figures
from natbacc.indicators import equity_table
from natbacc.model import plural
from natbacc.ui import actions, state
from natbacc.ui.components.drill import drill_chart
from natbacc.ui.components.layout import not_available, page_header, require_view
from natbacc.ui.data import current
from natbacc.vocabulary import Measure

loaded = current()
page_header(
    "Equity",
    loaded,
    "Each indicator for a group of pupils against its comparison group, in percentage points (pp).",
)
view = require_view(loaded)
settings = view.settings
equity = view.indicators.equity
threshold = settings.equity["gap_threshold_pp"]
minimum = settings.equity["min_group_size"]
if not loaded.verdicts[Measure.EQUITY].measured:
    not_available(loaded.verdicts[Measure.EQUITY])
    st.stop()
if equity.empty:
    st.info(
        "No comparison is possible: the pupil details need Pupil Premium, SEN, EAL or sex columns, and both "
        f"groups need at least {minimum} pupils."
    )
    st.stop()
groups = [actions.ALL_EQUITY_GROUPS, *dict.fromkeys(equity["group"])]
choice = st.segmented_control(
    "Compare",
    groups,
    default=actions.ALL_EQUITY_GROUPS,
    format_func=actions.equity_group_label,
    key=state.EQUITY_DIMENSION,
)
shown = equity if choice in (None, actions.ALL_EQUITY_GROUPS) else equity[equity["group"] == choice]
flagged = int(shown["highlight"].sum())
st.markdown(
    f"**{plural(flagged, 'gap')}** of {threshold} pp or more between groups of at least {minimum} pupils "
    "(the threshold is in Settings)."
)
drill_chart(figures.equity_gaps(shown, settings), key="equity_gaps", view=view)
table = equity_table(shown)
table = table.assign(beyond=table["highlight"].map({True: "⚠ Yes", False: ""})).drop(columns=["highlight", "dimension"])
st.dataframe(
    table.style.apply(
        lambda row: ["background-color: #FCE4D6; font-weight: 600" if row["beyond"] else "" for _ in row], axis=1
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "indicator": "Indicator",
        "group": "Group",
        "reference": "Compared with",
        "pct_group": st.column_config.NumberColumn("Group %", format="%.1f"),
        "pct_reference": st.column_config.NumberColumn("Comparison %", format="%.1f"),
        "gap_pp": st.column_config.NumberColumn("Gap (pp)", format="%+.1f"),
        "n_group": st.column_config.NumberColumn("Pupils in group", format="%d"),
        "n_reference": st.column_config.NumberColumn("Pupils compared", format="%d"),
        "beyond": f"Beyond {threshold} pp",
    },
)
