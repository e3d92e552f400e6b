"""Role-play pages: the library, reading one, and authoring (new, edit, preview, publish,
versions, duplicate, import, export).

Everyone sees the scenario and public briefs of a shipped role-play; staff also see the
secret cards, the checklist and the debrief. An organisation's own role-plays are seen only
by its staff (and admins); other organisations get a 404.
"""
import re

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.accounts.models import Role, is_staff
from lms.core.forms import BaseForm
from lms.core.i18n import gettext as _
from lms.core.i18n import lazy_gettext as _l
from lms.extensions import db
from lms.learning.models import Module
from lms.roleplays import authoring
from lms.roleplays.models import RolePlay, RolePlayVersion

bp = Blueprint("roleplays", __name__, url_prefix="/roleplays")


def _may_see(rp: RolePlay) -> bool:
    if rp.retired_at is not None:
        return False
    if not rp.authored:
        return True
    return current_user.role == Role.ADMIN or (
        is_staff(current_user) and current_user.organisation_id == rp.organisation_id)


def _roleplay_or_404(slug: str, edit: bool = False) -> RolePlay:
    rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == slug))
    if rp is None or not _may_see(rp):
        abort(404)
    if edit and not (rp.authored and current_user.role in (Role.FACILITATOR, Role.COORDINATOR)
                     and current_user.organisation_id == rp.organisation_id):
        abort(404)
    return rp


def _author_only() -> None:
    """Authoring is for facilitators and coordinators of an organisation."""
    if current_user.role not in (Role.FACILITATOR, Role.COORDINATOR) or not current_user.organisation_id:
        abort(404)


def _staff_only() -> None:
    if not is_staff(current_user):
        abort(404)


@bp.get("/")
@login_required
def index():
    """The shipped role-plays and the organisation's own."""
    _staff_only()
    query = sa.select(RolePlay).where(RolePlay.retired_at.is_(None))
    if current_user.role != Role.ADMIN:
        query = query.where(sa.or_(RolePlay.organisation_id.is_(None),
                                   RolePlay.organisation_id == current_user.organisation_id))
    rows = db.session.scalars(query.order_by(RolePlay.title)).all()
    return render_template("roleplays/index.html", shipped=[r for r in rows if not r.authored],
                           own=[r for r in rows if r.authored], form=BaseForm(),
                           may_author=current_user.role in (Role.FACILITATOR, Role.COORDINATOR)
                           and current_user.organisation_id is not None)


@bp.get("/<slug>")
@login_required
def show(slug: str):
    """A role-play; secrets only for facilitators, coordinators and admins."""
    rp = _roleplay_or_404(slug)
    if rp.authored and not rp.published and not is_staff(current_user):
        abort(404)
    staff = is_staff(current_user)
    return render_template("roleplays/show.html", rp=rp, staff=staff, form=BaseForm(),
                           may_author=staff and current_user.role != Role.ADMIN
                           and current_user.organisation_id is not None)


def _modules() -> list[tuple[str, str]]:
    return [(slug, title) for slug, title in db.session.execute(
        sa.select(Module.slug, Module.title).where(Module.retired_at.is_(None))
        .order_by(Module.track_slug, Module.order))]


def _render_form(rp, data, errors, warnings=(), status=200):
    return render_template("roleplays/form.html", rp=rp, data=data, errors=errors,
                           warnings=warnings, modules=_modules(), form=BaseForm()), status


def _posted() -> tuple[dict, str]:
    if not BaseForm().validate_on_submit():
        abort(400)
    return authoring.read_form(request.form), request.form.get("action", "save")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a new role-play; it stays a draft until published."""
    _author_only()
    if request.method == "GET":
        return _render_form(None, authoring.empty_form(), {})
    data, action = _posted()
    if authoring.apply_action(data, action):
        return _render_form(None, data, {})
    checked = authoring.check_form(data)
    if checked.errors:
        return _render_form(None, data, checked.errors, status=400)
    rp = authoring.create_authored(checked.roleplay, current_user.organisation_id, current_user.id)
    flash(_("Draft saved."), "success")
    return redirect(url_for(".edit", slug=rp.slug))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Change a role-play of the organisation; a published one gets a new version."""
    rp = _roleplay_or_404(slug, edit=True)
    if request.method == "GET":
        return _render_form(rp, authoring.form_from_source(rp.source or {}), {},
                            warnings=_warnings(rp))
    data, action = _posted()
    if authoring.apply_action(data, action):
        return _render_form(rp, data, {})
    checked = authoring.check_form(data, slug=rp.slug)
    if checked.errors:
        return _render_form(rp, data, checked.errors, status=400)
    version = authoring.save_authored(rp, checked.roleplay, current_user.id)
    if version is not None:
        flash(_("Saved as version %(n)d.", n=version.number), "success")
    else:
        flash(_("Draft saved."), "success")
    return redirect(url_for(".edit", slug=rp.slug))


