"""Device cookies (OWASP's "Slow down online guessing attacks with device cookies").

A browser that signed in to an account gets a signed cookie saying so. Sign-in attempts with
it are counted against that device only, so a stranger guessing a trainee's password locks
out unknown devices, never the trainee's own phone; a device cookie used for guessing is
locked in turn and then counts as unknown.

The cookie names the account only by a keyed digest, never the username in plain text: a
phone taken in a raid must not tell whose it was. One cookie holds a few accounts, because
phones are shared.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "lms_device"
LIFETIME_DAYS = 365
ACCOUNTS_PER_COOKIE = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="lms-device-cookie")


def _digest(username: str) -> str:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    key = hashlib.sha256(b"lms-device-account:" + secret).digest()
    return hmac.new(key, username.encode(), hashlib.sha256).hexdigest()[:32]


def _entries() -> list[list[str]]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        entries = _serializer().loads(raw, max_age=LIFETIME_DAYS * 86400)
    except BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2 and all(isinstance(v, str) for v in e)]


def known_device(username: str) -> str | None:
    """The nonce of this browser's device cookie for the (normalised) username, if it has one."""
    digest = _digest(username)
    return next((nonce for who, nonce in _entries() if hmac.compare_digest(who, digest)), None)


def remember(response, username: str) -> None:
    """After a successful sign-in: a fresh nonce for this account, kept first in the cookie."""
    digest = _digest(username)
    entries = [[digest, secrets.token_urlsafe(16)]]
    entries += [e for e in _entries() if e[0] != digest][:ACCOUNTS_PER_COOKIE - 1]
    cfg = current_app.config
    response.set_cookie(COOKIE, _serializer().dumps(entries), max_age=LIFETIME_DAYS * 86400,
                        secure=cfg["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
