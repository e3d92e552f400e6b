"""Certification pages: the cohort's rules and who meets them (its coordinators and admins),
certificates as PDF and Open Badges JSON, and the public verification pages."""
from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.accounts import throttle
from lms.accounts.models import Organisation, User
from lms.certification import credential, service
from lms.certification.forms import IssueForm, PrintedNameForm, RevokeForm, RulesForm
from lms.certification.models import DEFAULT_RULES, Certificate
from lms.cohorts.access import cohort_or_404, enrolled_trainee_or_404, may_open_cohort
from lms.cohorts.models import Cohort
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("certification", __name__)


@bp.errorhandler(credential.SigningKeyMissing)
def _no_key(_exc):
    """A production site without LMS_SIGNING_KEY cannot sign; say so instead of failing."""
    return Response(json.dumps({"error": "signing key not configured"}), 503, mimetype="application/json")


def _manage(cohort_id: int) -> Cohort:
    return cohort_or_404(current_user, cohort_id, manage=True)


@bp.get("/cohorts/<int:cohort_id>/certification")
@login_required
def cohort(cohort_id: int):
    """Every trainee, eligible or not yet, each rule with its numbers; the rules; bulk actions."""
    item = _manage(cohort_id)
    return _cohort_page(item, RulesForm(obj=service.rules_for(item.id)))


def _cohort_page(item: Cohort, form: RulesForm, status: int = 200):
    facts, statuses = service.cohort_status(item)
    rules = service.rules_for(item.id)
    eligible_waiting = sum(1 for s in statuses if s.certificate is None and s.eligibility.eligible)
    issued = sum(1 for s in statuses if s.certificate is not None)
    return render_template("certification/cohort.html", cohort=item, facts=facts, statuses=statuses,
                           rules=rules, form=form, eligible_waiting=eligible_waiting, issued=issued,
                           action_form=IssueForm()), status


@bp.post("/cohorts/<int:cohort_id>/certification/rules")
@login_required
def change_rules(cohort_id: int):
    """Change the rules; every change makes a new version and goes to the audit log."""
    item = _manage(cohort_id)
    form = RulesForm()
    if not form.validate_on_submit():
        return _cohort_page(item, form, 400)
    changes = {key: getattr(form, key).data for key in DEFAULT_RULES}
    for key in ("post_test_min", "attendance_min", "roleplays_min", "practice_min"):
        if changes[key] is None:
            changes[key] = 0
    before = service.rules_for(item.id).version
    rules = service.change_rules(item, changes, current_user.id)
    flash(_("Rules saved (version %(version)d).", version=rules.version) if rules.version != before
          else _("The rules were not changed."), "success")
    return redirect(url_for(".cohort", cohort_id=item.id))


@bp.post("/cohorts/<int:cohort_id>/certification/issue")
@login_required
def issue_all(cohort_id: int):
    """Certify every eligible trainee who has no certificate yet."""
    item = _manage(cohort_id)
    if not IssueForm().validate_on_submit():
        abort(400)
    issued = service.issue_all_eligible(item, current_user.id)
    flash(_("%(num)d certificates issued.", num=len(issued)), "success")
    return redirect(url_for(".cohort", cohort_id=item.id))


@bp.get("/cohorts/<int:cohort_id>/certification/<int:user_id>")
@login_required
def trainee(cohort_id: int, user_id: int):
    """One trainee: each rule, the printed name, certify (with a reason when a rule is not met), revoke."""
    item = _manage(cohort_id)
    person = enrolled_trainee_or_404(item, user_id)
    return _trainee_page(item, person)


def _trainee_page(item: Cohort, person: User, issue_form=None, name_form=None, revoke_form=None,
                  status: int = 200):
    _facts, statuses = service.cohort_status(item, [person])
    state = statuses[0]
    return render_template(
        "certification/trainee.html", cohort=item, person=person, state=state,
        printed_name=service.printed_name(person),
        issue_form=issue_form or IssueForm(), revoke_form=revoke_form or RevokeForm(),
        name_form=name_form or PrintedNameForm(printed_name=service.printed_name(person))), status


