"""Organisations and their people: admins manage organisations, coordinators their people."""
import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.models import Role, User
from lms.cohorts.enrolment import issue_codes, taken_usernames
from lms.cohorts.forms import OrganisationForm, StaffForm
from lms.cohorts.models import Organisation
from lms.cohorts.privacy import erase_person, export_person
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("orgs", __name__, url_prefix="/organisations")


def _organisation_or_404(org_id: int) -> Organisation:
    """Admins open any organisation; coordinators only their own."""
    org = db.session.get(Organisation, org_id)
    if org is None or current_user.role not in (Role.ADMIN, Role.COORDINATOR):
        abort(404)
    if current_user.role == Role.COORDINATOR and current_user.organisation_id != org.id:
        abort(404)
    return org


def _person_or_404(org: Organisation, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != org.id or user.id == current_user.id:
        abort(404)
    if current_user.role == Role.COORDINATOR and user.role in (Role.COORDINATOR, Role.ADMIN):
        abort(404)
    return user


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """Admins list and create organisations."""
    if current_user.role != Role.ADMIN:
        abort(404)
    form = OrganisationForm()
    if form.validate_on_submit():
        name = " ".join(form.name.data.split())
        if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name)):
            form.name.errors.append(_("An organisation with this name exists."))
        else:
            org = Organisation(name=name)
            db.session.add(org)
            db.session.commit()
            flash(_("Organisation %(name)s created.", name=name), "success")
            return redirect(url_for(".show", org_id=org.id))
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template("orgs/index.html", orgs=orgs, form=form), 400 if form.errors else 200


@bp.route("/<int:org_id>", methods=["GET", "POST"])
@login_required
def show(org_id: int):
    """The organisation's people; add a facilitator (or, for admins, a coordinator)."""
    org = _organisation_or_404(org_id)
    form = StaffForm()
    if current_user.role != Role.ADMIN:
        form.role.choices = [c for c in form.role.choices if c[0] == Role.FACILITATOR]
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if taken_usernames({username}):
            form.username.errors.append(_("This username is already taken."))
        else:
            user = User(username=username, display_name=" ".join(form.display_name.data.split()),
                        role=form.role.data, organisation_id=org.id)
            db.session.add(user)
            db.session.flush()
            pairs = issue_codes([user], current_user.id, utcnow())
            db.session.commit()
            return render_template("cohorts/slips.html", cohort=None, slips=pairs)
    people = db.session.scalars(sa.select(User).where(User.organisation_id == org.id)
                                .order_by(User.role, User.display_name)).all()
    return render_template("orgs/show.html", org=org, people=people, form=form,
                           action_form=FlaskForm()), 400 if form.errors else 200


@bp.post("/<int:org_id>/people/<int:user_id>/code")
@login_required
def new_code(org_id: int, user_id: int):
    """A new activation code for someone who forgot their password."""
    org = _organisation_or_404(org_id)
    user = _person_or_404(org, user_id)
    if not FlaskForm().validate_on_submit() or user.erased_at:
        abort(400)
    pairs = issue_codes([user], current_user.id, utcnow())
    db.session.commit()
    return render_template("cohorts/slips.html", cohort=None, slips=pairs)


@bp.get("/<int:org_id>/people/<int:user_id>/export.json")
@login_required
def export(org_id: int, user_id: int):
    """Everything held about a person, as JSON."""
    org = _organisation_or_404(org_id)
    user = _person_or_404(org, user_id)
    body = json.dumps(export_person(user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="person-{user.id}.json"'})


@bp.post("/<int:org_id>/people/<int:user_id>/erase")
@login_required
def erase(org_id: int, user_id: int):
    """Anonymise a person; their scores keep counting in cohort statistics."""
    org = _organisation_or_404(org_id)
    user = _person_or_404(org, user_id)
    if not FlaskForm().validate_on_submit() or user.erased_at:
        abort(400)
    erase_person(user)
    db.session.commit()
    flash(_("The person's data was erased."), "success")
    return redirect(url_for(".show", org_id=org.id))
