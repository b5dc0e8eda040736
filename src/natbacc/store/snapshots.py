"""Snapshots: each term's import kept whole, so nobody re-uploads to look again.

``Store.save`` writes one import — its canonical tables, the rule set, subject mapping and as-of
date it was scored with, the import report, and the pupil scores and headline indicators for
trends — in a single transaction: a failure, or a killed process, leaves no partial snapshot.
``Store.load`` gives back the same ``ImportResult`` and configuration, so a report from the store
is the report from the files. The files themselves are never kept (they hold columns natbacc does not
read, such as dates of birth and addresses); their names, sizes and SHA-256 hashes are, as provenance.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from natbacc import __version__
from natbacc.analysis import Analysis, analyse
from natbacc.history import ALL_SCHOOLS, HEADLINE_COLUMNS, PUPIL_COLUMNS, pupil_summary, school_indicators
from natbacc.model import TABLE_KINDS, ImportResult, Issue, SheetReport, conform
from natbacc.settings import Settings, SettingsError
from natbacc.store import schema
from natbacc.store.database import Migration, StoreError, compact, describe_url, open_engine, reader, store_errors
from natbacc.subjects import SubjectMap

P = ParamSpec("P")
R = TypeVar("R")

#: Rows per INSERT batch: large enough to be fast, small enough to keep memory flat at trust scale.
_BATCH = 20_000
MAX_TERM = 100
MAX_SCHOOL = 200


@dataclass(frozen=True)
class SnapshotInfo:
    """One stored snapshot, as listed (no pupil data)."""

    id: int
    term: str
    school: str
    as_of: date
    imported_at: datetime
    students: int
    files: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """ "Autumn 2026 · Oakfield Academy" — how pickers and listings name a snapshot."""
        return f"{self.term} · {self.school}" if self.school else self.term

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (``natbacc snapshots --json``)."""
        return {
            "id": self.id,
            "term": self.term,
            "school": self.school,
            "students": self.students,
            "as_of": self.as_of.isoformat(),
            "imported_at": self.imported_at.isoformat(timespec="seconds"),
            "files": list(self.files),
        }


@dataclass
class StoredSnapshot:
    """A snapshot read back: the import as it was, and the configuration it was scored with."""

    info: SnapshotInfo
    result: ImportResult
    settings: Settings
    subject_overrides: tuple[tuple[str, str, str], ...]
    kinds: dict[str, str] = field(default_factory=dict)

    @property
    def subject_map(self) -> SubjectMap:
        """The shipped mapping with the overrides in force when the snapshot was saved."""
        return overrides_map(self.subject_overrides)

    def analyse(self) -> Analysis:
        """Score the stored tables exactly as they were scored at import."""
        return analyse(self.result.tables, self.settings, self.subject_map, self.info.as_of)


