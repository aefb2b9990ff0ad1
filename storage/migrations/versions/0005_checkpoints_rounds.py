"""checkpoint and assessment_round: self-assessment checkpoints and rounds (issue 16)

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=True),
        sa.Column("framework_name", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["framework_id"], ["framework.id"],
                                name=op.f("fk_checkpoint_framework_id_framework"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoint")),
    )
    op.create_index(op.f("ix_checkpoint_framework_id"), "checkpoint", ["framework_id"], unique=False)
    op.create_table(
        "assessment_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("previous_round_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["framework_id"], ["framework.id"],
                                name=op.f("fk_assessment_round_framework_id_framework"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["previous_round_id"], ["assessment_round.id"],
                                name=op.f("fk_assessment_round_previous_round_id_assessment_round"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_round")),
        sa.UniqueConstraint("framework_id", name=op.f("uq_assessment_round_framework_id")),
    )


def downgrade() -> None:
    op.drop_table("assessment_round")
    op.drop_index(op.f("ix_checkpoint_framework_id"), table_name="checkpoint")
    op.drop_table("checkpoint")
