"""A person's home: their tracks with progress, learning gain and cohorts."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from lms.accounts.models import Role
from lms.assessment.reports import track_gains
from lms.certification.service import cohort_status, printed_name
from lms.cohorts.access import visible_cohorts
from lms.extensions import db
from lms.learning import progress
from lms.roleplays.runs import my_runs

bp = Blueprint("home", __name__, url_prefix="/learn")


@bp.get("/")
@login_required
def index():
    """Every track with its modules and this person's progress."""
    tracks = progress.tracks_with_modules()
    done = progress.read_module_slugs(current_user.id)
    gains = {slug: per_person.get(current_user.id) for slug, (_group, per_person) in
             track_gains([current_user.id], [track for track, _modules in tracks]).items()}
    cohorts = db.session.scalars(visible_cohorts(current_user)).all() \
        if current_user.role == Role.TRAINEE else []
    runs = my_runs(current_user.id) if current_user.role == Role.TRAINEE else []
    # What is left for each cohort's certificate, or the certificate itself.
    certification = {c.id: cohort_status(c, [current_user])[1][0] for c in cohorts}
    return render_template("learning/index.html", tracks=tracks, done=done, gains=gains,
                           cohorts=cohorts, roleplay_runs=runs, certification=certification,
                           printed_name=printed_name(current_user) if cohorts else None)
