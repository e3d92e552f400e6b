"""`flask roleplay import|export|run`: role-plays as files, and a run for scripts and tests."""
import random
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lms.accounts.models import Organisation, User
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.models import Cohort
from lms.core.transaction import committing
from lms.extensions import db
from lms.roleplays import authoring, runs
from lms.roleplays.models import RolePlay

roleplay_cli = AppGroup("roleplay", help="Import, export and run role-plays.")


@roleplay_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_id", type=int, required=True, help="Organisation id that owns it.")
def import_command(file: Path, org_id: int):
    """Create an authored, published role-play from FILE; prints its slug."""
    if db.session.get(Organisation, org_id) is None:
        raise click.ClickException(f"organisation {org_id} not found: use the id of an organisation")
    with committing():
        rp, problems = authoring.import_file(file.name, file.read_bytes(), org_id, None)
        if rp is None:
            for problem in problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{len(problems)} problem(s) found; nothing was saved")
    click.echo(rp.slug)


@roleplay_cli.command("export")
@click.argument("slug")
def export_command(slug: str):
    """Print the role-play in the roleplays/<slug>.md format."""
    rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == slug))
    if rp is None:
        raise click.ClickException(f"role-play `{slug}` not found: check the slug")
    if not rp.source:
        raise click.ClickException(f"the text of `{slug}` is not stored: run `content sync` first")
    click.echo(authoring.export_markdown(rp), nl=False)


@roleplay_cli.command("run")
@click.argument("cohort_id", type=int)
@click.argument("slug")
@click.option("--groups", type=click.IntRange(min=1), required=True, help="Number of groups.")
@click.option("--assign", type=click.Choice([runs.RANDOM, runs.BALANCED]), default=runs.RANDOM,
              show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for a repeatable assignment.")
def run_command(cohort_id: int, slug: str, groups: int, assign: str, seed: int | None):
    """Start a live run with the whole cohort; prints `run <id>`, then username,group,role."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"cohort {cohort_id} not found: use the id of a cohort")
    rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == slug))
    if rp is None or not runs.runnable(rp, cohort.organisation_id):
        raise click.ClickException(f"role-play `{slug}` cannot be run with this cohort: use the "
                                   "slug of a shipped role-play or a published one of its organisation")
    trainees = cohort_trainees(cohort.id)
    if not trainees:
        raise click.ClickException("the cohort has no trainees: enrol some first")
    with committing():
        version = authoring.ensure_version(rp, None)
        run = runs.start_run(cohort, version, [u.id for u in trainees], groups=groups,
                             method=assign, rng=random.Random(seed))  # noqa: S311 - who plays whom, not a secret
        runs.go_live(run)
        rows = db.session.execute(
            sa.select(User.username, runs.RunParticipant.group_number, runs.RunParticipant.role_name)
            .join(runs.RunParticipant, runs.RunParticipant.user_id == User.id)
            .where(runs.RunParticipant.run_id == run.id)
            .order_by(runs.RunParticipant.group_number, User.username)).all()
        run_id = run.id
    click.echo(f"run {run_id}")
    for username, group, role in rows:
        click.echo(f"{username},{group},{role or runs.OBSERVER}")
