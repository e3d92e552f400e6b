"""URL helpers."""
from urllib.parse import urlsplit

from werkzeug.routing import Rule


def safe_next(target: str | None, default: str) -> str:
    """Return target if it is a path inside this site, else default (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


class LazyBuilderRule(Rule):
    """A route whose URL builder is compiled the first time `url_for` builds it.

    Werkzeug compiles two Python functions for every rule as it is added (an AST and a
    compile() each): for the site's ~100 routes that was about 50 ms of every worker's start,
    though a worker builds the URLs of few of them. Compiled on first use instead, once per
    rule and process, the same functions as before.
    """

    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(rule, **values):
            compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)
            return compiled(**values)
        return build_first
