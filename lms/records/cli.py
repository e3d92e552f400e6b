"""`flask cohort report`: the completion matrix on the command line."""
import csv
import sys

import click

from lms.cohorts.cli import cohort_by_id, cohort_cli
from lms.records.matrix import build_matrix, matrix_csv_rows


@cohort_cli.command("report")
@click.argument("cohort_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
def report_command(cohort_id, fmt):
    """Print the completion matrix."""
    cohort = cohort_by_id(cohort_id)
    csv.writer(sys.stdout).writerows(matrix_csv_rows(build_matrix(cohort)))
