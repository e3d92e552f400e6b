"""Taking quizzes: landing, paged answering with drafts, idempotent submit, results."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import OperationalError

from lms.accounts.guards import require_staff
from lms.assessment import attempts as rules
from lms.assessment.gates import start_blockers
from lms.assessment.models import Attempt, EssayReview, EssayReviewHistory, Quiz
from lms.assessment.policy import attempt_limit, may_start_another
from lms.assessment.question_types import QUESTION_TYPES
from lms.cohorts.access import can_see_person
from lms.content.models import active_or_404
from lms.core.i18n import gettext as _
from lms.extensions import db

bp = Blueprint("assessment", __name__, url_prefix="/quiz")


def _quiz_or_404(slug: str) -> Quiz:
    return active_or_404(Quiz, slug)


def _own_attempt_or_404(attempt_id: int) -> Attempt:
    """Only the person who took an attempt answers it; anyone else gets 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


# A page of an attempt needs the attempt, its version's questions and its quiz's attempt
# limit: one query (it was three), its statement built once.
_ATTEMPT_PAGE = (sa.select(Attempt, Quiz).outerjoin(Quiz, Quiz.slug == Attempt.quiz_slug)
                 .options(sa.orm.joinedload(Attempt.version))
                 .where(Attempt.id == sa.bindparam("attempt_id")))


def _own_attempt_page_or_404(attempt_id: int) -> tuple[Attempt, Quiz | None]:
    row = db.session.execute(_ATTEMPT_PAGE, {"attempt_id": attempt_id}).first()
    if row is None or row.Attempt.user_id != current_user.id:
        abort(404)
    return row.Attempt, row.Quiz


@bp.get("/<slug>")
@login_required
def landing(slug: str):
    """What the quiz is, the attempts so far and a start or resume button."""
    quiz = _quiz_or_404(slug)
    mine = rules.attempts_of(current_user.id, quiz.slug)
    blockers = start_blockers(current_user.id, quiz)
    limit = attempt_limit(quiz)
    can_start = not blockers and (may_start_another(quiz, len(mine)) or any(a.is_open for a in mine))
    return render_template("assessment/landing.html", quiz=quiz, attempts=mine, limit=limit,
                           best=rules.best_graded(mine), blockers=blockers, can_start=can_start,
                           form=FlaskForm())


@bp.post("/<slug>/start")
@login_required
def start(slug: str):
    """Start a new attempt, or resume the open one (a second tap never makes two)."""
    quiz = _quiz_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if start_blockers(current_user.id, quiz):
        flash(_("Complete all required modules before the post-test."), "error")
        return redirect(url_for(".landing", slug=slug))
    try:
        attempt = rules.start_or_resume(current_user.id, quiz)
    except rules.AttemptRefused:
        flash(_("You have used all attempts for this quiz."), "error")
        return redirect(url_for(".landing", slug=slug))
    return redirect(url_for(".answer", attempt_id=attempt.id, page=1))


def _limit_of(attempt: Attempt) -> int:
    """The attempt limit of the quiz an attempt belongs to (0: unlimited)."""
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == attempt.quiz_slug))
    return attempt_limit(quiz) if quiz else 0


def _page_number(attempt: Attempt) -> int:
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), rules.page_count(attempt))


def _answers_from_form(attempt: Attempt, page: int) -> dict:
    questions = attempt.version.definition["questions"]
    return {str(i): QUESTION_TYPES[questions[i]["type"]].parse(questions[i], request.form, f"q{i}")
            for i in rules.page_indexes(attempt, page)}


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def answer(attempt_id: int):
    """One page of questions; every POST saves the page's answers as a draft."""
    attempt, quiz = _own_attempt_page_or_404(attempt_id)
    if not attempt.is_open:
        return redirect(url_for(".result", attempt_id=attempt.id))
    page, form = _page_number(attempt), FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        return _save_and_move(attempt, page)
    return render_template("assessment/attempt.html", attempt=attempt, page=page,
                           limit=attempt_limit(quiz) if quiz else 0,
                           pages=rules.page_count(attempt), form=form,
                           first_number=(page - 1) * rules.QUESTIONS_PER_PAGE,
                           indexes=rules.page_indexes(attempt, page),
                           definition=attempt.version.definition)


