"""Pupils keyed by school and pupil ID: a ``pupil_key`` column in every canonical table.

A trust's exports restart pupil IDs in every school, so pupil 17 at two schools is two children. The
importer now gives every row a ``pupil_key`` (the pupil ID, or school and pupil ID when an upload holds
several schools; ``natbacc.io.identity``), and a stored term is joined on it when it is scored again.

Terms stored before this release were joined on the pupil ID alone, so their key is their pupil ID: they
read back and score exactly as they did. The column is added in place (no table is copied).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: The store tables of the canonical tables (frozen here: a migration must not follow later renames).
TABLES = ("pupils", "enrolments", "option_choices", "project_log", "development_log")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("pupil_key", sa.Text(), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET pupil_key = student_id"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("pupil_key")
