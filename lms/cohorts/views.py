"""Cohort pages: list, create, edit, the completion matrix, its CSV, learning gain."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.accounts.guards import require_manager, require_staff
from lms.accounts.models import Organisation, Role, User
from lms.assessment.reports import track_gain
from lms.cohorts.access import cohort_or_404, visible_cohorts
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.forms import CohortForm
from lms.cohorts.models import Cohort, CohortFacilitator
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.learning.progress import module_titles

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")


@bp.get("/")
@login_required
def index():
    """The cohorts this person may open."""
    require_staff()
    cohorts = db.session.scalars(visible_cohorts(current_user).order_by(Cohort.created_at.desc())).all()
    return render_template("cohorts/index.html", cohorts=cohorts)


def _fill_choices(form: CohortForm, organisation_id: int | None) -> None:
    tracks = db.session.scalars(sa.select(Track).where(Track.retired_at.is_(None)).order_by(Track.position))
    form.track_slug.choices = [(t.slug, t.title) for t in tracks]
    if current_user.role == Role.ADMIN:
        form.organisation_id.choices = [(o.id, o.name) for o in db.session.scalars(
            sa.select(Organisation).order_by(Organisation.name))]
    elif current_user.organisation is not None:
        form.organisation_id.choices = [(current_user.organisation_id, current_user.organisation.name)]
    else:
        form.organisation_id.choices = []
    # Only an organisation offered to this user: a posted id of another one must not list its
    # facilitators (nor reach the database at all when it is beyond an integer).
    offered = [org_id for org_id, _name in form.organisation_id.choices]
    org = organisation_id if organisation_id in offered else (offered[0] if offered else None)
    form.facilitators.choices = [(u.id, u.display_name) for u in db.session.scalars(
        sa.select(User).where(User.organisation_id == org, User.role == Role.FACILITATOR,
                              User.erased_at.is_(None)).order_by(User.display_name))]
    form.required_modules.choices = [(m.slug, f"{m.order}. {m.title}") for m in db.session.scalars(
        sa.select(Module).where(Module.retired_at.is_(None)).order_by(Module.track_slug, Module.order))]


def _apply(form: CohortForm, cohort: Cohort) -> None:
    """Copy the form into the cohort; modules of another track are ignored."""
    cohort.name, cohort.track_slug = form.name.data.strip(), form.track_slug.data
    cohort.starts_on, cohort.ends_on = form.starts_on.data, form.ends_on.data
    track_modules = set(db.session.scalars(sa.select(Module.slug).where(
        Module.track_slug == cohort.track_slug, Module.retired_at.is_(None))))
    chosen = [s for s in form.required_modules.data or [] if s in track_modules]
    cohort.required_module_slugs = chosen if chosen and set(chosen) != track_modules else None
    allowed = {value for value, _label in form.facilitators.choices}
    db.session.execute(sa.delete(CohortFacilitator).where(CohortFacilitator.cohort_id == cohort.id))
    db.session.add_all([CohortFacilitator(cohort_id=cohort.id, user_id=u)
                        for u in form.facilitators.data or [] if u in allowed])


def _name_taken(form: CohortForm, organisation_id: int, cohort_id: int | None) -> bool:
    other = db.session.scalar(sa.select(Cohort.id).where(
        Cohort.organisation_id == organisation_id, Cohort.name == form.name.data.strip(),
        Cohort.id != (cohort_id or 0)))
    if other:
        form.name.errors.append(_("Your organisation already has a cohort with this name."))
    return other is not None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a cohort: name, track, dates, facilitators."""
    require_manager()
    form = CohortForm()
    _fill_choices(form, form.organisation_id.data if form.is_submitted() else None)
    if form.validate_on_submit() and not _name_taken(form, form.organisation_id.data, None):
        cohort = Cohort(organisation_id=form.organisation_id.data, name="", track_slug="")
        db.session.add(cohort)
        db.session.flush()
        _apply(form, cohort)
        flash(_("Cohort %(name)s created.", name=cohort.name), "success")
        return redirect(url_for("records.cohort", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None), 400 if form.errors else 200


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cohort_id: int):
    """Change a cohort's name, dates, required modules and facilitators."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    form = CohortForm(obj=cohort)
    _fill_choices(form, cohort.organisation_id)
    form.organisation_id.choices = [(cohort.organisation_id, cohort.organisation.name)]
    if not form.is_submitted():
        form.organisation_id.data = cohort.organisation_id
        form.required_modules.data = cohort.required_module_slugs or []
        form.facilitators.data = list(db.session.scalars(sa.select(CohortFacilitator.user_id).where(
            CohortFacilitator.cohort_id == cohort.id)))
    if form.validate_on_submit() and not _name_taken(form, cohort.organisation_id, cohort.id):
        _apply(form, cohort)
        flash(_("Cohort saved."), "success")
        return redirect(url_for("records.cohort", cohort_id=cohort.id))
    track_slugs = set(db.session.scalars(sa.select(Module.slug).where(
        Module.track_slug == cohort.track_slug, Module.retired_at.is_(None))))
    return render_template("cohorts/form.html", form=form, cohort=cohort,
                           track_slugs=track_slugs), 400 if form.errors else 200


@bp.get("/<int:cohort_id>/gain")
@login_required
def gain(cohort_id: int):
    """Pre, post and normalised gain for the cohort and each trainee, overall and per module."""
    cohort = cohort_or_404(current_user, cohort_id)
    track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    trainees = cohort_trainees(cohort.id)
    group, people = track_gain([u.id for u in trainees], track) if track else (None, {})
    titles = module_titles(track.slug) if track else {}
    return render_template("cohorts/gain.html", cohort=cohort, track=track, group=group,
                           people=people, trainees=trainees, titles=titles)


@bp.get("/<int:cohort_id>/gain/<int:user_id>")
@login_required
def person_gain(cohort_id: int, user_id: int):
    """One trainee's pre, post and gain per module."""
    from lms.cohorts.access import is_enrolled
    cohort = cohort_or_404(current_user, cohort_id)
    person = db.session.get(User, user_id)
    track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    if person is None or track is None or not is_enrolled(cohort.id, person.id):
        abort(404)
    report = track_gain([person.id], track)[1].get(person.id)
    return render_template("learning/gain.html", track=track, person=person, report=report,
                           titles=module_titles(track.slug),
                           back=url_for(".gain", cohort_id=cohort.id))
