"""The words for each flag, as the school's type makes them true.

``Flag`` members carry one label and help each, written for a maintained school, where the National
Curriculum is statutory. About four in five secondary schools are academies, which are bound instead to
a curriculum "comparable in breadth and ambition" (docs/sources.md#academies-curriculum): for them the
National Curriculum is a yardstick, not a duty, and a label saying "statutory" would be false. Every
place that shows a flag's words (pages, the workbook's Flags sheet, record cards, the governors'
report, the About page) asks here, with the rule set in force, so the wording follows
``core_learning.school_type`` everywhere. The codes never change: the workbook's ``flags`` column and
every filter keep them.
"""

from __future__ import annotations

from natbacc.scoring import school_type
from natbacc.settings import Settings
from natbacc.vocabulary import Flag

#: Flags whose words depend on whether the National Curriculum binds the school: label, then help.
_NOT_BOUND: dict[Flag, tuple[str, str]] = {
    Flag.KS3_STATUTORY_GAP: (
        "Missing a National Curriculum KS3 subject",
        "A KS3 pupil does not study every National Curriculum KS3 subject. This school's type is not bound by"
        " the National Curriculum (it must offer a curriculum comparable in breadth and ambition), so this is the"
        " National Curriculum used as a yardstick of breadth, not a legal duty (the explanation names the"
        " subjects). Citizenship needs a citizenship lesson or one whose title names it (Careers alone does not);"
        " citizenship, RE or PSHE taught in tutor time or on drop-down days counts once declared for the year"
        " group in Settings.",
    ),
}
#: The maintained-school label of the flags above (the vocabulary's own label is kept as the code's help).
_MAINTAINED_LABEL: dict[Flag, str] = {
    Flag.KS3_STATUTORY_GAP: "Missing a statutory National Curriculum KS3 subject",
}


def bound_by_national_curriculum(settings: Settings) -> bool:
    """True for a maintained school: the National Curriculum is statutory for it."""
    return school_type(settings) == "maintained"


def flag_label(flag: Flag, settings: Settings) -> str:
    """What a person reads for ``flag`` in this school ("Missing a statutory National Curriculum KS3 subject"
    in a maintained school, "Missing a National Curriculum KS3 subject" in an academy)."""
    if flag in _NOT_BOUND and not bound_by_national_curriculum(settings):
        return _NOT_BOUND[flag][0]
    return _MAINTAINED_LABEL.get(flag, flag.label)


def flag_help(flag: Flag, settings: Settings) -> str:
    """What ``flag`` means, in words true for this school's type."""
    if flag in _NOT_BOUND and not bound_by_national_curriculum(settings):
        return _NOT_BOUND[flag][1]
    return flag.help


def flag_labels(settings: Settings) -> dict[str, str]:
    """Code -> label for every flag, in flag order (for pickers and legends)."""
    return {f.value: flag_label(f, settings) for f in Flag}
