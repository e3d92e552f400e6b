"""What a trainee reads: a module, and marking it read."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.content.models import active_or_404
from lms.core.i18n import gettext as _
from lms.core.page_cache import cached_page
from lms.extensions import db
from lms.learning import progress
from lms.learning.models import Module, ModuleProgress, Track

bp = Blueprint("learning", __name__, url_prefix="/learn")

# The active module, its track and whether this person has read it, in one query (it was
# three), the statement built once.
_MODULE_PAGE = (sa.select(Module, Track, sa.exists().where(ModuleProgress.user_id == sa.bindparam("user_id"),
                                                           ModuleProgress.module_slug == Module.slug))
                .outerjoin(Track, Track.slug == Module.track_slug)
                .where(Module.slug == sa.bindparam("slug"), Module.retired_at.is_(None)))


@bp.get("/modules/<slug>")
@login_required
@cached_page   # shows the reader's own progress and the curriculum, nobody else's
def module(slug: str):
    """A module: objectives, duration, methods and the rendered content."""
    row = db.session.execute(_MODULE_PAGE, {"slug": slug, "user_id": current_user.id}).first()
    if row is None:
        abort(404)
    item, track, is_read = row
    before, after = progress.track_neighbours(item)
    return render_template("learning/module.html", module=item, track=track, before=before,
                           after=after, is_read=is_read, form=FlaskForm(),
                           titles=progress.activity_titles(item))


@bp.post("/modules/<slug>/read")
@login_required
def mark_read(slug: str):
    """Mark a module read (idempotent), then go on to the next one."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    item = active_or_404(Module, slug)
    progress.mark_read(current_user.id, item.slug)
    flash(_("Marked as read: %(title)s", title=item.title), "success")
    # Back to where the reader was, at the next step (the quiz, or the next module).
    return redirect(url_for("learning.module", slug=item.slug, _anchor="next-step"))
