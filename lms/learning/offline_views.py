"""A track for reading without a connection: saved on the phone, or printed for a training."""
from flask import Blueprint, abort, current_app, render_template
from flask_login import login_required

from lms.accounts.guards import require_staff
from lms.learning import offline

bp = Blueprint("offline", __name__, url_prefix="/learn/tracks")


def _track_or_404(slug: str):
    track = offline.active_track(slug)
    if track is None:
        abort(404)
    return track


@bp.get("/<slug>/offline")
@login_required
def save_track(slug: str):
    """Which modules of a track this phone keeps for offline reading, and what saving costs.

    Saving is done by static/offline.js (the Cache API and a service worker); without
    JavaScript the page still lists the modules, it just cannot keep them."""
    track = _track_or_404(slug)
    modules = offline.offline_modules(track.slug, current_app.jinja_env.globals["inline_css"])
    return render_template("learning/offline.html", track=track, modules=modules,
                           total_bytes=sum(m.bytes for m in modules))


@bp.get("/<slug>/print")
@login_required
def print_track(slug: str):
    """Every module of a track in one document, for a facilitator to print or save as PDF."""
    require_staff()
    track = _track_or_404(slug)
    return render_template("learning/print_track.html", track=track,
                           modules=offline.track_modules_full(track.slug))
