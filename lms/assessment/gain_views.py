"""A trainee's own learning gain for a track: pre-test, post-test and gain per module."""
from flask import Blueprint, render_template, url_for
from flask_login import current_user, login_required

from lms.assessment.reports import track_gain
from lms.content.models import active_or_404
from lms.learning.models import Track
from lms.learning.progress import module_titles

bp = Blueprint("gain", __name__, url_prefix="/learn")


@bp.get("/tracks/<slug>/gain")
@login_required
def my_gain(slug: str):
    """My pre-test, post-test and gain for a track, overall and per module."""
    track = active_or_404(Track, slug)
    report = track_gain([current_user.id], track)[1].get(current_user.id)
    return render_template("learning/gain.html", track=track, person=current_user, report=report,
                           titles=module_titles(track.slug), back=url_for("home.index"))
