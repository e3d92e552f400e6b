"""indexes for the attempts awaiting review and a cohort's field-practice entries

Revision ID: c4f2d8a1b6e3
Revises: b3e1c7a90d52
Create Date: 2026-12-04 20:15:00

"""
from alembic import op


revision = 'c4f2d8a1b6e3'
down_revision = 'b3e1c7a90d52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_status_user', ['status', 'user_id'], unique=False)
    with op.batch_alter_table('practice_entries', schema=None) as batch_op:
        batch_op.create_index('ix_practice_entries_cohort_id', ['cohort_id', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('practice_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_entries_cohort_id')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_status_user')
