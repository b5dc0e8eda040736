"""A school whose *text* is hostile: Markdown, LaTeX, Streamlit directives, links and HTML in every
field that reaches a page (pupil names, tutor groups, the school, subjects and class codes, option
blocks, project titles, supervisors, Personal Development activities and the term label).

Built in code from the sample school's rows (``natbacc.sample.build_tables``), written as CSV files.
Used by the browser test (tests/e2e/test_hostile_text.py), which checks each string is shown as
written and that nothing is fetched from outside the server.
"""

from __future__ import annotations

import csv
import io
import itertools

from natbacc.sample import build_tables

IMAGE = "![x](http://evil.invalid/p.png)"
LINK = "[name](http://evil.invalid/login)"
BARE_URL = "http://evil.invalid/x"
WWW = "www.evil.invalid"
RED = ":red[red]"
BLOCK_MATH = "$$x^2$$"
MATH = "$x$"
ICON = ":material/home:"
HTML_IMAGE = "<img src=http://evil.invalid/i.png>"
SCRIPT = "<script>alert(1)</script>"
BOLD = "**bold**"
HEADING = "# heading"
ANCHOR = '<a href="http://evil.invalid/a">a</a>'
CORPUS = [IMAGE, LINK, BARE_URL, WWW, RED, BLOCK_MATH, MATH, ICON, HTML_IMAGE, SCRIPT, BOLD, HEADING, ANCHOR]

#: The pupil whose profile is opened (a Year 10 pupil with options, a project and a PD log).
PUPIL_ID = "001721"
PUPIL_FORENAME, PUPIL_SURNAME = LINK, IMAGE
PUPIL_NAME = f"{PUPIL_FORENAME} {PUPIL_SURNAME}"
#: 8C is the tutor group with no music: its name is in the findings on the Overview and KS3 pages.
GROUP = "8C :red[red] $$x^2$$"
PUPIL_GROUP = f"10A {HTML_IMAGE}"
SCHOOL = f"{LINK} {WWW} {ICON}"
TERM = f"{IMAGE} {ANCHOR} {MATH}"
#: Forest School (7A's unmapped local subject) and an option subject.
SUBJECT = f"Forest School {IMAGE} {BARE_URL}"
OPTION = f"{ANCHOR} Music {BOLD}"
CLASS = f"{HEADING} 7A"
#: Option block A (its name is in the option-routes chart).
BLOCK = f"A {BOLD}"


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def hostile_school() -> dict[str, bytes]:
    """The sample school with hostile text in every field shown on a page, as CSV files (name -> bytes)."""
    t = build_tables()
    details, names = [t["details"][0]], {}
    corpus = itertools.cycle(CORPUS)
    for n, row in enumerate(t["details"][1:]):
        row = list(row)
        if row[0] == PUPIL_ID:
            row[2], row[3], row[5] = PUPIL_SURNAME, PUPIL_FORENAME, PUPIL_GROUP
        elif n % 40 == 0:
            row[3] = f"{next(corpus)} {row[3]}"
        if row[5] == "8C":
            row[5] = GROUP
        details.append(row)
        names[row[0]] = f"{row[3]} {row[2]}"
    timetable = [["Adno", "Name", "Class", "Subject", "Periods per fortnight"]]
    for key, rows in t.items():
        if key.startswith("tt:"):
            for adno, _, klass, subject, periods in rows[1:]:
                if subject == "Forest School":
                    klass, subject = CLASS, SUBJECT
                timetable.append([adno, names[adno], klass, subject, periods])
    files = {"pupils.csv": _csv(details), "timetable.csv": _csv(timetable)}
    options = [["Adno", "Block", "Subject"]]
    for key, blocks in (("opt:Y10-11 options", "ABCD"), ("opt:Y9 options", "ABC")):
        for adno, _, _, *choices in t[key]:
            for block, subject in zip(blocks, choices, strict=False):
                options.append([adno, BLOCK if block == "A" else block, OPTION if subject == "Music" else subject])
    files["options.csv"] = _csv(options)
    projects = [t["projects"][0]]
    upn_to_adno = {r[1]: r[0] for r in t["details"][1:]}
    titles, supervisors = itertools.cycle(CORPUS), itertools.cycle(reversed(CORPUS))
    for upn, _, _, stage, hours, _ in t["projects"][1:]:
        adno = upn_to_adno.get(upn)
        title, supervisor = next(titles), next(supervisors)
        if adno == PUPIL_ID:
            title, supervisor = f"{IMAGE} {RED}", f"{LINK} {MATH}"
        projects.append([upn, names.get(adno, ""), title, stage, hours, supervisor])
    files["projects.csv"] = _csv(projects)
    activities = itertools.cycle(CORPUS)
    files["pd-log.csv"] = _csv([t["pd"][0], *([a, d, next(activities), c, h] for a, d, _, c, h in t["pd"][1:])])
    return files
