"""Certificates and transcripts as PDF, drawn with reportlab alone (no browser, no LaTeX).

A pupil who has completed the award gets a one-page certificate and a transcript; everyone else gets
a transcript marked PROVISIONAL across every page. A transcript lists the pupil's qualifications and
results, their Personal Project (title, stage, hours, outcome) and their Personal Development hours by
category with the main activities. Each pupil's pages are built from that pupil's rows only (selected
by ``pupil_key``: in a trust's upload, school and pupil ID), so no page carries another pupil's data; a
cohort is the pupils' pages one after another in one PDF, or one PDF per pupil in a zip.

Names keep their accents: the text is set in DejaVu Sans, shipped with natbacc (``award/fonts``, under
the Bitstream Vera licence), because the PDF standard fonts cannot draw "Thị" or "Łukasz".
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.frames import Frame

from natbacc.award.programme import long_date
from natbacc.award.qualifications import QualificationTypes, level_words
from natbacc.award.status import AwardResult
from natbacc.model import Tables, empty_table
from natbacc.pdf_page import PAGE
from natbacc.records import stage_words
from natbacc.vocabulary import AwardStatus, Component, ComponentStatus, Tier

FONT, BOLD = "NatbaccSans", "NatbaccSans-Bold"
#: How many of a category's activities a transcript names (the ones with the most hours).
MAIN_ACTIVITIES = 3


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resources.files("natbacc.award").joinpath("fonts")
    with resources.as_file(fonts.joinpath("DejaVuSans.ttf")) as regular:
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    with resources.as_file(fonts.joinpath("DejaVuSans-Bold.ttf")) as bold:
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))


@dataclass(frozen=True)
class Letterhead:
    """What heads every page: the school's name (blank: the pupil's school column) and its logo (PNG/JPEG bytes)."""

    school_name: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class PupilFacts:
    """Everything one pupil's certificate and transcript say, taken from that pupil's rows only."""

    student_id: str
    school: str
    name: str
    year_group: int | None
    programme: str
    tier: str  # a tier code, or "" when none yet
    status: str
    deadline: date
    components: list[tuple[str, str, str]]  # (component label, status label, what is missing)
    qualifications: list[dict[str, str]]
    project: dict[str, str] | None
    development: list[tuple[str, float, list[str]]]  # (category, hours, main activities)
    development_total: float

    @property
    def complete(self) -> bool:
        """The award is complete (certificate; transcript not provisional)."""
        return self.status == AwardStatus.COMPLETE.value


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) or value is pd.NA else str(value)


def _rows_of(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``table``'s rows grouped by ``pupil_key``: each pupil's own rows, looked up once for a cohort.

    The key, not the pupil ID, tells pupils apart: in a trust's upload pupil 17 of two schools is two children."""
    if table.empty:
        return {}
    return {str(k): g for k, g in table.groupby("pupil_key", sort=False)}


