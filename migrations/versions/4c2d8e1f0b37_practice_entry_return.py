"""field practice: a mentor may return an entry with a comment

Revision ID: 4c2d8e1f0b37
Revises: 3b1c0e7d9a21
Create Date: 2026-12-02 18:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4c2d8e1f0b37'
down_revision = '3b1c0e7d9a21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentor_comment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('practice_entries', schema=None) as batch_op:
        batch_op.drop_column('returned_at')
        batch_op.drop_column('mentor_comment')
