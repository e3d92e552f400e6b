"""attempts keep their percent per module, stored when graded; graded attempts backfilled

Revision ID: e5a7c3b9d214
Revises: c4f2d8a1b6e3
Create Date: 2026-12-07 15:40:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'e5a7c3b9d214'
down_revision = 'c4f2d8a1b6e3'
branch_labels = None
depends_on = None

_versions = sa.table('quiz_versions', sa.column('id', sa.Integer), sa.column('definition', sa.JSON))
_attempts = sa.table('attempts', sa.column('id', sa.Integer), sa.column('quiz_version_id', sa.Integer),
                     sa.column('status', sa.String), sa.column('credits', sa.JSON),
                     sa.column('module_percents', sa.JSON(none_as_null=True)))


def _module_percents(questions, credits):
    # The rule of lms.assessment.analytics.module_percents as it stood when this ran, copied so
    # that the migration keeps doing what it did whatever the code becomes.
    earned, possible = {}, {}
    for index, question in enumerate(questions):
        module, credit = question.get('module'), credits.get(str(index))
        if module is None or credit is None:
            continue
        earned[module] = earned.get(module, 0.0) + question['points'] * credit
        possible[module] = possible.get(module, 0.0) + question['points']
    return {m: 100.0 * earned[m] / total for m, total in possible.items() if total}


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('module_percents', sa.JSON(), nullable=True))
    bind = op.get_bind()
    update = (sa.update(_attempts).where(_attempts.c.id == sa.bindparam('attempt_id'))
              .values(module_percents=sa.bindparam('percents')))
    for version_id, definition in bind.execute(sa.select(_versions.c.id, _versions.c.definition)).all():
        questions = (definition or {}).get('questions', [])
        rows = bind.execute(sa.select(_attempts.c.id, _attempts.c.credits).where(
            _attempts.c.quiz_version_id == version_id, _attempts.c.status == 'graded')).all()
        batch = [{'attempt_id': attempt_id, 'percents': _module_percents(questions, credits or {})}
                 for attempt_id, credits in rows]
        for start in range(0, len(batch), 1000):
            bind.execute(update, batch[start:start + 1000])


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('module_percents')
