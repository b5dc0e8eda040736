"""Key Stage 4: how many areas pupils keep, entitlement take-up against national figures, option routes."""

import streamlit as st

from natbacc import figures
from natbacc.indicators import entitlement_table
from natbacc.model import AREA_LABELS
from natbacc.offer import entitlement_offer, offer_sentences
from natbacc.ui.components.drill import drill_chart
from natbacc.ui.components.layout import chart, metrics, not_available, page_header, pct, require_view, shown
from natbacc.ui.components.safe import md
from natbacc.ui.data import current
from natbacc.vocabulary import Entitlement, Measure

loaded = current()
page_header(
    "Key Stage 4",
    loaded,
    "Does every pupil keep the arts, a language, a humanity and technology? Which subjects does nobody take?",
)
view = require_view(loaded)
verdicts = loaded.verdicts
entitlement = verdicts[Measure.KS4_ENTITLEMENT]
ind = view.indicators
records = view.records
ks4 = records[(records["key_stage"] == 4).fillna(False)]
min_areas = view.settings.core["min_areas"]["ks4"]
counts = ind.ks4_area_counts
ent = ind.ks4_entitlement.set_index("indicator")["pct_pupils"]
below = counts.loc[counts["areas_covered"] < min_areas, "pupils"].sum() if len(counts) else 0
metrics(
    [
        ("KS4 pupils", f"{len(ks4):,}", None),
        (
            f"Fewer than {min_areas} areas",
            shown(verdicts[Measure.KS4_AREAS], pct(below / counts["pupils"].sum() * 100) if len(counts) else "n/a"),
            verdicts[Measure.KS4_AREAS].reason
            or "KS4 pupils below the minimum number of Core Learning areas (Settings).",
        ),
        ("Study an arts subject", shown(entitlement, pct(ent.get(Entitlement.ARTS, float("nan")))), entitlement.reason),
        (
            "Study a language",
            shown(entitlement, pct(ent.get(Entitlement.LANGUAGES, float("nan")))),
            entitlement.reason,
        ),
    ]
)
if not entitlement.measured:
    not_available(entitlement)
else:
    drill_chart(figures.entitlement_bars(ind.ks4_entitlement), key="ks4_entitlement", view=view, height=460)
    with st.expander("National figures and their sources"):
        st.dataframe(
            entitlement_table(ind.ks4_entitlement),
            hide_index=True,
            column_config={
                "indicator": "Indicator",
                "pct_pupils": st.column_config.NumberColumn("This school", format="%.1f%%"),
                "measure": "This school measures",
                "national_pct": st.column_config.NumberColumn("National", format="%.1f%%"),
                "national_measure": "National figure measures",
                "national_year": "Year",
                "national_source": st.column_config.TextColumn("Source", width="large"),
                "comparison": st.column_config.TextColumn("Compared", width="large"),
            },
        )
st.subheader("The school's offer beside take-up")
st.caption(
    "Entitlement is each pupil's right to study a subject in every area (Education Act 2002 s.85A): the school "
    "must offer one, the pupil may choose it or not. Access: the share of the year's pupils who had a subject in "
    "the area in one of the option blocks they chose from (or who are all taught it)."
)
offer = entitlement_offer(view)
for sentence in offer_sentences(offer):
    st.warning(md(sentence))
if offer.empty:
    st.info("Not available for this filter: it needs KS4 pupils (Years 10 and 11) with a curriculum.")
else:
    st.dataframe(
        offer.assign(area=offer["area"].map(AREA_LABELS)),
        hide_index=True,
        column_config={
            "school": "School",
            "year_group": st.column_config.NumberColumn("Year", format="%d"),
            "area": "Entitlement area",
            "pupils": st.column_config.NumberColumn("Pupils", format="%d"),
            "take_up_pct": st.column_config.NumberColumn("Study one", format="%.1f%%"),
            "offered": "Offered",
            "access_pct": st.column_config.NumberColumn("Could choose one", format="%.1f%%"),
            "how": st.column_config.TextColumn("How natbacc told", width="large"),
        },
    )
if verdicts[Measure.KS4_AREAS].measured:
    chart(figures.ks4_area_count_bars(counts, min_areas), key="ks4_counts", height=400)
else:
    not_available(verdicts[Measure.KS4_AREAS])
if verdicts[Measure.OPTION_ROUTES].measured:
    chart(figures.option_routes(view.tables["options"], records["pupil_key"]), key="ks4_routes", height=560)
    if not len(ks4):
        st.caption("None of the pupils shown is in KS4: these are their option choices for next year.")
else:
    not_available(verdicts[Measure.OPTION_ROUTES])
st.subheader("Subjects with zero take-up")
zero = ind.zero_takeup
if not verdicts[Measure.KS4_ZERO_TAKEUP].measured:
    not_available(verdicts[Measure.KS4_ZERO_TAKEUP])
elif zero.empty:
    st.success(
        "Every subject family taught at KS3 is taken by at least one KS4 pupil. "
        "List the subjects you offer at KS4 in Settings to check those too."
    )
else:
    st.dataframe(
        zero,
        hide_index=True,
        column_config={
            "subject": "Subject",
            "ks3_pupils": st.column_config.NumberColumn("KS3 pupils", format="%d"),
            "ks4_pupils": st.column_config.NumberColumn("KS4 pupils", format="%d"),
            "why": "Why it is listed",
        },
    )
