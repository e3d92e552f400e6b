"""`flask content check` and `flask content sync`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.core.transaction import committing

content_cli = AppGroup("content", help="Check and sync the curriculum files.")

_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Content tree holding modules/, quizzes/ and roleplays/ (default: LMS_CONTENT_DIR).")


def _load(root: Path | None):
    root = root or Path(current_app.config["LMS_CONTENT_DIR"])
    curriculum = load_curriculum(root)
    for problem in curriculum.problems:
        click.echo(str(problem), err=True)
    return curriculum


def _summary(curriculum) -> str:
    return (f"{len(curriculum.tracks)} tracks, {len(curriculum.modules)} modules, "
            f"{len(curriculum.quizzes)} quizzes, {len(curriculum.roleplays)} role-plays")


@content_cli.command("check")
@_root_option
def check(root):
    """Validate every content file and cross-reference; exit 1 on any problem."""
    curriculum = _load(root)
    if curriculum.problems:
        raise click.ClickException(f"{len(curriculum.problems)} problem(s) found; nothing is wrong "
                                   "with the database, fix the files above and run again")
    click.echo(f"content OK: {_summary(curriculum)}")


@content_cli.command("sync")
@_root_option
def sync(root):
    """Check, then upsert the content by slug in one transaction; retire what was removed."""
    curriculum = _load(root)
    if curriculum.problems:
        raise click.ClickException(
            f"{len(curriculum.problems)} problem(s) found; the database was not changed")
    with committing():
        report = sync_curriculum(curriculum)
    click.echo(f"synced {_summary(curriculum)}")
    for line in report.lines():
        click.echo(line)
