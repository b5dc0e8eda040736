"""A realistic, deterministic sample school: "Oakfield Academy" (synthetic; no real pupils).

Tests, demos and the dashboard's first screen all build the same school from this module
(datasette's generated-fixtures idea), written in the shapes real exports have: title rows above
headers, SIMS-style class codes (``10X/Ge2``), abbreviations ("Geog", "Comb Sci", "D&T"), a wide
option sheet under a merged "Option blocks" heading, a project log keyed by UPN, a CSV UTF-8 (BOM)
activity log with UK dates covering every school year of each pupil's Personal Development programme.

Patterns built in, which the product must find (and nothing else):
- a shortened KS3: Year 9 already follows three option blocks (KS3 lasts two years);
- tutor group 8C has no music (a statutory KS3 subject);
- KS4 pupils without arts, a language, a humanity or technology, from their option combinations;
- disadvantaged (Pupil Premium) pupils take a language 20 percentage points less often at KS4;
- some pupils with no Personal Development hours, some Y10+ pupils with no Personal Project.

Choices and engagement are dealt round-robin in an order sorted by pupil characteristics, so every
group gets the same mix and the only equity gap is the one built in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from natbacc.upn import check_letter
from natbacc.xlsx import new_workbook

SCHOOL = "Oakfield Academy"
AS_OF = dt.date(2026, 11, 20)
SEED = 2026

FILES = (
    "pupil_details.xlsx",
    "timetable_class_lists.xlsx",
    "options.xlsx",
    "personal_projects.xlsx",
    "personal_development_log.csv",
    "qualifications.xlsx",
)

_FORENAMES_F = [
    "Amelia",
    "Zoë",
    "Siân",
    "Chloé",
    "Aoife",
    "Niamh",
    "Olivia",
    "Isla",
    "Fatima",
    "Maryam",
    "Renée",
    "Ava",
    "Grace",
    "Lily",
    "Freya",
    "Aaliyah",
    "Maja",
    "Thị Lan",
    "Ebony",
    "Mia",
    "Hannah",
    "Ruby",
]
_FORENAMES_M = [
    "Oliver",
    "Muhammad",
    "Seán",
    "Łukasz",
    "José",
    "Zoltán",
    "Harry",
    "George",
    "Noah",
    "Jack",
    "Leo",
    "Arlo",
    "Kofi",
    "Yusuf",
    "Dylan",
    "Rhys",
    "Tomás",
    "Ethan",
    "Callum",
    "Ibrahim",
    "Theo",
    "Finley",
]
_SURNAMES = [
    "Smith",
    "O'Brien",
    "D'Souza",
    "Nguyễn",
    "Müller",
    "Kowalski",
    "Ó Súilleabháin",
    "Smith-Jones",
    "Patel",
    "Khan",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Roberts",
    "Johnson",
    "Ahmed",
    "Hussain",
    "Okafor",
    "Mensah",
    "Walker",
    "Wright",
    "Hughes",
    "Green",
    "Hall",
    "Clarke",
    "Begum",
    "Ali",
    "Novak",
    "Fernández",
    "MacDonald",
    "O'Neill",
]

# KS3 timetable for Y7-8, periods per 50-period fortnight (code, subject label as SIMS exports it).
_KS3 = [
    ("En", "English", 7),
    ("Ma", "Maths", 7),
    ("Sc", "Science", 6),
    ("Hi", "Hist", 3),
    ("Gg", "Geog", 3),
    ("Ar", "Art", 2),
    ("Mu", "Music", 2),
    ("Dr", "Drama", 1),
    ("Te", "D&T", 2),
    ("Co", "Computing", 1),
    ("PE", "Core PE", 4),
    ("RE", "RE", 2),
    ("Ps", "PSHE & Citizenship", 1),
    ("Tu", "Tutor", 2),
    ("We", "Enrichment", 2),
]
_KS3_LANGS = [("Fr", "French", 5), ("Sp", "Spanish", 5)]
# Y9 starts KS4-style: core plus three option blocks of 6 periods.
_Y9_CORE = [
    ("En", "English", 8),
    ("Ma", "Maths", 8),
    ("Sc", "Science", 8),
    ("PE", "Core PE", 3),
    ("RE", "RE", 2),
    ("Ps", "PSHE & Citizenship", 1),
    ("Tu", "Tutor", 2),
]
_KS4_CORE = [
    ("En", "English Lang", 5),
    ("El", "Eng Lit", 4),
    ("Ma", "Maths", 8),
    ("Sc", "Comb Sci", 10),
    ("PE", "Core PE", 2),
    ("RS", "RS Short Course", 2),
    ("Ps", "PSHE & Citizenship", 1),
    ("Tu", "Tutor", 2),
]
_CODES = {
    "French": "Fr",
    "Spanish": "Sp",
    "History": "Hi",
    "Geography": "Gg",
    "Computer Science": "Cs",
    "Triple Science": "Ts",
    "Art and Design": "Ar",
    "Music": "Mu",
    "Drama": "Dr",
    "Product Design": "Pd",
    "Business": "Bs",
    "Food Preparation and Nutrition": "Fd",
    "Sport": "Sp",
    "Media Studies": "Me",
    "Creative iMedia": "Im",
    "Photography": "Pg",
}
# How option subjects appear in the options export (as a school types them).
_OPTION_LABELS = {
    "Art and Design": "Art & Design",
    "Food Preparation and Nutrition": "Food Prep & Nutrition",
    "Sport": "BTEC Sport",
    "Computer Science": "Comp Sci",
    "Creative iMedia": "iMedia",
}
# Option combinations (blocks A-D), dealt round-robin. Not-disadvantaged pupils take a language in 6 of 10;
# disadvantaged pupils in 4 of 10 (combinations 1 and 4 swap the language for a humanity they do not
# already take, so no other area changes).
_COMBOS = [
    ("French", "History", "Art and Design", "Food Preparation and Nutrition"),
    ("Spanish", "Geography", "Music", "Sport"),
    ("History", "Computer Science", "Drama", "Creative iMedia"),
    ("French", "Triple Science", "Product Design", "Geography"),
    ("Geography", "Art and Design", "Business", "Sport"),
    ("Spanish", "History", "Drama", "Media Studies"),
    ("History", "Computer Science", "Product Design", "Photography"),
    ("French", "Geography", "Business", "Food Preparation and Nutrition"),
    ("French", "Computer Science", "Music", "Sport"),
    ("History", "Art and Design", "Business", "Sport"),
]
_PP_COMBOS = list(_COMBOS)
_PP_COMBOS[0] = ("Geography", "History", "Art and Design", "Food Preparation and Nutrition")
_PP_COMBOS[3] = ("History", "Triple Science", "Product Design", "Geography")
_A_LEVELS = [
    ("Mathematics", "Physics", "Chemistry"),
    ("English Literature", "History", "Psychology"),
    ("Biology", "Chemistry", "Psychology"),
    ("Art and Design", "Photography", "Media Studies"),
    ("Economics", "Mathematics", "Geography"),
    ("Sociology", "Psychology", "Religious Studies"),
]
# Engagement tiers, dealt round-robin: (PD hours so far, categories covered, project stage for Y10-13,
# project hours as a share of the expected hours by now). None = no record at all.
#: (personal development hours or None, PDP categories, project stage or None, share of the expected project hours
#: or None when there is no project), dealt to pupils in turn.
_TIERS: list[tuple[float | None, int, str | None, float | None]] = [
    (7.5, 3, "research", 1.3),
    (5.0, 3, "proposal", 1.0),
    (9.0, 3, "production", 1.5),
    (6.0, 2, "research", 1.1),
    (4.5, 3, "proposal", 0.9),
    (None, 0, None, None),
    (8.0, 3, "research", 1.2),
    (6.5, 3, "production", 1.4),
    (5.5, 3, "proposal", 0.5),
    (3.0, 1, "research", 1.0),
    (7.0, 3, "research", 1.2),
    (10.0, 3, "production", 1.6),
    (5.0, 3, "proposal", 1.0),
    (6.0, 3, "research", 1.1),
    (2.0, 2, "proposal", 0.3),
    (8.5, 3, "research", 1.3),
    (6.0, 3, None, None),
    (7.0, 3, "production", 1.2),
    (4.0, 3, "research", 0.9),
    (9.5, 3, "research", 1.4),
]
_PD_ACTIVITIES = {
    "Leadership & Service": ["Food bank volunteering", "Peer mentoring", "Student council", "Litter pick"],
    "Creative & Cultural": ["School choir", "Art club", "Theatre trip", "Orchestra", "Debating society"],
    "Physical & Outdoor": ["Football club", "DofE expedition training", "Netball club", "Climbing wall"],
}
_PD_CATEGORY_LABELS = {
    "Leadership & Service": "Leadership & Service",
    "Creative & Cultural": "Creative",
    "Physical & Outdoor": "Physical & Outdoor",
}
_PROJECT_TITLES = [
    "Can our town run on tidal power?",
    "Designing a wheelchair-friendly playground",
    "The history of our high street",
    "Does music help you revise?",
    "Building a weather station",
    "Fast fashion and the environment",
    "Coding a game to teach fractions",
    "Why do bees matter?",
    "A short film about our community",
    "Plastic-free canteen plan",
]
_SUPERVISORS = ["Mr Adeyemi", "Ms Kaur", "Dr Evans", "Mrs O'Connor", "Mr Nowak", "Miss Hughes"]


@dataclass(frozen=True)
class Pupil:
    """One synthetic pupil."""

    adno: str
    upn: str
    surname: str
    forename: str
    year: int
    reg: str
    sex: str
    pp: bool
    sen: str
    eal: bool


def _upn(serial: int, year_allocated: int) -> str:
    body = f"8014001{year_allocated % 100:02d}{serial % 1000:03d}"
    return check_letter(body) + body


def make_pupils(rng: random.Random) -> list[Pupil]:
    """About 1,300 pupils: Y7-Y11 in eight forms of 30, and a sixth form of 60 per year."""
    pupils = []
    n = 1000
    for year in range(7, 14):
        forms = "ABCDEFGH" if year <= 11 else "AB"
        size = 30
        for form in forms:
            for _ in range(size):
                n += 1
                sex = "F" if rng.random() < 0.5 else "M"
                forename = rng.choice(_FORENAMES_F if sex == "F" else _FORENAMES_M)
                roll = rng.random()
                sen = "E" if roll < 0.03 else "K" if roll < 0.16 else "N"
                pupils.append(
                    Pupil(
                        adno=f"{n:06d}",
                        upn=_upn(n, 2026 - year + 6),
                        surname=rng.choice(_SURNAMES),
                        forename=forename,
                        year=year,
                        reg=f"{year}{form}",
                        sex=sex,
                        pp=rng.random() < 0.26,
                        sen=sen,
                        eal=rng.random() < 0.16,
                    )
                )
    return pupils


def _dealing_order(pupils: list[Pupil]) -> dict[str, int]:
    """Position of each pupil within their year, sorted by characteristics (balances every group)."""
    order: dict[str, int] = {}
    by_year: dict[int, list[Pupil]] = {}
    for p in pupils:
        by_year.setdefault(p.year, []).append(p)
    for group in by_year.values():
        ranked = sorted(group, key=lambda p: (p.pp, p.sen, p.eal, p.sex, p.adno))
        order.update({p.adno: i for i, p in enumerate(ranked)})
    return order


def _combo(p: Pupil, pos: int) -> tuple[str, ...]:
    return (_PP_COMBOS if p.pp else _COMBOS)[pos % len(_COMBOS)]


def build_tables(seed: int = SEED) -> dict[str, list[list[object]]]:
    """All sample rows (header first) per file/sheet, before they are written out."""
    rng = random.Random(seed)
    pupils = make_pupils(rng)
    pos = _dealing_order(pupils)
    bad_upn_adno = pupils[37].adno  # one transcription error, for the import report

    details: list[list[object]] = [
        [
            "Adno",
            "UPN",
            "Legal Surname",
            "Legal Forename",
            "Year",
            "Reg Group",
            "Gender",
            "PP",
            "SEN Status",
            "EAL",
            "NBfE target tier",
        ]
    ]
    for p in pupils:
        upn = p.upn[:-1] + ("7" if p.upn[-1] != "7" else "8") if p.adno == bad_upn_adno else p.upn
        details.append(
            [
                p.adno,
                upn,
                p.surname,
                p.forename,
                f"Year {p.year}",
                p.reg,
                p.sex,
                "Yes" if p.pp else "No",
                p.sen,
                "Y" if p.eal else "N",
                award_target_tier(p, pos[p.adno]),
            ]
        )

    timetable: dict[str, list[list[object]]] = {}
    options: dict[str, list[list[object]]] = {"Y9 options": [], "Y10-11 options": []}
    for year in range(7, 14):
        timetable[f"Year {year}"] = [["Adno", "Name", "Class", "Subject", "Periods per fortnight"]]
    for p in pupils:
        rows = timetable[f"Year {p.year}"]
        band = "X" if p.reg[-1] in "ABCD" else "Y"
        setno = "ABCDEFGH".index(p.reg[-1]) % 4 + 1
        name = f"{p.forename} {p.surname}"

        def add(
            code: str,
            label: str,
            periods: int,
            *,
            p: Pupil = p,
            band: str = band,
            setno: int = setno,
            rows: list[list[object]] = rows,
            name: str = name,
        ) -> None:
            klass = f"{p.reg}/{code}" if code in ("Tu", "Ps") else f"{p.year}{band}/{code}{setno}"
            rows.append([p.adno, name, klass, label, periods])

        if p.year <= 8:
            for code, label, periods in _KS3:
                if p.reg == "8C" and code == "Mu":
                    add("Ex", "English", periods)  # 8C's music slot went to extra English
                    continue
                if p.reg == "7A" and code == "We":
                    add("Fs", "Forest School", periods)  # a local subject nobody has mapped yet
                    continue
                add(code, label, periods)
            add(*_KS3_LANGS[pos[p.adno] % 2])
        elif p.year <= 11:
            combo = _combo(p, pos[p.adno])
            core = _Y9_CORE if p.year == 9 else _KS4_CORE
            for code, label, periods in core:
                add(code, label, periods)
            blocks = combo[:3] if p.year == 9 else combo
            for block, subject in zip("ABCD", blocks, strict=False):
                add(_CODES[subject] + block.lower(), subject, 6 if p.year == 9 else 4)
            sheet = "Y9 options" if p.year == 9 else "Y10-11 options"
            labels = [_OPTION_LABELS.get(s, s) for s in blocks]
            options[sheet].append([p.adno, name, p.reg, *labels, rng.choice(["", "Geography", "Music", "Free"])])
        else:
            for subject in _A_LEVELS[pos[p.adno] % len(_A_LEVELS)]:
                add(subject[:2], subject, 9)
            add("Tu", "Tutor", 2)
            add("St", "Study", 6)

    projects: list[list[object]] = [["UPN", "Student", "Project title", "Stage", "Hours logged", "Supervisor"]]
    pd_rows: list[list[object]] = [["Adno", "Date", "Activity", "Category", "Hours"]]
    ks_target = {10: 60, 11: 60, 12: 120, 13: 120}
    for p in pupils:
        tier = _TIERS[pos[p.adno] % len(_TIERS)]
        pd_hours, n_categories, stage, share = tier
        if pd_hours is not None:
            scale = 3.0 if p.year >= 12 else 1.0
            categories = list(_PD_ACTIVITIES)[:n_categories]
            # The programme spans years (Y7-11, Y12-13): earlier school years of it are in the log too, at a
            # yearly pace in proportion to this year's engagement (7 h so far this year ~ the 17 h/50 h a year the
            # default programmes pro-rate to).
            years_back = p.year - (12 if p.year >= 12 else 7)
            per_year = (50.0 if p.year >= 12 else 17.0) * pd_hours / 7.0
            for back in range(years_back, -1, -1):
                for i, category in enumerate(categories):
                    day = AS_OF - dt.timedelta(days=7 + 17 * i + (pos[p.adno] % 9))
                    if back:
                        day = day.replace(year=day.year - back) + dt.timedelta(days=60)
                    activity = _PD_ACTIVITIES[category][pos[p.adno] % len(_PD_ACTIVITIES[category])]
                    total = per_year if back else pd_hours * scale
                    hours = round(total / len(categories) * 2) / 2
                    pd_rows.append([p.adno, day.strftime("%d/%m/%Y"), activity, _PD_CATEGORY_LABELS[category], hours])
        if award_completer(p, pos[p.adno]):  # done early: a full programme of hours and a finished project
            pd_rows += award_completer_activities(p, pos[p.adno])
            stage, share = "complete", 0.85
        if p.year >= 10 and stage is not None and share is not None:
            year_in_ks = (p.year - 10) % 2
            expected = ks_target[p.year] * (year_in_ks + 0.3) / 2
            if p.year in (11, 13) and stage == "proposal":
                stage = "production"
            projects.append(
                [
                    p.upn,
                    f"{p.forename} {p.surname}",
                    _PROJECT_TITLES[pos[p.adno] % 10],
                    stage.title(),
                    round(expected * share, 1),
                    _SUPERVISORS[pos[p.adno] % len(_SUPERVISORS)],
                ]
            )
    return {
        "details": details,
        **{f"tt:{k}": v for k, v in timetable.items()},
        **{f"opt:{k}": v for k, v in options.items()},
        "projects": projects,
        "pd": pd_rows,
        "qualifications": award_qualifications(pupils, pos),
    }


# ---- The NBfE award: target tiers, qualifications, early completers (issue #19) -------------------------

#: GCSE grades dealt round-robin to a Year 12-13 pupil's earlier results (English, maths, then the rest).
_GCSE_GRADES = ["7", "5", "6", "4", "8", "5", "6", "3", "9", "4", "5", "6"]
_KS4_QUALS = {  # option subject -> (qualification, subject as the exams office writes it)
    "Creative iMedia": ("Cambridge National Level 1/2", "Creative iMedia"),
    "Sport": ("BTEC Tech Award", "Sport, Activity and Fitness"),
    "Food Preparation and Nutrition": ("GCSE", "Food Preparation and Nutrition"),
}


def award_completer(p: Pupil, pos: int) -> bool:
    """A few Year 13 pupils on an Intermediate programme have done everything already: the sample's completers."""
    return p.year == 13 and pos % 15 == 7


