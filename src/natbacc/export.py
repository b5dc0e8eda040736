"""The records workbook: one row per pupil, cohort indicators, equity, mapping, issues, settings.

Built with xlsxwriter as bytes (the CLI writes them to a file, the dashboard hands them to a download
button). Every cell is written with a type-specific call: numbers as numbers, IDs and names as text.
Text from the uploaded files is never interpreted as a formula (``strings_to_formulas=False``), and
text beginning with = + - @ tab CR or LF also gets Excel's quote prefix, so it stays text even if the
sheet is later saved as CSV and reopened (OWASP CSV injection; ASVS 5.0 1.2.10).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from natbacc import __version__
from natbacc.analysis import Analysis
from natbacc.flag_words import flag_help, flag_label
from natbacc.formulas import FORMULA_START, is_formula_like
from natbacc.indicators import entitlement_table, equity_table
from natbacc.model import (
    AREA_LABELS,
    AREAS,
    KIND_LABELS,
    TEMPLATE_HEADINGS,
    Issue,
    TableKind,
    describe_tables,
    issues_frame,
    template,
)
from natbacc.offer import entitlement_offer
from natbacc.palette import series_colour, status_colour, tint
from natbacc.pseudonym import PseudonymKeyError, pseudonym_key, pseudonyms
from natbacc.records import (
    SCORE_COLUMNS,
    any_flag,
    flags_text,
    stage_words,
    workbook_column_meanings,
    workbook_columns,
)
from natbacc.report_context import ReportContext, school_of
from natbacc.vocabulary import Flag, Status
from natbacc.xlsx import new_workbook

#: The Students sheet's columns, read from the records table's declaration (``natbacc.records``).
STUDENT_COLUMNS = list(workbook_columns())
_SCORE_COLUMNS = SCORE_COLUMNS


class _Writer:
    """Typed, injection-safe cell writing on top of an xlsxwriter workbook."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._props: dict[int, dict[str, object]] = {}
        self._quoted: dict[int, Format] = {}
        self.bold = self._format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True, "valign": "top"})
        self.title = self._format({"bold": True, "font_size": 14})
        self.note = self._format({"italic": True, "font_color": "#555555"})
        self.quoted = self._format({"quote_prefix": True})
        self.wrap = self._format({"text_wrap": True, "valign": "top"})
        self.highlight = self._format({"bold": True, "bg_color": "#FCE4D6"})
        #: Sheet name -> row of its first table's header (repeated on every printed page).
        self.header_rows: dict[str, int] = {}

    def _format(self, props: dict[str, object]) -> Format:
        fmt = self.book.add_format(props)
        self._props[id(fmt)] = props
        return fmt

    def quoted_like(self, fmt: Format | None) -> Format:
        """``fmt`` with Excel's quote prefix added, so formula-like text keeps the look of its neighbours."""
        if fmt is None:
            return self.quoted
        if id(fmt) not in self._quoted:
            self._quoted[id(fmt)] = self._format({**self._props[id(fmt)], "quote_prefix": True})
        return self._quoted[id(fmt)]

    def cell(self, ws: Worksheet, row: int, col: int, value: object, fmt: Format | None = None) -> None:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return
        if isinstance(value, (bool, np.bool_)):
            ws.write_string(row, col, "Yes" if value else "No", fmt)
        elif isinstance(value, (int, float, np.integer, np.floating)):
            ws.write_number(row, col, float(value), fmt)
        elif isinstance(value, (datetime, pd.Timestamp)):
            ws.write_string(row, col, value.strftime("%d/%m/%Y"), fmt)
        else:
            text = str(value)
            ws.write_string(row, col, text, self.quoted_like(fmt) if is_formula_like(text) else fmt)

    def column(self, ws: Worksheet, first_row: int, col: int, series: pd.Series) -> None:
        """Write one column downwards from ``first_row``, typed once for the whole column.

        Same result as ``cell`` for every value, without asking each value its type: numbers as
        numbers, booleans as Yes/No, dates as dd/mm/yyyy, text as text (formula-like text quoted).
        Columns of mixed Python objects go through ``cell``.
        """
        dtype = series.dtype
        present = series.notna().to_numpy(bool)
        rows = np.flatnonzero(present)
        if pd.api.types.is_bool_dtype(dtype):
            values = series.to_numpy(dtype=object)
            for r in rows:
                ws.write_string(int(first_row + r), col, "Yes" if values[r] else "No")
        elif pd.api.types.is_numeric_dtype(dtype):
            values = series.to_numpy(dtype="float64", na_value=np.nan)
            for r in rows:
                ws.write_number(int(first_row + r), col, float(values[r]))
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            values = series.dt.strftime("%d/%m/%Y").to_numpy(dtype=object)
            for r in rows:
                ws.write_string(int(first_row + r), col, values[r])
        elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
            values = series.to_numpy(dtype=object, na_value="")
            quoted = series.str.match(FORMULA_START).fillna(False).to_numpy(bool)
            for r in np.flatnonzero(present & (series != "").to_numpy(bool)):  # an empty text is a blank cell
                ws.write_string(int(first_row + r), col, values[r], self.quoted if quoted[r] else None)
        else:
            values = series.to_numpy(dtype=object)
            for r in rows:
                self.cell(ws, int(first_row + r), col, values[r])

    def table(
        self,
        ws: Worksheet,
        frame: pd.DataFrame,
        first_row: int = 0,
        *,
        widths: dict[str, int] | None = None,
        autofilter: bool = True,
        freeze: bool = True,
    ) -> int:
        """Write a header and rows; returns the next free row (a frozen table's header prints on every page)."""
        if freeze:
            self.header_rows.setdefault(str(ws.name), first_row)
        for c, name in enumerate(frame.columns):
            self.cell(ws, first_row, c, str(name), self.bold)
            width = (widths or {}).get(name) or min(max(len(str(name)), 10) + 2, 40)
            ws.set_column(c, c, width)
        for c in range(frame.shape[1]):
            self.column(ws, first_row + 1, c, frame.iloc[:, c])
        last = first_row + len(frame)
        if autofilter and len(frame.columns):
            ws.autofilter(first_row, 0, max(last, first_row), len(frame.columns) - 1)
        if freeze:
            ws.freeze_panes(first_row + 1, 0)
        return last + 2


