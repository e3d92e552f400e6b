"""Several app servers: Debian's nginx, configured by deploy/nginx.conf itself, in front of
three gunicorn servers (deploy/gunicorn.conf.py) on loopback ports sharing PostgreSQL.

Nothing another server would need lives in a process: a sign-in made through one server
works on the others and ends on all of them at once, sign-in throttling counts across
servers, and a burst of quiz submissions survives one server being killed in the middle,
with every attempt stored once. nginx serves the static files itself (cached, compressed)
and refuses bodies over the app's limit.

Runs under `make test-postgres` (skipped on SQLite, which several servers cannot share);
under CI a missing nginx is a failure, never a skip.
"""
from __future__ import annotations

import datetime
import gzip
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess  # noqa: S404 - nginx and gunicorn, started with argument lists
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.accounts.models import LoginThrottle
from lms.assessment.models import Attempt, AttemptStatus
from lms.extensions import db
from tests.conftest import FIXTURE_CONTENT, PASSWORD, REPO_ROOT, csrf_token
from tests.helpers import free_port, start_with_first_page
from tests.test_attempts import ALL_RIGHT
from tests.test_concurrent_submit import Browser, NoRedirect

SERVERS = 3
BURST = 60                  # trainees submitting their post-test at the same moment
DEPLOY = REPO_ROOT / "deploy"

pytestmark = [pytest.mark.cluster, pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="several app servers share one PostgreSQL database: run with make test-postgres")]


def _tool(name: str, required: bool = True) -> str | None:
    """Debian's nginx or pgbouncer. Under CI a missing one fails the test; elsewhere nginx
    missing skips it and pgbouncer missing only means the servers reach PostgreSQL directly."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed (apt-get install {name}); CI must run the cluster test")
    if required:
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return None


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, so the test speaks TLS to the very server blocks of the
    deploy file; the client trusts exactly this certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def site_config(http_port: int, https_port: int, upstreams: list[int], cert: Path, key: Path,
                logs: Path) -> str:
    """deploy/nginx.conf with its placeholders replaced, and nothing else changed: each
    replacement must find what it replaces, so the deploy file cannot drift from this test."""
    text = (DEPLOY / "nginx.conf").read_text()

    def sub(pattern: str, replacement: str, count: int) -> None:
        nonlocal text
        text, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert found == count, f"deploy/nginx.conf: expected {count} x {pattern!r}, found {found}"

    sub(r"^\s*listen \[::\].*\n", "", 4)               # the test machine may have no IPv6
    sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", 2)
    sub(r"listen 443\b", f"listen 127.0.0.1:{https_port}", 2)
    sub(r"/etc/letsencrypt/live/lms\.example\.org/fullchain\.pem", str(cert), 2)
    sub(r"/etc/letsencrypt/live/lms\.example\.org/privkey\.pem", str(key), 2)
    sub(r"server_name lms\.example\.org;", "server_name 127.0.0.1;", 2)
    sub(r"alias /srv/lms/static/;", f"alias {REPO_ROOT / 'static'}/;", 1)
    sub(r"/var/log/nginx/", f"{logs}/", 2)
    sub(r"^(\s*)server 127\.0\.0\.1:800[1-3] (.*)\n", "", 3)
    sub(r"(least_conn;\n)", "\\1" + "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n"
                                             for port in upstreams), 1)
    return text


def main_config(folder: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives a site, with every path under `folder`."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""   # read the checkout wherever it is
    return f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} notice;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include {site};
}}
"""


