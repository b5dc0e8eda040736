"""Unique Pupil Number (UPN) check letters (DfE; docs/sources.md#upn-check-letter).

A UPN is 13 characters: a check letter, then the LA number (3), establishment number (4), the last
two digits of the allocation year and a 3-character serial (a temporary UPN ends in a letter).
The check letter is sum(char_i x i for i = 2..13) mod 23 over the alphabet without I, O and S.
Worked example from the DfE guidance: ``B801200005001`` is valid.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ALPHABET.index(char)


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    total = sum(_value(c) * (i + 2) for i, c in enumerate(body))
    return ALPHABET[total % 23]


def is_valid(upn: str) -> bool:
    """True when ``upn`` has the UPN shape and a correct check letter."""
    upn = upn.strip().upper()
    if not _SHAPE.match(upn) or (upn[-1].isalpha() and upn[-1] not in ALPHABET):
        return False
    return upn[0] == check_letter(upn[1:])


_VALUES = np.full(256, -1, dtype=np.int64)
_VALUES[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10)
_VALUES[np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(len(ALPHABET))
_LETTERS = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def invalid_mask(upns: pd.Series) -> pd.Series:
    """True where a non-blank UPN fails the check: ``is_valid`` for a whole column at once (numpy)."""
    filled = upns.fillna("").astype("str").str.strip().str.upper()
    shaped = filled.str.match(_SHAPE).fillna(False).to_numpy(bool)
    valid = np.zeros(len(filled), dtype=bool)
    if shaped.any():
        chars = np.frombuffer("".join(filled[shaped]).encode("ascii"), dtype=np.uint8).reshape(-1, 13)
        values = _VALUES[chars[:, 1:]]
        total = (values * np.arange(2, 14)).sum(axis=1)
        valid[shaped] = (values[:, -1] >= 0) & (_LETTERS[total % 23] == chars[:, 0])
    return pd.Series((filled != "").to_numpy(bool) & ~valid, index=upns.index)