def _students_frame(records: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in STUDENT_COLUMNS if c in records.columns]
    return records[cols]


#: The Students sheet of a pseudonymised workbook: the code, where the pupil is (school, year) and what
#: governors, the trust and the NBfE need. Left out: name, IDs and UPN, tutor group, sex, SEN, Pupil
#: Premium, EAL (all quasi-identifiers: together they single out one pupil in seven), the periods per
#: area and the hours (a fingerprint of a pupil's options and logs), and the explanation (it names them).
PSEUDONYMISED_COLUMNS = [
    "pupil_code",
    "school",
    "year_group",
    "key_stage",
    "areas_covered",
    "core_learning_score",
    "personal_project_score",
    "personal_development_score",
    "overall_status",
    "flags",
    "project_stage",
]
#: The quasi-identifiers the pseudonymised Students sheet keeps, and how each step generalises them:
#: first the year group is blanked (the key stage remains), then the key stage, then the school.
QUASI_IDENTIFIERS = ("school", "year_group", "key_stage")
_GENERALISE = (("school", "year_group", "key_stage"), ("school", "key_stage"), ("school",), ())


class ExportError(Exception):
    """The workbook could not be built; the message says why in words and carries no pupil data."""


@dataclass(frozen=True)
class Privacy:
    """What pseudonymisation did to one workbook, for its Summary sheet."""

    k: int
    suppress_below: int
    code_length: int
    pupils: int
    year_blanked: int
    key_stage_blanked: int
    school_blanked: int
    left_out: int

    def lines(self) -> list[str]:
        """The Summary sheet's account of what was left out and suppressed."""
        return [
            f"Pseudonymised. Each pupil is a code of {self.code_length} characters (a keyed hash of school and "
            "ID). Left out: names, admission numbers, UPNs, dates of birth, tutor groups, sex, SEN, Pupil "
            "Premium, EAL, periods per area, hours, the explanations, record cards and the data-issues sheet.",
            "Sex, SEN, Pupil Premium and EAL appear only as group percentages in the Equity sheet, where groups "
            f"of fewer than {self.suppress_below} pupils are suppressed; per-year tables leave out year groups "
            f"of fewer than {self.suppress_below}.",
            f"k-anonymity (k = {self.k}, setting privacy.k_anonymity): every combination of school, year group "
            f"and key stage in the Students sheet is shared by at least {self.k} pupils. To achieve it: "
            f"year group blanked for {self.year_blanked}, key stage for {self.key_stage_blanked}, school for "
            f"{self.school_blanked}; {self.left_out} pupils left out of the Students sheet "
            f"({self.pupils - self.left_out:,} of {self.pupils:,} listed).",
        ]


