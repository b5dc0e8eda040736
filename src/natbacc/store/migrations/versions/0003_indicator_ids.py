"""Stored indicators keyed by vocabulary ids, not by their English labels.

Until now an indicator row was identified by ``key`` (``gap:Disadvantaged (PP):KS4: studies arts``)
and carried its ``label``; trends split the key on ": " to find the group again, so rewording a
label would have broken every saved term's trend. Rows now carry ``indicator`` (a
``natbacc.vocabulary.Headline`` or ``EquityIndicator`` id), ``equity_group`` (an ``EquityGroup`` id,
or NULL) and ``section`` as an id; labels are looked up when shown.

The label tables below are frozen copies of what the release before this one wrote: a migration
must convert what was stored then, whatever later releases call things.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SECTIONS = {"Strands": "strands", "Key Stage 3": "ks3", "Key Stage 4": "ks4", "Equity": "equity"}
GROUPS = {
    "Disadvantaged (PP)": "disadvantaged",
    "SEN support (K)": "sen_support",
    "EHC plan (E)": "ehc_plan",
    "EAL": "eal",
    "Girls": "girls",
}
_AREAS = {
    "english": "english",
    "maths": "maths",
    "science": "science",
    "humanities": "humanities",
    "languages": "languages",
    "arts": "arts",
    "technology": "technology",
    "computing": "computing",
    "pe": "physical_education",
    "re": "religious_education",
    "pshe/rshe": "pshe",
}
INDICATORS = {
    **{f"KS4: studies {label}": f"ks4_studies:{area}" for label, area in _AREAS.items()},
    "KS4: EBacc-pattern entry (legacy)": "ks4_ebacc_pattern",
    "KS3: all statutory subjects": "ks3_all_statutory",
    "Core Learning on track": "on_track:core_learning",
    "Personal Project on track": "on_track:personal_project",
    "Personal Development on track": "on_track:personal_development",
}


def convert(section: str, key: str) -> tuple[str, str, str | None]:
    """(section id, indicator id, group id) for a row stored as (section label, key)."""
    section_id = SECTIONS.get(section, section)
    if not key.startswith("gap:"):
        return section_id, key, None
    rest = key.removeprefix("gap:")
    for label, group in GROUPS.items():
        if rest.startswith(f"{label}:"):
            indicator = rest.removeprefix(f"{label}:")
            return section_id, INDICATORS.get(indicator, indicator), group
    # A group this table does not know: keep it a gap, its words kept as the ids (shown as written).
    group_label, _, indicator = rest.partition(":")
    return section_id, INDICATORS.get(indicator, indicator or rest), group_label or None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indicator", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("equity_group", sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT snapshot_id, position, section, key FROM indicators")).all()
    updates = []
    for snapshot_id, position, section, key in rows:
        section_id, indicator, group = convert(section, key)
        updates.append(
            {"sid": snapshot_id, "pos": position, "section": section_id, "indicator": indicator, "grp": group}
        )
    if updates:
        conn.execute(
            sa.text(
                "UPDATE indicators SET section = :section, indicator = :indicator, equity_group = :grp "
                "WHERE snapshot_id = :sid AND position = :pos"
            ),
            updates,
        )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.alter_column("indicator", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("key")
        batch_op.drop_column("label")


def downgrade() -> None:
    sections = {v: k for k, v in SECTIONS.items()}
    groups = {v: k for k, v in GROUPS.items()}
    indicators = {v: k for k, v in INDICATORS.items()}
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("label", sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT snapshot_id, position, section, indicator, equity_group FROM indicators"))
    for snapshot_id, position, section, indicator, group in rows.all():
        if group:
            words = f"{groups.get(group, group)}: {indicators.get(indicator, indicator)}"
            key, label = f"gap:{groups.get(group, group)}:{indicators.get(indicator, indicator)}", words
        else:
            key, label = indicator, indicator
        conn.execute(
            sa.text(
                "UPDATE indicators SET section = :s, key = :k, label = :l WHERE snapshot_id = :i AND position = :p"
            ),
            {"s": sections.get(section, section), "k": key, "l": label, "i": snapshot_id, "p": position},
        )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("label", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("equity_group")
        batch_op.drop_column("indicator")
