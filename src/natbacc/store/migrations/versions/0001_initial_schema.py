"""Initial schema: snapshots with their canonical tables, pupil scores and indicators; preferences.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 08:54:51.233203
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_preferences")),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("natbacc_version", sa.String(length=40), nullable=False),
        sa.Column("settings_toml", sa.Text(), nullable=False),
        sa.Column("subject_overrides", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("sheets", sa.JSON(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint("term", "school", name=op.f("uq_snapshots_term_school")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "development_log",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("date", sa.DateTime(), nullable=True),
        sa.Column("activity", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_development_log_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_development_log")),
    )
    op.create_table(
        "enrolments",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("class_code", sa.Text(), nullable=True),
        sa.Column("subject_label", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("area", sa.Text(), nullable=True),
        sa.Column("periods", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_enrolments_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_enrolments")),
    )
    op.create_table(
        "indicators",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("school", sa.Text(), nullable=False),
        sa.Column("section", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("pupils", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("better", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_indicators_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_indicators")),
    )
    op.create_table(
        "option_choices",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("block", sa.Text(), nullable=True),
        sa.Column("subject_label", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("area", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_option_choices_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_option_choices")),
    )
    op.create_table(
        "project_log",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("supervisor", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_project_log_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_project_log")),
    )
    op.create_table(
        "pupil_scores",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("school", sa.Text(), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("core_learning_score", sa.Float(), nullable=True),
        sa.Column("personal_project_score", sa.Float(), nullable=True),
        sa.Column("personal_development_score", sa.Float(), nullable=True),
        sa.Column("overall_status", sa.String(length=20), nullable=True),
        sa.Column("flags", sa.Text(), nullable=True),
        sa.Column("areas", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_pupil_scores_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_pupil_scores")),
    )
    with op.batch_alter_table("pupil_scores", schema=None) as batch_op:
        batch_op.create_index("ix_pupil_scores_school_student", ["school", "student_id"], unique=False)

    op.create_table(
        "pupils",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("student_id", sa.Text(), nullable=True),
        sa.Column("upn", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("key_stage", sa.Integer(), nullable=True),
        sa.Column("reg_group", sa.Text(), nullable=True),
        sa.Column("sex", sa.Text(), nullable=True),
        sa.Column("pupil_premium", sa.Boolean(), nullable=True),
        sa.Column("sen", sa.Text(), nullable=True),
        sa.Column("eal", sa.Boolean(), nullable=True),
        sa.Column("school", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_pupils_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_pupils")),
    )
    op.create_table(
        "source_files",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_source_files_snapshot_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "position", name=op.f("pk_source_files")),
    )


def downgrade() -> None:
    op.drop_table("source_files")
    op.drop_table("pupils")
    with op.batch_alter_table("pupil_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_pupil_scores_school_student")

    op.drop_table("pupil_scores")
    op.drop_table("project_log")
    op.drop_table("option_choices")
    op.drop_table("indicators")
    op.drop_table("enrolments")
    op.drop_table("development_log")
    op.drop_table("snapshots")
    op.drop_table("preferences")