def k_anonymise(frame: pd.DataFrame, k: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """``frame`` with the quasi-identifiers of rare pupils generalised, so every combination of the kept
    ``QUASI_IDENTIFIERS`` is shared by at least ``k`` rows; rows still rarer with all three blank are dropped.

    Rows only ever move to a coarser level, and a whole equivalence class moves together, so a class of
    ``k`` or more is never broken up: the loop ends after at most ``len(_GENERALISE)`` steps.
    Returns the frame and how many rows had each field blanked and how many were dropped.
    """
    qi = [c for c in QUASI_IDENTIFIERS if c in frame.columns]
    original = frame[qi]
    level = np.zeros(len(frame), dtype=int)
    last = len(_GENERALISE)
    while True:
        shown = original.copy()
        for i, keep in enumerate(_GENERALISE):
            at = level == i
            for c in qi:
                if c not in keep and at.any():
                    shown.loc[at, c] = pd.NA
        live = level < last
        size = shown[live].astype("string").fillna("\x00").groupby(qi, dropna=False).transform("size")
        sizes = np.zeros(len(frame), dtype=int)
        if qi:
            found = np.asarray(size.to_numpy())  # a column per kept field on some pandas versions, else one
            sizes[live] = found[:, 0] if found.ndim == 2 else found
        else:
            sizes[live] = live.sum()
        small = live & (sizes < k)
        if not small.any():
            break
        level[small] += 1
    out = frame.assign(**{c: shown[c] for c in qi})[level < last]
    counts = {
        "year_blanked": int(((level >= 1) & (level < last)).sum()),
        "key_stage_blanked": int(((level >= 2) & (level < last)).sum()),
        "school_blanked": int(((level >= 3) & (level < last)).sum()),
        "left_out": int((level >= last).sum()),
    }
    return out, counts


def _pseudonymised_students(
    records: pd.DataFrame, key: bytes, k: int, suppress_below: int
) -> tuple[pd.DataFrame, Privacy]:
    codes = pseudonyms(records["student_id"], key, records.get("school"))
    frame = records.assign(pupil_code=codes)
    frame = frame[[c for c in PSEUDONYMISED_COLUMNS if c in frame.columns]]
    frame, counts = k_anonymise(frame, k)
    length = int(codes.str.replace(r"^Pupil |-", "", regex=True).str.len().max()) if len(codes) else 0
    privacy = Privacy(k=k, suppress_below=suppress_below, code_length=length, pupils=len(records), **counts)
    return frame, privacy


def _suppressed_equity(eq: pd.DataFrame, below: int) -> pd.DataFrame:
    """The equity table with every comparison involving a group of fewer than ``below`` pupils blanked."""
    small = (eq["n_group"] < below) | (eq["n_reference"] < below)
    if not small.any():
        return eq
    out = eq.astype(dict.fromkeys(("pct_group", "pct_reference", "gap_pp", "n_group", "n_reference"), "object"))
    out.loc[small, ["pct_group", "pct_reference", "gap_pp"]] = None
    out.loc[small, ["n_group", "n_reference"]] = f"suppressed (a group under {below})"
    out.loc[small, "highlight"] = False
    return out


def build_workbook(
    analysis: Analysis,
    issues: list[Issue] | None = None,
    *,
    records: pd.DataFrame | None = None,
    pseudonymise: bool = False,
    record_cards: str | None = None,
    key: bytes | None = None,
    context: ReportContext | None = None,
) -> bytes:
    """The records workbook as bytes.

    Args:
        analysis: the scored cohort.
        issues: import issues for the "Data issues" sheet.
        records: a filtered subset of ``analysis.records`` (the dashboard's current filter); all pupils by default.
        pseudonymise: replace names and IDs by stable pseudonyms, leave out the quasi-identifiers and the data
            issues, and make the Students sheet k-anonymous (``Privacy``; k is the ``privacy.k_anonymity`` setting).
        record_cards: a registration group whose pupils each get a record-card sheet (not with ``pseudonymise``).
        key: the pseudonym secret (defaults to ``pseudonym_key()``).
        context: the school, term and filter it is made for (the Summary states them; default: the school the
            records name, no term, all pupils, today).

    Raises:
        PseudonymKeyError: the pseudonym key is unusable (the message says what to do).
        ExportError: anything else went wrong; the message gives the error's type, never pupil data.
    """
    if pseudonymise and record_cards:
        raise ExportError(
            "Record cards are not made in a pseudonymised workbook: each one shows a pupil's tutor group, "
            "periods and hours, which identify them. Leave out the record cards, or export without pseudonyms."
        )
    try:
        return _build(analysis, issues, records, pseudonymise, record_cards, key, context)
    except (ExportError, PseudonymKeyError):
        raise
    except Exception as exc:
        if os.environ.get("NATBACC_DEBUG"):
            raise
        # The original message may quote a pupil's name or ID; a logged traceback must not carry it on.
        raise ExportError(
            f"The records workbook could not be built (an unexpected {type(exc).__name__}). Nothing was written. "
            "Run it again with NATBACC_DEBUG=1 to see the details, and report it without attaching pupil data."
        ) from None


def _build(
    analysis: Analysis,
    issues: list[Issue] | None,
    records: pd.DataFrame | None,
    pseudonymise: bool,
    record_cards: str | None,
    key: bytes | None,
    context: ReportContext | None,
) -> bytes:
    records = analysis.records if records is None else records
    context = context or ReportContext(school=school_of(records))
    # The workbook's forms: the flag columns as one string of codes, stages in words.
    records = records.assign(flags=flags_text(records), project_stage=stage_words(records["project_stage"]))
    privacy = None
    if pseudonymise:
        k = int(analysis.settings.privacy["k_anonymity"])
        below = max(k, int(analysis.settings.equity["min_group_size"]))
        students, privacy = _pseudonymised_students(
            records, key if key is not None else pseudonym_key(), k, suppress_below=below
        )
    else:
        students = _students_frame(records)

    buf = io.BytesIO()
    book = new_workbook(buf, {"title": "natbacc student records", "comments": f"natbacc {__version__}"})
    w = _Writer(book)

    _students_sheet(book, w, students)
    _summary_sheet(book, w, analysis, records, privacy, context)
    _narrowing_sheet(book, w, analysis, privacy)
    ws = book.add_worksheet("Equity")
    ws.write_string(
        0, 0, "Equity gaps: percentage-point difference between each group and its comparison group", w.title
    )
    threshold = analysis.settings.equity["gap_threshold_pp"]
    ws.write_string(
        1,
        0,
        f"Highlighted: gaps of {threshold} pp or more between groups of at least "
        f"{analysis.settings.equity['min_group_size']} pupils. Figures for a group (or its comparison group) of "
        f"fewer than {analysis.settings.equity['min_group_size']} pupils are left blank (small-number suppression)."
        + (f" Comparisons with a group of fewer than {privacy.suppress_below} are suppressed." if privacy else ""),
        w.note,
    )
    eq = equity_table(analysis.indicators.equity)
    if privacy:
        eq = _suppressed_equity(eq, privacy.suppress_below)
    end = w.table(ws, eq, 3, widths={"indicator": 38, "group": 20, "reference": 20})
    if len(eq):
        col = list(eq.columns).index("highlight")
        ws.conditional_format(
            4,
            0,
            end - 2,
            len(eq.columns) - 1,
            {"type": "formula", "criteria": f'=${chr(65 + col)}5="Yes"', "format": w.highlight},
        )
    ws = book.add_worksheet("Subjects")
    ws.write_string(0, 0, "Subject mapping used (unmapped subjects first: they do not count towards breadth)", w.title)
    labels = pd.concat([analysis.tables["enrolments"]["subject_label"], analysis.tables["options"]["subject_label"]])
    w.table(ws, analysis.subject_map.mapping_table(labels), 2, widths={"label": 28, "subject": 28})
    if not pseudonymise:
        ws = book.add_worksheet("Data issues")
        ws.write_string(0, 0, "Import issues (blocking errors first)", w.title)
        w.table(ws, issues_frame(issues or []), 2, widths={"message": 90, "file": 28})
    ws = book.add_worksheet("Settings")
    ws.write_string(0, 0, "Rule set used (so this record can be reproduced)", w.title)
    rows = [("natbacc version", __version__), ("as of", analysis.as_of.strftime("%d/%m/%Y")), *analysis.settings.rows()]
    w.table(ws, pd.DataFrame(rows, columns=["setting", "value"]), 2, widths={"setting": 45, "value": 70})
    ws = book.add_worksheet("Flags")
    settings = analysis.settings
    meanings = pd.DataFrame(
        [(f.value, flag_label(f, settings), flag_help(f, settings)) for f in Flag],
        columns=["flag", "in words", "meaning"],
    )
    w.table(ws, meanings, 0, widths={"flag": 22, "in words": 40, "meaning": 90})
    ws = book.add_worksheet("Columns")
    ws.write_string(0, 0, "What each column of the Students sheet holds", w.title)
    w.table(ws, workbook_column_meanings(list(students.columns)), 2, widths={"column": 28, "what it holds": 110})
    if not pseudonymise:  # one row per pupil with name and verdicts: not for a shared, pseudonymised workbook
        _award_sheet(book, w, analysis, records)
    if record_cards:
        group = records[records["reg_group"] == record_cards]
        taken = {str(sheet.name).casefold() for sheet in book.worksheets()} | {"history"}
        # Rows as mappings keep every column name as it is ("pd_hours_Leadership & Service"); a namedtuple
        # renamed such columns and the cards showed zero hours.
        for pupil in group.to_dict("records"):
            _record_card(book, w, pupil, analysis, taken)
    _print_setup(book, w)
    book.close()
    return buf.getvalue()


def _award_sheet(book: Workbook, w: _Writer, analysis: Analysis, records: pd.DataFrame) -> None:
    """The NBfE award: one row per registered pupil of the (filtered) records."""
    from natbacc.award.status import evaluate
    from natbacc.award.table import award_frame

    ws = book.add_worksheet("Award")
    result = evaluate(analysis.tables, analysis.settings, analysis.as_of)
    frame = award_frame(result, records["pupil_key"])
    ws.write_string(0, 0, f"NBfE award, as of {analysis.as_of:%d/%m/%Y}: one row per registered pupil", w.title)
    ws.write_string(
        1,
        0,
        "status: complete, on course, at risk or not on course; missing: the components (and Personal "
        "Development categories) at risk or not on course; reason: what is still needed, by when.",
        w.note,
    )
    w.table(ws, frame, 3, widths={"name": 26, "reason": 100, "missing": 40, "programme": 12})


#: The leading columns that name a pupil, kept in view when scrolling right (and printed on every page).
_NAMING_COLUMNS = ("student_id", "name", "pupil_code")


def _print_setup(book: Workbook, w: _Writer) -> None:
    """Every sheet prints landscape, one page wide, with its table's header row (else its title) on every page."""
    for ws in book.worksheets():
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
        header = w.header_rows.get(str(ws.name), 0)
        ws.repeat_rows(header)
        ws.set_footer("&L&A&RPage &P of &N")


def _students_sheet(book: Workbook, w: _Writer, frame: pd.DataFrame) -> None:
    ws = book.add_worksheet("Students")
    widths = {"name": 26, "flags": 40, "explanation": 100, "student_id": 12, "reg_group": 9}
    w.table(ws, frame, 0, widths=widths)
    cols = list(frame.columns)
    naming = 0
    while naming < len(cols) and cols[naming] in _NAMING_COLUMNS:
        naming += 1
    ws.freeze_panes(1, naming)  # the header row, and the ID and name columns
    if naming:
        ws.repeat_columns(0, naming - 1)
    n = len(frame)
    if not n:
        return
    for name in _SCORE_COLUMNS:
        c = cols.index(name)
        ws.conditional_format(
            1,
            c,
            n,
            c,
            {
                # a score is a length, not a verdict: white to one blue, as in the dashboard (a red-to-green
                # scale reads the same to a colour-blind reader; the status column carries the verdict)
                "type": "2_color_scale",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 100,
                "min_color": "#FFFFFF",
                "max_color": tint(series_colour(0), 0.55),
            },
        )
    c = cols.index("overall_status")
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        colour = tint(status_colour(status), 0.35)  # the status colours of every chart, pale enough for text
        ws.conditional_format(
            1,
            c,
            n,
            c,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{status.value}"',
                "format": book.add_format({"bg_color": colour}),
            },
        )


