"""The store's tables, declared once with SQLAlchemy Core.

A snapshot is one term's import for one school (or a whole trust). Its rows in every other table
hang off ``snapshots.id`` with ``ON DELETE CASCADE``, so deleting a snapshot (or purging the store)
is one statement and can never leave a pupil's row behind.

The canonical tables (pupils, enrolments, options, project and development logs) are declared from
``natbacc.model.TABLE_COLUMNS``: the store holds exactly what the importer produces. Alembic
migrations in ``natbacc/store/migrations`` create the same schema; a test compares the two so a
change here without a migration fails the suite.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

from natbacc.history import HEADLINE_COLUMNS, PUPIL_COLUMNS
from natbacc.model import TABLE_COLUMNS, TABLE_KINDS, TableKind

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: Canonical table kind -> store table name ("project" and "development" read better as logs).
STORE_TABLES: dict[str, str] = {
    "students": "pupils",
    "enrolments": "enrolments",
    "options": "option_choices",
    "project": "project_log",
    "development": "development_log",
    "qualifications": "qualifications",
}
_SQL_TYPES = {
    "str": sa.Text,
    "Int64": sa.Integer,
    "Float64": sa.Float,
    "boolean": sa.Boolean,
    "datetime64[s]": sa.DateTime,
}


def _snapshot_fk() -> sa.Column[int]:
    return sa.Column(
        "snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True, nullable=False
    )


snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("term", sa.String(100), nullable=False),
    sa.Column("school", sa.String(200), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("students", sa.Integer, nullable=False),
    sa.Column("natbacc_version", sa.String(40), nullable=False),
    sa.Column("settings_toml", sa.Text, nullable=False),
    sa.Column("subject_overrides", sa.JSON, nullable=False),
    sa.Column("kinds", sa.JSON, nullable=False),
    sa.Column("sheets", sa.JSON, nullable=False),
    sa.Column("issues", sa.JSON, nullable=False),
    sa.UniqueConstraint("term", "school"),
    # Ids are never reused after a delete: a bookmarked snapshot never turns into another one.
    sqlite_autoincrement=True,
)

source_files = sa.Table(
    "source_files",
    metadata,
    _snapshot_fk(),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    # No content: a file's bytes hold every column of the export (dates of birth, addresses ...), and
    # natbacc keeps only the tables it read (migration 0002 dropped the bytes kept before).
)


def _canonical(kind: TableKind) -> sa.Table:
    return sa.Table(
        STORE_TABLES[kind],
        metadata,
        _snapshot_fk(),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        *(sa.Column(c.name, _SQL_TYPES[c.dtype], nullable=True) for c in TABLE_COLUMNS[kind]),
    )


canonical: dict[TableKind, sa.Table] = {kind: _canonical(kind) for kind in TABLE_KINDS}

_PUPIL_TYPES: dict[str, type[TypeEngine[Any]] | TypeEngine[Any]] = {
    "student_id": sa.Text,
    "school": sa.Text,
    "year_group": sa.Integer,
    "overall_status": sa.String(20),
    "flags": sa.Text,
    "areas": sa.Text,
}
pupil_scores = sa.Table(
    "pupil_scores",
    metadata,
    _snapshot_fk(),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    *(sa.Column(name, _PUPIL_TYPES.get(name, sa.Float), nullable=True) for name in PUPIL_COLUMNS),
    sa.Index("ix_pupil_scores_school_student", "school", "student_id"),
)

_INDICATOR_TYPES = {"value": sa.Float, "pupils": sa.Integer}
#: An indicator's value may be unmeasured; only equity gaps have a group.
_INDICATOR_NULLABLE = {"value", "pupils", "equity_group"}
indicators = sa.Table(
    "indicators",
    metadata,
    _snapshot_fk(),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    *(
        sa.Column(name, _INDICATOR_TYPES.get(name, sa.Text), nullable=name in _INDICATOR_NULLABLE)
        for name in HEADLINE_COLUMNS
    ),
)

preferences = sa.Table(
    "preferences",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

#: Every table that holds pupils' data, children before parents (the order ``purge`` empties them).
PUPIL_DATA_TABLES: tuple[sa.Table, ...] = (source_files, *canonical.values(), pupil_scores, indicators, snapshots)
