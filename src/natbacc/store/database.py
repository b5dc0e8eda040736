"""Where the store lives and how it is opened: one URL, SQLite by default, PostgreSQL for a trust.

* No configuration: a SQLite file in the user's data directory (``platformdirs``), created with
  owner-only permissions, e.g. ``~/.local/share/natbacc/natbacc.db`` on Linux.
* ``NATBACC_DATABASE_URL``: any SQLAlchemy URL, e.g. ``sqlite:////srv/natbacc/natbacc.db`` or
  ``postgresql://natbacc@db.trust.internal/natbacc`` for a shared trust server.

Opening a store brings its schema up to date with Alembic when it is behind (and only then, so
reading never takes the write lock): upgrading natbacc needs no manual migration step. SQLite
connections get ``foreign_keys`` (cascading deletes), ``secure_delete`` (deleted pupils' rows are
overwritten, not just unlinked) and explicit transactions (an import is all or nothing, even if the
process is killed); only writes take the write lock up front.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

ENV_URL = "NATBACC_DATABASE_URL"
_LOG = logging.getLogger("natbacc.store")


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


#: Execution option marking a connection that only reads: its SQLite transaction is deferred (no write
#: lock), so listing terms or opening the dashboard never waits behind an import, nor blocks one.
READ_ONLY = "natbacc_read_only"


def reader(engine: Engine) -> Engine:
    """``engine`` for reading only: same pool, transactions that take no write lock on SQLite."""
    return engine.execution_options(**{READ_ONLY: True})


def _sqlite_engine(url: sa.URL) -> Engine:
    path = url.database
    if not path or path == ":memory:" or url.query.get("mode") == "memory":
        raise StoreError(
            "An in-memory SQLite store forgets every term when the process ends, so natbacc does not use one. "
            f"Set {ENV_URL} to a file, e.g. sqlite:////srv/natbacc/natbacc.db."
        )
    file = Path(path)
    try:
        if not url.query.get("uri"):  # a file: URI (e.g. ?mode=ro) names a store that must already exist
            file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not file.exists():
                file.touch(mode=0o600)
    except OSError as exc:
        raise StoreError(
            f"The natbacc store cannot be created at {file}: {exc.strerror or type(exc).__name__}. Choose a folder "
            f"you can write to with {ENV_URL}=sqlite:////path/natbacc.db."
        ) from exc
    engine = sa.create_engine(url, json_serializer=_dumps, connect_args={"timeout": 30}, **_PRIVATE)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy (not the sqlite3 module) decide where transactions begin, so DDL and DML
        # alike are inside them; then switch on what SQLite leaves off by default.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        # A write takes the lock up front (IMMEDIATE): two imports queue rather than deadlock. A read
        # takes none until it reads, so it neither waits for nor holds up a writer.
        connection.exec_driver_sql("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (not yet migrated); raises StoreError with advice when it cannot be used."""
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError) as exc:
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


MIGRATIONS = "natbacc.store:migrations"


@dataclass(frozen=True)
class Migration:
    """What opening a store did to its schema: nothing, created it, or upgraded it (and the backup)."""

    before: str | None
    after: str
    backup: Path | None = None
    advice: str = ""

    @property
    def upgraded(self) -> bool:
        """True when an existing store was brought to a newer schema."""
        return self.before is not None and self.before != self.after