def _summary_sheet(
    book: Workbook,
    w: _Writer,
    analysis: Analysis,
    records: pd.DataFrame,
    privacy: Privacy | None,
    context: ReportContext,
) -> None:
    ws = book.add_worksheet("Summary")
    ws.set_column(0, 0, 48)
    ws.set_column(1, 5, 16)
    ws.write_string(0, 0, "natbacc: curriculum breadth and NBfE strands", w.title)
    row = 1
    for line in context.lines(analysis.as_of, len(records)):
        w.cell(ws, row, 0, line, w.bold if line.startswith("Filter:") and context.filtered else w.note)
        row += 1
    ws.write_string(
        row,
        0,
        f"As of {analysis.as_of:%d/%m/%Y}. {len(records):,} pupils."
        + (" Names and IDs are pseudonymised." if privacy else ""),
        w.note,
    )
    row += 2
    if privacy:
        for line in privacy.lines():
            w.cell(ws, row - 1, 0, line, w.note)
            row += 1
    ws.write_string(row, 0, "Strand", w.bold)
    ws.write_string(row, 1, "% on track", w.bold)
    for strand, pct in analysis.strand_summary().items():
        row += 1
        w.cell(ws, row, 0, strand.label)
        w.cell(ws, row, 1, pct)
    row += 1
    w.cell(ws, row, 0, "Pupils with at least one flag")
    w.cell(ws, row, 1, int(any_flag(records).sum()))
    row += 2
    ws.write_string(row, 0, "Findings", w.bold)
    for f in analysis.indicators.findings:
        row += 1
        w.cell(ws, row, 0, f.text, w.wrap)
    row += 2
    ws.write_string(row, 0, "KS4 take-up beside national figures", w.bold)
    row += 1
    ws.write_string(
        row,
        0,
        "This school: % of KS4 pupils with at least one subject in the area on the timetable (timetabled study). "
        "National figures are exam entries, each with its year: a different measure, so the comparison says so. "
        "No sourced national figure is given for humanities or technology.",
        w.note,
    )
    row = w.table(
        ws,
        entitlement_table(analysis.indicators.ks4_entitlement),
        row + 1,
        autofilter=False,
        freeze=False,
        widths={"indicator": 48, "national_source": 60, "comparison": 90},
    )
    ws.write_string(row, 0, "KS4 entitlement: the school's offer beside take-up", w.bold)
    ws.write_string(
        row + 1,
        0,
        "Entitlement is the pupil's right to study a subject in each area (s.85A): access_pct is the share of the "
        "year's pupils who had such a subject in one of the option blocks they chose from (or were all taught "
        "it); take_up_pct the share who study one. Blank access: no option blocks imported, so it cannot be told.",
        w.note,
    )
    offer = entitlement_offer(analysis)
    if privacy:  # like every per-year table of a pseudonymised workbook: no year group under the minimum
        offer = offer[offer["pupils"] >= privacy.suppress_below]
    row = w.table(ws, offer, row + 2, autofilter=False, freeze=False, widths={"how": 80})
    ws.write_string(row, 0, "KS3 length", w.bold)
    w.table(ws, analysis.indicators.ks3_length, row + 1, autofilter=False, freeze=False)