def _save_and_move(attempt: Attempt, page: int):
    new_answers = _answers_from_form(attempt, page)
    action = request.form.get("action", "save")
    if action == "submit":
        missing = rules.unanswered(attempt, rules.merged_answers(attempt, new_answers))
        if missing and not request.form.get("confirm_unanswered"):
            # Keep what was typed, then ask: a blank left by mistake costs a point for good.
            rules.save_draft(attempt, new_answers)
            return render_template("assessment/confirm_submit.html", attempt=attempt,
                                   missing=missing, definition=attempt.version.definition,
                                   form=FlaskForm())
        return _submit(attempt, new_answers)
    rules.save_draft(attempt, new_answers)
    target = {"next": page + 1, "prev": page - 1}.get(action, page)
    if action == "save":
        flash(_("Your answers are saved. You can come back to them later."), "success")
    return redirect(url_for(".answer", attempt_id=attempt.id, page=target))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_confirmed(attempt_id: int):
    """Submit as it is, after the person saw which questions are still blank."""
    attempt = _own_attempt_or_404(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not attempt.is_open:
        return redirect(url_for(".result", attempt_id=attempt.id))
    return _submit(attempt, {})


def _submit(attempt: Attempt, new_answers: dict):
    """Finish once; only the request that finished it is told "submitted" (?new=1).

    The pass mark is the one frozen with the attempt's quiz version.
    """
    attempt_id, finished = attempt.id, False
    pass_mark = attempt.version.definition["pass_mark"]
    for _try in range(5):
        try:
            finished = rules.submit(attempt, new_answers, pass_mark)
            break
        except OperationalError:
            # SQLite answers "database is locked" to a writer racing another; try again
            # (nothing else of this request was written yet, so starting over loses nothing).
            db.session.rollback()
            attempt = db.session.get(Attempt, attempt_id)
            if not attempt.is_open:
                break
    args = {"new": 1} if finished else {}
    return redirect(url_for(".result", attempt_id=attempt_id, **args))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Score, pass or fail, and per question: the answer, the right answer, feedback."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can_see_person(current_user, attempt.user_id):
        abort(404)
    if attempt.is_open:
        return redirect(url_for(".answer", attempt_id=attempt.id))
    reviews = {r.question_index: r for r in db.session.scalars(
        sa.select(EssayReview).where(EssayReview.attempt_id == attempt.id))}
    # The score each regraded essay had just before, so the trainee sees what changed.
    earlier = {}
    for row in db.session.scalars(sa.select(EssayReviewHistory).where(
            EssayReviewHistory.review_id.in_([r.id for r in reviews.values()]))
            .order_by(EssayReviewHistory.id)):
        earlier[row.review_id] = row
    return render_template("assessment/result.html", attempt=attempt, limit=_limit_of(attempt),
                           definition=attempt.version.definition, reviews=reviews, earlier=earlier)


@bp.get("/<slug>/analysis")
@login_required
def analysis(slug: str):
    """Item analysis for staff: difficulty and discrimination per question, over the people
    they may see, or over one cohort's trainees (`?cohort=ID`)."""
    from lms.assessment.reports import item_rows, quiz_item_analysis, tracks_using
    from lms.cohorts.access import cohort_members, cohort_or_404, visible_cohorts, visible_people
    require_staff()
    quiz = _quiz_or_404(slug)
    cohort_id = request.args.get("cohort", type=int)
    cohort = cohort_or_404(current_user, cohort_id) if cohort_id else None
    people = visible_people(current_user)
    if cohort is not None:
        members = cohort_members(cohort.id)
        people = members if people is None else members.where(members.selected_columns[0].in_(people))
    questions, stats, counted = quiz_item_analysis(quiz, people)
    tracks = tracks_using(quiz.slug)
    cohorts = sorted((c for c in db.session.scalars(visible_cohorts(current_user)) if c.track_slug in tracks),
                     key=lambda c: c.name.casefold())
    return render_template("assessment/analysis.html", quiz=quiz, rows=item_rows(questions, stats),
                           people=counted, cohort=cohort, cohorts=cohorts)
