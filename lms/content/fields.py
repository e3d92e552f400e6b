"""Checked, typed access to the keys of one YAML mapping, reporting problems as it goes.

Each getter returns a usable value (the default when the key is absent or invalid) so that
checking can go on after the first problem and the writer sees all of them at once.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lms.content.records import Problem
from lms.content.source import LineDict

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HINT = "use lowercase letters, digits and single hyphens, e.g. `hak-asasi-manusia`"


@dataclass(frozen=True)
class Ref:
    """A slug that must name an existing item; resolved once every file is loaded."""

    path: str
    line: int
    target: str               # "track", "module", "quiz" or "roleplay"
    slug: str
    role: str                 # how messages name the reference, e.g. "module quiz"
    kind: str | None = None   # the quiz kind the target must have
    where: str = ""           # message prefix, e.g. "question 3"


@dataclass(frozen=True)
class Claim:
    """A value that must be unique within its namespace (a slug, a module order in a track)."""

    namespace: str
    value: object
    path: str
    line: int


@dataclass
class FileReport:
    """Everything checking one file produced: problems, references and unique claims."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        """Record a problem at `line` of this file."""
        self.problems.append(Problem(self.path, line, message))

    def ref(self, line: int, target: str, slug: str, role: str, kind: str | None = None,
            where: str = "") -> None:
        """Record a cross-reference to check later."""
        self.refs.append(Ref(self.path, line, target, slug, role, kind, where))

    def claim(self, namespace: str, value: object, line: int) -> None:
        """Record a value that no other file may claim in the same namespace."""
        self.claims.append(Claim(namespace, value, self.path, line))


def show(value: object) -> str:
    """A value as the writer typed it, for messages (YAML spelling of null and booleans)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "..."


def unknown_key_message(key: object, allowed: tuple[str, ...]) -> str:
    """Message for a key that is not allowed, suggesting the closest allowed one."""
    match = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"did you mean `{match[0]}`?" if match else "remove it or correct its name"
    name = "null" if key is None else show(key)
    return f"unknown key `{name}`: {hint} (allowed: {', '.join(allowed)})"


