"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server.

``.ci/run`` starts PostgreSQL on loopback (scripts/postgres-for-tests) and sets
NATBACC_TEST_POSTGRES_URL; under CI=true a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from natbacc.store.snapshots import Store

POSTGRES_ENV = "NATBACC_TEST_POSTGRES_URL"


def _fresh_postgres(url: str) -> str:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A URL of an empty store: a new SQLite file, or the test PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'natbacc.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set: .ci/run must start PostgreSQL (scripts/postgres-for-tests)")
        pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} unset); run scripts/postgres-for-tests start")
    return _fresh_postgres(url)


@pytest.fixture
def store(store_url):
    """An open, empty store."""
    opened = Store.open(store_url)
    yield opened
    opened.close()


@pytest.fixture
def use_store(store_url, monkeypatch) -> str:
    """Point the CLI (NATBACC_DATABASE_URL) at the test store."""
    monkeypatch.setenv("NATBACC_DATABASE_URL", store_url)
    return store_url
