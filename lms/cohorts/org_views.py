"""Organisations and their people: admins manage organisations, coordinators their people."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.auth import end_sessions
from lms.accounts.models import Organisation, Role, User
from lms.accounts.people import clean_search, organisation_people
from lms.accounts.person_fields import normalise_display_name, normalise_username, username_taken
from lms.cohorts.access import managed_person_or_404, may_manage_person, organisation_or_404
from lms.cohorts.enrolment import issue_codes
from lms.cohorts.forms import OrganisationForm, StaffForm
from lms.cohorts.slips import issue_or_confirm, slips_page
from lms.core import audit
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("orgs", __name__, url_prefix="/organisations")

PEOPLE_PER_PAGE = 25
MAX_PAGE = 10_000   # a forged ?page= never turns into a huge OFFSET


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
            db.session.flush()
            flash(_("Organisation %(name)s created.", name=name), "success")
            return redirect(url_for(".show", org_id=org.id))
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template("orgs/index.html", orgs=orgs, form=form), 400 if form.errors else 200


@bp.route("/<int:org_id>", methods=["GET", "POST"])
@login_required
def show(org_id: int):
    """The organisation's people; add a facilitator (or, for admins, a coordinator)."""
    org = organisation_or_404(current_user, org_id)
    form = StaffForm()
    if current_user.role != Role.ADMIN:
        form.role.choices = [c for c in form.role.choices if c[0] == Role.FACILITATOR]
    if form.validate_on_submit():
        username = normalise_username(form.username.data)
        if username_taken(username):
            form.username.errors.append(_("This username is already taken."))
        else:
            user = User(username=username,
                        display_name=normalise_display_name(form.display_name.data),
                        role=form.role.data, organisation_id=org.id)
            db.session.add(user)
            db.session.flush()
            audit.person_action("account.created", user.id, current_user.id, org.id, role=user.role)
            return slips_page(issue_codes([user], current_user.id, utcnow()), None,
                              url_for("people.show", org_id=org.id, user_id=user.id))
    search = clean_search(request.args.get("q"))
    people = _page_of(organisation_people(org.id, search))
    return render_template("orgs/show.html", org=org, people=people, search=search, form=form,
                           manages=lambda person: may_manage_person(current_user, person)
                           ), 400 if form.errors else 200


def _page_of(query):
    """The page asked for (`?page=`); past the end, the last page rather than an empty one."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    people = db.paginate(query, page=page, per_page=PEOPLE_PER_PAGE, error_out=False)
    if page > 1 and page > people.pages:
        people = db.paginate(query, page=max(people.pages, 1), per_page=PEOPLE_PER_PAGE,
                             error_out=False)
    return people


@bp.post("/<int:org_id>/people/<int:user_id>/code")
@login_required
def new_code(org_id: int, user_id: int):
    """A new activation code for someone who forgot their password (asking first when their
    last code still works)."""
    org, user = managed_person_or_404(current_user, org_id, user_id)
    if user.erased_at:
        abort(400)
    return issue_or_confirm([user], None, url_for("people.show", org_id=org.id, user_id=user.id))


@bp.post("/<int:org_id>/people/<int:user_id>/sessions/end")
@login_required
def end_sessions_of(org_id: int, user_id: int):
    """Sign a person out on every device (a lost or taken phone)."""
    org, user = managed_person_or_404(current_user, org_id, user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = end_sessions(user.id)
    audit.person_action("sessions.ended", user.id, current_user.id, org.id, sessions=ended)
    flash(_("%(name)s is signed out on every device (%(n)d sessions ended).",
            name=user.display_name, n=ended), "success")
    return redirect(url_for("people.show", org_id=org.id, user_id=user.id))
