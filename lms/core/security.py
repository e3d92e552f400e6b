"""Security headers on every response."""

# No inline scripts or styles anywhere: the CSP can then forbid them outright.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        # Pages can show a trainee's answers; shared phones must not serve them from cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app) -> None:
    app.after_request(_set_headers)
    app.jinja_env.globals["css_version"] = asset_version(app.static_folder, "site.css")
    app.jinja_env.globals["favicon_version"] = asset_version(app.static_folder, "favicon.svg")
    app.jinja_env.globals["quick_exit_version"] = asset_version(app.static_folder, "quick-exit.js")
    app.jinja_env.globals["print_version"] = asset_version(app.static_folder, "print.js")
    if app.config["LMS_ENV"] == "production":
        @app.after_request
        def _hsts(response):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response


def asset_version(static_folder: str, filename: str) -> str:
    """A short hash of a static file, so a changed stylesheet is fetched again at once while
    an unchanged one stays cached on the phone (metered data)."""
    import hashlib
    from pathlib import Path
    try:
        return hashlib.sha256((Path(static_folder) / filename).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"