def _config(script_location: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def revisions(engine: Engine, script_location: str = MIGRATIONS) -> tuple[str | None, str]:
    """The store's schema revision (None for an empty store) and the newest this release knows.

    Reads in a deferred transaction: checking takes no write lock.
    """
    head = ScriptDirectory.from_config(_config(script_location)).get_current_head()
    assert head is not None, "natbacc ships at least one migration"
    with reader(engine).connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, head


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """A consistent copy of the SQLite file beside it (owner-only), taken before its schema changes."""
    path = Path(engine.url.database or "")
    if not path.is_file() or path.stat().st_size == 0:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    target.touch(mode=0o600)
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            source.backup(copy)
            _without_file_bytes(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def _without_file_bytes(copy: sqlite3.Connection) -> None:
    """Blank the uploaded files' bytes that releases before migration 0002 could keep, in a backup copy.

    natbacc never reads them (the tables it read are stored apart), and they hold whole exports with
    dates of birth and addresses: a backup made to protect the terms must not keep what the upgrade removes.
    """
    columns = {row[1] for row in copy.execute("PRAGMA table_info(source_files)")}
    if "content" in columns:
        copy.execute("UPDATE source_files SET content = NULL")
        copy.execute("VACUUM")


def migrate(engine: Engine, script_location: str = MIGRATIONS) -> Migration:
    """Bring the schema up to the newest revision, only when it is behind.

    On SQLite a "batch" migration re-creates a table (copy, drop, rename). With foreign keys on,
    dropping ``snapshots`` would cascade to every pupil row, so migrations run with foreign keys off,
    ``PRAGMA foreign_key_check`` must come back empty before the transaction commits, and foreign keys
    are on again afterwards. An existing SQLite store is copied beside itself first; for PostgreSQL the
    returned ``advice`` says to back the database up (natbacc cannot copy a server's data for you).
    """
    current, head = revisions(engine, script_location)
    if current == head:
        return Migration(current, head)
    script = ScriptDirectory.from_config(_config(script_location))
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StoreError(
            f"The natbacc store at {describe_url(engine.url.render_as_string(hide_password=False))} was set up by a "
            f"newer release of natbacc (schema {current}; this release knows up to {head}). Upgrade natbacc on this "
            "machine, or point it at another store."
        )
    sqlite = engine.dialect.name == "sqlite"
    backup = _backup_sqlite(engine, current) if sqlite and current is not None else None
    advice = ""
    if current is not None and not sqlite:
        advice = (
            f"The store's schema was upgraded from {current} to {head}. natbacc cannot copy a database server's data: "
            "take a backup (pg_dump) before upgrading natbacc next time."
        )
    config = _config(script_location)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if raw is None:  # only once the pool has invalidated it, which a connection fresh from connect() never is
            raise StoreError("The store's connection closed before its schema could be upgraded; nothing was changed.")
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        tables = sorted({row[0] for row in broken})
                        raise StoreError(
                            f"Upgrading the store's schema would leave rows without their term in {', '.join(tables)}; "
                            "nothing was changed. Please report this to natbacc's maintainers."
                        )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
    return Migration(current, head, backup, advice)


def compact(engine: Engine) -> None:
    """Rewrite the pupil tables so deleted pupils' data does not linger in the database's files.

    SQLite: ``VACUUM`` rebuilds the file (``secure_delete`` already zeroed the freed pages).
    PostgreSQL: a plain ``VACUUM`` only marks dead rows reusable, and their bytes stay in the heap
    files until overwritten; ``VACUUM FULL`` writes each table anew and drops the old files (it
    locks the table for the seconds that takes). The write-ahead log, replicas and backups still
    hold copies for their own retention period: SECURITY.md says so.
    """
    from natbacc.store import schema

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("VACUUM")
        elif engine.dialect.name == "postgresql":
            for table in (*schema.PUPIL_DATA_TABLES, schema.preferences):
                conn.exec_driver_sql(f"VACUUM FULL {table.name}")


def _explain(exc: BaseException, url: str) -> StoreError:
    """A store failure in words with advice (never the SQL or its values)."""
    where = describe_url(url)
    original = getattr(exc, "orig", None) or exc
    text = str(original).lower()
    if "not a database" in text or "file is encrypted" in text or "malformed" in text:
        return StoreError(
            f"{where} is not a natbacc store (it is not a database, or it is damaged). Point {ENV_URL} at the "
            "store's file, or at a new file to start an empty store."
        )
    if "readonly" in text or "read-only" in text or "permission denied" in text or "unable to open" in text:
        return StoreError(
            f"The natbacc store at {where} cannot be written (read-only file or folder, or no permission). Make it "
            f"writable by the account running natbacc, or set {ENV_URL} to a location it can write."
        )
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return StoreError(
            f"The disk holding the natbacc store at {where} is full; nothing was changed. Free some space and try "
            "again."
        )
    if "connect" in text or "timeout" in text or "timed out" in text or "name or service" in text:
        return StoreError(
            f"The natbacc store at {where} could not be opened: the database server did not answer. Check that it is "
            f"running and reachable from this machine, or set {ENV_URL} to another location."
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The natbacc store at {where} is busy with another import or deletion; nothing was changed. Try again "
            "in a minute."
        )
    return StoreError(
        f"The natbacc store at {where} could not be used ({type(original).__name__}). Check that the file or server "
        f"is reachable and that {ENV_URL} is right."
    )


@contextmanager
def store_errors(url: str) -> Iterator[None]:
    """Turn any database or file-system failure inside the block into a StoreError in words."""
    try:
        yield
    except StoreError:
        raise
    except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as exc:
        raise _explain(exc, url) from exc


def open_engine(url: str | None = None) -> tuple[Engine, Migration]:
    """A migrated engine for ``url`` (default: ``default_url()``) and what migrating it did."""
    url = url or default_url()
    engine = create_engine(url)
    try:
        with store_errors(url):
            migration = migrate(engine)
            if migration.upgraded:
                compact(engine)  # what a migration dropped must not linger in free pages
                # Operators must hear of it wherever natbacc opened the store (the dashboard, a scheduled job).
                _LOG.warning(
                    "natbacc upgraded the store at %s from schema %s to %s; %s",
                    describe_url(url),
                    migration.before,
                    migration.after,
                    f"a copy from before is at {migration.backup} (delete it once checked)"
                    if migration.backup
                    else migration.advice,
                )
    except StoreError:
        engine.dispose()
        raise
    return engine, migration
