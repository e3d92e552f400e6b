"""Security headers on every response."""
import base64
import functools
import hashlib
from pathlib import Path

from markupsafe import Markup

# No inline scripts, no style="" attributes, no inline <style> but the one whose hash the
# policy names (the site's stylesheet, inlined so a page paints without a second round trip).
CSP_TEMPLATE = ("default-src 'self'; script-src 'self'; style-src 'self' {style_hash}; "
                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                "frame-ancestors 'none'; form-action 'self'; worker-src 'self'")


def _set_headers(response):
    from flask import current_app
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["LMS_CSP"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        # Pages can show a trainee's answers; shared phones must not serve them from cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app) -> None:
    css = inline_stylesheet(app.static_folder)
    app.config["LMS_CSP"] = CSP_TEMPLATE.format(style_hash=style_hash(css))
    # Markup: the text goes into <style> byte for byte, or its hash would not match.
    app.jinja_env.globals["inline_css"] = Markup(css)  # noqa: S704 - our own static file
    app.after_request(_set_headers)
    # Each static file's hash (the ?v= of its URL) once per process, the first time a page
    # names it (read from disk and hashed: not on every page).
    app.jinja_env.globals["version_of"] = functools.lru_cache(maxsize=64)(
        functools.partial(asset_version, app.static_folder))
    if app.config["LMS_ENV"] == "production":
        @app.after_request
        def _hsts(response):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response


def inline_stylesheet(static_folder: str) -> str:
    """The stylesheet every page carries inline (read once, at start-up). 7 KB, 2.3 KB gzipped:
    cheaper inline than the round trip a <link> costs on a slow phone before anything paints."""
    return (Path(static_folder) / "site.css").read_text(encoding="utf-8")


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this inline <style> text."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def asset_version(static_folder: str, filename: str) -> str:
    """A short hash of a static file, so a changed stylesheet is fetched again at once while
    an unchanged one stays cached on the phone (metered data)."""
    try:
        return hashlib.sha256((Path(static_folder) / filename).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"
