"""`flask cohort import` (the `cohort` group; `cohort report` lives with the records)."""
import csv
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.accounts.person_fields import taken_usernames
from lms.cohorts.enrolment import import_roster, issue_codes
from lms.cohorts.models import Cohort
from lms.cohorts.roster import parse_roster
from lms.core.transaction import committing
from lms.extensions import db
from lms.timeutil import utcnow

cohort_cli = AppGroup("cohort", help="Enrol trainees and report on cohorts.")


def cohort_by_id(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"no cohort with id {cohort_id}")
    return cohort


@cohort_cli.command("import")
@click.argument("cohort_id", type=int)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(cohort_id, csv_file):
    """Enrol the trainees of a CSV roster: all rows or, if any row is wrong, none.

    Prints username,code for each new trainee: hand out the codes as activation slips.
    """
    cohort = cohort_by_id(cohort_id)
    preview = parse_roster(csv_file.read_bytes(), taken_usernames)
    for line, message in preview.problems:
        click.echo(f"{csv_file}:{line}: {message}", err=True)
    if not preview.ok:
        raise click.ClickException(f"{len(preview.problems)} problem(s); nothing was imported")
    with committing():
        users = import_roster(cohort, preview.rows)
        slips = issue_codes(users, None, utcnow())
    writer = csv.writer(sys.stdout)
    writer.writerow(["username", "display_name", "activation_code", "expires_on"])
    for slip in slips:
        writer.writerow([slip.user.username, slip.user.display_name, slip.code,
                         slip.expires_at.date().isoformat()])
    click.echo(f"enrolled {len(users)} trainees in {cohort.name}", err=True)