class _Facts:
    """Per-pupil lookups over a cohort's tables (grouped once)."""

    def __init__(self, result: AwardResult, tables: Tables) -> None:
        self.result = result
        pupils = result.pupils
        self.pupils = dict(zip(pupils["pupil_key"].astype(str), pupils.to_dict("records"), strict=True))
        self.quals = _rows_of(tables["qualifications"])
        self.project = _rows_of(tables["project"])
        dev = tables["development"]
        cutoff = pd.Timestamp(result.as_of)
        self.development = _rows_of(dev[dev["date"].isna() | (dev["date"] <= cutoff)])
        self.types = QualificationTypes.default()

    def facts(self, key: str) -> PupilFacts:
        """The facts of the pupil whose ``pupil_key`` is ``key``."""
        row = self.pupils[key]
        k = key
        student_id = _text(row.get("student_id"))
        quals: list[dict[str, str]] = []
        for q in (
            self.quals.get(k, empty_table("qualifications")).sort_values(["level", "qualification_label"])
        ).to_dict("records"):
            spec = self.types.types.get(_text(q.get("qualification")))
            level = q.get("level")
            quals.append(
                {
                    "qualification": spec.label if spec else _text(q.get("qualification_label")),
                    "subject": _text(q.get("subject_label")),
                    "level": level_words(int(_text(level))) if _text(level) else "",
                    "size": f"{float(q['size']):g}" if _text(q.get("size")) else "",
                    "result": _text(q.get("grade")) if q.get("status") == "achieved" else "entered, no result yet",
                }
            )
        project = None
        proj = self.project.get(k)
        if proj is not None and not proj.empty:
            first = proj.iloc[0]
            stage = _text(row.get("project_stage"))
            project = {
                "title": _text(first.get("title")) or "(no title recorded)",
                "stage": _text(stage_words(pd.Series([stage], dtype="str")).iloc[0]) if stage else "",
                "hours": f"{float(row.get('project_hours') or 0):g}",
                "outcome": ComponentStatus(str(row[Component.PERSONAL_PROJECT.value])).label,
            }
        development: list[tuple[str, float, list[str]]] = []
        dev = self.development.get(k)
        for cat in self.result.categories:
            hours = float(row.get(f"pd_hours:{cat}") or 0)
            main: list[str] = []
            if dev is not None:
                mine = dev[dev["category"] == cat]
                sums = mine.groupby("activity", dropna=True)["hours"].sum().sort_values(ascending=False, kind="stable")
                main = [str(a) for a in sums.index[:MAIN_ACTIVITIES]]
            development.append((cat, hours, main))
        components = [
            (
                c.label,
                ComponentStatus(str(row[c.value])).label,
                _text(row.get(f"{c.value}_words")),
            )
            for c in Component
        ]
        year = row.get("year_group")
        return PupilFacts(
            student_id=student_id,
            school=_text(row.get("school")),
            name=_text(row.get("name")) or f"Pupil {student_id}",
            year_group=int(_text(year)) if _text(year) else None,
            programme=_text(row.get("programme_label")),
            tier=_text(row.get("tier")),
            status=_text(row.get("status")),
            deadline=pd.Timestamp(row["deadline"]).date(),
            components=components,
            qualifications=quals,
            project=project,
            development=development,
            development_total=float(row.get("pd_hours") or 0),
        )


def pupil_key_of(result: AwardResult, pupil: str, school: str = "") -> str:
    """The ``pupil_key`` of a registered pupil: ``pupil`` itself, or with ``school`` given, the pupil whose ID is
    ``pupil`` at that school (how callers that know the school and ID as the files give them name a pupil)."""
    if not school:
        return pupil
    p = result.pupils
    hit = p.loc[(p["student_id"].astype(str) == pupil) & (p["school"].fillna("").astype(str) == school), "pupil_key"]
    return str(hit.iloc[0]) if len(hit) else pupil


def pupil_facts(result: AwardResult, tables: Tables, pupil: str, school: str = "") -> PupilFacts:
    """One pupil's facts (what their documents say); ``pupil`` is their ``pupil_key`` (see ``pupil_key_of``)."""
    return _Facts(result, tables).facts(pupil_key_of(result, pupil, school))


