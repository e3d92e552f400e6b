"""certification rules, printed names, certificates and the hash-chained audit log

Revision ID: d1cd3060e0db
Revises: 7c4e2a9b5d10
Create Date: 2026-12-02 17:47:22.772648

"""
from alembic import op
import sqlalchemy as sa



revision = 'd1cd3060e0db'
down_revision = '7c4e2a9b5d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_log_seq'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('printed_name', sa.String(length=120), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('cohort_name', sa.String(length=120), nullable=False),
    sa.Column('track_slug', sa.String(length=100), nullable=False),
    sa.Column('track_title', sa.String(length=200), nullable=False),
    sa.Column('cohort_starts_on', sa.String(length=10), nullable=True),
    sa.Column('cohort_ends_on', sa.String(length=10), nullable=True),
    sa.Column('modules', sa.JSON(), nullable=False),
    sa.Column('rules_version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('exception_reason', sa.Text(), nullable=True),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_certificates_cohort_id_cohorts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_certificates_issued_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name=op.f('fk_certificates_revoked_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_certificates_cohort_id'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)

    op.create_table('certification_rules',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('modules', sa.Boolean(), nullable=False),
    sa.Column('post_test_min', sa.Integer(), nullable=False),
    sa.Column('attendance_min', sa.Integer(), nullable=False),
    sa.Column('roleplays_min', sa.Integer(), nullable=False),
    sa.Column('rtl', sa.Boolean(), nullable=False),
    sa.Column('practice_min', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_certification_rules_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_certification_rules_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_certification_rules'))
    )
    op.create_table('printed_names',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_printed_names_set_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_printed_names_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_printed_names'))
    )


def downgrade():
    op.drop_table('printed_names')
    op.drop_table('certification_rules')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_cohort_id'))

    op.drop_table('certificates')
    op.drop_table('audit_log')
