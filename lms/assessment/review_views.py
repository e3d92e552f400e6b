"""Facilitators review case-analysis essays against their rubric, and regrade with a reason."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import TextAreaField
from wtforms.validators import Length

from lms.accounts.guards import require_staff
from lms.accounts.models import User
from lms.assessment import review as rules
from lms.assessment.attempts import load_versions
from lms.assessment.models import Attempt, AttemptStatus, EssayReview, EssayReviewHistory
from lms.cohorts.access import can_see_person, cohort_members, cohort_or_404, visible_cohorts, visible_people
from lms.core.forms import BaseForm
from lms.core.i18n import gettext as _
from lms.core.i18n import lazy_gettext as _l
from lms.extensions import db

bp = Blueprint("review", __name__, url_prefix="/review")

GRADED_PAGE = 20   # graded essays per page, newest first


class ReviewForm(BaseForm):
    """The free text of a review; the rubric scores are read per criterion beside it."""

    comment = TextAreaField(_l("Comment for the trainee"), validators=[Length(max=rules.COMMENT_MAX)])
    reason = TextAreaField(_l("Why the score changes (the trainee sees this)"),
                           validators=[Length(max=rules.REASON_MAX)])


def _scope(query, cohort):
    """Attempts of people this reviewer may see (never their own), in one cohort if chosen."""
    people = visible_people(current_user)
    if people is not None:
        query = query.where(Attempt.user_id.in_(people))
    if cohort is not None:
        query = query.where(Attempt.user_id.in_(cohort_members(cohort.id)))
    return query.where(Attempt.user_id != current_user.id)


def _people(user_ids) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(set(user_ids))))}


def _waiting(cohort) -> list[tuple]:
    """Essays without a score yet, oldest submission first."""
    waiting = db.session.scalars(_scope(sa.select(Attempt), cohort).where(
        Attempt.status == AttemptStatus.AWAITING_REVIEW).order_by(Attempt.submitted_at)).all()
    load_versions(waiting)
    people = _people(a.user_id for a in waiting)
    done = set(tuple(row) for row in db.session.execute(
        sa.select(EssayReview.attempt_id, EssayReview.question_index).where(
            EssayReview.attempt_id.in_([a.id for a in waiting]))))
    return [(attempt, index, people.get(attempt.user_id))
            for attempt in waiting
            for index, question in enumerate(attempt.version.definition["questions"])
            if question["type"] == "essay" and attempt.credits.get(str(index)) is None
            and (attempt.id, index) not in done]


def _graded(cohort, page: int) -> tuple[list[tuple], bool]:
    """One page of scored essays, most recently scored first; and whether older ones follow."""
    rows = db.session.execute(
        _scope(sa.select(EssayReview, Attempt).join(Attempt, Attempt.id == EssayReview.attempt_id), cohort)
        .order_by(EssayReview.reviewed_at.desc(), EssayReview.id.desc())
        .offset((page - 1) * GRADED_PAGE).limit(GRADED_PAGE + 1)).all()
    more, rows = len(rows) > GRADED_PAGE, rows[:GRADED_PAGE]
    load_versions([a for _r, a in rows])
    people = _people(a.user_id for _r, a in rows)
    regraded = set(db.session.scalars(sa.select(EssayReviewHistory.review_id).where(
        EssayReviewHistory.review_id.in_([r.id for r, _a in rows]))))
    return [(review, attempt, people.get(attempt.user_id), review.id in regraded)
            for review, attempt in rows], more


@bp.get("/")
@login_required
def queue():
    """Essays waiting for a score (oldest first), or in the graded tab those already scored."""
    require_staff()
    tab = "graded" if request.args.get("tab") == "graded" else "waiting"
    cohort_id = request.args.get("cohort", type=int)
    cohort = cohort_or_404(current_user, cohort_id) if cohort_id else None
    page = max(request.args.get("page", 1, type=int), 1)
    cohorts = sorted(db.session.scalars(visible_cohorts(current_user)), key=lambda c: c.name.casefold())
    context = {"tab": tab, "cohort": cohort, "cohorts": cohorts, "page": page}
    if tab == "graded":
        context["graded"], context["more"] = _graded(cohort, page)
    else:
        context["items"] = _waiting(cohort)
    return render_template("assessment/review_queue.html", **context)


def _reviewable_or_404(attempt_id: int, index: int) -> tuple[Attempt, dict]:
    """A submitted essay of someone this reviewer may see (a facilitator: in their cohorts)."""
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
    """A score per criterion, each chosen on purpose: an empty choice is refused, never a 0."""
    scores, errors = [], []
    for n, criterion in enumerate(question["rubric"]):
        raw = request.form.get(f"c{n}", "")
        if not raw.isdecimal() or int(raw) > criterion["points"]:
            errors.append(_("Give %(criterion)s a score from 0 to %(max)d.",
                            criterion=criterion["criterion"], max=criterion["points"]))
        else:
            scores.append(int(raw))
    return scores, errors


def _save(attempt: Attempt, index: int, question: dict, form: ReviewForm, regrade: bool) -> list[str]:
    """Save the review from the form; the messages to show when it was not saved."""
    scores, errors = _read_scores(question)
    if regrade and not (form.reason.data or "").strip():
        form.reason.errors = [*form.reason.errors, _("Say why the score changes.")]
    if errors or form.errors or form.reason.errors:
        return errors
    try:
        rules.grade_essay(attempt, index, scores, form.comment.data, current_user.id,
                          form.reason.data if regrade else None)
    except rules.ReviewRefused as refused:
        if refused.code == "unchanged":
            return [_("Nothing changed: change a score or the comment, or go back.")]
        raise
    return []


@bp.route("/attempts/<int:attempt_id>/questions/<int:index>", methods=["GET", "POST"])
@login_required
def essay(attempt_id: int, index: int):
    """Score each rubric criterion and write a comment the trainee will read; once scored,
    the same page regrades, with a reason, and lists the earlier scores."""
    attempt, question = _reviewable_or_404(attempt_id, index)
    review = rules.review_of(attempt.id, index)
    form = ReviewForm(data={"comment": review.comment if review else ""})
    errors, failed = [], False
    if request.method == "POST":
        if not form.validate_on_submit() and "csrf_token" in form.errors:
            abort(400)
        errors = _save(attempt, index, question, form, regrade=review is not None)
        failed = bool(errors or form.errors or form.reason.errors)
        if not failed:
            flash(_("Score changed. The trainee sees the new score.") if review is not None
                  else _("Review saved. The trainee can now see it."), "success")
            return redirect(url_for(".queue", tab="graded" if review is not None else None))
    history = rules.history_of(review)
    reviewers = _people([r.reviewer_id for r in [review, *history] if r and r.reviewer_id])
    return render_template("assessment/review_essay.html", attempt=attempt, index=index,
                           question=question, review=review, history=history, reviewers=reviewers,
                           trainee=db.session.get(User, attempt.user_id), form=form,
                           errors=errors, answer=attempt.answers.get(str(index))), (400 if failed else 200)
