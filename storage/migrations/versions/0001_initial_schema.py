"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 (the schema the foundation landed)
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)

    op.create_table('blob',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blob')),
    sa.UniqueConstraint('sha256', name=op.f('uq_blob_sha256'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('normalized_name', sa.String(length=200), nullable=False),
    sa.Column('is_collective', sa.Boolean(), nullable=False),
    sa.Column('contact_person', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('normalized_name', name=op.f('uq_department_normalized_name'))
    )
    op.create_table('framework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('total_score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('data_cutoff', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('blob_text',
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('extracted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_blob_text_blob_id_blob'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blob_id', name=op.f('pk_blob_text'))
    )
    op.create_table('department_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('normalized_alias', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_alias_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_alias')),
    sa.UniqueConstraint('normalized_alias', name=op.f('uq_department_alias_normalized_alias'))
    )
    with op.batch_alter_table('department_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_alias_department_id'), ['department_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('issuing_department_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('trashed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('received','accepted','returned','superseded')", name=op.f('ck_evidence_status')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_evidence_department_id_department'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuing_department_id'], ['department.id'], name=op.f('fk_evidence_issuing_department_id_department'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_evidence_department_status', ['department_id', 'status', 'trashed_at'], unique=False)
        batch_op.create_index('ix_evidence_id_status', ['id', 'status', 'trashed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_issuing_department_id'), ['issuing_department_id'], unique=False)
        batch_op.create_index('ix_evidence_status_trashed', ['status', 'trashed_at'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('scoring_rule', sa.Text(), nullable=False),
    sa.Column('max_score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('is_key', sa.Boolean(), nullable=False),
    sa.Column('is_veto', sa.Boolean(), nullable=False),
    sa.Column('target_comparator', sa.String(length=2), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('target_unit', sa.String(length=20), nullable=False),
    sa.Column('target_text', sa.Text(), nullable=False),
    sa.CheckConstraint("target_comparator IS NULL OR target_comparator IN ('>=','>','<=','<','=')", name=op.f('ck_indicator_comparator')),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_indicator_framework_id_framework'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['indicator.id'], name=op.f('fk_indicator_parent_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_framework_id'), ['framework_id'], unique=False)
        batch_op.create_index('ix_indicator_framework_parent', ['framework_id', 'parent_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_parent_id'), ['parent_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('manifest', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_submission_framework_id_framework'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission'))
    )
    op.create_table('watched_folder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('polling_seconds', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('include_patterns', sa.Text(), nullable=False),
    sa.Column('exclude_patterns', sa.Text(), nullable=False),
    sa.Column('settle_seconds', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('auto_accept', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('last_full_scan', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_watched_folder_department_id_department'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_folder')),
    sa.UniqueConstraint('path', name=op.f('uq_watched_folder_path'))
    )
    op.create_table('duty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('expected_evidence', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_kind', sa.String(length=10), nullable=False),
    sa.Column('deadline_text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('departments_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("deadline_kind IN ('date','recurring','none')", name=op.f('ck_duty_deadline_kind')),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_duty_framework_id_framework'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_duty_indicator_id_indicator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty'))
    )
    with op.batch_alter_table('duty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_framework_id'), ['framework_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('evidence_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('source_mtime', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_evidence_file_blob_id_blob')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_file_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaces_id'], ['evidence_file.id'], name=op.f('fk_evidence_file_replaces_id_evidence_file'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file'))
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_file_evidence_id'), ['evidence_id'], unique=False)

    op.create_table('evidence_indicator',
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_indicator_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_evidence_indicator_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evidence_id', 'indicator_id', name=op.f('pk_evidence_indicator'))
    )
    with op.batch_alter_table('evidence_indicator', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_indicator_order', ['indicator_id', 'position'], unique=False)

    op.create_table('inbox_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watched_folder_id', sa.Integer(), nullable=True),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('from_zip', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('source_mtime', sa.DateTime(), nullable=True),
    sa.Column('blob_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Numeric(precision=4, scale=3), nullable=True),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('pending','accepted','ignored','failed')", name=op.f('ck_inbox_entry_state')),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_inbox_entry_blob_id_blob')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_inbox_entry_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['watched_folder_id'], ['watched_folder.id'], name=op.f('fk_inbox_entry_watched_folder_id_watched_folder'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_entry'))
    )
    with op.batch_alter_table('inbox_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_entry_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_entry_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index('ix_inbox_entry_state', ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_entry_watched_folder_id'), ['watched_folder_id'], unique=False)

    op.create_table('indicator_assessment',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('self_score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('deduction_note', sa.Text(), nullable=False),
    sa.Column('actual_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_assessment_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', name=op.f('pk_indicator_assessment'))
    )
    op.create_table('scan_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watched_folder_id', sa.Integer(), nullable=False),
    sa.Column('relpath', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mtime_ns', sa.BigInteger(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_scan_entry_blob_id_blob')),
    sa.ForeignKeyConstraint(['watched_folder_id'], ['watched_folder.id'], name=op.f('fk_scan_entry_watched_folder_id_watched_folder'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_entry')),
    sa.UniqueConstraint('watched_folder_id', 'relpath', name=op.f('uq_scan_entry_watched_folder_id'))
    )
    with op.batch_alter_table('scan_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_entry_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_entry_watched_folder_id'), ['watched_folder_id'], unique=False)

    op.create_table('submission_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('bundle_path', sa.Text(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_submission_file_blob_id_blob')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_submission_file_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_file_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_file'))
    )
    with op.batch_alter_table('submission_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_file_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_file_submission_id'), ['submission_id'], unique=False)

    op.create_table('duty_department',
    sa.Column('duty_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('lead','cooperating')", name=op.f('ck_duty_department_role')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_duty_department_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duty_id'], ['duty.id'], name=op.f('fk_duty_department_duty_id_duty'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('duty_id', 'department_id', name=op.f('pk_duty_department'))
    )
    with op.batch_alter_table('duty_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_department_department_id'), ['department_id'], unique=False)

    op.create_table('evidence_duty',
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('duty_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['duty_id'], ['duty.id'], name=op.f('fk_evidence_duty_duty_id_duty'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_duty_evidence_id_evidence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evidence_id', 'duty_id', name=op.f('pk_evidence_duty'))
    )
    with op.batch_alter_table('evidence_duty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_duty_duty_id'), ['duty_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence_duty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_duty_duty_id'))

    op.drop_table('evidence_duty')
    with op.batch_alter_table('duty_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_department_department_id'))

    op.drop_table('duty_department')
    with op.batch_alter_table('submission_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_file_submission_id'))
        batch_op.drop_index(batch_op.f('ix_submission_file_blob_id'))

    op.drop_table('submission_file')
    with op.batch_alter_table('scan_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_entry_watched_folder_id'))
        batch_op.drop_index(batch_op.f('ix_scan_entry_blob_id'))

    op.drop_table('scan_entry')
    op.drop_table('indicator_assessment')
    with op.batch_alter_table('inbox_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_entry_watched_folder_id'))
        batch_op.drop_index('ix_inbox_entry_state')
        batch_op.drop_index(batch_op.f('ix_inbox_entry_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_inbox_entry_blob_id'))

    op.drop_table('inbox_entry')
    with op.batch_alter_table('evidence_indicator', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_indicator_order')

    op.drop_table('evidence_indicator')
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_file_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_file_blob_id'))

    op.drop_table('evidence_file')
    with op.batch_alter_table('duty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_duty_framework_id'))

    op.drop_table('duty')
    op.drop_table('watched_folder')
    op.drop_table('submission')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_parent_id'))
        batch_op.drop_index('ix_indicator_framework_parent')
        batch_op.drop_index(batch_op.f('ix_indicator_framework_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_status_trashed')
        batch_op.drop_index(batch_op.f('ix_evidence_issuing_department_id'))
        batch_op.drop_index('ix_evidence_id_status')
        batch_op.drop_index('ix_evidence_department_status')
        batch_op.drop_index(batch_op.f('ix_evidence_department_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('department_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_alias_department_id'))

    op.drop_table('department_alias')
    op.drop_table('blob_text')
    op.drop_table('setting')
    op.drop_table('framework')
    op.drop_table('department')
    op.drop_table('blob')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
