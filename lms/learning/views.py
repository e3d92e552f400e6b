"""What a trainee reads: tracks, modules, and marking a module read."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.models import Role
from lms.assessment.reports import track_gain, track_gains
from lms.cohorts.access import visible_cohorts
from lms.content.models import active_or_404
from lms.extensions import db
from lms.learning import progress
from lms.learning.models import Module, Track

bp = Blueprint("learning", __name__, url_prefix="/learn")


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
    return render_template("learning/index.html", tracks=tracks, done=done, gains=gains,
                           cohorts=cohorts)


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    """A module: objectives, duration, methods and the rendered content."""
    item = active_or_404(Module, slug)
    track = db.session.scalar(sa.select(Track).where(Track.slug == item.track_slug))
    before, after = progress.track_neighbours(item)
    is_read = item.slug in progress.read_module_slugs(current_user.id)
    return render_template("learning/module.html", module=item, track=track, before=before,
                           after=after, is_read=is_read, form=FlaskForm())


@bp.post("/modules/<slug>/read")
@login_required
def mark_read(slug: str):
    """Mark a module read (idempotent), then go on to the next one."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    item = active_or_404(Module, slug)
    progress.mark_read(current_user.id, item.slug)
    db.session.commit()
    flash(_("Marked as read: %(title)s", title=item.title), "success")
    return redirect(url_for("learning.module", slug=item.slug))


@bp.get("/tracks/<slug>/gain")
@login_required
def my_gain(slug: str):
    """My pre-test, post-test and gain for a track, overall and per module."""
    track = active_or_404(Track, slug)
    report = track_gain([current_user.id], track)[1].get(current_user.id)
    return render_template("learning/gain.html", track=track, person=current_user, report=report,
                           titles=module_titles(track.slug), back=url_for("learning.index"))


def module_titles(track_slug: str) -> dict[str, str]:
    """Module titles by slug for one track, in one query."""
    return dict(db.session.execute(sa.select(Module.slug, Module.title).where(
        Module.track_slug == track_slug)).all())
