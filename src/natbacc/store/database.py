"""Where the store lives and how it is opened: one URL, SQLite by default, PostgreSQL for a trust.

* No configuration: a SQLite file in the user's data directory (``platformdirs``), created with
  owner-only permissions, e.g. ``~/.local/share/natbacc/natbacc.db`` on Linux.
* ``NATBACC_DATABASE_URL``: any SQLAlchemy URL, e.g. ``sqlite:////srv/natbacc/natbacc.db`` or
  ``postgresql://natbacc@db.trust.internal/natbacc`` for a shared trust server.

Opening a store brings its schema up to date with Alembic, so upgrading natbacc never needs a
manual migration step. SQLite connections get ``foreign_keys`` (cascading deletes),
``secure_delete`` (deleted pupils' rows are overwritten, not just unlinked) and explicit
transactions (an import is all or nothing, even if the process is killed).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

ENV_URL = "NATBACC_DATABASE_URL"


class _NoResultRows(logging.Filter):
    """Drops SQLAlchemy's DEBUG echo of result rows (pupils' names, IDs and scores) from every log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(("Row ", "Col ")))


#: Stored values describe pupils: SQL parameters are kept out of log lines and of error messages,
#: and result rows out of the engine's debug log, however verbose an operator makes logging.
_PRIVATE = {"hide_parameters": True}
logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoResultRows())


class StoreError(Exception):
    """A problem with the store that the user can act on; the message says what to do."""


def default_url() -> str:
    """``NATBACC_DATABASE_URL`` if set, otherwise the SQLite file in the user's data directory."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    import platformdirs

    return f"sqlite:///{Path(platformdirs.user_data_dir('natbacc', appauthor=False)) / 'natbacc.db'}"


def describe_url(url: str) -> str:
    """The store's location for people: a file path for SQLite, the URL without its password otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "(in memory)"
    return parsed.render_as_string(hide_password=True)


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: object) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _sqlite_engine(url: sa.URL) -> Engine:
    path = url.database
    if path and path != ":memory:":
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not file.exists():
            file.touch(mode=0o600)
    engine = sa.create_engine(url, json_serializer=_dumps, connect_args={"timeout": 30}, **_PRIVATE)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy (not the sqlite3 module) decide where transactions begin, so DDL and DML
        # alike are inside them; then switch on what SQLite leaves off by default.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # IMMEDIATE takes the write lock up front: two imports queue rather than deadlock.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (not yet migrated); raises StoreError with advice when it cannot be used."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(
            f"{ENV_URL} is not a database URL ('{url}'); use e.g. sqlite:////path/natbacc.db or "
            "postgresql://user@host/natbacc."
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return sa.create_engine(parsed, json_serializer=_dumps, pool_pre_ping=True, **_PRIVATE)
        except ModuleNotFoundError as exc:
            raise StoreError("A PostgreSQL store needs the psycopg driver: pip install 'natbacc[postgres]'.") from exc
    raise StoreError(f"natbacc stores its data in SQLite or PostgreSQL, not {backend} ('{describe_url(url)}').")


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest Alembic revision (a no-op when it already is)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "natbacc.store:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_engine(url: str | None = None) -> Engine:
    """A migrated engine for ``url`` (default: ``default_url()``)."""
    url = url or default_url()
    engine = create_engine(url)
    try:
        migrate(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StoreError(
            f"The natbacc store at {describe_url(url)} could not be opened: {exc.orig}. Check that the "
            f"file or server is reachable, or set {ENV_URL} to another location."
        ) from exc
    return engine
