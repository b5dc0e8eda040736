"""aSc Timetables XML export (root ``<timetable>``): the curriculum, per pupil when the export has pupils.

The layout is described in docs/sources.md#timetabler-and-sync-formats.

aSc (EduPage) writes one XML file with sections ``classes``, ``groups``, ``subjects``, ``lessons``
(``classids``, ``groupids``, ``subjectid``, ``periodsperweek``, ``studentids``) and, only when the
school keeps pupils in aSc, ``students`` and ``studentsubjects``. Only those sections are read:
teachers, rooms, cards and everything else are never looked at (data minimisation).

- With pupils, each lesson's ``studentids`` (or, when empty, every pupil of a whole-class group, or
  the pupils of its classes whose ``studentsubjects`` name its subject) gives a class list: pupil,
  name, class (registration group), subject, periods per week.
- Without pupils, the data is class/group level, like an FET timetable: one row per class or
  group and subject, with the group as the "pupil". The grid is marked ``group_level`` so the
  import counts these as classes and says nothing is scored per pupil until a pupil list comes.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import pandas as pd

from natbacc.io.issues import unreadable
from natbacc.io.source import Grid
from natbacc.model import Issue, plural
from natbacc.vocabulary import IssueCode

_HEADINGS = ["Student ID", "Name", "Reg Group", "Subject", "Periods per week"]


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _section(root: Element, section: str, item: str) -> list[dict[str, str]]:
    return [dict(el.attrib) for el in root.iter(item)] if root.find(section) is not None else []


def read_asc(name: str, data: bytes) -> tuple[list[Grid], list[Issue]]:
    """An aSc export as one class-list grid (pupil level when it lists pupils, else group level)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise unreadable(
            name,
            "This aSc Timetables XML file could not be read safely: it is damaged, or uses XML features (entities, "
            f"external references) an aSc export never needs ({type(exc).__name__}). Export it again from aSc.",
            IssueCode.BAD_XML,
        ) from exc
    subjects = {s.get("id", ""): s.get("name") or s.get("short") or "" for s in _section(root, "subjects", "subject")}
    classes = {c.get("id", ""): c.get("name") or c.get("short") or "" for c in _section(root, "classes", "class")}
    groups = {g.get("id", ""): g for g in _section(root, "groups", "group")}
    students = {s.get("id", ""): s for s in _section(root, "students", "student")}
    lessons = _section(root, "lessons", "lesson")
    chosen: dict[str, set[str]] = {}  # pupil -> subjects chosen (aSc <studentsubjects>, for set lessons)
    for pick in _section(root, "studentsubjects", "studentsubject"):
        chosen.setdefault(pick.get("studentid", ""), set()).add(pick.get("subjectid", ""))
    if not lessons:
        raise unreadable(
            name,
            "This aSc Timetables export has no <lessons> section, so it says nothing about the curriculum. Export "
            "it again from aSc with lessons included (File > Export > aSc XML).",
            IssueCode.NO_ROWS,
        )
    rows: list[list[str]] = []
    unassigned = 0
    for lesson in lessons:
        subject = subjects.get(lesson.get("subjectid", ""), "")
        periods = lesson.get("periodsperweek", "")
        class_ids = _ids(lesson.get("classids"))
        if students:
            pupils = _ids(lesson.get("studentids"))
            if not pupils:
                whole = [
                    groups[g]["classid"]
                    for g in _ids(lesson.get("groupids"))
                    if g in groups and groups[g].get("entireclass") == "1"
                ] or ([] if lesson.get("groupids") else class_ids)
                pupils = [sid for sid, s in students.items() if s.get("classid") in whole]
            if not pupils and chosen:  # a set lesson: the pupils of its classes who chose its subject
                subject_id = lesson.get("subjectid", "")
                pupils = [
                    sid
                    for sid, s in students.items()
                    if s.get("classid") in class_ids and subject_id in chosen.get(sid, set())
                ]
            if not pupils:
                unassigned += 1
            for sid in pupils:
                pupil = students.get(sid, {})
                rows.append(
                    [
                        pupil.get("number") or sid,
                        pupil.get("name", ""),
                        classes.get(pupil.get("classid", ""), ""),
                        subject,
                        periods,
                    ]
                )
        else:
            sets = []
            for gid in _ids(lesson.get("groupids")):
                group = groups.get(gid, {})
                class_name = classes.get(group.get("classid", ""), "")
                if group.get("entireclass") == "1" or not group.get("name"):
                    sets.append((class_name, class_name))
                else:
                    sets.append((f"{class_name} {group['name']}".strip(), class_name))
            sets = sets or [(classes.get(c, ""), classes.get(c, "")) for c in class_ids]
            rows += [[key, "", reg, subject, periods] for key, reg in dict.fromkeys(sets) if key]
    frame = pd.DataFrame(rows, columns=_HEADINGS, dtype="str").drop_duplicates()
    pupil_level = bool(students)
    if pupil_level:
        keyed_by_number = any(s.get("number") for s in students.values())
        what = (
            f"Read '{name}' as an aSc Timetables export with pupils: {plural(frame['Student ID'].nunique(), 'pupil')}, "
            f"{plural(len(lessons), 'lesson')} and {plural(frame['Subject'].nunique(), 'subject')}; only classes, "
            "groups, subjects, lessons and pupils' numbers, names and classes were read."
        )
        if not keyed_by_number:
            what += " The pupils have no number in aSc, so they are identified by aSc's own ID; add their Adno."
    else:
        what = (
            f"Read '{name}' as an aSc Timetables export without pupils: the curriculum of "
            f"{plural(frame['Student ID'].nunique(), 'class or group', 'classes or groups')} "
            f"({plural(len(lessons), 'lesson')}, {plural(frame['Subject'].nunique(), 'subject')}). These are "
            "classes, not pupils: nothing is scored per pupil. For pupil-level results add a class list or "
            "timetable with one row per pupil and class, or export aSc with its students."
        )
    notes = [Issue("info", what, file=name, code=IssueCode.ASC_TIMETABLE)]
    if unassigned:
        notes.append(
            Issue(
                "warning",
                f"{plural(unassigned, 'lesson')} in '{name}' name no pupils (a sub-group without its students), so "
                "nobody was given those lessons. Export aSc with each group's students, or add a class list.",
                file=name,
                code=IssueCode.ASC_TIMETABLE,
            )
        )
    cells = pd.concat([pd.DataFrame([_HEADINGS]), pd.DataFrame(frame.to_numpy().tolist())], ignore_index=True)
    return [Grid(name, None, cells.fillna("").astype("str"), group_level=not pupil_level)], notes