def is_int(value: object) -> bool:
    """True for YAML integers; booleans are ints in Python but not in content."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """True for YAML integers and floats, not booleans."""
    return is_int(value) or isinstance(value, float)


def is_text(value: object) -> bool:
    """True for a string with something other than whitespace in it."""
    return isinstance(value, str) and bool(value.strip())


def repeats(values: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """(index, first index) for each text equal to an earlier one, ignoring case and spaces."""
    first: dict[str, int] = {}
    for index, value in values:
        norm = " ".join(value.split()).casefold()
        if norm in first:
            yield index, first[norm]
        first.setdefault(norm, index)


def item_line(seq: list, index: int, default: int) -> int:
    """Line of item `index` of a parsed sequence."""
    line_at = getattr(seq, "line_at", None)
    return line_at(index) if line_at else default


class Fields:
    """Typed access to one mapping (a track, front matter, a question, a role...)."""

    def __init__(self, data: LineDict, report: FileReport, where: str = ""):
        self.data = data
        self.report = report
        self.prefix = f"{where}: " if where else ""

    def line(self, key: str | None = None) -> int:
        """Line of `key`, or of the mapping when the key is absent or not given."""
        return self.data.line_of(key) if key is not None else self.data.line

    def problem(self, key: str | None, message: str) -> None:
        """Report a problem at the line of `key`, prefixed with where the mapping is."""
        self.report.problem(self.line(key), self.prefix + message)

    def check_keys(self, required: tuple[str, ...], allowed: tuple[str, ...]) -> None:
        """Report missing required keys and keys that are not allowed."""
        for key in required:
            if key not in self.data:
                self.problem(None, f"missing required key `{key}`: add `{key}: ...`")
        for key in self.data:
            if key not in allowed:   # line_of, not self.line: a `null:` key is a real key
                self.report.problem(self.data.line_of(key),
                                    self.prefix + unknown_key_message(key, allowed))

    def get(self, key: str, required: bool = False) -> object:
        """Raw value of `key`; a required key that is present but empty is reported."""
        value = self.data.get(key)
        if value is None and required and key in self.data:
            self.problem(key, f"`{key}` is empty: write a value after `{key}:`")
        return value

    def text(self, key: str, required: bool = False, default: str | None = None,
             allow_empty: bool = False) -> str | None:
        """A string value; empty strings only when `allow_empty`."""
        value = self.get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problem(key, f"`{key}` must be text, got `{show(value)}`: put it in quotes")
            return default
        if not allow_empty and not value.strip():
            self.problem(key, f"`{key}` is empty: write a value after `{key}:`")
            return default
        return value

    def slug(self, key: str, required: bool = False) -> str | None:
        """A slug value."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
            self.problem(key, f"`{key}` value `{show(value)}` is not a valid slug: {SLUG_HINT}")
            return None
        return value

    def integer(self, key: str, default: int | None, minimum: int | None = None,
                maximum: int | None = None, required: bool = False) -> int | None:
        """A whole number within the given bounds."""
        value = self.get(key, required)
        if value is None:
            return default
        if is_int(value) and (minimum is None or value >= minimum) and (
                maximum is None or value <= maximum):
            return value
        self.problem(key, f"`{key}` must be {_int_rule(minimum, maximum)}, got `{show(value)}`")
        return default

    def number(self, key: str, default: float | None, minimum: float | None = None,
               required: bool = False) -> float | None:
        """A number (whole or decimal), at least `minimum`."""
        value = self.get(key, required)
        if value is None:
            return default
        if is_number(value) and (minimum is None or value >= minimum):
            return float(value)
        rule = "a number" if minimum is None else f"a number of {show(minimum)} or more"
        self.problem(key, f"`{key}` must be {rule}, got `{show(value)}`")
        return default

    def boolean(self, key: str, default: bool | None, required: bool = False) -> bool | None:
        """`true` or `false`."""
        value = self.get(key, required)
        if value is None or isinstance(value, bool):
            return default if value is None else value
        self.problem(key, f"`{key}` must be `true` or `false` (without quotes), "
                          f"got `{show(value)}`")
        return default

    def choice(self, key: str, choices: tuple[str, ...], default: str | None,
               noun: str, required: bool = False) -> str | None:
        """One word out of `choices`."""
        value = self.get(key, required)
        if value is None:
            return default
        if value in choices:
            return value
        self.problem(key, choice_message(noun, value, choices))
        return default

    def sequence(self, key: str, required: bool = False) -> list | None:
        """A YAML list, or None when absent or not a list."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(key, f"`{key}` must be a list: write each item on its own line "
                              "starting with `- `, or use `[a, b]`")
            return None
        return value

    def text_list(self, key: str, required: bool = False) -> list[str]:
        """A non-empty list of non-empty strings."""
        seq = self.sequence(key, required)
        if seq is None:
            return []
        if not seq:
            self.problem(key, f"`{key}` is an empty list: add at least one item")
        good = []
        for index, item in enumerate(seq):
            if is_text(item):
                good.append(item)
            else:
                self.report.problem(item_line(seq, index, self.line(key)),
                                    f"{self.prefix}`{key}` item {index + 1} must be non-empty "
                                    f"text, got `{show(item)}`")
        return good

    def slug_list(self, key: str, choices: tuple[str, ...] | None = None,
                  noun: str = "") -> list[str]:
        """A list of slugs, or of words from `choices` when given."""
        seq = self.sequence(key)
        good = []
        for index, item in enumerate(seq or []):
            line = item_line(seq, index, self.line(key))
            if choices is not None and item not in choices:
                self.report.problem(line, self.prefix + choice_message(noun, item, choices))
            elif choices is None and not (isinstance(item, str) and SLUG_RE.fullmatch(item)):
                self.report.problem(line, f"{self.prefix}`{key}` item `{show(item)}` is not a "
                                          f"valid slug: {SLUG_HINT}")
            else:
                good.append(item)
        return good


def choice_message(noun: str, value: object, choices: tuple[str, ...]) -> str:
    """Message for a word that is not one of `choices`, with a suggestion when close."""
    match = difflib.get_close_matches(str(value), choices, n=1)
    hint = f"did you mean `{match[0]}`? " if match else ""
    return f"unknown {noun} `{show(value)}`: {hint}use one of {', '.join(choices)}"


def _int_rule(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"a whole number from {minimum} to {maximum}"
    if minimum == 1:
        return "a positive whole number"
    if minimum is not None:
        return f"a whole number of {minimum} or more"
    return "a whole number"
