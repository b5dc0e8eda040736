"""Qualifications (entries and results) as a sixth stored table; pupils' NBfE registration and target tier.

The NBfE award (issue #19) reads an exams-office export, one row per pupil and qualification, and two
new pupil columns: whether the pupil is registered for the school's programme and the tier they are
registered for. A term stored before this release has no qualifications and blank registration.
Qualifications are keyed like every other table (``pupil_key``, migration 0004).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_tier", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("registered", sa.Boolean(), nullable=True))
    op.create_table(
        "qualifications",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("qualification_label", sa.Text(), nullable=True),
        sa.Column("qualification", sa.Text(), nullable=True),
        sa.Column("subject_label", sa.Text(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("size", sa.Float(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("grade", sa.Text(), nullable=True),
        sa.Column("date", sa.DateTime(), nullable=True),
        sa.Column("level_achieved", sa.Integer(), nullable=True),
        sa.Column("pupil_key", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_qualifications_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_qualifications")),
    )


def downgrade() -> None:
    op.drop_table("qualifications")
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_column("registered")
        batch_op.drop_column("target_tier")
