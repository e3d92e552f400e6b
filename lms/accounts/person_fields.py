"""The rules for a person's fields, used by every form, the CSV roster and the commands.

Each `*_problems` function returns the translated problems of one value (empty: fine), so a
form shows them beside the field and the roster beside the line.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from lms.accounts.models import User
from lms.accounts.passwords import is_common
from lms.core.i18n import gettext as _
from lms.extensions import db

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
PHONE_RE = re.compile(r"\+?[0-9 ().-]+")
# What Excel makes of a long number in a column not formatted as text: 6.28123E+11.
SCIENTIFIC_RE = re.compile(r"\+?\d+(?:[.,]\d+)?[eE]\+?\d+")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DISPLAY_NAME_MAX = 120
USERNAME_MAX = 64
EMAIL_MAX = 254
PHONE_DIGITS = (8, 15)

SHOWN_VALUE_MAX = 40
MIN_PASSWORD_LENGTH = 8
PASSWORD_MAX = 256


def normalise_username(value: str | None) -> str:
    """Usernames are compared and stored stripped and lower-case."""
    return (value or "").strip().lower()


def normalise_display_name(value: str | None) -> str:
    """Display names are stored stripped, with inner whitespace collapsed."""
    return " ".join((value or "").split())


def clean_phone(value: str) -> str:
    value = value.strip()
    if value.startswith("'"):      # Excel's "keep as text" apostrophe: '0812...
        value = value[1:].strip()
    return value


def username_problems(username: str) -> list[str]:
    if not username:
        return [_("username is empty")]
    if USERNAME_RE.fullmatch(username):
        return []
    return [_('username "%(username)s" is not valid: use 3 to 64 letters, digits, dots, '
              'hyphens or underscores, starting with a letter or digit (no spaces)',
              username=shorten(username))]


def display_name_problems(name: str) -> list[str]:
    if not name:
        return [_("display name is empty")]
    if len(name) > DISPLAY_NAME_MAX:
        return [_("display name is too long (%(length)d characters, at most %(max)d)",
                  length=len(name), max=DISPLAY_NAME_MAX)]
    return []


def phone_problems(phone: str) -> list[str]:
    if SCIENTIFIC_RE.fullmatch(phone):
        return [_('phone "%(phone)s" was turned into a number by the spreadsheet: format the '
                  'phone column as text and type the numbers again', phone=shorten(phone))]
    digits = sum(ch.isdigit() for ch in phone)
    low, high = PHONE_DIGITS
    if PHONE_RE.fullmatch(phone) and low <= digits <= high:
        return []
    return [_('phone "%(phone)s" is not valid: use %(min)d to %(max)d digits, optionally '
              'starting with + (spaces, hyphens, dots and brackets are allowed)',
              phone=shorten(phone), min=low, max=high)]


def email_problems(email: str) -> list[str]:
    if len(email) > EMAIL_MAX:
        return [_("email is too long (%(length)d characters, at most %(max)d)",
                  length=len(email), max=EMAIL_MAX)]
    if EMAIL_RE.fullmatch(email):
        return []
    return [_('email "%(email)s" is not valid: it needs one @ and a domain with a dot, '
              'without spaces (like nama@contoh.org)', email=shorten(email))]


def password_problems(password: str) -> list[str]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [_("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)]
    if len(password) > PASSWORD_MAX:
        return [_("Use at most %(max)d characters.", max=PASSWORD_MAX)]
    if is_common(password):
        return [_("This password is one of the most common ones, which are guessed first. "
                  "Choose another: a few words together are easy to remember and hard to guess.")]
    return []


def taken_usernames(usernames: set[str]) -> set[str]:
    """Which of these (normalised) usernames already exist (one query)."""
    if not usernames:
        return set()
    return set(db.session.scalars(sa.select(User.username).where(User.username.in_(usernames))))


def username_taken(username: str) -> bool:
    """Whether an account already has this username (compared normalised)."""
    return bool(taken_usernames({normalise_username(username)}))


def shorten(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_VALUE_MAX else value[:SHOWN_VALUE_MAX - 1] + "…"
