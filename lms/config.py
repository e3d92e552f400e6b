"""Settings. This is the only module that reads os.environ."""
import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path, production: bool) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/.

    Sessions must survive restarts, so a generated key is kept on disk; production must
    set its own so that several app servers share it.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise RuntimeError("SECRET_KEY must be set when LMS_ENV=production")
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'lms.sqlite3'}"
    # Heroku-style URLs and the bare postgresql:// scheme default to psycopg2; we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    production = os.environ.get("LMS_ENV", "development") == "production"
    instance_path.mkdir(parents=True, exist_ok=True)
    return {
        "LMS_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "LMS_CONTENT_DIR": Path(os.environ.get("LMS_CONTENT_DIR") or REPO_ROOT),
        "LMS_DEMO_PASSWORD": os.environ.get("LMS_DEMO_PASSWORD", "paralegal-demo"),
        # Reverse proxies in front of the app: their X-Forwarded-For/Proto are trusted, so
        # per-address throttling sees the person's address, not the proxy's.
        "LMS_TRUSTED_PROXIES": int(os.environ.get("LMS_TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": production or os.environ.get("LMS_SECURE_COOKIES") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "lms_session",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        # The largest request: a roster CSV of a few thousand rows fits many times over;
        # anything bigger is refused with 413 before a worker reads it into memory.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # a slow phone form must not expire mid-answer
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LMS_LANGUAGES": ("id", "en"),
        # Argon2id cost; tests lower it so the suite stays fast.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        # Sign-in throttling: failures allowed per window, per account and per address.
        "LOGIN_MAX_FAILURES_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_ADDRESS": 20,
        "LOGIN_THROTTLE_WINDOW_SECONDS": 15 * 60,
        # A sign-in lasts at most this long, then the person signs in again.
        "LOGIN_SESSION_DAYS": 14,
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/csv",
                               "application/json", "application/javascript", "image/svg+xml"],
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_MIN_SIZE": 256,
        # The stylesheet URL carries its content hash, so it can be cached for a year.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 86400,
    }
