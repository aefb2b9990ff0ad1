"""blob_text.state / reason / ocr_pages: how reading a stored file went (issue 21)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blob_text", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=12), nullable=False, server_default="ok"))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("ocr_pages", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("blob_text", schema=None) as batch_op:
        batch_op.drop_column("ocr_pages")
        batch_op.drop_column("reason")
        batch_op.drop_column("state")