# ---- Drawing ------------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3),
        "cert_school": ParagraphStyle("cs", parent=base, fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER),
        "cert_title": ParagraphStyle("ct", parent=base, fontName=BOLD, fontSize=24, leading=30, alignment=TA_CENTER),
        "cert_body": ParagraphStyle("cb", parent=base, fontSize=13, leading=18, alignment=TA_CENTER),
        "cert_name": ParagraphStyle("cn", parent=base, fontName=BOLD, fontSize=26, leading=32, alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _decorate(state: dict[str, Any], provisional: bool) -> Any:
    def on_page_end(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(18 * mm, 10 * mm, state.get("footer", ""))
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        if provisional:
            canvas.setFont(BOLD, 64)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, "PROVISIONAL")
        canvas.restoreState()

    return on_page_end


def _header(facts: PupilFacts, letterhead: Letterhead, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    school = letterhead.school_name or facts.school
    out: list[Flowable] = []
    if letterhead.logo:
        reader = ImageReader(io.BytesIO(letterhead.logo))
        w, h = reader.getSize()
        height = 16 * mm
        out.append(Image(io.BytesIO(letterhead.logo), width=height * w / max(h, 1), height=height, hAlign="LEFT"))
    if school:
        out.append(_p(school, styles["h2"]))
    return out


def _table(rows: list[list[str]], widths: list[float], styles: dict[str, ParagraphStyle]) -> Table:
    cells = [[_p(c, styles["small"] if r else styles["body"]) for c in row] for r, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B8C0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _tier_words(tier: str) -> str:
    member = Tier.of(tier)
    return member.label if member else "not yet known"


def _certificate(facts: PupilFacts, letterhead: Letterhead, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 20 * mm)]
    if letterhead.logo:
        reader = ImageReader(io.BytesIO(letterhead.logo))
        w, h = reader.getSize()
        height = 28 * mm
        out.append(Image(io.BytesIO(letterhead.logo), width=height * w / max(h, 1), height=height))
    school = letterhead.school_name or facts.school
    if school:
        out += [_p(school, styles["cert_school"]), Spacer(1, 10 * mm)]
    out += [
        _p("National Baccalaureate for England", styles["cert_title"]),
        Spacer(1, 14 * mm),
        _p("This is to certify that", styles["cert_body"]),
        Spacer(1, 6 * mm),
        _p(facts.name, styles["cert_name"]),
        Spacer(1, 6 * mm),
        _p(f"has completed the {facts.programme}", styles["cert_body"]),
        _p(f"at {_tier_words(facts.tier)} tier", styles["cert_body"]),
        Spacer(1, 8 * mm),
        _p(
            "Core Learning, the Personal Project and the Personal Development Programme, each completed.",
            styles["cert_body"],
        ),
        Spacer(1, 30 * mm),
        _p("Signed: ______________________________        Date: ________________", styles["cert_body"]),
    ]
    return out


def _transcript(facts: PupilFacts, letterhead: Letterhead, styles: dict[str, ParagraphStyle], as_of: date) -> list[Any]:
    out: list[Any] = _header(facts, letterhead, styles)
    title = "Transcript" if facts.complete else "Transcript (provisional: the award is not complete)"
    out.append(_p(f"National Baccalaureate for England: {title}", styles["h1"]))
    year = f"Year {facts.year_group}" if facts.year_group is not None else "year group not recorded"
    status = AwardStatus.of(facts.status)
    out.append(_p(f"{facts.name} (pupil ID {facts.student_id}), {year}", styles["body"]))
    out.append(
        _p(
            f"{facts.programme}; tier: {_tier_words(facts.tier)}; status: {status.label if status else facts.status}"
            f" (as of {long_date(as_of)}; the programme ends {long_date(facts.deadline)}).",
            styles["body"],
        )
    )
    out.append(_p("Components", styles["h2"]))
    rows = [["Component", "Status", "Still needed"]] + [[c, s, m or "-"] for c, s, m in facts.components]
    out.append(_table(rows, [40 * mm, 28 * mm, 106 * mm], styles))

    out.append(_p("Core Learning: qualifications and results", styles["h2"]))
    if facts.qualifications:
        rows = [["Qualification", "Subject", "Level", "Size", "Result"]] + [
            [q["qualification"], q["subject"], q["level"], q["size"], q["result"]] for q in facts.qualifications
        ]
        out.append(_table(rows, [46 * mm, 52 * mm, 24 * mm, 14 * mm, 38 * mm], styles))
        out.append(_p("Size: in GCSEs up to Level 2, in A levels at Level 3.", styles["small"]))
    else:
        out.append(_p("No qualifications recorded.", styles["body"]))

    out.append(_p("Personal Project", styles["h2"]))
    if facts.project:
        pr = facts.project
        out.append(_p(f"Title: {pr['title']}", styles["body"]))
        out.append(_p(f"Stage reached: {pr['stage']}; hours: {pr['hours']}; outcome: {pr['outcome']}.", styles["body"]))
    else:
        out.append(_p("No project recorded.", styles["body"]))

    out.append(_p("Personal Development Programme", styles["h2"]))
    rows = [["Category", "Hours", "Main activities"]] + [
        [cat, f"{hours:g}", ", ".join(main) or "-"] for cat, hours, main in facts.development
    ]
    out.append(_table(rows, [50 * mm, 18 * mm, 106 * mm], styles))
    out.append(_p(f"{facts.development_total:g} hours in all since the start of the programme.", styles["small"]))
    return out


def _build(pages: Iterable[tuple[PupilFacts, bool]], letterhead: Letterhead, as_of: date) -> bytes:
    """One PDF: for each pupil, a certificate when ``with_certificate`` and complete, then the transcript."""
    styles = _styles()
    buf = io.BytesIO()
    state: dict[str, Any] = {"footer": f"natbacc NBfE transcript, as of {long_date(as_of)}"}
    doc = BaseDocTemplate(
        buf,
        **PAGE,
        title="NBfE certificates and transcripts",
        author="natbacc",
        invariant=1,
    )
    # A provisional pupil's pages carry the watermark, a complete pupil's do not: one page template each, and the
    # template switched at every change of pupil (an overflowing transcript keeps its pupil's template).
    pupils = list(pages)
    templates = {
        name: PageTemplate(
            id=name,
            frames=[Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id=f"body-{name}")],
            onPageEnd=_decorate(state, name == "provisional"),
        )
        for name in ("final", "provisional")
    }
    first = "provisional" if pupils and not pupils[0][0].complete else "final"
    doc.addPageTemplates([templates[first], *(t for n, t in templates.items() if n != first)])
    story: list[Any] = []
    for i, (facts, certificate) in enumerate(pupils):
        if i:
            story += [NextPageTemplate("final" if facts.complete else "provisional"), PageBreak()]
        if certificate and facts.complete:
            story += [*_certificate(facts, letterhead, styles), PageBreak()]
        story += _transcript(facts, letterhead, styles, as_of)
    if not story:
        story.append(_p("No pupils.", styles["body"]))
    doc.build(story)
    return buf.getvalue()


def _keys(result: AwardResult, pupils: Iterable[str] | None) -> list[str]:
    """The ``pupil_key`` of every registered pupil, in the result's order (those in ``pupils`` when given)."""
    keys = result.pupils["pupil_key"].astype(str).tolist()
    if pupils is None:
        return keys
    wanted = set(map(str, pupils))
    return [k for k in keys if k in wanted]


def pupil_pdf(
    result: AwardResult, tables: Tables, pupil: str, letterhead: Letterhead | None = None, school: str = ""
) -> bytes:
    """One pupil's certificate (when complete) and transcript; ``pupil`` is their ``pupil_key``, or their ID with
    ``school``."""
    facts = _Facts(result, tables).facts(pupil_key_of(result, pupil, school))
    return _build([(facts, True)], letterhead or Letterhead(), result.as_of)


def cohort_pdf(
    result: AwardResult, tables: Tables, pupils: Iterable[str] | None = None, letterhead: Letterhead | None = None
) -> bytes:
    """Every selected pupil's (by ``pupil_key``) certificate and transcript in one PDF, pupil after pupil."""
    lookups = _Facts(result, tables)
    return _build(((lookups.facts(k), True) for k in _keys(result, pupils)), letterhead or Letterhead(), result.as_of)


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def document_stem(school: object, student_id: object, key: str) -> str:
    """A pupil's document file name (without extension): the pupil ID for one school's pupil, school and ID
    when ``key`` (their ``pupil_key``) says IDs restart per school; never the name, never the internal key."""
    sid = _text(student_id)
    return sid if key == sid else f"{_UNSAFE.sub('_', _text(school))}-{_UNSAFE.sub('_', sid)}"


def cohort_zip(
    result: AwardResult, tables: Tables, pupils: Iterable[str] | None = None, letterhead: Letterhead | None = None
) -> bytes:
    """One PDF per selected pupil (by ``pupil_key``; named by school and pupil ID, never by name), in a zip."""
    lookups = _Facts(result, tables)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in _keys(result, pupils):
            facts = lookups.facts(key)
            school, sid = facts.school, facts.student_id
            prefix = f"{_UNSAFE.sub('_', school)}-" if school else ""
            kind = "certificate-and-transcript" if facts.complete else "transcript-provisional"
            info = zipfile.ZipInfo(f"{prefix}{_UNSAFE.sub('_', sid)}-{kind}.pdf", date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, _build([(facts, True)], letterhead or Letterhead(), result.as_of))
    return buf.getvalue()
