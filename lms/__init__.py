"""Paralegal LMS: training for community paralegals."""
from pathlib import Path

from flask import Flask

from lms import domains  # noqa: F401  (registers content kinds and gates)
from lms.config import REPO_ROOT, load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints and commands. No side effects
    but malloc's settings (lms.core.memory) and the partial indexes' condition for the
    database in use (lms.core.partial_indexes)."""
    app = Flask(
        __name__,
        instance_path=str(Path(test_config.get("INSTANCE_PATH")) if test_config and
                          test_config.get("INSTANCE_PATH") else REPO_ROOT / "instance"),
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    from lms.cli import SiteCommands
    from lms.core.urls import LazyBuilderRule
    app.url_rule_class = LazyBuilderRule
    app.cli = SiteCommands(app.name)
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)

    if app.config["LMS_TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["LMS_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from lms import extensions, models  # noqa: F401  (models registers every table)
    extensions.db.init_app(app)
    from sqlalchemy.engine import make_url

    from lms.core import partial_indexes
    partial_indexes.for_dialect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name())
    extensions.init_migrations(app, str(REPO_ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.compress.init_app(app)

    from lms.assessment import presenting
    from lms.core import i18n, inputs, memory, page_cache, security, static, transaction
    memory.keep_large_blocks_mapped()
    memory.return_freed_memory(app)
    inputs.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    static.init_app(app)
    transaction.init_app(app)
    page_cache.init_app(app)
    presenting.init_app(app)

    from lms.accounts import guards
    from lms.accounts.auth import init_login
    init_login(app)
    guards.init_app(app)

    from lms.accounts.account_views import bp as account_bp
    from lms.accounts.views import bp as accounts_bp
    from lms.assessment.gain_views import bp as gain_bp
    from lms.assessment.review_views import bp as review_bp
    from lms.assessment.views import bp as assessment_bp
    from lms.certification.views import bp as certification_bp
    from lms.cohorts.enrol_views import bp as enrolment_bp
    from lms.cohorts.org_views import bp as orgs_bp
    from lms.cohorts.session_views import bp as sessions_bp
    from lms.cohorts.views import bp as cohorts_bp
    from lms.core.views import bp as core_bp
    from lms.home.views import bp as home_bp
    from lms.learning.offline_views import bp as offline_bp
    from lms.learning.views import bp as learning_bp
    from lms.practice.views import bp as practice_bp
    from lms.records.person_views import bp as people_bp
    from lms.records.views import bp as records_bp
    from lms.roleplays.run_views import bp as roleplay_runs_bp
    from lms.roleplays.views import bp as roleplays_bp
    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(gain_bp)
    app.register_blueprint(assessment_bp)
    app.register_blueprint(review_bp)
    for blueprint in (cohorts_bp, enrolment_bp, sessions_bp, practice_bp, orgs_bp, roleplays_bp,
                      roleplay_runs_bp, records_bp, people_bp, certification_bp):
        app.register_blueprint(blueprint)

    from lms.core import errors
    errors.init_app(app)
    return app