def _narrowing_sheet(book: Workbook, w: _Writer, analysis: Analysis, privacy: Privacy | None) -> None:
    ind = analysis.indicators
    ws = book.add_worksheet("Narrowing")
    ws.write_string(0, 0, "Where the curriculum narrows", w.title)
    cov = ind.area_coverage
    statutory = ind.statutory_coverage
    if privacy and len(cov):
        years = cov.groupby(["school", "year_group"], observed=True)["students"].max()
        small = years[years < privacy.suppress_below].index
        cov = cov[~pd.MultiIndex.from_frame(cov[["school", "year_group"]]).isin(small)]
        if len(statutory):
            statutory = statutory[~pd.MultiIndex.from_frame(statutory[["school", "year_group"]]).isin(small)]
    row = 2
    if len(cov):
        ws.write_string(row, 0, "% of pupils with time or an option in each area, by year group", w.bold)
        pct = cov.pivot_table(index=["school", "year_group"], columns="area", values="pct_students", observed=True)
        pct = pct.reindex(columns=[a for a in AREAS if a in pct.columns]).rename(columns=AREA_LABELS).reset_index()
        row = w.table(ws, pct, row + 1, autofilter=False, freeze=False)
        ws.write_string(row, 0, "Mean periods per cycle in each area, by year group", w.bold)
        per = cov.pivot_table(index=["school", "year_group"], columns="area", values="mean_periods", observed=True)
        per = per.reindex(columns=[a for a in AREAS if a in per.columns]).rename(columns=AREA_LABELS).reset_index()
        row = w.table(ws, per, row + 1, autofilter=False, freeze=False)
    for title, frame in (
        ("KS3: statutory subject coverage by year (% of pupils)", statutory),
        ("KS3: registration groups missing a statutory subject", ind.group_statutory_gaps),
        ("KS3: areas dropped before Year 10 (% of pupils studying each area)", ind.dropped_before_y10),
        ("KS4: number of Core Learning areas per pupil", ind.ks4_area_counts),
        ("KS4: subjects with zero take-up", ind.zero_takeup),
    ):
        ws.write_string(row, 0, title, w.bold)
        if frame.empty:
            ws.write_string(row + 1, 0, "None.", w.note)
            row += 3
        else:
            row = w.table(ws, frame, row + 1, autofilter=False, freeze=False)
    ws.set_column(0, 0, 22)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique among ``taken`` (casefolded names; the new one is added).

    Excel forbids ``[ ] : * ? / \\``, a leading or trailing apostrophe, names over 31 characters and two
    names differing only in case. Long names are cut, and a repeat gets " (2)", " (3)"... within the 31.
    """
    base = _SHEET_FORBIDDEN.sub("", text).strip().strip("'").strip() or "Pupil"
    name, n = base[:31].rstrip().rstrip("'"), 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].rstrip().rstrip("'") + suffix
    taken.add(name.casefold())
    return name


def _record_card(
    book: Workbook, w: _Writer, pupil: Mapping[Hashable, object], analysis: Analysis, taken: set[str]
) -> None:
    ws = book.add_worksheet(sheet_name(f"{pupil['reg_group']} {pupil['student_id']}", taken))
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    w.cell(ws, 0, 0, str(pupil["name"]), w.title)
    school = pupil.get("school")
    lines = [
        ("Pupil ID", pupil["student_id"]),
        *([("School", school)] if isinstance(school, str) else []),  # a trust's pupil 17 is one of several
        ("Year group", pupil["year_group"]),
        ("Tutor group", pupil["reg_group"]),
        ("Overall status", pupil["overall_status"]),
        ("Core Learning score", pupil["core_learning_score"]),
        ("", pupil["core_learning_explanation"]),
        ("Personal Project score", pupil["personal_project_score"]),
        ("", pupil["personal_project_explanation"]),
        ("Personal Development score", pupil["personal_development_score"]),
        ("", pupil["personal_development_explanation"]),
    ]
    row = 2
    for label, value in lines:
        w.cell(ws, row, 0, label, w.bold if label else None)
        w.cell(ws, row, 1, value, w.wrap)
        row += 1
    row += 1
    ws.write_string(row, 0, "Periods per timetable cycle", w.bold)
    for area in AREAS:
        row += 1
        w.cell(ws, row, 0, AREA_LABELS[area])
        w.cell(ws, row, 1, pupil.get(f"periods_{area}"))
    row += 2
    ws.write_string(row, 0, "Personal Development hours", w.bold)
    for category in analysis.settings.development["categories"]:
        row += 1
        w.cell(ws, row, 0, category)
        w.cell(ws, row, 1, pupil.get(f"pd_hours_{category}", 0))
    row += 2
    ws.write_string(row, 0, "Flags", w.bold)
    for flag in Flag:
        if pupil.get(flag.column):
            row += 1
            w.cell(ws, row, 0, flag.value)
            w.cell(ws, row, 1, f"{flag_label(flag, analysis.settings)}. {flag_help(flag, analysis.settings)}", w.wrap)


def template_workbook(kind: TableKind) -> bytes:
    """A one-sheet workbook schools can fill in for ``kind``: the headings natbacc reads and one example row.

    Each heading carries a cell note saying what the column means, so the template documents itself
    without a second sheet that the importer would have to skip.
    """
    buf = io.BytesIO()
    book = new_workbook(buf, {"title": f"natbacc template: {KIND_LABELS[kind]}"})
    w = _Writer(book)
    ws = book.add_worksheet(KIND_LABELS[kind][:31].replace("/", "-"))
    frame = template(kind)
    w.table(ws, frame, 0, widths={"Name": 24, "Title": 30, "Activity": 24, "Category": 22})
    about = describe_tables().query("table == @kind").set_index("column")
    by_heading = {h: c for c, h in TEMPLATE_HEADINGS.items()}
    for col, heading in enumerate(frame.columns):
        row = about.loc[by_heading[heading]]
        need = "Required" if row["required"] else "Optional"
        ws.write_comment(0, col, f"{need}. {row['description']}", {"x_scale": 2.5, "y_scale": 1.5})
    book.close()
    return buf.getvalue()