class Client(Browser):
    """The suite's cookie-keeping client, also over TLS (trusting the test certificate), to
    nginx or to one app server directly; cookies are shared, as on one phone."""

    def __init__(self, base: str, context: ssl.SSLContext):
        super().__init__(base)
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                  urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def fetch(self, url: str, data: dict | bytes | None = None, headers: dict | None = None):
        """(status, headers, body bytes) of one request; a redirect is not followed."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data, doseq=True).encode()
        # Flask-WTF wants a same-origin Referer on HTTPS, as a browser sends.
        request = urllib.request.Request(  # noqa: S310 - http(s) to the test cluster only
            url, data, headers={"Referer": url, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()

    def get(self, path):
        status, _, body = self.fetch(self.base + path)
        assert status == 200, (path, status)
        return body.decode()

    def post(self, path, data):
        status, headers, _ = self.fetch(self.base + path, data)
        return status, headers.get("Location")

    def sign_in(self, username: str, password: str = PASSWORD, base: str | None = None) -> int:
        base = base or self.base
        token = csrf_token(self.fetch(base + "/login")[2].decode())
        return self.fetch(base + "/login", {"username": username, "password": password, "csrf_token": token})[0]


class PgBouncer:
    """PgBouncer in transaction mode between the app servers and PostgreSQL, as
    docs/deployment.md recommends: every transaction may run on another server connection,
    so the app servers must not prepare statements (DATABASE_PGBOUNCER=1)."""

    def __init__(self, binary: str, database_url: str):
        self.binary, self.target = binary, sa.engine.make_url(database_url)
        self.port = free_port()
        # PgBouncer refuses to run as root: as root, run it as postgres, in a folder it can read.
        self.folder = Path(tempfile.mkdtemp(prefix="lms-pgbouncer-"))
        self.folder.chmod(0o755)
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres" if _has_user("postgres") else "nobody"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.target.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def start(self) -> None:
        target = self.target
        login = f" user={target.username}" if target.username else ""
        login += f" password={target.password}" if target.password else ""
        (self.folder / "users.txt").write_text(f'"{target.username or "postgres"}" ""\n')
        (self.folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={target.host or "127.0.0.1"} port={target.port or 5432}{login}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.folder / "users.txt"}
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
logfile = {self.folder / "pgbouncer.log"}
ignore_startup_parameters = extra_float_digits,options
""")
        if self.user:
            for path in (self.folder, *self.folder.iterdir()):
                shutil.chown(path, self.user)
        self.process = subprocess.Popen(  # noqa: S603 - Debian's pgbouncer, our own config
            [self.binary, str(self.folder / "pgbouncer.ini")], user=self.user,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("pgbouncer did not start:\n" + self.log())

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _has_user(name: str) -> bool:
    import pwd
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class Cluster:
    def __init__(self, folder: Path, database_url: str, pgbouncer: bool):
        self.folder = folder
        self.upstream_ports = [free_port() for _ in range(SERVERS)]
        self.http_port, self.https_port = free_port(), free_port()
        self.upstreams = [f"http://127.0.0.1:{port}" for port in self.upstream_ports]
        self.https = f"https://127.0.0.1:{self.https_port}"
        self.http = f"http://127.0.0.1:{self.http_port}"
        cert, key = _self_signed(folder)
        self.tls = ssl.create_default_context(cafile=str(cert))
        from tests.test_config import _pem
        self.env = {**os.environ,
                    "DATABASE_URL": database_url,
                    "SECRET_KEY": "cluster-secret-shared-by-every-server",
                    "LMS_SIGNING_KEY": _pem(),
                    "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
                    "LMS_TRUSTED_PROXIES": "1",
                    "LMS_COMPRESS": "0",          # nginx compresses (deploy/nginx.conf)
                    "DATABASE_PGBOUNCER": "1" if pgbouncer else "0",
                    "WEB_CONCURRENCY": "2"}
        self.servers: list[subprocess.Popen | None] = [None] * SERVERS
        site = folder / "site.conf"
        site.write_text(site_config(self.http_port, self.https_port, self.upstream_ports, cert, key, folder))
        self.nginx_conf = folder / "nginx.conf"
        self.nginx_conf.write_text(main_config(folder, site))
        self.nginx: subprocess.Popen | None = None

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def start_server(self, index: int) -> None:
        out = open(self.folder / f"gunicorn-{index}.log", "ab")  # noqa: SIM115 - kept by the process
        self.servers[index] = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
             "-b", f"127.0.0.1:{self.upstream_ports[index]}", "lms:create_app()"],
            cwd=REPO_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()

    def kill_server(self, index: int) -> None:
        """As a crash or a power cut would: gunicorn's master and workers at once, no goodbye."""
        process = self.servers[index]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def start(self, nginx: str) -> None:
        for index in range(SERVERS):
            self.start_server(index)
        check = subprocess.run([nginx, "-t", "-q", "-e", str(self.folder / "error.log"),  # noqa: S603
                                "-c", str(self.nginx_conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr + self.log("error.log")
        self.nginx = subprocess.Popen(  # noqa: S603
            [nginx, "-e", str(self.folder / "error.log"), "-c", str(self.nginx_conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for index in range(SERVERS):
            self.wait_ready(index)
        deadline = time.monotonic() + 10
        while True:
            assert self.nginx.poll() is None, self.log("error.log")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start:\n" + self.log("error.log")
                time.sleep(0.1)

    def wait_ready(self, index: int, seconds: float = 40) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.servers[index].poll() is None, self.log(f"gunicorn-{index}.log")
            try:
                with urllib.request.urlopen(self.upstreams[index] + "/readyz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"app server {index} not ready:\n" + self.log(f"gunicorn-{index}.log"))

    def stop(self) -> None:
        for process in [*self.servers, self.nginx]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.servers, self.nginx]:
            if process is not None:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def client(self) -> Client:
        return Client(self.https, self.tls)


@pytest.fixture(scope="module")
def cluster(app, tmp_path_factory):
    nginx = _tool("nginx")
    bouncer_binary = _tool("pgbouncer", required=False)
    database_url = os.environ["TEST_DATABASE_URL"]
    bouncer = PgBouncer(bouncer_binary, database_url) if bouncer_binary else None
    running = None
    try:
        if bouncer:
            bouncer.start()
            database_url = bouncer.url
        running = Cluster(tmp_path_factory.mktemp("cluster"), database_url, pgbouncer=bool(bouncer))
        running.start(nginx)
        yield running
    finally:
        if running:
            running.stop()
        if bouncer:
            bouncer.stop()


def _location(headers) -> str:
    return headers.get("Location") or ""


def test_a_sign_in_through_one_server_works_on_every_server_and_ends_on_all(cluster, make_user):
    make_user("trainee1", display_name="Melati")
    phone = cluster.client()
    assert phone.sign_in("trainee1") == 302
    for upstream in cluster.upstreams:
        status, headers, body = phone.fetch(upstream + "/learn/")
        assert status == 200, (upstream, status, _location(headers))
        assert "Melati" in body.decode()
    # Signing out on one server (with a form from another) ends the session on all at once.
    page = phone.fetch(cluster.upstreams[0] + "/learn/")[2].decode()
    status, _, _ = phone.fetch(cluster.upstreams[1] + "/logout", {"csrf_token": csrf_token(page)})
    assert status == 302
    for upstream in (cluster.upstreams[0], cluster.upstreams[2]):
        status, headers, _ = phone.fetch(upstream + "/learn/")
        assert status == 302 and "/login" in _location(headers), (upstream, status)


def test_a_page_kept_by_every_server_is_never_served_after_a_change_through_another(app, cluster, make_user,
                                                                                    synced):
    """Each server keeps a trainee's home once it has sent it (lms.core.page_cache); reading a
    module through one server, or a change by anyone else, gives the page a new stamp in the
    database that every server reads at the next request."""
    make_user("trainee3")
    phone = cluster.client()
    assert phone.sign_in("trainee3") == 302
    home = [u + "/learn/" for u in cluster.upstreams]
    for url in home * 3:                       # the first sets the CSRF secret; then kept
        assert "0 dari 3 modul dibaca" in phone.fetch(url)[2].decode()
    page = phone.fetch(cluster.upstreams[0] + "/learn/modules/modul-1")[2].decode()
    status, _, _ = phone.fetch(cluster.upstreams[0] + "/learn/modules/modul-1/read", {"csrf_token": csrf_token(page)})
    assert status == 302
    phone.fetch(cluster.upstreams[0] + "/learn/modules/modul-1")   # shows (and clears) the flash
    for url in home:
        assert "1 dari 3 modul dibaca" in phone.fetch(url)[2].decode(), url
    with app.app_context():                    # a change made elsewhere: the module is renamed
        from lms.learning.models import Module
        db.session.scalar(sa.select(Module).where(Module.slug == "modul-2")).title = "Modul Berganti Nama"
        db.session.commit()
    for url in home:
        assert "Modul Berganti Nama" in phone.fetch(url)[2].decode(), url


def test_sign_in_throttling_counts_across_servers(app, cluster, make_user):
    make_user("trainee2")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    statuses = []
    for guess in range(limit + 1):
        # A new phone each time (no device cookie), each guess on the next server: no single
        # server sees more than two of them.
        stranger = cluster.client()
        statuses.append(stranger.sign_in("trainee2", f"tebakan-{guess}",
                                         base=cluster.upstreams[guess % SERVERS]))
    assert statuses == [401] * limit + [429], statuses
    # The right password from an unknown phone now waits too, on whichever server.
    assert cluster.client().sign_in("trainee2", PASSWORD, base=cluster.upstreams[2]) == 429
    with app.app_context():
        failures = db.session.scalar(sa.select(LoginThrottle.failures).where(LoginThrottle.key == "account:trainee2"))
    assert failures == limit + 2


def test_nginx_serves_static_files_cached_and_compressed(cluster, make_user):
    phone = cluster.client()
    phone.get("/login")
    # Pages carry the stylesheet inline; the file is still served, versioned by its hash, for
    # the offline copy and the bundle.
    from lms.core.security import asset_version
    stylesheet = f"/static/site.css?v={asset_version(str(REPO_ROOT / 'static'), 'site.css')}"
    status, headers, body = phone.fetch(cluster.https + stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (REPO_ROOT / "static" / "site.css").read_bytes()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Unversioned: kept a day, not a year.
    status, headers, _ = phone.fetch(cluster.https + "/static/favicon.svg")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=86400"
    # No app server was asked for either (their access logs do show the page).
    logs = "".join(cluster.log(f"gunicorn-{index}.log") for index in range(SERVERS))
    assert '"GET /login"' in logs and "/static/" not in logs
    # Pages come from the app servers, compressed by nginx (the app servers run LMS_COMPRESS=0).
    status, headers, body = phone.fetch(cluster.https + "/login", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert 'name="csrf_token"' in gzip.decompress(body).decode()
    status, headers, _ = phone.fetch(cluster.upstreams[0] + "/login", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "Content-Encoding" not in headers


def test_nginx_redirects_http_refuses_big_bodies_and_unknown_hosts(cluster):
    phone = cluster.client()
    status, headers, _ = phone.fetch(cluster.http + "/login?next=%2Flearn%2F")
    assert status == 301 and _location(headers) == "https://127.0.0.1/login?next=%2Flearn%2F"
    limit = 2 * 1024 * 1024     # MAX_CONTENT_LENGTH
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = phone.fetch(cluster.https + "/login", b"x" * (limit + 1), headers=form)
    assert status == 413
    # Just under the limit nginx passes the body on and the app answers (no CSRF token: 400).
    status, _, _ = phone.fetch(cluster.https + "/login", b"x" * (limit - 1024), headers=form)
    assert status == 400
    # A Host nginx does not serve gets no answer at all.
    connection = http.client.HTTPSConnection("127.0.0.1", cluster.https_port, context=cluster.tls, timeout=5)
    try:
        connection.request("GET", "/login", headers={"Host": "evil.example"})
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
    finally:
        connection.close()


def _ready_to_submit(cluster, n: int):
    """Trainee n signed in through nginx, a quiz started and its first page saved."""
    phone = cluster.client()
    assert phone.sign_in(f"peserta{n}") == 302
    aid, token = start_with_first_page(phone, ALL_RIGHT)
    return n, phone, aid, token


def test_a_burst_of_submissions_survives_a_server_killed_mid_burst(app, cluster, make_user, synced):
    for n in range(BURST):
        make_user(f"peserta{n}")
    with ThreadPoolExecutor(8) as pool:
        ready = list(pool.map(lambda n: _ready_to_submit(cluster, n), range(BURST)))

    victim = 1
    barrier = threading.Barrier(BURST + 1)
    results = {}

    def submit(n, phone, aid, token):
        # Each trainee answers q5 their own way, so a mix-up between attempts would show.
        answers = {**ALL_RIGHT, "q7": "", "q5": "129" if n % 2 else f"jawaban {n}"}
        barrier.wait()
        results[n] = phone.post(f"/quiz/attempts/{aid}?page=2", {**answers, "action": "submit",
                                                                 "csrf_token": token, "confirm_unanswered": "1"})

    threads = [threading.Thread(target=submit, args=r) for r in ready]
    for t in threads:
        t.start()
    try:
        barrier.wait()
        time.sleep(0.05)            # the burst is on its way into every server
        cluster.kill_server(victim)
        for t in threads:
            t.join(60)
    finally:
        cluster.start_server(victim)
        cluster.wait_ready(victim)

    assert len(results) == BURST
    # Every trainee got to their result: nginx gave what the dead server held to another one.
    # The dead server may have finished some before dying; their retry found them submitted.
    for n, _, aid, _ in ready:
        status, where = results[n]
        assert status == 302 and where.startswith(f"/quiz/attempts/{aid}/result"), (n, status, where)
    with app.app_context():
        attempts = {a.id: a for a in db.session.scalars(sa.select(Attempt))}
        assert len(attempts) == BURST
        for n, _, aid, _ in ready:
            attempt = attempts[aid]
            assert attempt.status == AttemptStatus.GRADED and attempt.number == 1
            assert attempt.answers["5"] == ("129" if n % 2 else f"jawaban {n}")
            assert attempt.score_points == 6.0 + attempt.credits["5"]
    # The logs say which pages were asked for, never with their query strings (nor who asked).
    logs = cluster.log("lms.access.log") + "".join(cluster.log(f"gunicorn-{i}.log") for i in range(SERVERS))
    assert '"POST /quiz/attempts/' in logs and "?page=" not in logs and "urllib" not in logs
    # The kill happened while nginx was sending it requests.
    victim_port = str(cluster.upstream_ports[victim])
    assert any(victim_port in line for line in cluster.log("error.log").splitlines()
               if "upstream" in line), cluster.log("error.log")[-2000:]
