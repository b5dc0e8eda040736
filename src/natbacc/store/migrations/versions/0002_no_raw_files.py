"""Stop keeping uploaded files' bytes: drop source_files.content.

"Keep files" stored whole exports, dates of birth, addresses and medical notes included, although
natbacc reads none of those columns. The tables natbacc read are what a term needs; a file's name,
size and SHA-256 stay as provenance. The bytes already kept go with the column (the store is
compacted after an upgrade, so they do not linger in free pages either).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_files", schema=None) as batch_op:
        batch_op.drop_column("content")


def downgrade() -> None:
    with op.batch_alter_table("source_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
