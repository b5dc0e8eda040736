"""Identity is never display text: flags, statuses, strands, equity groups and indicators are vocabulary members.

A label reworded in ``natbacc.vocabulary`` must change what people read and nothing else: no code
compares, searches or splits display text to find out what something is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import natbacc
from natbacc import vocabulary as v

SRC = Path(natbacc.__file__).parent
#: Files allowed to spell codes and labels out: the vocabulary itself, and migrations, which must keep
#: frozen copies of what earlier releases stored.
ALLOWED = {SRC / "vocabulary.py"} | set((SRC / "store" / "migrations").rglob("*.py"))

TERMS = [
    v.Flag,
    v.Status,
    v.Strand,
    v.EquityGroup,
    v.EquityIndicator,
    v.Entitlement,
    v.Section,
    v.Headline,
    v.PupilGroup,
]


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p not in ALLOWED}


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.__name__)
def test_codes_are_unique_and_every_member_has_a_label(term):
    codes = [m.value for m in term]
    assert len(codes) == len(set(codes))
    assert all(m.label.strip() for m in term)
    assert term.of("no such code") is None


def test_flags_explain_themselves():
    assert all(f.help.endswith(".") and f.column == f"flag_{f.value}" for f in v.Flag)


def _any_of(words) -> str:
    """A regex for any of ``words`` written as a string literal."""
    return r"""["'](?:""" + "|".join(re.escape(w) for w in words) + r""")["']"""


OLD_PATTERNS = {
    "a status written out instead of Status": _any_of(s.value for s in v.Status),
    "a flag code written out instead of Flag": _any_of(f.value for f in v.Flag),
    "flags found by searching text": r"""\["flags"\]\.(?:str|fillna|split)""",
    "text split on '; ' or ': ' to find identity": r"""\.split\(\s*["'](?:; |: )["']""",
    "an equity gap keyed by its labels": r"""f["']gap:\{""",
    # (labels of a word or two, such as "EAL" and "Girls", are ordinary words elsewhere: not searched for)
    "an equity group named by its label": _any_of(g.label for g in v.EquityGroup if len(g.label) > 5),
    "an equity indicator named by its label": _any_of(i.label for i in v.EquityIndicator),
    "an entitlement measure named by its label": _any_of(e.label for e in v.Entitlement),
    "a pupil group named by its label": _any_of(
        g.label for g in v.PupilGroup if len(g.label) > 5 and g is not v.PupilGroup.ALL
    ),
}


@pytest.mark.parametrize("what", list(OLD_PATTERNS))
def test_no_display_text_is_used_as_identity(what):
    pattern = re.compile(OLD_PATTERNS[what])
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path, text in _sources().items()
        for n, line in enumerate(text.splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, f"{what}:\n" + "\n".join(found)


def test_flag_meanings_live_only_in_the_vocabulary():
    sources = "\n".join(_sources().values())
    for flag in v.Flag:
        assert flag.help not in sources, flag
