"""role-plays authored in the browser, their versions, and live runs

Revision ID: 7c4e2a9b5d10
Revises: 4c2d8e1f0b37
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7c4e2a9b5d10'
down_revision = '4c2d8e1f0b37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roleplays', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_by', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_roleplays_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key('fk_roleplays_organisation_id_organisations', 'organisations',
                                    ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key('fk_roleplays_updated_by_users', 'users', ['updated_by'], ['id'],
                                    ondelete='SET NULL')
    # Synced rows get their text as written (`source`) at the next `content sync`.
    op.execute("UPDATE roleplays SET content_hash = '' WHERE origin = 'file'")

    op.create_table(
        'roleplay_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('roleplay_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('duration_minutes', sa.Integer(), nullable=True),
        sa.Column('objectives', sa.JSON(), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('observer_checklist', sa.JSON(), nullable=False),
        sa.Column('debrief', sa.JSON(), nullable=False),
        sa.Column('scenario_html', sa.Text(), nullable=False),
        sa.Column('source', sa.JSON(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['roleplay_id'], ['roleplays.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('roleplay_id', 'number'),
    )
    op.create_index(op.f('ix_roleplay_versions_roleplay_id'), 'roleplay_versions', ['roleplay_id'])

    op.create_table(
        'roleplay_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('group_count', sa.Integer(), nullable=False),
        sa.Column('debrief_notes', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['roleplay_versions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_roleplay_runs_cohort_id'), 'roleplay_runs', ['cohort_id'])

    op.create_table(
        'roleplay_participants',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('group_number', sa.Integer(), nullable=False),
        sa.Column('role_name', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['roleplay_runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'user_id'),
    )
    op.create_index(op.f('ix_roleplay_participants_run_id'), 'roleplay_participants', ['run_id'])
    op.create_index(op.f('ix_roleplay_participants_user_id'), 'roleplay_participants', ['user_id'])

    op.create_table(
        'roleplay_observations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('observer_id', sa.Integer(), nullable=False),
        sa.Column('ticks', sa.JSON(), nullable=False),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['roleplay_runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['observer_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'observer_id'),
    )
    op.create_index(op.f('ix_roleplay_observations_run_id'), 'roleplay_observations', ['run_id'])
    op.create_index(op.f('ix_roleplay_observations_observer_id'), 'roleplay_observations', ['observer_id'])


def downgrade():
    op.drop_table('roleplay_observations')
    op.drop_table('roleplay_participants')
    op.drop_table('roleplay_runs')
    op.drop_table('roleplay_versions')
    op.execute("DELETE FROM roleplays WHERE origin <> 'file'")
    with op.batch_alter_table('roleplays', schema=None) as batch_op:
        batch_op.drop_constraint('fk_roleplays_updated_by_users', type_='foreignkey')
        batch_op.drop_constraint('fk_roleplays_organisation_id_organisations', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_roleplays_organisation_id'))
        batch_op.drop_column('updated_by')
        batch_op.drop_column('published_at')
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('source')
