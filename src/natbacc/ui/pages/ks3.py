"""Key Stage 3: is it three years, is every statutory subject taught, and which areas are dropped early?

Every figure is shown only where it is measured for the pupils in view (``natbacc.availability``): under a
filter that removes what it needs (Years 7 to 9 side by side), the page says so instead of showing a 0.
"""

import streamlit as st

from natbacc import figures
from natbacc.model import plural
from natbacc.ui.components.drill import drill_chart
from natbacc.ui.components.layout import chart, metrics, not_available, page_header, require_view, shown
from natbacc.ui.components.safe import md
from natbacc.ui.data import current
from natbacc.vocabulary import Measure

loaded = current()
page_header(
    "Key Stage 3",
    loaded,
    "Shortened KS3, statutory subjects missing, and areas pupils stop studying before Year 10.",
)
view = require_view(loaded)
verdicts = loaded.verdicts
ind = view.indicators
length = ind.ks3_length.iloc[0]
stat = ind.statutory_coverage
every = stat[stat["statutory"] == "all_statutory"]
lost = ind.dropped_before_y10
lost = lost[lost["dropped_in_year"].notna()] if len(lost) else lost


def _whole(value) -> int | None:
    """A year or a count as a whole number (None where there is none)."""
    return None if value is None or value != value else int(value)


years, start = _whole(length["ks3_years"]), _whole(length["options_start_year"])
judged = verdicts[Measure.KS3_LENGTH]
weakest = every.iloc[int(every["pct_students"].argmin())] if len(every) else None
statutory_label = (
    "Study every statutory subject" if weakest is None else f"All statutory (Year {int(weakest['year_group'])})"
)
metrics(
    [
        (
            "KS3 length",
            shown(judged, f"{plural(years, 'year')}" if years else "not judged"),
            judged.reason
            or ("From Year 7 until option choices begin." if years else "Year 7 already diverges like option blocks."),
        ),
        (
            "Options begin",
            shown(judged, f"Year {start}" if start and start > 7 else "not judged"),
            judged.reason or "The first year group whose curriculum diverges the way option blocks do.",
        ),
        (
            statutory_label,
            shown(verdicts[Measure.KS3_STATUTORY], "n/a" if weakest is None else f"{weakest['pct_students']:.0f}%"),
            verdicts[Measure.KS3_STATUTORY].reason
            or "The lowest year: share of its pupils timetabled for every statutory KS3 subject.",
        ),
        (
            "Areas dropped before Y10",
            shown(verdicts[Measure.KS3_DROPPED], f"{len(lost)}"),
            verdicts[Measure.KS3_DROPPED].reason or "Areas some pupils stop studying during KS3.",
        ),
    ]
)
if judged.measured:
    st.caption(f"How KS3 length was judged: {md(length['evidence'])}.")
else:
    not_available(judged)

if verdicts[Measure.KS3_TIME].measured:
    chart(figures.ks3_time_share(ind.area_coverage, view.settings), key="ks3_time")
else:
    not_available(verdicts[Measure.KS3_TIME])
if verdicts[Measure.KS3_STATUTORY].measured:
    drill_chart(figures.statutory_heatmap(stat), key="ks3_statutory", view=view)
else:
    not_available(verdicts[Measure.KS3_STATUTORY])

st.subheader("Tutor groups missing a statutory subject")
gaps = ind.group_statutory_gaps
small = ind.small_tutor_groups
minimum = int(view.settings.core.get("min_tutor_group_size", 5))
if not verdicts[Measure.KS3_TUTOR_GROUPS].measured:
    not_available(verdicts[Measure.KS3_TUTOR_GROUPS])
elif gaps.empty:
    judged_groups = "No tutor group" if small.empty else f"No tutor group of {minimum} or more pupils"
    st.success(f"{judged_groups} misses a statutory subject that the rest of its year studies.")
else:
    st.dataframe(
        gaps[["year_group", "reg_group", "subject", "pupils"]],
        hide_index=True,
        column_config={
            "year_group": st.column_config.NumberColumn("Year", format="%d"),
            "reg_group": "Tutor group",
            "subject": "Missing subject",
            "pupils": "Pupils affected",
        },
    )
if verdicts[Measure.KS3_TUTOR_GROUPS].measured and not small.empty:
    names = ", ".join(
        f"{md(g)} ({plural(int(n), 'pupil')})" for g, n in zip(small["reg_group"], small["pupils"], strict=True)
    )
    st.warning(
        f"Too small to judge (fewer than {minimum} pupils shown; the minimum is set in Settings): {names}.",
        icon=":material/group_off:",
    )

if verdicts[Measure.KS3_DROPPED].measured:
    chart(figures.area_coverage_lines(ind.area_coverage, ind.dropped_before_y10), key="ks3_dropped")
    if len(lost):
        st.dataframe(
            lost.drop(columns=["school", "area"]).rename(
                columns={"area_label": "Area", "dropped_in_year": "Dropped in year"}
            ),
            hide_index=True,
            column_config={
                "Dropped in year": st.column_config.NumberColumn(format="Year %d"),
                **{y: st.column_config.NumberColumn(f"{y} % studying", format="%.0f%%") for y in ("Y7", "Y8", "Y9")},
            },
        )
else:
    not_available(verdicts[Measure.KS3_DROPPED])
