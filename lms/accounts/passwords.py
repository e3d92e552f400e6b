"""Argon2id password hashing."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; accounts without a password (not yet activated) never match."""
    hasher = _hasher()
    if not stored_hash:
        # Spend the same time as a real check, so response time does not reveal the account.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


