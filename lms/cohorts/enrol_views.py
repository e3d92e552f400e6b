"""Enrolling trainees: one by one, from a CSV with a row-by-row preview, and code slips."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.models import User
from lms.accounts.person_fields import taken_usernames, username_taken
from lms.cohorts.access import cohort_or_404, is_enrolled
from lms.cohorts.enrolment import (
    enrol_existing,
    enrol_new_trainee,
    enrollable_people,
    import_roster,
    issue_codes,
    pending_activation,
    remove_from_cohort,
)
from lms.cohorts.forms import EnrolForm, RosterConfirmForm, RosterUploadForm
from lms.cohorts.roster import parse_roster
from lms.cohorts.slips import issue_or_confirm, slips_page
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("enrolment", __name__, url_prefix="/cohorts")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _slips(cohort, slips):
    """Codes exist only in this response (the database keeps a hash): print them now."""
    return slips_page(slips, cohort, url_for("records.cohort", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/enrol", methods=["GET", "POST"])
@login_required
def enrol(cohort_id: int):
    """Enrol one new trainee and print their activation slip."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    form = EnrolForm()
    if form.validate_on_submit():
        if username_taken(form.username.data):
            form.username.errors.append(_("This username is already taken."))
        else:
            user = enrol_new_trainee(cohort, form.username.data, form.display_name.data,
                                     form.phone.data, form.email.data, current_user.id)
            return _slips(cohort, issue_codes([user], current_user.id, utcnow()))
    search = request.args.get("q", "")[:64]
    found = enrollable_people(cohort, search) if search.strip() else []
    return render_template("cohorts/enrol.html", cohort=cohort, form=form, search=search,
                           found=found, action_form=FlaskForm()), 400 if form.errors else 200


@bp.post("/<int:cohort_id>/enrol/<int:user_id>")
@login_required
def enrol_person(cohort_id: int, user_id: int):
    """Enrol someone who already has an account (their password and records stay)."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != cohort.organisation_id or user.role != "trainee" \
            or user.erased_at is not None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if enrol_existing(cohort, user, current_user.id):
        flash(_("%(name)s is now enrolled in %(cohort)s.", name=user.display_name, cohort=cohort.name),
              "success")
    return redirect(url_for("records.cohort", cohort_id=cohort.id))


@bp.post("/<int:cohort_id>/trainees/<int:user_id>/remove")
@login_required
def remove(cohort_id: int, user_id: int):
    """Take a trainee out of the cohort; what they did stays on record."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != cohort.organisation_id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    # Idempotent: a second tap (or a person already out) just lands on the cohort again.
    remove_from_cohort(cohort, user, current_user.id)
    flash(_("%(name)s was removed from %(cohort)s. Their records are kept.",
            name=user.display_name, cohort=cohort.name), "success")
    return redirect(url_for("records.cohort", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@login_required
def import_csv(cohort_id: int):
    """Upload a roster, see every row with its problems; import only a fully valid file."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    upload, confirm = RosterUploadForm(), RosterConfirmForm()
    if request.method == "POST" and "content" in request.form:
        return _confirm(cohort, confirm)
    if not upload.validate_on_submit():
        return render_template("cohorts/import.html", cohort=cohort, form=upload), 400 if upload.errors else 200
    data = upload.roster.data.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        upload.roster.errors = [_("The file is larger than 2 MB. Split it into smaller files.")]
        return render_template("cohorts/import.html", cohort=cohort, form=upload), 400
    preview = parse_roster(data, taken_usernames)
    confirm.content.data = data.decode("utf-8-sig") if preview.ok else ""
    return render_template("cohorts/import_preview.html", cohort=cohort, preview=preview,
                           form=confirm), 200 if preview.ok else 400


def _confirm(cohort, form):
    """Check the file again (someone may have taken a username meanwhile), then import all."""
    if not form.validate_on_submit():
        abort(400)
    preview = parse_roster(form.content.data.encode("utf-8"), taken_usernames)
    if not preview.ok:
        return render_template("cohorts/import_preview.html", cohort=cohort, preview=preview,
                               form=form), 400
    users = import_roster(cohort, preview.rows, current_user.id)
    # The slips come at once: the new trainees can do nothing without them, and nobody has
    # to find the button that makes them (or wonder whether pressing it twice is harmful).
    flash(_("%(n)d trainees enrolled. Print their activation slips now.", n=len(users)), "success")
    return _slips(cohort, issue_codes(users, current_user.id, utcnow()))


@bp.post("/<int:cohort_id>/codes")
@login_required
def codes(cohort_id: int):
    """New activation codes for every trainee who has not activated yet, as printable slips
    (asking first when some still hold a working code)."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    return issue_or_confirm(pending_activation(cohort), cohort,
                            url_for("records.cohort", cohort_id=cohort.id))


@bp.post("/<int:cohort_id>/trainees/<int:user_id>/code")
@login_required
def new_code(cohort_id: int, user_id: int):
    """A new code for one trainee who forgot their password (the old one stops working)."""
    cohort = cohort_or_404(current_user, cohort_id, manage=True)
    user = db.session.get(User, user_id)
    if user is None or not is_enrolled(cohort.id, user.id) or user.erased_at:
        abort(404)
    return issue_or_confirm([user], cohort, url_for("records.cohort", cohort_id=cohort.id))
