"""Register every command group on the app."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext


class SiteCommands(AppGroup):
    """`app.cli`, whose command modules (and what they import: PyYAML, the GIFT parser, the
    backups) are imported the first time the command line lists or looks up a command, not by
    every web worker at start-up."""

    def __init__(self, name: str):
        super().__init__(name)
        self._registered = False

    def _register(self) -> None:
        if not self._registered:
            self._registered = True
            register_commands(self)

    def list_commands(self, ctx) -> list[str]:
        self._register()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        self._register()
        return super().get_command(ctx, name)


def register_commands(cli: click.Group) -> None:
    from lms.accounts.cli import purge_command, user_cli
    from lms.assessment.cli import quiz_cli
    from lms.certification.cli import cert_cli
    from lms.cohorts.cli import cohort_cli
    from lms.content.cli import content_cli
    from lms.core.audit import audit_cli
    from lms.core.backup import backup_cli
    from lms.demo import demo_command
    from lms.learning import cli as _learning_cli  # noqa: F401  (adds `content bundle`)
    from lms.records import cli as _records_cli  # noqa: F401  (adds `cohort report`)
    from lms.roleplays.cli import roleplay_cli

    for command in (content_cli, user_cli, purge_command, demo_command, quiz_cli, cohort_cli,
                    roleplay_cli, cert_cli, audit_cli, backup_cli, db_cli):
        cli.add_command(command)


class MigrationCommands(click.Group):
    """`flask db ...`: Flask-Migrate's group, imported (with Alembic) only when a `db` command
    runs or is listed, so that a web worker never loads it; `copy` is ours, beside them,
    where people look for it."""

    @staticmethod
    def _migrate_group() -> click.Group:
        from flask_migrate.cli import db
        return db

    def parse_args(self, ctx, args):
        group = self._migrate_group()   # its options (-d, -x) and callback, for help and runs
        self.params, self.callback = group.params, group.callback
        return super().parse_args(ctx, args)

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._migrate_group().list_commands(ctx)})

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or self._migrate_group().get_command(ctx, name)


db_cli = MigrationCommands("db", help="Perform database migrations.")


@db_cli.command("copy")
@click.option("--to", "to_url", required=True, help="URL of an empty database, e.g. postgresql://user@host/db")
@with_appcontext
def copy_command(to_url: str) -> None:
    """Copy every row of this site's database into another, empty one (migrated first)."""
    from flask_migrate import upgrade

    from lms import create_app
    from lms.config import normalise_database_url
    from lms.core.backup import BackupError, copy_rows
    from lms.extensions import db

    source = db.engine
    target_app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(to_url),
                             "SECRET_KEY": current_app.config["SECRET_KEY"],
                             "INSTANCE_PATH": current_app.instance_path})
    with target_app.app_context():
        upgrade()
        try:
            counts = copy_rows(source, db.engine, db.metadata)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"copied {sum(counts.values())} rows in {len(counts)} tables")
