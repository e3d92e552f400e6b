"""Personal data that must not be written into shared text: a 16-digit NIK, a phone number
other than the official hotlines, an email address, or the name of a known person.

One rule for every place that warns (field-practice descriptions, role-plays before they
are published); the shipped curriculum is held to the same phone rule by its tests.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The only numbers shared text may give: SAPA 129 and LPSK 148 and their WhatsApp numbers.
OFFICIAL_NUMBERS = ("129", "148", "08111-129-129", "0857-7001-0048")
_OFFICIAL_DIGITS = {re.sub(r"\D", "", number) for number in OFFICIAL_NUMBERS}

NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Mobile numbers (08.., +62 8.., 62 8..) with any separators, and landlines (021-..., 0274 ...).
MOBILE = re.compile(r"(?<![\w])(?:\+62[\s.-]?|62[\s.-]?|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
PHONE = re.compile(r"(?<![\w/.,-])(?:\+62[ -]?|0)\d{2,4}(?:[- ]?\d{2,4}){2,3}(?![\w/])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

KINDS = ("nik", "phone", "email", "name")


@dataclass(frozen=True)
class Found:
    """One piece of personal data: its kind (one of KINDS) and the text that matched."""

    kind: str
    match: str


def is_official_number(text: str) -> bool:
    return re.sub(r"\D", "", text) in _OFFICIAL_DIGITS


def personal_data_in(text: str, names: Iterable[str] = ()) -> list[Found]:
    """Every piece of personal data the text seems to contain, in KINDS order.

    `names` are people's names that must not appear (whole words, ignoring case)."""
    text = text or ""
    found: list[Found] = []
    for match in NIK.finditer(re.sub(r"[\s.-]", "", text)):
        found.append(Found("nik", match.group(0)))
    seen = set()
    for pattern in (MOBILE, PHONE):
        for match in pattern.finditer(text):
            number = match.group(0).strip()
            digits = re.sub(r"\D", "", number)
            if digits in seen or is_official_number(number) or len(digits) == 16:
                continue
            seen.add(digits)
            found.append(Found("phone", number))
    found += [Found("email", match.group(0)) for match in EMAIL.finditer(text)]
    for name in sorted({" ".join(n.split()).casefold() for n in names if n and len(n.strip()) >= 3}):
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
        if match:
            found.append(Found("name", match.group(0)))
    return found


def personal_data_found(text: str) -> list[str]:
    """Kinds of personal data the text seems to contain: 'nik', 'phone', 'email'."""
    kinds = {found.kind for found in personal_data_in(text)}
    return [kind for kind in KINDS if kind in kinds]
