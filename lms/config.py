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


def _signing_key(instance_path: Path, production: bool) -> str | None:
    """The Ed25519 key that signs certificates, as PEM: LMS_SIGNING_KEY (the PEM itself) or
    LMS_SIGNING_KEY_FILE (a path to it); in development one generated once into instance/.

    Every app server must sign with the same key, so it is never made per process; production
    gets none unless it is configured (certificates then cannot be issued or served).
    """
    key = os.environ.get("LMS_SIGNING_KEY", "").strip()
    if key:
        return key.replace("\\n", "\n") + "\n"
    path = os.environ.get("LMS_SIGNING_KEY_FILE")
    if path:
        return Path(path).read_text()
    if production:
        return None
    key_file = instance_path / "signing_key.pem"
    if key_file.exists():
        return key_file.read_text()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    partial = key_file.with_name(f"signing_key.{os.getpid()}.tmp")
    partial.write_text(pem)
    partial.chmod(0o600)
    try:
        os.link(partial, key_file)   # the first process to get here wins; the others read it
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    return key_file.read_text()


def normalise_database_url(url: str) -> str:
    """Heroku-style URLs and the bare postgresql:// scheme default to psycopg2; we ship psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _database_url(instance_path: Path) -> str:
    return normalise_database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'lms.sqlite3'}")


def _engine_options(url: str) -> dict:
    """Behind PgBouncer in transaction mode (DATABASE_PGBOUNCER=1) each transaction may run on
    another server connection, so a statement psycopg prepared on one is unknown on the next:
    psycopg must never prepare (prepare_threshold=None). The app keeps no other session state
    (no SET, no session advisory locks, no LISTEN, no temporary tables)."""
    if os.environ.get("DATABASE_PGBOUNCER") == "1" and url.startswith("postgresql"):
        return {"connect_args": {"prepare_threshold": None}, "pool_pre_ping": True}
    return {}


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    production = os.environ.get("LMS_ENV", "development") == "production"
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = _database_url(instance_path)
    return {
        "LMS_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Logged statements and errors never print their parameters: they are password
        # hashes, essays, RTLs and names. A developer may show them (never in production).
        "SQLALCHEMY_ENGINE_OPTIONS": {**_engine_options(database_url), "hide_parameters": production or os.environ.get(
            "LMS_SHOW_SQL_PARAMETERS") != "1"},
        "LMS_CONTENT_DIR": Path(os.environ.get("LMS_CONTENT_DIR") or REPO_ROOT),
        "LMS_SIGNING_KEY": _signing_key(instance_path, production),
        # The site's public address (https://lms.example.org): the start of the URLs in QR codes,
        # credentials and the issuer profile. Empty: the address of the request.
        "LMS_BASE_URL": os.environ.get("LMS_BASE_URL", "").strip().rstrip("/"),
        # Public verification pages: lookups allowed per address per window.
        "VERIFY_MAX_PER_ADDRESS": int(os.environ.get("LMS_VERIFY_MAX_PER_ADDRESS", "30")),
        "VERIFY_WINDOW_SECONDS": 60,
        "LMS_DEMO_PASSWORD": os.environ.get("LMS_DEMO_PASSWORD", "paralegal-demo"),
        # Reverse proxies in front of the app: their X-Forwarded-For/Proto are trusted, so
        # per-address throttling sees the person's address, not the proxy's.
        "LMS_TRUSTED_PROXIES": int(os.environ.get("LMS_TRUSTED_PROXIES", "0")),
        # Where "keluar cepat" goes: a neutral page (the weather) for a trainee reading next
        # to someone who must not see it.
        "LMS_QUICK_EXIT_URL": os.environ.get("LMS_QUICK_EXIT_URL", "https://www.bmkg.go.id/"),
        "SESSION_COOKIE_SECURE": production or os.environ.get("LMS_SECURE_COOKIES") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "lms_session",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        # A trainee's home and module pages are kept per process until something they show
        # changes (lms.core.page_cache); LMS_PAGE_CACHE=0 renders every one afresh.
        "LMS_PAGE_CACHE": os.environ.get("LMS_PAGE_CACHE", "1") != "0",
        # The largest request: a roster CSV of a few thousand rows fits many times over;
        # anything bigger is refused with 413 before a worker reads it into memory.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # a slow phone form must not expire mid-answer
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LMS_LANGUAGES": ("id", "en"),
        # Argon2id cost: OWASP's minimum (19 MiB, 2 passes, 1 lane), so a sign-in costs a small
        # server little memory and time; a hash made with other costs is redone at the next
        # sign-in. Tests lower it so the suite stays fast.
        "ARGON2_TIME_COST": 2,
        "ARGON2_MEMORY_COST": 19456,
        "ARGON2_PARALLELISM": 1,
        # Sign-in throttling: failures allowed per window, per account from devices that never
        # signed in to it, per device that did (its device cookie), and per address.
        "LOGIN_MAX_FAILURES_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_DEVICE": 5,
        "LOGIN_MAX_FAILURES_ADDRESS": 20,
        "LOGIN_THROTTLE_WINDOW_SECONDS": 15 * 60,
        # A sign-in lasts at most this long, then the person signs in again.
        "LOGIN_SESSION_DAYS": 14,
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/csv",
                               "application/json", "application/javascript", "image/svg+xml"],
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_MIN_SIZE": 256,
        # Behind nginx, which compresses (deploy/nginx.conf), LMS_COMPRESS=0 spares the app
        # servers' cores the work.
        "COMPRESS_REGISTER": os.environ.get("LMS_COMPRESS", "1") != "0",
        # Over the 29 shipped module pages level 4 costs 0.44 ms a page against 0.65 ms for the
        # default 6 (0.57 for 5), for 2.5% more bytes (9.5 KB against 9.2).
        "COMPRESS_LEVEL": 4,
        # The stylesheet URL carries its content hash, so it can be cached for a year.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 86400,
    }
