"""The words of the "About the scores" page: what NBfE is, and how each score, status and flag is worked out
under the rule set in force.

Every number here is read from the ``Settings`` given (the school's own, once changed), never written into
the text, so the page cannot drift from what the scoring does. The text is plain (no Markdown): the page
escapes it, since a school's own category names and settings are data. Each section cites the entries of
docs/sources.md its defaults come from; the page links them to the Sources page.
"""

from __future__ import annotations

from dataclasses import dataclass

from natbacc.breadth import statutory_entitlement
from natbacc.flag_words import flag_help, flag_label
from natbacc.model import AREA_LABELS
from natbacc.scoring import STATUTORY_LABELS, _slot_label, ks3_subjects_phrase, ks4_slots, school_type
from natbacc.settings import Settings
from natbacc.vocabulary import Flag, Status


@dataclass(frozen=True)
class AboutSection:
    """One section of the page: a title, an introduction, points, and the sources it cites (anchors)."""

    title: str
    intro: str
    points: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _pc(share: float) -> str:
    return f"{share * 100:g}%"


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else "none"


def _weights(weights: dict[str, float], names: dict[str, str]) -> str:
    total = sum(weights.values()) or 1
    return ", ".join(f"{names.get(k, k)} {_pc(v / total)}" for k, v in weights.items())


def _nbfe() -> AboutSection:
    return AboutSection(
        "What the National Baccalaureate for England is",
        "The National Baccalaureate for England (NBfE) is a framework for a broad education, accredited by the "
        "National Baccalaureate Trust. A pupil's programme has three strands, studied over several years: Core "
        "Learning (a broad and balanced curriculum), a Personal Project (an extended project of the pupil's own) "
        "and Personal Development (service, creative and physical activity). natbacc tracks each pupil against "
        "the rule set below, which the school may change in Settings; it does not award the NBfE.",
        (),
        ("nbt-accreditation", "nbt-three-strands"),
    )


def _statuses(settings: Settings) -> AboutSection:
    on, off = settings.status["on_track"], settings.status["off_track"]
    return AboutSection(
        "Scores and the overall status",
        "Each strand is scored from 0 to 100 where it applies to the pupil. The overall status reads the strands "
        "that apply:",
        (
            f"{Status.ON_TRACK.label}: every strand that applies scores {on} or more.",
            f"{Status.AT_RISK.label}: none below {off}, but at least one below {on}.",
            f"{Status.OFF_TRACK.label}: at least one strand below {off}.",
            f"{Status.NOT_SCORED.label}: no strand could be scored (no year group, or nothing imported).",
        ),
        ("natbacc-defaults",),
    )


def _core(settings: Settings) -> AboutSection:
    core = settings.core
    kind = school_type(settings)
    ks3_subjects = [STATUTORY_LABELS.get(k, k) for k in core["ks3_statutory"]]
    minimum = core["min_areas"]
    entitlement = [AREA_LABELS.get(a, a) for a in core["entitlement_areas"]]
    slots = [_slot_label(s) for s in ks4_slots(settings)]
    rule = (
        "as Education Act 2002 s.85A defines them (humanities: history or geography; technology: design and "
        "technology; languages: a modern foreign language)"
        if statutory_entitlement(settings)
        else "by the school's own broader rule (any subject mapped to the area)"
    )
    names = {
        "statutory": ks3_subjects_phrase(settings),
        "areas": "Core Learning areas covered",
        "balance": "balance of time",
        "core": "core subjects",
        "entitlement": "entitlement areas",
    }
    duty = (
        "The National Curriculum is statutory for this school (school type: maintained)."
        if kind == "maintained"
        else f"This school is set as {kind}: not bound by the National Curriculum, which is used as a yardstick "
        "of breadth, not as a legal duty."
    )
    return AboutSection(
        "Core Learning",
        f"What each pupil studies: the classes on the timetable and the option choices. {duty}",
        (
            f"Key Stage 3 score: {_weights(core['ks3_weights'], names)}. The {ks3_subjects_phrase(settings)} are "
            f"{_words(ks3_subjects)}.",
            f"Balance: no single area should take more than {_pc(core['max_area_share'])} of curricular time; "
            "without period counts, balance is left out and the other parts re-weighted.",
            f"Key Stage 4 score: {_weights(core['ks4_weights'], names)}. Core: {_words(slots)}.",
            f"KS4 entitlement areas ({_words(entitlement)}), counted {rule}. Entitlement is the pupil's right "
            "to study a subject in each area; the school must offer one.",
            "Few areas: "
            + "; ".join(
                f"fewer than {minimum[ks]} Core Learning areas at {ks.upper()}"
                if minimum[ks]
                else f"never at {ks.upper()}"
                for ks in ("ks3", "ks4", "ks5")
            )
            + " raises the flag.",
            f"Key Stage 5: {core['ks5_min_subjects']:g} A levels' worth or more, counting qualification size "
            "(an Extended Diploma is three).",
        ),
        ("national-curriculum-ks3-ks4", "ks4-entitlement-areas", "academies-curriculum", "ks5-qualification-sizes"),
    )


