"""The pseudonym key (created atomically, refused when weak or exposed) and the codes made with it."""

from __future__ import annotations

import errno
import os
import stat
import threading
import time

import numpy as np
import pandas as pd
import pytest

from natbacc import pseudonym
from natbacc.pseudonym import CODE_LENGTH, MIN_KEY_BYTES, PseudonymKeyError, pseudonym_key, pseudonyms

KEY = b"0123456789abcdef" * 2
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def key_path(tmp_path, monkeypatch):
    """A key file location of its own, with the environment variable unset."""
    monkeypatch.delenv(pseudonym.KEY_ENV, raising=False)
    return tmp_path / "natbacc" / "pseudonym.key"


def test_an_empty_key_file_is_refused(key_path):
    """A 0-byte key file (left by a full disk) is refused, in words that say what to do; it is never an HMAC key."""
    key_path.parent.mkdir()
    key_path.write_bytes(b"")
    key_path.chmod(0o600)
    with pytest.raises(PseudonymKeyError, match="is empty") as caught:
        pseudonym_key(key_path)
    assert "delete the file" in str(caught.value) and str(key_path) in str(caught.value)
    key_path.write_bytes(b"abc123\n")
    with pytest.raises(PseudonymKeyError, match=r"too short \(6 bytes\)"):
        pseudonym_key(key_path)


@pytest.mark.parametrize("value", ["", "k", "e2e-test-key", "x" * 64])
def test_an_empty_short_or_placeholder_env_key_is_refused(key_path, monkeypatch, value):
    """NATBACC_PSEUDONYM_KEY set but empty, under 32 bytes or one repeated letter is refused (no file fallback)."""
    monkeypatch.setenv(pseudonym.KEY_ENV, value)
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonym_key(key_path)
    message = str(caught.value)
    assert pseudonym.KEY_ENV in message and "secrets.token_hex(32)" in message
    assert not key_path.exists()


def test_a_long_env_key_is_used_as_it_is(key_path, monkeypatch):
    """A 32-byte key from the environment is the key (replicas share it that way)."""
    secret = "f" * 8 + "0123456789abcdef" * 2
    monkeypatch.setenv(pseudonym.KEY_ENV, secret)
    assert pseudonym_key(key_path) == secret.encode()
    assert not key_path.exists()


@posix_only
def test_a_created_key_is_private_long_and_stable(key_path):
    """The first use creates a 0600 key file of at least 32 bytes in a 0700 folder; later uses read it back."""
    first = pseudonym_key(key_path)
    assert len(first) >= MIN_KEY_BYTES
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    assert pseudonym_key(key_path) == first
    assert sorted(p.name for p in key_path.parent.iterdir()) == ["pseudonym.key"]  # no temporary file left


@posix_only
def test_a_key_file_others_can_read_is_refused(key_path):
    """A key file readable by group or others is refused with the chmod that fixes it."""
    pseudonym_key(key_path)
    key_path.chmod(0o644)
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        pseudonym_key(key_path)


def test_a_full_disk_leaves_no_key_file_and_says_so(key_path, monkeypatch):
    """A write that fails part-way (ENOSPC) raises the words error and leaves neither key nor temporary file."""
    real_write = os.write
    calls = []

    def full_disk(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, data[:10])  # a partial write first, as a nearly full disk does
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pseudonym.os, "write", full_disk)
    with pytest.raises(PseudonymKeyError, match="the disk is full") as caught:
        pseudonym_key(key_path)
    monkeypatch.undo()
    assert "Nothing was written" in str(caught.value)
    assert len(calls) == 2
    assert not key_path.exists() and sorted(p.name for p in key_path.parent.iterdir()) == []
    assert len(pseudonym_key(key_path)) >= MIN_KEY_BYTES  # once the disk has room again


def test_concurrent_creators_end_up_with_one_key(key_path, monkeypatch):
    """Processes racing to create the key (all past the "no file yet" check) all use the first key linked."""
    n = 6
    everyone_written = threading.Barrier(n)
    real_link = os.link

    def link_after_all_have_written(src, dst):
        everyone_written.wait(timeout=10)
        time.sleep(0.01)
        return real_link(src, dst)

    monkeypatch.setattr(pseudonym.os, "link", link_after_all_have_written)
    keys: list[bytes] = []

    def create() -> None:
        keys.append(pseudonym_key(key_path))

    threads = [threading.Thread(target=create) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(keys) == n and len(set(keys)) == 1
    assert keys[0] == key_path.read_bytes().strip()
    assert sorted(p.name for p in key_path.parent.iterdir()) == ["pseudonym.key"]


def test_the_same_adno_at_two_schools_gets_two_codes():
    """The school is hashed with the ID: admission numbers restart at every school, pupils must not merge."""
    ids = pd.Series(["001001", "001001", "001001"], dtype="str")
    schools = pd.Series(["Oakfield Academy", "Elm Park School", "Oakfield Academy"], dtype="str")
    codes = pseudonyms(ids, KEY, schools)
    assert codes.iloc[0] != codes.iloc[1] and codes.iloc[0] == codes.iloc[2]


def test_codes_are_long_enough_for_100k_pupils():
    """12 letters of 32: the birthday bound for 100,000 pupils is under 1e-8, and a real 100k run has no repeat."""
    n = 100_000
    assert n * (n - 1) / 2 / len(pseudonym.ALPHABET) ** CODE_LENGTH < 1e-8
    ids = pd.Series(np.arange(n).astype(str), dtype="str")
    start = time.perf_counter()
    codes = pseudonyms(ids, KEY)
    elapsed = time.perf_counter() - start
    assert codes.nunique() == n
    assert codes.str.fullmatch(r"Pupil [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}").all()
    assert elapsed < 3, f"{elapsed:.1f} s"


def test_a_collision_lengthens_the_codes_instead_of_merging_pupils():
    """With codes too short for the cohort (2 letters, 1,024 codes, 2,000 pupils) the codes get longer."""
    ids = pd.Series([f"{i:06d}" for i in range(2000)], dtype="str")
    codes = pseudonyms(ids, KEY, length=2)
    assert codes.nunique() == 2000
    assert (codes.str.len() > len("Pupil ") + 2).all()