def _stored_settings(text: str, what: str) -> Settings:
    """A rule set read back from the store; one this release cannot accept is a StoreError in words."""
    try:
        return Settings.from_overrides(tomllib.loads(text))
    except (SettingsError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(
            f"The rule set kept with {what} is not valid for this release of natbacc ({exc}). Open Settings, "
            "correct or reset it and apply again (natbacc purge removes everything if you prefer)."
        ) from exc


def _printable(text: str) -> str:
    """``text`` without control characters (a NUL cannot be stored in PostgreSQL text)."""
    return "".join(ch for ch in text if ch.isprintable() or ch == " ")


def overrides_map(overrides: Sequence[tuple[str, str, str]]) -> SubjectMap:
    """``SubjectMap.default()`` with (label, subject, area) overrides applied."""
    if not overrides:
        return SubjectMap.default()
    return SubjectMap.default().with_overrides(pd.DataFrame(list(overrides), columns=["label", "subject", "area"]))


def map_overrides(subject_map: SubjectMap) -> tuple[tuple[str, str, str], ...]:
    """The (label, subject, area) overrides a mapping carries, in a stable order."""
    return tuple(sorted((label, subject, area) for label, (subject, area) in subject_map.overrides.items()))


def school_label(result: ImportResult, school: str | None = None) -> str:
    """What a snapshot is filed under: the given name, else the school(s) the files name ("" if none)."""
    if school and school.strip():
        return school.strip()
    names = sorted(result.students["school"].dropna().astype("str").unique())
    if len(names) <= 3:
        return ", ".join(names)
    return f"{len(names)} schools"


def _rows(frame: pd.DataFrame, snapshot_id: int) -> Iterable[list[dict[str, object]]]:
    """``frame`` as INSERT parameter batches: NA becomes NULL, numpy scalars become Python values."""
    for start in range(0, len(frame), _BATCH):
        part = frame.iloc[start : start + _BATCH]
        part = part.astype(object).where(part.notna(), None)
        part.insert(0, "position", range(start, start + len(part)))
        part.insert(0, "snapshot_id", snapshot_id)
        yield [{str(name): value for name, value in record.items()} for record in part.to_dict("records")]


def _insert(conn: Connection, table: sa.Table, frame: pd.DataFrame, snapshot_id: int) -> None:
    for batch in _rows(frame, snapshot_id):
        if batch:
            conn.execute(table.insert(), batch)


def _read(conn: Connection, table: sa.Table, snapshot_ids: Sequence[int]) -> pd.DataFrame:
    query = sa.select(table).where(table.c.snapshot_id.in_(list(snapshot_ids)))
    frame = pd.read_sql(query.order_by(table.c.snapshot_id, table.c.position), conn)
    return frame.drop(columns=["position"])


def _files(conn: Connection, snapshot_id: int | None = None) -> dict[int, list[str]]:
    """Per snapshot, its files' names in upload order."""
    f = schema.source_files
    query = sa.select(f.c.snapshot_id, f.c.name)
    if snapshot_id is not None:
        query = query.where(f.c.snapshot_id == snapshot_id)
    out: dict[int, list[str]] = {}
    for sid, name in conn.execute(query.order_by(f.c.snapshot_id, f.c.position)):
        out.setdefault(sid, []).append(name)
    return out


def _info(row: sa.Row[Any], files: Sequence[str] = ()) -> SnapshotInfo:
    imported = row.imported_at if row.imported_at.tzinfo else row.imported_at.replace(tzinfo=UTC)
    return SnapshotInfo(
        id=row.id,
        term=row.term,
        school=row.school,
        as_of=row.as_of,
        imported_at=imported,
        students=row.students,
        files=tuple(files),
    )


def _in_words(method: Callable[P, R]) -> Callable[P, R]:
    """Any database or file-system failure in ``method`` becomes a StoreError in words with advice."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        assert isinstance(store, Store)
        with store_errors(store.url):
            return method(*args, **kwargs)

    return wrapper


class Store:
    """A natbacc store: snapshots of every term, the school's settings and subject mapping.

    Open one per process (``Store.open()``) and share it; every method uses its own short
    transaction, so a store can serve many dashboard sessions and CLI runs at once.
    """

    def __init__(self, engine: Engine, url: str = "", migration: Migration | None = None) -> None:
        self.engine = engine
        #: The same pool for reading only: listing and loading never take SQLite's write lock.
        self.reader = reader(engine)
        self.url = url or engine.url.render_as_string(hide_password=True)
        #: What opening did to the schema (an upgrade names the backup taken, or advice for PostgreSQL).
        self.migration = migration

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating, or migrating when behind) the store at ``url`` or ``default_url()``."""
        from natbacc.store.database import default_url

        url = url or default_url()
        engine, migration = open_engine(url)
        return cls(engine, url, migration)

    @property
    def notice(self) -> str:
        """What an operator should know after opening: a schema upgrade and its backup, or empty."""
        m = self.migration
        if m is None or not m.upgraded:
            return ""
        if m.backup is not None:
            return (
                f"The store was upgraded to schema {m.after}; a copy from before is at {m.backup}. It holds "
                "everything the store held: delete it once you have checked the upgrade."
            )
        return m.advice

    @property
    def location(self) -> str:
        """Where the data is, for people (a file path, or the server URL without password)."""
        return describe_url(self.url)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # -- snapshots ---------------------------------------------------------------------------

    @_in_words
    def save(
        self,
        result: ImportResult,
        analysis: Analysis,
        *,
        term: str,
        school: str | None = None,
        files: Sequence[tuple[str, bytes]] = (),
        replace: bool = False,
        kinds: Mapping[str, str] | None = None,
    ) -> SnapshotInfo:
        """Store one term's import as a snapshot, all or nothing.

        Args:
            result: the import (must have pupils and no blocking error).
            analysis: its scoring (``analyse(result.tables, ...)``), whose settings, mapping and
                as-of date are stored with it.
            term: the term's label, e.g. "Autumn 2026".
            school: the name it is filed under (default: the school(s) the files name).
            files: the uploaded files as (name, bytes): their names, sizes and hashes are kept as provenance.
            replace: replace a snapshot already stored for the same term and school.
            kinds: what the user said ambiguous files hold (kept so the import can be explained).
        """
        term = " ".join(_printable(term).split())
        if not term:
            raise StoreError("Give the term a label, e.g. 'Autumn 2026'.")
        if len(term) > MAX_TERM:
            raise StoreError(f"The term label is {len(term)} characters long; keep it under {MAX_TERM}.")
        label = _printable(school_label(result, school))
        if len(label) > MAX_SCHOOL:
            raise StoreError(f"The school name is {len(label)} characters long; keep it under {MAX_SCHOOL}.")
        if result.blocking or result.students.empty:
            raise StoreError("Only an import without blocking errors, and with pupils, can be stored.")
        fallback = label if label and "," not in label and not label.endswith(" schools") else ""
        scores = pupil_summary(analysis, fallback)
        headline = school_indicators(analysis, fallback)

        with self.engine.begin() as conn:
            existing = conn.execute(
                sa.select(schema.snapshots.c.id).where(
                    sa.func.lower(schema.snapshots.c.term) == term.lower(),
                    sa.func.lower(schema.snapshots.c.school) == label.lower(),
                )
            ).scalar()
            if existing is not None:
                if not replace:
                    where = f" for {label}" if label else ""
                    raise StoreError(
                        f"'{term}'{where} is already stored (snapshot {existing}). Replace it, or give this "
                        "import another term label."
                    )
                conn.execute(sa.delete(schema.snapshots).where(schema.snapshots.c.id == existing))
            snapshot_id = conn.execute(
                schema.snapshots.insert().returning(schema.snapshots.c.id),
                {
                    "term": term,
                    "school": label,
                    "as_of": analysis.as_of,
                    "imported_at": datetime.now(UTC),
                    "students": len(result.students),
                    "natbacc_version": __version__,
                    "settings_toml": analysis.settings.to_toml(),
                    "subject_overrides": [list(t) for t in map_overrides(analysis.subject_map)],
                    "kinds": dict(kinds or {}),
                    "sheets": [s.as_dict() for s in result.sheets],
                    "issues": [i.as_dict() for i in result.issues],
                },
            ).scalar_one()
            file_rows = [
                {
                    "snapshot_id": snapshot_id,
                    "position": n,
                    "name": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                }
                for n, (name, data) in enumerate(files)
            ]
            if file_rows:
                conn.execute(schema.source_files.insert(), file_rows)
            for kind in TABLE_KINDS:
                _insert(conn, schema.canonical[kind], result.tables[kind], snapshot_id)
            _insert(conn, schema.pupil_scores, scores, snapshot_id)
            _insert(conn, schema.indicators, headline, snapshot_id)
        return self.get(snapshot_id)

    @_in_words
    def snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot, oldest term first (by as-of date, then import time)."""
        s = schema.snapshots
        with self.reader.connect() as conn:
            rows = conn.execute(sa.select(s).order_by(s.c.as_of, s.c.imported_at, s.c.id)).all()
            files = _files(conn)
        return [_info(row, files.get(row.id, ())) for row in rows]

    def get(self, snapshot_id: int) -> SnapshotInfo:
        """One snapshot's listing; StoreError if there is none with that id."""
        return _info(*self._row(snapshot_id))

    @_in_words
    def _row(self, snapshot_id: int) -> tuple[sa.Row[Any], Sequence[str]]:
        s = schema.snapshots
        with self.reader.connect() as conn:
            row = conn.execute(sa.select(s).where(s.c.id == snapshot_id)).one_or_none()
            files = _files(conn, snapshot_id)
        if row is None:
            raise StoreError(f"There is no snapshot {snapshot_id} in the store; `natbacc snapshots` lists them.")
        return row, files.get(snapshot_id, ())

    def find(self, term: str, school: str | None = None) -> list[SnapshotInfo]:
        """Snapshots with this term label (and school, if given); matching ignores case and spacing."""

        def norm(text: str) -> str:
            return " ".join(text.split()).casefold()

        return [
            s
            for s in self.snapshots()
            if norm(s.term) == norm(term) and (school is None or norm(s.school) == norm(school))
        ]

    def find_one(self, term: str, school: str | None = None) -> SnapshotInfo:
        """The single snapshot for ``term`` (and ``school``); StoreError naming the choices otherwise."""
        found = self.find(term, school)
        if len(found) == 1:
            return found[0]
        if not found:
            terms = sorted({s.term for s in self.snapshots()})
            known = f" Stored terms: {', '.join(terms)}." if terms else " The store is empty."
            where = f" for {school}" if school else ""
            raise StoreError(f"No snapshot for term '{term}'{where}.{known}")
        names = ", ".join(f"'{s.school}'" for s in found)
        raise StoreError(f"Term '{term}' is stored for several schools ({names}); say which with --school.")

    @_in_words
    def load(self, snapshot_id: int) -> StoredSnapshot:
        """The snapshot's import and configuration, exactly as saved."""
        row, files = self._row(snapshot_id)
        with self.reader.connect() as conn:
            tables = {
                kind: conform(kind, _read(conn, schema.canonical[kind], [snapshot_id]).drop(columns="snapshot_id"))
                for kind in TABLE_KINDS
            }
        result = ImportResult(
            tables=tables,
            issues=[Issue(**d) for d in row.issues],
            sheets=[SheetReport(**d) for d in row.sheets],
        )
        settings = _stored_settings(row.settings_toml, f"term {row.term}")
        overrides = tuple(tuple(t) for t in row.subject_overrides)
        return StoredSnapshot(_info(row, files), result, settings, overrides, dict(row.kinds))

    @_in_words
    def earlier_logs(
        self, school: str, as_of: date, exclude: Sequence[int] = ()
    ) -> list[tuple[SnapshotInfo, pd.DataFrame]]:
        """The Personal Development logs kept with the terms of ``school`` stored as of ``as_of`` or earlier
        (oldest first; ``exclude`` leaves out the term being shown, or being replaced), for counting hours over
        the programme.

        ``school`` matches the snapshot's filing name ignoring case and spacing; a blank name matches nothing
        (an unnamed upload cannot be told apart from another school's term).
        """
        if not school.strip():
            return []

        def norm(text: str) -> str:
            return " ".join(text.split()).casefold()

        wanted = [
            s for s in self.snapshots() if norm(s.school) == norm(school) and s.as_of <= as_of and s.id not in exclude
        ]
        if not wanted:
            return []
        with self.reader.connect() as conn:
            logs = _read(conn, schema.canonical["development"], [s.id for s in wanted])
        return [
            (s, conform("development", logs[logs["snapshot_id"] == s.id].drop(columns="snapshot_id"))) for s in wanted
        ]

    @_in_words
    def delete(self, snapshot_ids: Sequence[int]) -> int:
        """Delete snapshots with every row of their pupils' data; returns how many went."""
        if not snapshot_ids:
            return 0
        with self.engine.begin() as conn:
            gone = conn.execute(sa.delete(schema.snapshots).where(schema.snapshots.c.id.in_(list(snapshot_ids))))
        self._compact()
        return gone.rowcount

    @_in_words
    def purge(self) -> int:
        """Delete everything: every snapshot and pupil row, the saved settings and mapping."""
        with self.engine.begin() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(schema.snapshots)).scalar_one()
            for table in (*schema.PUPIL_DATA_TABLES, schema.preferences):
                conn.execute(sa.delete(table))
        self._compact()
        return n

    def _compact(self) -> None:
        compact(self.engine)

    # -- history -----------------------------------------------------------------------------

    @_in_words
    def indicators(self, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Headline indicator rows with each snapshot's id, term, as-of date and filing school."""
        s, i = schema.snapshots, schema.indicators
        query = (
            sa.select(
                i.c.snapshot_id,
                s.c.term,
                s.c.as_of,
                s.c.imported_at,
                s.c.school.label("snapshot_school"),
                *(i.c[c] for c in HEADLINE_COLUMNS),
            )
            .join(s, s.c.id == i.c.snapshot_id)
            .order_by(s.c.as_of, s.c.imported_at, i.c.snapshot_id, i.c.position)
        )
        if snapshot_ids is not None:
            query = query.where(i.c.snapshot_id.in_(list(snapshot_ids)))
        with self.reader.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["value"] = frame["value"].astype("Float64")
        return frame

    @_in_words
    def pupils(self, snapshot_ids: Sequence[int]) -> pd.DataFrame:
        """Pupil summaries (``history.PUPIL_COLUMNS``) with name and tutor group, per snapshot."""
        p, c = schema.pupil_scores, schema.canonical["students"]
        query = (
            sa.select(p.c.snapshot_id, *(p.c[name] for name in PUPIL_COLUMNS), c.c.name, c.c.reg_group)
            .join(c, (c.c.snapshot_id == p.c.snapshot_id) & (c.c.position == p.c.position))
            .where(p.c.snapshot_id.in_(list(snapshot_ids)))
            .order_by(p.c.snapshot_id, p.c.position)
        )
        with self.reader.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["year_group"] = frame["year_group"].astype("Int64")
        for col in ("core_learning_score", "personal_project_score", "personal_development_score"):
            frame[col] = frame[col].astype("Float64")
        for col in ("student_id", "school", "overall_status", "flags", "areas", "name", "reg_group"):
            frame[col] = frame[col].astype("str")
        return frame

    @_in_words
    def schools(self) -> list[str]:
        """Every school with indicators in the store (never "All schools")."""
        i = schema.indicators
        with self.reader.connect() as conn:
            rows = conn.execute(sa.select(i.c.school).distinct().where(i.c.school != ALL_SCHOOLS)).scalars()
            return sorted(rows)

    @_in_words
    def revision(self) -> str:
        """Changes whenever a snapshot or preference is written or deleted (a cache key for the dashboard)."""
        s, p = schema.snapshots, schema.preferences
        with self.reader.connect() as conn:
            snap = conn.execute(sa.select(sa.func.count(), sa.func.max(s.c.id), sa.func.max(s.c.imported_at))).one()
            pref = conn.execute(sa.select(sa.func.count(), sa.func.max(p.c.updated_at))).one()
        return repr((tuple(snap), tuple(pref)))

    # -- preferences -------------------------------------------------------------------------

    @_in_words
    def preference(self, name: str, default: object = None) -> object:
        """A saved preference (the school's settings, mapping decisions ...), or ``default``."""
        p = schema.preferences
        with self.reader.connect() as conn:
            value = conn.execute(sa.select(p.c.value).where(p.c.name == name)).scalar()
        return default if value is None else value

    @_in_words
    def set_preference(self, name: str, value: object) -> None:
        """Save a preference (None deletes it)."""
        p = schema.preferences
        with self.engine.begin() as conn:
            conn.execute(sa.delete(p).where(p.c.name == name))
            if value is not None:
                conn.execute(p.insert(), {"name": name, "value": value, "updated_at": datetime.now(UTC)})

    def saved_settings(self) -> Settings | None:
        """The rule set last applied in the dashboard (None: the shipped defaults)."""
        text = self.preference("settings")
        return _stored_settings(text, "the saved settings") if isinstance(text, str) else None

    def save_settings(self, settings: Settings | None) -> None:
        """Remember ``settings`` for every later session and import (None: back to the defaults)."""
        self.set_preference("settings", settings.to_toml() if settings is not None else None)

    def saved_overrides(self) -> tuple[tuple[str, str, str], ...]:
        """The subject-mapping decisions last saved."""
        value = self.preference("subject_overrides", [])
        return tuple(tuple(t) for t in value) if isinstance(value, list) else ()

    def save_overrides(self, overrides: Sequence[tuple[str, str, str]]) -> None:
        """Remember the school's subject-mapping decisions."""
        self.set_preference("subject_overrides", [list(t) for t in overrides] or None)
