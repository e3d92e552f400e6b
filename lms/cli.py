"""Register every command group on the app."""


def register_commands(app) -> None:
    from lms.accounts.cli import purge_command, user_cli
    from lms.assessment.cli import quiz_cli
    from lms.certification.cli import cert_cli
    from lms.cohorts.cli import cohort_cli
    from lms.content.cli import content_cli
    from lms.core.audit import audit_cli
    from lms.demo import demo_command
    from lms.records import cli as _records_cli  # noqa: F401  (adds `cohort report`)
    from lms.roleplays.cli import roleplay_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(purge_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(quiz_cli)
    app.cli.add_command(cohort_cli)
    app.cli.add_command(roleplay_cli)
    app.cli.add_command(cert_cli)
    app.cli.add_command(audit_cli)
