"""Shared fixtures: the sample school (imported once) and the shared real exports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from natbacc.io import import_files
from natbacc.sample import sample_paths

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config) -> None:
    """Every test (and every app server a test starts) uses a throwaway store, never the user's own."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="natbacc-test-store-"))
    os.environ["NATBACC_DATABASE_URL"] = f"sqlite:///{folder / 'natbacc.db'}"


REAL_EXPORTS = REPO.parent / "shared" / "real-exports"


@pytest.fixture(scope="session")
def sample_result():
    """The bundled sample school, imported once per test session."""
    return import_files(sample_paths())


@pytest.fixture(scope="session")
def sample_analysis(sample_result):
    """The sample school scored as of its reference date (shared: treat it as read-only)."""
    from natbacc.analysis import analyse
    from natbacc.sample import AS_OF

    return analyse(sample_result.tables, as_of=AS_OF)


@pytest.fixture(scope="session")
def real_exports() -> Path:
    """The shared folder of real third-party exports (must exist in CI)."""
    if not REAL_EXPORTS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REAL_EXPORTS} is missing: CI must provide ../shared beside the checkout")
        pytest.skip("../shared/real-exports is not present on this machine")
    return REAL_EXPORTS
