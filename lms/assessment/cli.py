"""`flask quiz import-gift` and `flask quiz export-gift`."""
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup

from lms.assessment.gift import GiftSyntaxError, export_gift, quiz_yaml_from_gift
from lms.assessment.quiz_source import QUIZ_KINDS
from lms.content.fields import SLUG_RE
from lms.content.loader import load_curriculum

quiz_cli = AppGroup("quiz", help="Quiz interchange with Moodle GIFT.")


def _content_root(root: Path | None) -> Path:
    return Path(root or current_app.config["LMS_CONTENT_DIR"])


@quiz_cli.command("import-gift")
@click.argument("gift_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", required=True, help="Slug of the new quiz.")
@click.option("--title", default=None, help="Title (default: the slug).")
@click.option("--kind", type=click.Choice(QUIZ_KINDS), default="quiz", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the YAML (default: quizzes/SLUG.yaml in the content tree).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Content tree (default: LMS_CONTENT_DIR).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_gift(gift_file, slug, title, kind, out, root, force):
    """Convert a GIFT file into a quiz file; report what was skipped, by line."""
    if not SLUG_RE.fullmatch(slug):
        raise click.BadParameter("use lower-case letters, digits and hyphens", param_hint="--slug")
    try:
        text = gift_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{gift_file}: not UTF-8 ({exc.reason}); save it as UTF-8")
    try:
        yaml_text, result = quiz_yaml_from_gift(text, slug, title or slug, kind)
    except GiftSyntaxError as exc:
        raise click.ClickException(f"{gift_file}:{exc.line}: {exc.message}; nothing was written")
    for issue in result.skipped:
        click.echo(f"{gift_file}:{issue.line}: skipped: {issue.message}", err=True)
    for issue in result.warnings:
        click.echo(f"{gift_file}:{issue.line}: warning: {issue.message}", err=True)
    if not result.questions:
        raise click.ClickException(f"no question could be imported ({len(result.skipped)} skipped); "
                                   "nothing was written")
    content_root = _content_root(root)
    target = out or content_root / "quizzes" / f"{slug}.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml_text, encoding="utf-8")
    click.echo(f"imported {len(result.questions)} questions, skipped {len(result.skipped)}: {target}")
    _check_written(content_root, target)


def _check_written(content_root: Path, target: Path) -> None:
    """Run the normal content check and show the problems of the new file."""
    try:
        relative = target.resolve().relative_to(content_root.resolve()).as_posix()
    except ValueError:
        return  # written outside the content tree: it is checked when it is moved in
    problems = [p for p in load_curriculum(content_root).problems if p.path == relative]
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in {relative}: fix them before syncing")


@quiz_cli.command("export-gift")
@click.argument("slug")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Content tree (default: LMS_CONTENT_DIR).")
def export_gift_command(slug, root):
    """Print a quiz as GIFT; questions GIFT cannot express are reported on stderr."""
    curriculum = load_curriculum(_content_root(root))
    quiz = curriculum.quizzes.get(slug)
    if quiz is None:
        raise click.ClickException(f"no quiz with slug {slug!r} in {curriculum.root}")
    data = yaml.safe_load((curriculum.root / quiz.path).read_text(encoding="utf-8-sig"))
    text, notes = export_gift(data)
    click.echo(text, nl=False)
    for note in notes:
        click.echo(f"note: {note}", err=True)
