"""`flask cohort report`: the completion matrix on the command line."""
import sys

import click

from lms.cohorts.cli import cohort_by_id, cohort_cli
from lms.core.spreadsheet import spreadsheet_csv
from lms.records.matrix import build_matrix, matrix_csv_rows


@cohort_cli.command("report")
@click.argument("cohort_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
def report_command(cohort_id, fmt):
    """Print the completion matrix."""
    cohort = cohort_by_id(cohort_id)
    sys.stdout.write(spreadsheet_csv(matrix_csv_rows(build_matrix(cohort))))
