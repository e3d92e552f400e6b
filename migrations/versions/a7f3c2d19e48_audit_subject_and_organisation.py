"""the audit log names whom an entry is about and which organisation may read it

Revision ID: a7f3c2d19e48
Revises: 5a8db56db4a2
Create Date: 2026-12-03 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7f3c2d19e48'
down_revision = '5a8db56db4a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_subject_id'))
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('subject_id')
