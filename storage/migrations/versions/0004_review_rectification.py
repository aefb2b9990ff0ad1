"""the province's evaluation (review_score, review_problem) and rectification items
(rectification, its indicators, departments and evidence) — issue 16, items 1–2

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_paragraph', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('问题','扣分说明','建议')", name=op.f('ck_review_problem_kind')),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_review_problem_framework_id_framework'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_problem'))
    )
    with op.batch_alter_table('review_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_problem_framework_id'), ['framework_id'], unique=False)

    op.create_table('review_problem_indicator',
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_review_problem_indicator_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['review_problem.id'], name=op.f('fk_review_problem_indicator_problem_id_review_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('problem_id', 'indicator_id', name=op.f('pk_review_problem_indicator'))
    )
    with op.batch_alter_table('review_problem_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_problem_indicator_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('review_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('province_score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('deduction_reason', sa.Text(), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_review_score_framework_id_framework'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_review_score_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_score')),
    sa.UniqueConstraint('indicator_id', name=op.f('uq_review_score_indicator_id'))
    )
    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_score_framework_id'), ['framework_id'], unique=False)

    op.create_table('rectification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=True),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('score_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('未开始','整改中','已完成','长期坚持')", name=op.f('ck_rectification_status')),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_rectification_framework_id_framework'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['review_problem.id'], name=op.f('fk_rectification_problem_id_review_problem'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['score_id'], ['review_score.id'], name=op.f('fk_rectification_score_id_review_score'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification'))
    )
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_framework_id'), ['framework_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_problem_id'), ['problem_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_score_id'), ['score_id'], unique=False)
        batch_op.create_index('ix_rectification_status_deadline', ['status', 'deadline'], unique=False)

    op.create_table('evidence_rectification',
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('rectification_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_rectification_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rectification_id'], ['rectification.id'], name=op.f('fk_evidence_rectification_rectification_id_rectification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evidence_id', 'rectification_id', name=op.f('pk_evidence_rectification'))
    )
    with op.batch_alter_table('evidence_rectification', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_rectification_order', ['rectification_id', 'position'], unique=False)

    op.create_table('rectification_department',
    sa.Column('rectification_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('lead','cooperating')", name=op.f('ck_rectification_department_role')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_rectification_department_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rectification_id'], ['rectification.id'], name=op.f('fk_rectification_department_rectification_id_rectification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rectification_id', 'department_id', name=op.f('pk_rectification_department'))
    )
    with op.batch_alter_table('rectification_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_department_department_id'), ['department_id'], unique=False)

    op.create_table('rectification_indicator',
    sa.Column('rectification_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_rectification_indicator_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rectification_id'], ['rectification.id'], name=op.f('fk_rectification_indicator_rectification_id_rectification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rectification_id', 'indicator_id', name=op.f('pk_rectification_indicator'))
    )
    with op.batch_alter_table('rectification_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_indicator_indicator_id'), ['indicator_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rectification_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_indicator_indicator_id'))

    op.drop_table('rectification_indicator')
    with op.batch_alter_table('rectification_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_department_department_id'))

    op.drop_table('rectification_department')
    with op.batch_alter_table('evidence_rectification', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_rectification_order')

    op.drop_table('evidence_rectification')
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.drop_index('ix_rectification_status_deadline')
        batch_op.drop_index(batch_op.f('ix_rectification_score_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_problem_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_framework_id'))

    op.drop_table('rectification')
    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_score_framework_id'))

    op.drop_table('review_score')
    with op.batch_alter_table('review_problem_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_problem_indicator_indicator_id'))

    op.drop_table('review_problem_indicator')
    with op.batch_alter_table('review_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_problem_framework_id'))

    op.drop_table('review_problem')
