"""Option choices remember whether they are for next school year: option_choices.next_year.

Schools record next year's option choices every spring (Year 9's choices for Year 10). The importer now
tells them from the file's name, title, sheet or a "For year" column, and scoring keeps them out of this
year's curriculum; the store keeps the flag with each choice so a stored term scores as it did. Choices
stored before this release have no flag (NULL), read as this year's, as they were scored then.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("option_choices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_year", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("option_choices", schema=None) as batch_op:
        batch_op.drop_column("next_year")
