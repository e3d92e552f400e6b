"""Argon2id password hashing, and the list of passwords too common to choose."""
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"],
                          parallelism=cfg["ARGON2_PARALLELISM"])


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


def check_and_upgrade(user, password: str) -> bool:
    """Check a person's password; when it matches a hash made with other costs (older
    settings), store a new hash with today's, since only now is the password at hand."""
    if not verify_password(user.password_hash if user is not None else None, password):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (lms/accounts/common_passwords.txt), case-folded."""
    text = resources.files("lms.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.casefold() for line in text.splitlines()
                     if line and line != "#" and not line.startswith("# "))


def is_common(password: str) -> bool:
    """Whether attackers would try this password among the first (any letter case)."""
    return password.casefold() in common_passwords()
