"""The report for governors: a few pages a governing board reads before a meeting, as a PDF.

It says which school, term, filter and date it describes; how many pupils are on track in each of the three
NBfE strands; the top findings in plain English, with their national comparisons (each naming its measure,
year and direction, as the findings do everywhere); the main charts; and the equity gaps, with groups under
the minimum size suppressed. It never names a pupil: it is built from cohort figures only, and tutor groups
appear only where a finding names one.

Built with reportlab alone (platypus for the pages, reportlab.graphics for the charts): pure Python, so it
builds on a fresh machine with only pip, without a browser, LaTeX or kaleido. The figures are the records
workbook's Summary figures, computed once by ``analyse`` (a test reads both back and compares them).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from natbacc import __version__
from natbacc.analysis import Analysis
from natbacc.indicators import entitlement_table, equity_table
from natbacc.model import AREA_LABELS
from natbacc.offer import entitlement_offer, offer_sentences
from natbacc.pdf_page import PAGE
from natbacc.records import any_flag
from natbacc.report_context import ReportContext, school_of
from natbacc.vocabulary import Status, Strand

#: How many findings the report leads with (the workbook's Summary lists them all, in the same order).
TOP_FINDINGS = 8
#: How many equity comparisons are listed (the largest gaps first).
TOP_GAPS = 10
#: Colour-vision-safe colours (Okabe-Ito): this school, and the national figure. Every bar is also labelled.
SCHOOL_COLOUR = colors.HexColor("#0072B2")
NATIONAL_COLOUR = colors.HexColor("#E69F00")
_WIDTH = A4[0] - 36 * mm


class GovernorsReportError(Exception):
    """The report could not be built; the message says why in words and carries no pupil data."""


@cache
def _fonts() -> tuple[str, str]:
    """Bitstream Vera, shipped inside reportlab: it covers more letters than the PDF base fonts (accented
    school names) and needs nothing installed."""
    folder = resources.files("reportlab") / "fonts"
    try:
        pdfmetrics.registerFont(TTFont("NatbaccSans", str(folder / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("NatbaccSans-Bold", str(folder / "VeraBd.ttf")))
    except Exception:  # a reportlab without its fonts: the base font still works for English text
        return "Helvetica", "Helvetica-Bold"
    return "NatbaccSans", "NatbaccSans-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=17, leading=21),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=13, spaceBefore=10),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=10, leading=13.5),
        "note": ParagraphStyle(
            "note",
            parent=base["BodyText"],
            fontName=regular,
            fontSize=8.5,
            leading=11,
            textColor=colors.HexColor("#333333"),
        ),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontName=regular, fontSize=8.5, leading=10.5),
        "bullet": ParagraphStyle(
            "bullet",
            parent=base["BodyText"],
            fontName=regular,
            fontSize=10,
            leading=13.5,
            leftIndent=12,
            bulletIndent=0,
        ),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: data is escaped, never read as reportlab markup."""
    return Paragraph(escape(str(text)), style)


def _pct(value: float | None) -> str:
    return "n/a" if value is None or value != value else f"{float(value):.0f}%"


def strand_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """(strand, "% on track") as the report prints them, from the same figures as the Summary sheet."""
    return [(strand.label, _pct(pct)) for strand, pct in analysis.strand_summary().items()]


