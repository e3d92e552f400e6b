"""essay regrading: a reason and the history of earlier scores

Revision ID: 5a8db56db4a2
Revises: d1cd3060e0db
Create Date: 2026-12-03 12:05:27.543793

"""
from alembic import op
import sqlalchemy as sa


revision = '5a8db56db4a2'
down_revision = 'd1cd3060e0db'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('essay_review_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_points', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['essay_reviews.id'], name=op.f('fk_essay_review_history_review_id_essay_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_essay_review_history_reviewer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_essay_review_history'))
    )
    with op.batch_alter_table('essay_review_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_essay_review_history_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('essay_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('essay_reviews', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('essay_review_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_essay_review_history_review_id'))

    op.drop_table('essay_review_history')