def award_target_tier(p: Pupil, pos: int) -> str:
    """The tier the school registered the pupil for ("" where it set none, as for most of Years 7-11)."""
    if award_completer(p, pos) or (p.year >= 12 and pos % 15 == 11):
        return "Intermediate"
    if p.year >= 12:
        return "Advanced"
    if p.year == 11 and pos % 20 == 3:
        return "Intermediate"  # entered for Entry Level maths only: not on course for Intermediate
    return ""


def award_completer_activities(p: Pupil, pos: int) -> list[list[object]]:
    """Thirty-five hours in each category across Year 12, on top of the pupil's usual log."""
    day = dt.date(AS_OF.year, 3, 10 + pos % 9)  # Year 12 was the school year before AS_OF's
    return [
        [p.adno, day.strftime("%d/%m/%Y"), _PD_ACTIVITIES[c][0], _PD_CATEGORY_LABELS[c], 35.0] for c in _PD_ACTIVITIES
    ]


def award_qualifications(pupils: list[Pupil], pos: dict[str, int]) -> list[list[object]]:
    """An exams-office export: Year 11 entries, Years 12-13 GCSE results and Level 3 entries.

    Year 11 is entered for its GCSEs and technical awards (a few pupils for Entry Level maths); Years 12
    and 13 have their GCSE results (achieved the August before last or last) and their A level, EPQ or
    Extended Diploma entries. One Year 13 pupil in six takes an Extended Diploma instead of A levels.
    """
    rows: list[list[object]] = [["Adno", "Qualification", "Subject", "Status", "Grade", "Date"]]
    for p in pupils:
        k = pos[p.adno]
        if p.year == 11:
            entry = "21/02/2027"
            maths = ("Entry Level Certificate", "Mathematics") if k % 20 == 3 else ("GCSE", "Mathematics")
            subjects = [("GCSE", "English Language"), ("GCSE", "English Literature"), maths]
            subjects += [("GCSE", "Combined Science: Trilogy"), ("GCSE Short Course", "Religious Studies")]
            subjects += [_KS4_QUALS.get(s, ("GCSE", s)) for s in _combo(p, k)]
            rows += [[p.adno, q, s, "Entered", "", entry] for q, s in subjects]
        elif p.year >= 12:
            results = f"{20 + (13 - p.year)}/08/{AS_OF.year - (13 - p.year)}"
            gcses = ["English Language", "Mathematics", "History", "Geography", "French", "Art and Design"]
            for i, subject in enumerate(gcses):
                grade = "6" if award_completer(p, k) else _GCSE_GRADES[(k + i) % len(_GCSE_GRADES)]
                rows.append([p.adno, "GCSE", subject, "Achieved", grade, results])
            rows.append([p.adno, "GCSE", "Combined Science", "Achieved", "6-5", results])
            entry = f"21/02/{AS_OF.year + (13 - p.year) + 1}"
            if award_target_tier(p, k) == "Intermediate":
                continue  # a Level 2 sixth-form programme: its GCSEs are its Core Learning
            if k % 6 == 1:
                rows.append([p.adno, "BTEC Level 3 National Extended Diploma", "Sport", "Entered", "", entry])
            else:
                a_levels = list(_A_LEVELS[k % len(_A_LEVELS)])[: 2 if k % 25 == 4 else 3]
                rows += [[p.adno, "GCE A Level", s, "Entered", "", entry] for s in a_levels]
            if k % 4 == 0:
                rows.append([p.adno, "Extended Project", "Extended Project", "Entered", "", entry])
    return rows