@bp.post("/cohorts/<int:cohort_id>/certification/<int:user_id>/name")
@login_required
def set_name(cohort_id: int, user_id: int):
    """The coordinator sets the printed name (e.g. the legal name the trainee asked for)."""
    item = _manage(cohort_id)
    person = enrolled_trainee_or_404(item, user_id)
    form = PrintedNameForm()
    if not form.validate_on_submit():
        return _trainee_page(item, person, name_form=form, status=400)
    service.set_printed_name(person, form.printed_name.data, current_user.id)
    flash(_("Printed name saved."), "success")
    return redirect(url_for(".trainee", cohort_id=item.id, user_id=person.id))


@bp.post("/cohorts/<int:cohort_id>/certification/<int:user_id>/issue")
@login_required
def issue_one(cohort_id: int, user_id: int):
    """Certify one trainee; one who misses a rule only with a written reason."""
    item = _manage(cohort_id)
    person = enrolled_trainee_or_404(item, user_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _trainee_page(item, person, issue_form=form, status=400)
    try:
        _cert, new = service.issue_one(item, person, current_user.id, form.reason.data)
    except service.CertificationError as exc:
        form.reason.errors.append(str(exc))
        return _trainee_page(item, person, issue_form=form, status=400)
    flash(_("Certificate issued.") if new else _("This trainee already has a certificate."),
          "success" if new else "info")
    return redirect(url_for(".trainee", cohort_id=item.id, user_id=person.id))


@bp.post("/cohorts/<int:cohort_id>/certification/<int:user_id>/revoke")
@login_required
def revoke(cohort_id: int, user_id: int):
    """Revoke the trainee's certificate with a reason; every check then says it is revoked."""
    item = _manage(cohort_id)
    person = enrolled_trainee_or_404(item, user_id)
    cert = service.certificate_of(item.id, person.id)
    form = RevokeForm()
    if cert is None:
        abort(404)
    if not form.validate_on_submit():
        return _trainee_page(item, person, revoke_form=form, status=400)
    if service.revoke(cert, form.reason.data, current_user.id):
        flash(_("Certificate revoked."), "success")
    return redirect(url_for(".trainee", cohort_id=item.id, user_id=person.id))


@bp.get("/cohorts/<int:cohort_id>/certification/certificates.zip")
@login_required
def cohort_zip(cohort_id: int):
    """Every certificate of the cohort, one PDF each, in one ZIP."""
    item = _manage(cohort_id)
    certs = db.session.scalars(sa.select(Certificate).where(Certificate.cohort_id == item.id)
                               .order_by(Certificate.id)).all()
    from lms.certification import pdf  # fpdf and its fonts load only for the first PDF
    body = pdf.render_zip([(c, credential.verify_url(c.code)) for c in certs])
    return Response(body, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="sertifikat-angkatan-{item.id}.zip"'})


def _own_or_managed_certificate(cert_id: int) -> Certificate:
    cert = db.session.get(Certificate, cert_id)
    if cert is None:
        abort(404)
    if cert.user_id != current_user.id:
        cohort_item = db.session.get(Cohort, cert.cohort_id)
        if not may_open_cohort(current_user, cohort_item, manage=True):
            abort(404)
    return cert


def _org_id(cert: Certificate) -> int:
    return db.session.scalar(sa.select(Cohort.organisation_id).where(Cohort.id == cert.cohort_id))


@bp.get("/certificates/<int:cert_id>.pdf")
@login_required
def certificate_pdf(cert_id: int):
    from lms.certification import pdf
    """The certificate PDF, for its holder and the cohort's coordinators."""
    cert = _own_or_managed_certificate(cert_id)
    return Response(pdf.render(cert, credential.verify_url(cert.code)), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{pdf.filename(cert)}"'})


@bp.get("/certificates/<int:cert_id>.json")
@login_required
def certificate_json(cert_id: int):
    """The Open Badges 3.0 credential, as a file to keep or hand to a wallet."""
    from lms.certification import pdf
    cert = _own_or_managed_certificate(cert_id)
    body = json.dumps(credential.signed_credential(cert, _org_id(cert)), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/ld+json", headers={
        "Content-Disposition": f'attachment; filename="{pdf.filename(cert)[:-4]}.json"'})


@bp.route("/learn/certificate-name", methods=["GET", "POST"])
@login_required
def my_name():
    """The name a trainee consents to have printed on their certificates."""
    form = PrintedNameForm() if request.method == "POST" else \
        PrintedNameForm(printed_name=service.printed_name(current_user))
    if form.validate_on_submit():
        service.set_printed_name(current_user, form.printed_name.data, current_user.id)
        flash(_("Printed name saved."), "success")
        return redirect(url_for("home.index"))
    return render_template("certification/my_name.html", form=form), 400 if form.errors else 200


# Public: no sign-in. Answers say valid, revoked or unknown and nothing more.

def _throttled() -> int:
    """Count this lookup against the address (at once, whatever the answer); the seconds to
    wait when it is over the limit, else 0."""
    cfg = current_app.config
    key = f"verify:{request.remote_addr or 'unknown'}"
    window = timedelta(seconds=cfg["VERIFY_WINDOW_SECONDS"])
    return throttle.hit({key: cfg["VERIFY_MAX_PER_ADDRESS"]}, utcnow(), window)


def _public(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/verify")
def verify_form():
    """Type a certificate code (or its whole URL)."""
    code = (request.args.get("code") or "").strip().rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    if code:
        return redirect(url_for(".verify_page", code=code))
    return _public(Response(render_template("certification/verify_form.html")))


def _limited(wait: int, response: Response | None = None) -> Response:
    response = response or Response(render_template("certification/verify.html", cert=None, limited=True), 429)
    response.headers["Retry-After"] = str(wait)
    return _public(response)


@bp.get("/verify/<code>")
def verify_page(code: str):
    """Valid or revoked (with the date), the printed name, organisation, track, cohort, date."""
    wait = _throttled()
    if wait:
        return _limited(wait)
    cert = service.by_code(code)
    page = render_template("certification/verify.html", cert=cert, limited=False, code=code)
    return _public(Response(page, 200 if cert else 404))


@bp.get("/verify/<code>.json")
def verify_json(code: str):
    """The signed Open Badges 3.0 credential of a certificate."""
    wait = _throttled()
    if wait:
        return _limited(wait, Response(json.dumps({"error": "rate limited"}), 429, mimetype="application/json"))
    cert = service.by_code(code)
    if cert is None:
        return _public(Response(json.dumps({"error": "unknown code"}), 404, mimetype="application/json"))
    body = json.dumps(credential.signed_credential(cert, _org_id(cert)), ensure_ascii=False, indent=2)
    return _public(Response(body, mimetype="application/ld+json"))


@bp.get("/verify/status/<int:org_id>")
def status_list(org_id: int):
    """The organisation's Bitstring Status List: bit i set = certificate i revoked."""
    if db.session.get(Organisation, org_id) is None:
        abort(404)
    revoked = db.session.scalars(sa.select(Certificate.id).join(Cohort, Cohort.id == Certificate.cohort_id)
                                 .where(Cohort.organisation_id == org_id,
                                        Certificate.revoked_at.is_not(None))).all()
    body = json.dumps(credential.status_list_credential(org_id, list(revoked)))
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/issuers/<int:org_id>")
def issuer(org_id: int):
    """The issuer profile with the public key that checks its credentials' proofs."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    response = Response(json.dumps(credential.issuer_profile(org.id, org.name), ensure_ascii=False),
                        mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