def _project(settings: Settings) -> AboutSection:
    project = settings.project
    hours = project["target_hours"]
    by_year = project["expected_stage_by_year"]
    stages = [s.replace("_", " ") for s in project["stages"]]
    expected = [f"Year {y}: {str(by_year[y]).replace('_', ' ')}" for y in sorted(by_year, key=int)]
    return AboutSection(
        "Personal Project",
        f"An extended project, expected from Year {project['expected_from_year']}. Its stages, in order: "
        f"{_words(stages)}.",
        (
            f"Score: {_weights(project['weights'], {'stage': 'stage reached', 'hours': 'hours logged'})}, each "
            "against the point the key stage's target implies by today.",
            f"Hours targets: {hours['ks3']:g} h at KS3, {hours['ks4']:g} h at KS4, {hours['ks5']:g} h at KS5.",
            f"Stage expected by the end of each year: {'; '.join(expected)}.",
            f"Behind: below {_pc(project['behind_tolerance'])} of the hours expected by now, or below the "
            "expected stage.",
        ),
        ("project-qualifications", "natbacc-defaults"),
    )


def _development(settings: Settings) -> AboutSection:
    dev = settings.development
    points = []
    for prog in settings.programmes.values():
        minima = {c: h for c, h in prog["min_category_hours"].items() if h}
        floor = " Minimum by the end: " + ", ".join(f"{h:g} h {c}" for c, h in minima.items()) + "." if minima else ""
        points.append(
            f"Years {prog['first_year']} to {prog['last_year']}: {prog['target_hours']:g} h by the end of Year "
            f"{prog['last_year']}, counted from the start of Year {prog['first_year']} (earlier stored terms' logs "
            f"count too).{floor}"
        )
    grace = settings.data["academic_year"]["grace_half_terms"]
    due = "Hours due by now: the target pro-rated through the programme's years and this year's school days; "
    if grace:
        first = "first half-term" if grace == 1 else f"first {grace} half-terms"
        due += f"nothing new is due in the {first} of a year (grace period)."
    else:
        due += "there is no grace period at the start of a year."
    points += [
        due,
        f"Score: {_weights(dev['weights'], {'hours': 'hours against the target so far', 'spread': 'spread'})} "
        f"over the categories {_words(list(dev['categories']))}.",
        f"Behind: below {_pc(dev['behind_tolerance'])} of the hours due by now.",
    ]
    return AboutSection(
        "Personal Development",
        "Hours of service, creative and physical activity, counted over the pupil's programme, not one year.",
        tuple(points),
        ("nbt-accreditation", "trinity-case-study", "english-term-dates", "natbacc-defaults"),
    )


def _equity(settings: Settings) -> AboutSection:
    eq = settings.equity
    return AboutSection(
        "Equity gaps",
        "Each group of pupils (disadvantaged, SEN support, EHC plan, EAL, girls) is compared with its reference "
        "group, in percentage points.",
        (
            f"A gap of {eq['gap_threshold_pp']:g} percentage points or more is highlighted.",
            f"A group (or its reference group) of fewer than {eq['min_group_size']} pupils is not shown: small "
            "numbers could identify pupils.",
        ),
        ("equity-gap-framing", "small-number-suppression"),
    )


def _flags(settings: Settings) -> AboutSection:
    return AboutSection(
        "Flags",
        "What each flag means (the workbook's flags column keeps the code in brackets).",
        tuple(f"{flag_label(f, settings)} ({f.value}): {flag_help(f, settings)}" for f in Flag),
    )


def about_sections(settings: Settings) -> list[AboutSection]:
    """The page's sections, in order, with every value from ``settings``."""
    return [
        _nbfe(),
        _statuses(settings),
        _core(settings),
        _project(settings),
        _development(settings),
        _equity(settings),
        _flags(settings),
    ]