def _warnings(rp: RolePlay) -> list:
    return authoring.personal_data_warnings(rp.source or {}, authoring.trainee_names(current_user))


@bp.post("/<slug>/publish")
@login_required
def publish(slug: str):
    """Publish after the personal-data check; warnings must be confirmed."""
    rp = _roleplay_or_404(slug, edit=True)
    if not BaseForm().validate_on_submit():
        abort(400)
    warnings = _warnings(rp)
    if warnings and not request.form.get("confirm_no_personal_data"):
        flash(_("Check the warnings about personal data below, then publish again."), "error")
        return _render_form(rp, authoring.form_from_source(rp.source or {}), {},
                            warnings=warnings, status=400)
    checked = authoring.check_form(authoring.form_from_source(rp.source or {}), slug=rp.slug)
    if checked.errors:
        return _render_form(rp, authoring.form_from_source(rp.source or {}), checked.errors,
                            status=400)
    version = authoring.publish(rp, current_user.id)
    flash(_("Published as version %(n)d. It can be run with a cohort now.", n=version.number),
          "success")
    return redirect(url_for(".show", slug=rp.slug))


@bp.post("/<slug>/duplicate")
@login_required
def duplicate(slug: str):
    """Copy a role-play into the organisation as a new draft, to adapt it."""
    _author_only()
    rp = _roleplay_or_404(slug)
    if not BaseForm().validate_on_submit() or not rp.source:
        abort(400)
    copy = authoring.duplicate(rp, current_user.organisation_id, current_user.id)
    flash(_("Copied as a draft of your organisation. Adapt it, then publish it."), "success")
    return redirect(url_for(".edit", slug=copy.slug))


@bp.get("/<slug>/preview")
@login_required
def preview(slug: str):
    """The page exactly as a role's player (`?role=N`) or an observer (`?role=observer`)
    will see it in a run."""
    _staff_only()
    rp = _roleplay_or_404(slug)
    roles = rp.roles or []
    which = request.args.get("role", "0")
    if which == "observer":
        mine = None
    elif which.isdigit() and int(which) < len(roles):
        mine = roles[int(which)]
    else:
        abort(404)
    return render_template("roleplays/preview.html", rp=rp, play=rp, mine=mine, roles=roles,
                           which=which)


@bp.get("/<slug>/versions")
@login_required
def versions(slug: str):
    """Every published version, newest first."""
    _staff_only()
    rp = _roleplay_or_404(slug)
    rows = db.session.scalars(sa.select(RolePlayVersion).where(
        RolePlayVersion.roleplay_id == rp.id).order_by(RolePlayVersion.number.desc())).all()
    return render_template("roleplays/versions.html", rp=rp, versions=rows)


@bp.get("/<slug>/export.md")
@login_required
def export(slug: str):
    """The role-play as a `roleplays/<slug>.md` file."""
    _staff_only()
    rp = _roleplay_or_404(slug)
    if not rp.source:
        abort(404)
    return Response(authoring.export_markdown(rp), mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="{rp.slug}.md"'})


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_file():
    """Upload a `roleplays/<slug>.md` file: it becomes a published role-play of the
    organisation, or every problem is shown and nothing is saved."""
    _author_only()
    problems = []
    if request.method == "POST":
        if not BaseForm().validate_on_submit():
            abort(400)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file first."), "error")
            return render_template("roleplays/import.html", form=BaseForm(), problems=[]), 400
        rp, problems = authoring.import_file(upload.filename, upload.read(1_000_001)[:1_000_000],
                                             current_user.organisation_id, current_user.id)
        if rp is not None:
            flash(_("Imported and published as %(slug)s.", slug=rp.slug), "success")
            return redirect(url_for(".show", slug=rp.slug))
    return render_template("roleplays/import.html", form=BaseForm(), problems=problems), \
        400 if problems else 200




_FIELD_LABELS = {"title": _l("Title"), "scenario": _l("Scenario"),
                 "objectives": _l("Learning objectives"),
                 "observer_checklist": _l("Observer checklist"), "debrief": _l("Debrief questions")}
_ROLE_PARTS = {"name": _l("name"), "brief": _l("public brief"), "secret": _l("secret card")}
_RUN_STATES = {"setup": _l("forming groups"), "live": _l("live"), "ended": _l("ended")}


@bp.app_template_global()
def field_label(name: str) -> str:
    """How a role-play form field is named in messages: `roles-1-secret` -> Role 2, secret card."""
    match = re.fullmatch(r"roles-(\d+)-(name|brief|secret)", name)
    if match:
        return _("Role %(n)d, %(part)s", n=int(match.group(1)) + 1, part=_ROLE_PARTS[match.group(2)])
    return str(_FIELD_LABELS.get(name, name))


@bp.app_template_global()
def run_state_label(state: str) -> str:
    return str(_RUN_STATES.get(state, state))
