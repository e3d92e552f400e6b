"""Markdown to sanitised HTML, done once at sync time rather than per request.

Markdown and nh3 are imported by the first render, not with the module: a web worker
imports this module (its domains register content kinds) but seldom renders anything."""
from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import markdown

# Bidirectional overrides make a line read differently from what it says; content, like typed
# text, never needs them.
from lms.core.inputs import BIDI_CONTROLS

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "table", "thead", "tbody", "tr",
    "th", "td", "sup", "sub", "abbr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()


def _renderer() -> markdown.Markdown:
    """One Markdown instance per thread, reset between documents: building one (its
    extensions, their patterns) costs more than converting a quiz option, and sync renders
    thousands of those. Instances keep state (footnotes, abbreviations), hence per thread."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        import markdown
        renderer = _local.renderer = markdown.Markdown(extensions=["extra", "sane_lists"],
                                                       output_format="html")
    return renderer


# One line of words and plain punctuation, not starting like a list, heading, quote or code:
# Markdown would only wrap it in <p> (most quiz options and feedback are like this).
_PLAIN = re.compile(r"(?![-+*#>=\d\s])(?:[^\W_]|[ ,.;:?!'\"()/%-])*", re.UNICODE)


def _to_html(text: str) -> str:
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        return f"<p>{text}</p>"
    return _renderer().reset().convert(text)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str | None) -> str:
    """Render trusted-format but untrusted-content Markdown to safe HTML.

    Raw HTML in the source is escaped by nh3, scripts and event handlers are dropped, and
    links can only be http(s)/mailto, so a content file cannot inject code into the site.
    """
    if not text:
        return ""
    import nh3
    html = _to_html(BIDI_CONTROLS.sub("", text))
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_inline(text: str | None) -> str:
    """Render a one-line Markdown string (a prompt, an option) without the wrapping <p>."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
