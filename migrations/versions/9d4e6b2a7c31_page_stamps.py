"""page stamps: a person's and the site's, replaced whenever what their pages show changes

Revision ID: 9d4e6b2a7c31
Revises: e5a7c3b9d214
Create Date: 2026-12-07 23:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


revision = '9d4e6b2a7c31'
down_revision = 'e5a7c3b9d214'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_stamp', sa.BigInteger(), nullable=True))
    op.create_table('site_stamps',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('stamp', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_stamps')))
    # One random stamp for everyone: a stamp need only differ from those pages were kept
    # under before, and no page was kept under these. The site's row is made by the first
    # site-wide change (until then its stamp reads as 0), so the schema holds no rows.
    op.execute(sa.text('UPDATE users SET page_stamp = :stamp').bindparams(stamp=secrets.randbits(62)))


def downgrade():
    op.drop_table('site_stamps')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('page_stamp')
