"""URL helpers."""
from urllib.parse import urlsplit


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
