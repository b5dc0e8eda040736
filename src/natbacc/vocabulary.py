"""natbacc's vocabulary: every flag, status, strand, key stage, equity group and indicator, and issue code.

Identity is never display text. Each member's *value* is its stable code: the thing compared,
stored, exported and filtered on (the workbook's ``flags`` column holds flag codes, the store holds
indicator and group ids). Its *label* (and *help*, where a reader needs more) is looked up at the
edge that shows it, so rewording a label never breaks a saved term, a filter or another tool.

Members are ``StrEnum`` members, so ``Flag.MISSING_ARTS == "MISSING_ARTS"`` and they serialise as
their codes (JSON, SQL, Excel) without conversion.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Term(StrEnum):
    """A vocabulary member: a stable code (the value) with the words people read beside it."""

    label: str
    help: str

    def __new__(cls, value: str, label: str = "", help: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        member.help = help
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code -> label for every member, in declaration order (for pickers and legends)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def of(cls, code: object) -> Self | None:
        """The member with this code, or None (stored data may hold a code a later release dropped)."""
        try:
            return cls(str(code))
        except ValueError:
            return None
