"""The pieces GIFT text is made of (see lms.assessment.gift_parse): escapes, `[format]`
markers, `%weight%`, `#feedback`, the `=`/`~` answer markers, and HTML made Markdown."""
from __future__ import annotations

import html
import re

from lms.assessment.gift_issues import Notes

# Escaped characters are swapped for private-use placeholders before parsing, so that
# `\~` or `\{` can never be mistaken for syntax, and swapped back only inside finished text.
_ESCAPABLE = ":#={}~n\\"
_HIDE = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_SHOW = str.maketrans({hidden: ("\n" if char == "n" else char) for char, hidden in _HIDE.items()})
_ESCAPE_RE = re.compile(r"\\([:#={}~n\\])")

_FORMAT_RE = re.compile(r"^\[(markdown|html|plain|moodle)\]")
_WEIGHT_RE = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")


def hide_escapes(line: str) -> str:
    """A line with every escaped character swapped for its placeholder."""
    return _ESCAPE_RE.sub(lambda m: _HIDE[m.group(1)], line)


def show(text: str) -> str:
    """Put escaped characters back (`\\n` becomes a newline)."""
    return text.translate(_SHOW)


def read_prompt(raw: str, notes: Notes) -> str:
    """The question text; its format becomes the default of the answers, as in Moodle."""
    marker = _FORMAT_RE.match(raw.strip())
    if marker:
        notes.format = marker.group(1)
    return read_text(raw, notes)


def read_text(raw: str, notes: Notes) -> str:
    """One piece of text: optional `[format]` marker, escapes restored, HTML made Markdown."""
    text = raw.strip()
    marker = _FORMAT_RE.match(text)
    text = show(text[marker.end():] if marker else text)
    if (marker.group(1) if marker else notes.format) == "html":
        notes.warn("HTML converted to Markdown (bold, italics and line breaks kept, other "
                   "tags removed): check the text")
        text = html_to_markdown(text)
    return text.strip()


_HTML_RULES = [
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"</p\s*>", re.IGNORECASE), "\n\n"),
    (re.compile(r"</?(?:b|strong)(?:\s[^>]*)?>", re.IGNORECASE), "**"),
    (re.compile(r"</?(?:i|em)(?:\s[^>]*)?>", re.IGNORECASE), "*"),
    (re.compile(r"<[^>]*>"), ""),
]


def html_to_markdown(text: str) -> str:
    """Basic HTML to Markdown: bold, italics, line and paragraph breaks; other tags dropped."""
    text = re.sub(r"\s+", " ", text)  # in HTML source a newline is just a space
    for pattern, replacement in _HTML_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub(r" *\n *", "\n", html.unescape(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_entries(answers: str, markers: str, notes: Notes) -> list[tuple[str, str]]:
    """Split an answer block into (marker, body) pairs at each `=`/`~` marker."""
    parts = re.split(f"([{markers}])", answers)
    if parts[0].strip():
        raise notes.error(f"unknown answer block structure: {show(parts[0]).strip()!r} "
                          "before the first answer (answers start with = or ~)")
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def read_weight(body: str, default: float) -> tuple[float, str]:
    """A leading `%50%` weight (percent), or the default."""
    match = _WEIGHT_RE.match(body)
    if not match:
        return default, body
    return float(match.group(1)), body[match.end():]


def read_answer(body: str, notes: Notes) -> tuple[str, str]:
    """(answer text, feedback) of one answer; `#` starts the feedback."""
    text, _, feedback = body.partition("#")
    return read_text(text, notes), read_text(feedback, notes)


def percent(weight: float) -> str:
    return f"{weight:g}%"
