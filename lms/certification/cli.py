"""`flask cert ...`: rules, eligibility, issue, revoke, PDF and offline verification."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lms.accounts.models import User
from lms.certification import credential, service
from lms.certification.models import DEFAULT_RULES
from lms.cohorts.cli import cohort_by_id
from lms.core.transaction import committing
from lms.extensions import db

cert_cli = AppGroup("cert", help="Certification: rules, eligibility, certificates.")


def _show_rules(rules) -> None:
    click.echo(f"version {rules.version}")
    for key in DEFAULT_RULES:
        value = getattr(rules, key)
        shown = ("on" if value else "off") if isinstance(DEFAULT_RULES[key], bool) else \
            (value if value else "off")
        click.echo(f"{key}: {shown}")


@cert_cli.command("rules")
@click.argument("cohort_id", type=int)
@click.option("--modules/--no-modules", default=None, help="Every required module complete.")
@click.option("--post-test-min", type=click.IntRange(0, 100), help="Post-test percent (0: off).")
@click.option("--attendance-min", type=click.IntRange(0, 100), help="Attendance percent (0: off).")
@click.option("--roleplays-min", type=click.IntRange(0, 1000), help="Role-plays taken part in (0: off).")
@click.option("--rtl/--no-rtl", default=None, help="RTL approved.")
@click.option("--practice-min", type=click.IntRange(0, 1000), help="Signed-off field-practice entries (0: off).")
def rules_command(cohort_id, **changes):
    """Show the cohort's rules and change those given."""
    cohort = cohort_by_id(cohort_id)
    with committing():
        rules = service.change_rules(cohort, changes, actor_id=None)
        _show_rules(rules)


@cert_cli.command("eligibility")
@click.argument("cohort_id", type=int)
def eligibility_command(cohort_id):
    """Print username,eligible,unmet rules for every trainee."""
    cohort = cohort_by_id(cohort_id)
    _facts, statuses = service.cohort_status(cohort)
    for status in statuses:
        unmet = "; ".join(r.text for r in status.eligibility.unmet)
        click.echo(f"{status.facts.user.username},{'yes' if status.eligibility.eligible else 'no'},{unmet}")


@cert_cli.command("issue")
@click.argument("cohort_id", type=int)
@click.option("--all-eligible", is_flag=True, help="Every eligible trainee without a certificate.")
@click.option("--user", "username", help="One trainee.")
@click.option("--reason", help="Why a trainee who misses a rule is certified anyway.")
def issue_command(cohort_id, all_eligible, username, reason):
    """Issue certificates; prints username,code,verify URL per certificate issued."""
    cohort = cohort_by_id(cohort_id)
    if bool(all_eligible) == bool(username):
        raise click.UsageError("give exactly one of --all-eligible and --user USERNAME")
    with committing():
        if all_eligible:
            issued = service.issue_all_eligible(cohort, actor_id=None)
        else:
            user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
            if user is None or user.id not in {u.id for u in _trainees(cohort)}:
                raise click.ClickException(f"{username} is not a trainee of cohort {cohort.id}")
            try:
                cert, new = service.issue_one(cohort, user, actor_id=None, reason=reason)
            except service.CertificationError as exc:
                raise click.ClickException(str(exc)) from None
            issued = [cert] if new else []
            if not new:
                click.echo(f"{username} already has a certificate: {cert.code}", err=True)
        for cert in issued:
            user = db.session.get(User, cert.user_id)
            click.echo(f"{user.username},{cert.code},{credential.verify_url(cert.code)}")


def _trainees(cohort):
    from lms.cohorts.enrolment import cohort_trainees
    return cohort_trainees(cohort.id)


def _certificate(code: str):
    cert = service.by_code(code.strip())
    if cert is None:
        raise click.ClickException(f"no certificate has the code {code}")
    return cert


@cert_cli.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Why it is revoked.")
def revoke_command(code, reason):
    """Revoke a certificate."""
    with committing():
        cert = _certificate(code)
        try:
            changed = service.revoke(cert, reason, actor_id=None)
        except ValueError:
            raise click.ClickException("give a reason") from None
    click.echo(f"revoked {code}" if changed else f"{code} was already revoked")


@cert_cli.command("pdf")
@click.argument("code")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def pdf_command(code, out):
    """Write a certificate's PDF."""
    cert = _certificate(code)
    from lms.certification import pdf  # fpdf loads for this command only, not in every web worker
    Path(out).write_bytes(pdf.render(cert, credential.verify_url(cert.code)))
    click.echo(out)


def _schema_path() -> Path | None:
    from lms.config import REPO_ROOT
    path = REPO_ROOT.parent / "shared" / "interop" / "ob3" / credential.SCHEMA_NAME
    return path if path.exists() else None


@cert_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False),
              help="The issuer's public key (PEM, or the publicKeyMultibase of the issuer profile); "
                   "default: this site's key.")
@click.option("--schema", "schema_file", type=click.Path(exists=True, dir_okay=False),
              help="1EdTech's AchievementCredential JSON schema (default: ../shared/interop/ob3/).")
def verify_command(file, key_file, schema_file):
    """Check a downloaded credential offline: schema, proof and issuer key."""
    try:
        document = json.loads(Path(file).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        click.echo(f"invalid: not JSON ({exc})", err=True)
        sys.exit(1)
    try:
        key = _public_key(Path(key_file).read_text().strip()) if key_file else credential.public_pem()
    except ValueError as exc:
        click.echo(f"invalid: unusable key ({exc})", err=True)
        sys.exit(2)
    schema = Path(schema_file) if schema_file else _schema_path()
    if schema is None:
        click.echo("warning: JSON schema not found; checking proof and key only", err=True)
    try:
        credential.verify(document, key, schema)
    except credential.CredentialInvalid as exc:
        click.echo(f"invalid: {exc}", err=True)
        sys.exit(1)
    cert = service.by_code(str(document.get("id", "")).rsplit("/", 1)[-1].removesuffix(".json"))
    if cert is not None and cert.revoked:
        click.echo(f"invalid: revoked on {cert.revoked_at:%Y-%m-%d}", err=True)
        sys.exit(1)
    click.echo("valid")


def _public_key(text: str) -> bytes:
    """A PEM public key, or a Multikey publicKeyMultibase (z6Mk...), as PEM."""
    if text.startswith("-----BEGIN"):
        from cryptography.hazmat.primitives import serialization
        serialization.load_pem_public_key(text.encode())
        return text.encode()
    from openbadgeslib.ob3 import OB3VerificationError, resolve_did
    if not text.startswith("z"):
        raise ValueError("expected a PEM public key or a z... multibase key")
    try:
        return resolve_did(f"did:key:{text}")   # a did:key is the multibase key itself
    except OB3VerificationError as exc:
        raise ValueError(str(exc)) from None
