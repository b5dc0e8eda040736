"""Stable pseudonyms for pupils, and the secret key behind them.

A pupil's code is an HMAC-SHA256 of their school and ID under a secret key, so the same pupil gets the
same code in every export made with the same key, and nobody without the key can work a code back to
a pupil by trying every ID. That only holds while the key is long, random and secret, so a key is
refused (``PseudonymKeyError``, in words that say what to do) when it is shorter than 32 bytes, when
the key file is readable by other users, or when it cannot be created completely. A key file is
created atomically: written and flushed to a private temporary file first, then linked into place, so
a full disk or a crash never leaves a partial key behind and two processes creating it at once both
end up with the one that was linked first.
"""

from __future__ import annotations

import errno
import hmac
import os
import secrets
import stat
from pathlib import Path

import numpy as np
import pandas as pd

KEY_ENV = "NATBACC_PSEUDONYM_KEY"
#: The shortest key accepted: 32 bytes, as many as the HMAC-SHA256 output.
MIN_KEY_BYTES = 32
#: A key made of fewer different characters than this is a placeholder ("xxxx..."), not a secret.
MIN_DISTINCT = 8
#: Letters of a code: no I, O, 0 or 1, which are easily confused. 32 letters, 5 bits each.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Characters in a code: 60 bits. For 100,000 pupils the chance that any two share a code is about
#: n^2 / 2 / 32^12 = 4e-9; a collision is still detected and the codes lengthened (``pseudonyms``).
CODE_LENGTH = 12
_MAX_LENGTH = 32  # one letter per byte of the SHA-256 digest
GENERATE = 'python -c "import secrets; print(secrets.token_hex(32))"'


class PseudonymKeyError(Exception):
    """The pseudonym key is missing, too short, exposed or could not be created; the message says what to do."""


class PseudonymCollisionError(Exception):
    """Two pupils would share a code even at the longest code length (never expected in practice)."""


def default_key_path() -> Path:
    """Where the key is kept when ``NATBACC_PSEUDONYM_KEY`` is not set."""
    return Path.home() / ".natbacc" / "pseudonym.key"


def check_key(key: bytes, where: str) -> bytes:
    """``key`` if it is long and varied enough to be a secret; otherwise ``PseudonymKeyError`` naming ``where``."""
    if len(key) < MIN_KEY_BYTES or len(set(key)) < MIN_DISTINCT:
        problem = (
            "is empty"
            if not key
            else f"is too short ({len(key)} bytes; at least {MIN_KEY_BYTES} are needed)"
            if len(key) < MIN_KEY_BYTES
            else f"is not random (only {len(set(key))} different characters)"
        )
        raise PseudonymKeyError(
            f"The pseudonym key {where} {problem}, so pseudonyms made with it could be worked back to pupils. "
            f"Nothing was written. Set {KEY_ENV} to a random secret of at least {MIN_KEY_BYTES} bytes, "
            f"e.g. the output of: {GENERATE}"
        )
    return key


def pseudonym_key(path: Path | None = None) -> bytes:
    """The secret behind stable pseudonyms: ``NATBACC_PSEUDONYM_KEY``, or the key file (created on first use).

    Raises:
        PseudonymKeyError: the key is empty, shorter than 32 bytes or a placeholder; the key file is
            readable by other users; or it could not be created (e.g. a full disk, which leaves no file).
    """
    env = os.environ.get(KEY_ENV)
    if env is not None:  # set but empty is a mistake, not "use the file"
        return check_key(env.encode("utf-8"), f"in {KEY_ENV}")
    path = path or default_key_path()
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        pass
    _create_key_file(path)
    return _read_key_file(path)


def _read_key_file(path: Path) -> bytes:
    try:
        info = path.stat()
        if os.name == "posix" and stat.S_IMODE(info.st_mode) & 0o077:
            raise PseudonymKeyError(
                f"The pseudonym key file {path} can be read by other users (mode "
                f"{stat.S_IMODE(info.st_mode):04o}), so anyone on this machine could match pseudonyms back to "
                f"pupils. Nothing was written. Make it private with: chmod 600 {path}"
            )
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise PseudonymKeyError(
            f"The pseudonym key file {path} could not be read ({exc.strerror or type(exc).__name__}). "
            f"Nothing was written. Check its owner and permissions, or set {KEY_ENV}."
        ) from None
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"The pseudonym key file {path} is {'empty' if not key else f'too short ({len(key)} bytes)'}: it was "
            "probably left by a write that failed (a full disk). Nothing was written. If no pseudonymised "
            "workbook made with it has been shared, delete the file and natbacc will create a new key; "
            f"otherwise put back the key from your backup. A key must be at least {MIN_KEY_BYTES} bytes."
        )
    return check_key(key, f"in {path}")


def _create_key_file(path: Path) -> None:
    """Write a new random key to ``path`` unless another process gets there first; never a partial file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            data = secrets.token_hex(32).encode("ascii")
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if the key exists: the first key linked is the one everybody uses
        except FileExistsError:
            return
        _fsync_dir(path.parent)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
        raise PseudonymKeyError(
            f"The pseudonym key {path} could not be created ({reason}). Nothing was written and no key file "
            f"was left behind. Free some space or fix the folder's permissions and try again, or set {KEY_ENV} "
            f"to a random secret of at least {MIN_KEY_BYTES} bytes, e.g. the output of: {GENERATE}"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pseudonyms(ids: pd.Series, key: bytes, schools: pd.Series | None = None, *, length: int = CODE_LENGTH) -> pd.Series:
    """Stable pseudonyms ("Pupil 4F7K-2QXM-8ZRT"): the same school, pupil and key always give the same code.

    The school is part of what is hashed, so the same admission number at two schools gives two codes.
    If two different pupils would share a code, every code is made longer (4 letters at a time) until
    none do; ``PseudonymCollisionError`` if even the longest codes collide.
    """
    check_key(key, "given")
    school = (schools if schools is not None else pd.Series("", index=ids.index)).fillna("").astype("str")
    pairs = pd.DataFrame({"school": school.to_numpy(), "id": ids.astype("str").to_numpy()}, index=ids.index)
    distinct = pairs.drop_duplicates()
    # The school's length first, so ("ab", "c1") and ("a", "bc1") hash different texts.
    pairs_list = zip(distinct["school"].tolist(), distinct["id"].tolist(), strict=True)
    texts = [f"{len(s)}:{s}|{i}".encode() for s, i in pairs_list]
    digests = b"".join([hmac.digest(key, text, "sha256") for text in texts])
    letters = np.frombuffer(ALPHABET.encode("ascii"), dtype="S1")[
        np.frombuffer(digests, dtype=np.uint8).reshape(len(distinct), 32) % len(ALPHABET)
    ]
    while True:
        codes = letters[:, :length].copy().view(f"S{length}").ravel().astype(str)
        if len(set(codes)) == len(codes):
            break
        if length >= _MAX_LENGTH:
            raise PseudonymCollisionError(f"Two pupils share a pseudonym even at {length} characters.")
        length = min(length + 4, _MAX_LENGTH)
    labels = pd.Series(codes, dtype="str").str.findall(".{1,4}").str.join("-").radd("Pupil ").to_numpy()
    lookup = pd.Series(labels, index=pd.MultiIndex.from_frame(distinct))
    return pd.Series(lookup.reindex(pd.MultiIndex.from_frame(pairs)).to_numpy(), index=ids.index, dtype="str")