class _SheetOptions(TypedDict, total=False):
    #: (first column, number of columns) of the "Option blocks" heading merged above the header row.
    merged_options: tuple[int, int]


def _workbook(sheets: list[tuple[str, list[str], list[list[object]], _SheetOptions]]) -> bytes:
    """Write sheets (name, title lines, rows, options) to xlsx bytes, reproducibly."""
    buf = io.BytesIO()
    book = new_workbook(
        buf,
        {
            "title": f"{SCHOOL} (synthetic sample)",
            "author": "natbacc sample generator",
            "created": dt.datetime(2026, 11, 20, 9, 0, 0),
        },
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    centre = book.add_format({"bold": True, "align": "center"})
    text = book.add_format({"num_format": "@"})
    for name, titles, rows, opts in sheets:
        ws = book.add_worksheet(name)
        r = 0
        for line in titles:
            ws.write_string(r, 0, line, title if r == 0 else None)
            r += 1
        if titles:
            r += 1
        if opts.get("merged_options"):
            first, count = opts["merged_options"]
            ws.merge_range(r, first, r, first + count - 1, "Option blocks", centre)
            r += 1
        ws.write_row(r, 0, rows[0], bold)
        for i, row in enumerate(rows[1:], start=r + 1):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(i, j, value, text if j == 0 else None)
                elif isinstance(value, int | float):
                    ws.write_number(i, j, value)
                elif value is not None:
                    raise TypeError(f"a sample cell is text, a number or None, not {type(value).__name__}")
        ws.set_column(0, len(rows[0]) - 1, 16)
        ws.freeze_panes(r + 1, 0)
    book.close()
    return buf.getvalue()


def build_files(seed: int = SEED) -> dict[str, bytes]:
    """The sample school's files, name -> bytes, byte-for-byte reproducible."""
    t = build_tables(seed)
    run = f"Report run {AS_OF:%d/%m/%Y}. SYNTHETIC SAMPLE DATA: no real pupils."
    files = {
        "pupil_details.xlsx": _workbook([("Pupils", [f"{SCHOOL}: pupil details", run], t["details"], {})]),
        "timetable_class_lists.xlsx": _workbook(
            [(k.split(":", 1)[1], [], v, {}) for k, v in t.items() if k.startswith("tt:")]
        ),
    }
    opt_sheets: list[tuple[str, list[str], list[list[object]], _SheetOptions]] = []
    for key, blocks in (("opt:Y10-11 options", 4), ("opt:Y9 options", 3)):
        rows: list[list[object]] = [["Adno", "Name", "Reg", *"ABCD"[:blocks], "Reserve"], *t[key]]
        opt_sheets.append(
            (
                key.split(":", 1)[1],
                [f"{SCHOOL}: option choices 2026-27", run],
                rows,
                {"merged_options": (3, blocks)},
            )
        )
    files["options.xlsx"] = _workbook(opt_sheets)
    files["personal_projects.xlsx"] = _workbook(
        [("Projects", [f"{SCHOOL}: Personal Project tracker"], t["projects"], {})]
    )
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(t["pd"])
    files["personal_development_log.csv"] = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    files["qualifications.xlsx"] = _workbook(
        [("Entries and results", [f"{SCHOOL}: exams office entries and results", run], t["qualifications"], {})]
    )
    return files


def write_sample(directory: str | Path, seed: int = SEED) -> list[Path]:
    """Write the sample school into ``directory`` (created if needed); returns the paths."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in build_files(seed).items():
        path = target / name
        path.write_bytes(data)
        paths.append(path)
    return paths


#: The sample school shipped inside the package, so an installed natbacc (``natbacc serve``) has it too. The
#: repository's top-level ``sample_data/`` holds the same files for people to open; ``make sample`` writes both
#: and a test keeps them equal to the generator's output.
PACKAGED = Path(__file__).resolve().parent / "sample_data"


def sample_paths(directory: str | Path | None = None) -> list[Path]:
    """Paths of the sample files in ``directory``, by default the copy shipped in the package."""
    base = Path(directory) if directory else PACKAGED
    return [base / name for name in FILES]


# ---- Options season: Year 9's choices for Year 10 and the current block design ----------------------
#: Next year's files, kept apart from ``FILES`` (the sample school's current data): the Options page and
#: ``natbacc options`` read them; importing them as this year's options would be wrong.
SEASON_FILES = ("year9_choices_for_year10.csv", "option_blocks_current.csv")

#: The school's current design: four blocks, both Spanish and French beside Art in block B (a clash for
#: pupils who want a language and art), Dance and Citizenship not offered.
_CURRENT_BLOCKS = {
    "Block A": ["History", "History", "Geography", "Computer Science", "Business Studies", "Physical Education",
                "Drama"],
    "Block B": ["French", "Spanish", "Art and Design", "Music", "Sociology", "Triple Science", "Physical Education"],
    "Block C": ["Geography", "German", "Drama", "Design and Technology", "Psychology", "Religious Studies",
                "Photography", "Triple Science"],
    "Block D": ["History", "French", "Food Preparation and Nutrition", "Business Studies", "Media Studies",
                "Art and Design", "Statistics", "Geography"],
}  # fmt: skip


def build_season_files(seed: int = SEED) -> dict[str, bytes]:
    """The sample school's Year 9 option choices (with a reserve each) and its current block design, as CSV."""
    from natbacc.options.synthetic import synthetic_choices

    year9 = [p for p in make_pupils(random.Random(seed)) if p.year == 9]
    choices = synthetic_choices(len(year9), seed=seed, adnos=[p.adno for p in year9], flags=False)
    choices.insert(1, "Name", [f"{p.forename} {p.surname}" for p in year9])
    depth = max(len(v) for v in _CURRENT_BLOCKS.values())
    design = {k: [*v, *[""] * (depth - len(v))] for k, v in _CURRENT_BLOCKS.items()}
    import pandas as pd

    return {
        SEASON_FILES[0]: b"\xef\xbb\xbf" + choices.to_csv(index=False, lineterminator="\r\n").encode("utf-8"),
        SEASON_FILES[1]: pd.DataFrame(design).to_csv(index=False, lineterminator="\r\n").encode("utf-8"),
    }
