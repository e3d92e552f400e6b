"""content origin: rows synced from files or authored in the browser

Revision ID: 3b1c0e7d9a21
Revises: 2aac04a6c9d1
Create Date: 2026-12-02 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3b1c0e7d9a21'
down_revision = '2aac04a6c9d1'
branch_labels = None
depends_on = None

TABLES = ('tracks', 'modules', 'quizzes', 'roleplays')


def upgrade():
    # Every existing row came from a content file.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='file',
                                          nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('origin')