def _bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    names: Sequence[str],
    label_format: str = "%.0f%%",
) -> Drawing:
    """Horizontal bars from 0 to 100%, each labelled with its value; a legend when there are two series.
    This school's bar comes first in each group, and a missing value (NaN) is no bar, never a bar at 0%."""
    regular, bold = _fonts()
    rows = len(labels)
    bar_area = max(rows * 14 * len(series) + 10, 60)
    legend_space = 22 if len(series) > 1 else 0
    height = bar_area + 44 + legend_space
    drawing = Drawing(_WIDTH, height)
    drawing.add(String(0, height - 14, title, fontName=bold, fontSize=10.5))
    chart = HorizontalBarChart()
    chart.x, chart.y = 185, 18 + legend_space
    chart.width, chart.height = _WIDTH - 235, bar_area
    # reportlab draws the first category at the bottom and the last series on top: reverse both, so the
    # list reads top-down and this school's bar comes first in each group.
    chart.data = [[v if v == v else None for v in reversed(list(s))] for s in reversed(list(series))]
    colours = list(reversed((SCHOOL_COLOUR, NATIONAL_COLOUR)[: len(series)]))
    chart.categoryAxis.categoryNames = list(reversed(list(labels)))
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barLabelFormat = label_format
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for i, colour in enumerate(colours):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = 60, 8
        legend.fontName, legend.fontSize = regular, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 190
        legend.colorNamePairs = list(zip((SCHOOL_COLOUR, NATIONAL_COLOUR), names, strict=False))
        drawing.add(legend)
    return drawing


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float], styles: dict[str, ParagraphStyle]) -> Table:
    cells = [[_p(c, styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9AA5B1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _strands(analysis: Analysis, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    records = analysis.records
    on = analysis.settings.status["on_track"]
    counts = records["overall_status"].value_counts()
    statuses = ", ".join(
        f"{int(counts.get(s.value, 0)):,} {s.value}" for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
    )
    rows = strand_rows(analysis)
    shares = analysis.strand_summary()
    chart = _bar_chart(
        "Pupils on track in each strand",
        [label for label, _ in rows],
        [[shares[s] for s in Strand]],
        ["This school"],
    )
    chart_note = _p(
        f"On track: a strand score of {on} or more out of 100 (Settings). Pupils a strand does not apply to are left "
        "out of its share.",
        styles["note"],
    )
    return [
        _p("The three strands", styles["h2"]),
        _p(
            "The National Baccalaureate for England has three strands: Core Learning (a broad curriculum), the "
            "Personal Project (an extended project) and Personal Development (hours of service, creative and "
            "physical activity over the programme).",
            styles["body"],
        ),
        Spacer(1, 4),
        _table(
            [["Strand", "% of pupils on track"], *[[label, pct] for label, pct in rows]],
            [_WIDTH * 0.6, _WIDTH * 0.4],
            styles,
        ),
        Spacer(1, 4),
        _p(
            f"Overall: {statuses}. {int(any_flag(records).sum()):,} pupils have at least one flag.",
            styles["body"],
        ),
        Spacer(1, 6),
        chart,
        chart_note,
    ]


def _findings(analysis: Analysis, styles: dict[str, ParagraphStyle], top: int) -> list[Flowable]:
    found = analysis.indicators.findings
    out: list[Flowable] = [_p("What the data says", styles["h2"])]
    if not found:
        out.append(_p("No narrowing or progress concern was found for these pupils.", styles["body"]))
        return out
    out += [Paragraph(escape(f.text), styles["bullet"], bulletText="•") for f in found[:top]]
    if len(found) > top:
        out.append(
            _p(
                f"{len(found) - top} further findings are in the records workbook's Summary sheet.",
                styles["note"],
            )
        )
    return out


def _national(analysis: Analysis, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    table = entitlement_table(analysis.indicators.ks4_entitlement)
    if table.empty or table["pct_pupils"].isna().all():
        return [
            _p("KS4 take-up beside national figures", styles["h2"]),
            _p("Not available for these pupils: there are no KS4 pupils with a curriculum.", styles["body"]),
        ]
    labels = list(table["indicator"])
    chart = _bar_chart(
        "KS4: share of pupils with at least one subject in each area, beside the national figure",
        labels,
        [list(table["pct_pupils"].astype("float64")), list(table["national_pct"].astype("float64"))],
        ["This school (timetabled study)", "National (exam entries; year in the table)"],
        label_format="%.1f%%",
    )
    chart_note = _p(
        "No national bar: natbacc has no sourced national figure for that area. National figures count exam "
        "entries; this school's figures count timetabled study in Years 10 and 11: different measures.",
        styles["note"],
    )
    rows: list[list[object]] = [["Area", "This school", "National figure", "Comparison"]]
    for row in table.to_dict("records"):
        national_pct = float(row["national_pct"])
        national = (
            f"{national_pct:.1f}% ({row['national_measure']}, {row['national_year']})"
            if national_pct == national_pct
            else "no national figure"
        )
        rows.append(
            [
                row["indicator"],
                f"{float(row['pct_pupils']):.1f}% ({row['measure']})",
                national,
                row["comparison"] or "-",
            ]
        )
    offer = entitlement_offer(analysis)
    offer_rows: list[list[object]] = [["Year", "Area", "Could choose one", "Study one", "How natbacc told"]]
    for o in offer.to_dict("records"):
        access = float(o["access_pct"])
        offer_rows.append(
            [
                f"{o['school']}, Year {o['year_group']}" if o["school"] else f"Year {o['year_group']}",
                AREA_LABELS.get(str(o["area"]), str(o["area"])),
                f"{access:.0f}%" if access == access else "cannot be told",
                f"{float(o['take_up_pct']):.0f}%",
                o["how"],
            ]
        )
    offered: list[Flowable] = [
        _p("The school's offer beside take-up", styles["h2"]),
        _p(
            "Entitlement is each pupil's right to study a subject in every area: the school must offer one, the pupil "
            "may choose it or not. 'Could choose one' is the share of the year's pupils who had such a subject in one "
            "of the option blocks they chose from (or who are all taught it).",
            styles["body"],
        ),
        *[_p(sentence, styles["body"]) for sentence in offer_sentences(offer)],
        Spacer(1, 4),
        _table(offer_rows, [_WIDTH * 0.14, _WIDTH * 0.14, _WIDTH * 0.14, _WIDTH * 0.1, _WIDTH * 0.48], styles),
    ]
    return [
        *offered,
        _p("KS4 take-up beside national figures", styles["h2"]),
        chart,
        chart_note,
        Spacer(1, 4),
        _table(rows, [_WIDTH * 0.22, _WIDTH * 0.18, _WIDTH * 0.2, _WIDTH * 0.4], styles),
    ]


def _equity(analysis: Analysis, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    settings = analysis.settings.equity
    minimum, threshold = int(settings["min_group_size"]), settings["gap_threshold_pp"]
    eq = equity_table(analysis.indicators.equity)
    out: list[Flowable] = [_p("Equity: gaps between groups of pupils", styles["h2"])]
    if eq.empty:
        out.append(_p("Not available for these pupils: the files hold no pupil characteristics.", styles["body"]))
        return out
    shown = eq[eq["gap_pp"].notna()]
    suppressed = len(eq) - len(shown)
    # The gap of the figures as shown (whole percentages), so each row adds up for its reader; largest first.
    shown = shown.assign(
        shown_gap=shown["pct_group"].astype("float64").round() - shown["pct_reference"].astype("float64").round()
    )
    shown = shown.reindex(shown["shown_gap"].abs().sort_values(ascending=False, kind="stable").index).head(TOP_GAPS)
    out.append(
        _p(
            f"The largest gaps, in percentage points (pp). Gaps of {threshold} pp or more are marked. A group (or "
            f"the group it is compared with) of fewer than {minimum} pupils is never shown: {suppressed} "
            "comparisons were suppressed for that reason (small numbers could identify pupils).",
            styles["body"],
        )
    )
    rows: list[list[object]] = [["Measure", "Group (pupils)", "Compared with (pupils)", "Gap"]]
    for row in shown.to_dict("records"):
        group, reference = round(float(row["pct_group"])), round(float(row["pct_reference"]))
        rows.append(
            [
                row["indicator"],
                f"{row['group']}: {group}% ({int(row['n_group']):,})",
                f"{row['reference']}: {reference}% ({int(row['n_reference']):,})",
                f"{group - reference:+d} pp" + (" (marked)" if row["highlight"] else ""),
            ]
        )
    if len(rows) > 1:
        out.append(Spacer(1, 4))
        out.append(_table(rows, [_WIDTH * 0.3, _WIDTH * 0.27, _WIDTH * 0.27, _WIDTH * 0.16], styles))
    return out


def _footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    regular, _ = _fonts()
    canvas.saveState()
    canvas.setFont(regular, 7.5)
    canvas.drawString(18 * mm, 10 * mm, f"natbacc {__version__} · no pupil is named in this report")
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def governors_pdf(analysis: Analysis, context: ReportContext | None = None, top_findings: int = TOP_FINDINGS) -> bytes:
    """The governors' report as PDF bytes, for ``analysis`` (the whole school, or a filtered view)."""
    context = context or ReportContext(school=school_of(analysis.records))
    styles = _styles()
    story: list[Flowable] = [
        _p("Curriculum breadth and the National Baccalaureate for England: report for governors", styles["title"]),
        *[_p(line, styles["body"]) for line in context.lines(analysis.as_of, len(analysis.records))],
        Spacer(1, 6),
    ]
    story += _findings(analysis, styles, top_findings)
    story += _strands(analysis, styles)
    story += _national(analysis, styles)
    story += [KeepTogether(_equity(analysis, styles))]
    story += [
        Spacer(1, 8),
        _p(
            "Sources: every national figure and default is listed, with its year and what it measures, in natbacc's "
            "sources (the dashboard's Sources page). Made from the same figures as the records workbook's Summary "
            "sheet.",
            styles["note"],
        ),
    ]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        **PAGE,
        title="natbacc report for governors",
        author="natbacc",
        subject=f"{context.school} {context.term}".strip(),
    )
    try:
        doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    except Exception as exc:
        raise GovernorsReportError(
            f"The governors' report could not be built (an unexpected {type(exc).__name__}). Nothing was written."
        ) from None
    return buf.getvalue()
