"""an index the completion masks read attempts from, without visiting the rows

Revision ID: b3e1c7a90d52
Revises: a7f3c2d19e48
Create Date: 2026-12-03 16:00:00

"""
from alembic import op


revision = 'b3e1c7a90d52'
down_revision = 'a7f3c2d19e48'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_completion', ['user_id', 'quiz_slug', 'status', 'passed'], unique=False)


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_completion')
