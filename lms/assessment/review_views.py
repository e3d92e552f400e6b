"""Facilitators review case-analysis essays against their rubric."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.guards import require_staff
from lms.accounts.models import Role, User
from lms.assessment import attempts as rules
from lms.assessment.models import Attempt, AttemptStatus, EssayReview
from lms.cohorts.access import can_see_person, facilitated_trainees
from lms.extensions import db

bp = Blueprint("review", __name__, url_prefix="/review")


def _reviewable_attempts():
    """Attempts awaiting review of the people this reviewer may see."""
    query = sa.select(Attempt).where(Attempt.status == AttemptStatus.AWAITING_REVIEW)
    if current_user.role == Role.FACILITATOR:
        query = query.where(Attempt.user_id.in_(facilitated_trainees(current_user.id)))
    elif current_user.role == Role.COORDINATOR:
        query = query.join(User, User.id == Attempt.user_id).where(
            User.organisation_id == current_user.organisation_id)
    return query.order_by(Attempt.submitted_at)


@bp.get("/")
@login_required
def queue():
    """Essays waiting for a score, oldest first."""
    require_staff()
    waiting = db.session.scalars(_reviewable_attempts()).all()
    rules.load_versions(waiting)
    people = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_({a.user_id for a in waiting})))}
    done = set(tuple(row) for row in db.session.execute(sa.select(EssayReview.attempt_id, EssayReview.question_index).where(
        EssayReview.attempt_id.in_([a.id for a in waiting]))))
    items = []
    for attempt in waiting:
        for index, question in enumerate(attempt.version.definition["questions"]):
            if question["type"] == "essay" and attempt.credits.get(str(index)) is None \
                    and (attempt.id, index) not in done:
                items.append((attempt, index, people.get(attempt.user_id)))
    return render_template("assessment/review_queue.html", items=items)


def _reviewable_or_404(attempt_id: int, index: int) -> tuple[Attempt, dict]:
    require_staff()
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id == current_user.id or \
            not can_see_person(current_user, attempt.user_id):
        abort(404)
    questions = attempt.version.definition["questions"]
    if not 0 <= index < len(questions) or questions[index]["type"] != "essay" or attempt.is_open:
        abort(404)
    return attempt, questions[index]


def _read_scores(question: dict) -> tuple[list[int], list[str]]:
    scores, errors = [], []
    for n, criterion in enumerate(question["rubric"]):
        raw = request.form.get(f"c{n}", "")
        if not raw.isdecimal() or int(raw) > criterion["points"]:
            errors.append(_("Give %(criterion)s a score from 0 to %(max)d.",
                            criterion=criterion["criterion"], max=criterion["points"]))
        else:
            scores.append(int(raw))
    return scores, errors


@bp.route("/attempts/<int:attempt_id>/questions/<int:index>", methods=["GET", "POST"])
@login_required
def essay(attempt_id: int, index: int):
    """Score each rubric criterion and write a comment the trainee will read."""
    attempt, question = _reviewable_or_404(attempt_id, index)
    review = db.session.scalar(sa.select(EssayReview).where(
        EssayReview.attempt_id == attempt.id, EssayReview.question_index == index))
    form, errors = FlaskForm(), []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        scores, errors = _read_scores(question)
        if not errors:
            rules.review_essay(attempt, index, scores, request.form.get("comment", "")[:5000],
                               current_user.id, attempt.version.definition["pass_mark"])
            flash(_("Review saved. The trainee can now see it."), "success")
            return redirect(url_for(".queue"))
    trainee = db.session.get(User, attempt.user_id)
    return render_template("assessment/review_essay.html", attempt=attempt, index=index,
                           question=question, review=review, trainee=trainee, form=form,
                           errors=errors, answer=attempt.answers.get(str(index))), (400 if errors else 200)
