"""`python -m bench load`: the site under load beside the bare baseline, as ratios.

For SQLite (a file under bench/.data) and PostgreSQL (BENCH_POSTGRES_URL, default the
database `bench` on 127.0.0.1:5432, created if missing and replaced): seed 1,000 trainees over
40 cohorts, start gunicorn -w 2 for the app and for bench/baseline.py, then
- cold start: the time to a first answered request, the app's beside the baseline's;
- wrk at 16 connections (Debian's `wrk`) for a trainee's home and a module page (as kept, and
  rendered afresh as after a change), a quiz page, saving a quiz page, the cohort page and its
  CSV, each run between two runs of the baseline
  (interleaved, so a busy machine slows both alike): requests/s, ratio to the baseline, p99;
- 100 sign-ins (4 at a time), then 500 trainees submitting a quiz at once (16 at a time),
  beside the same client fetching the baseline page, and the database checked for a lost or
  doubled attempt;
- each worker's memory (RSS, and PSS and USS) after the load, beside a baseline worker's.
Prints figures; asserts nothing. Every request stays on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import compileall
import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.figures import Figure
from bench.seed import DATA_DIR, PASSWORD, seed

REPO = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# Two benches on one machine each pick their own pair (BENCH_APP_PORT / BENCH_BASE_PORT).
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8741"))
BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "8742"))
ACCEPT = {"Accept-Encoding": "gzip", "Accept-Language": "id"}


def postgres_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


# --- a tiny HTTP client (keeps cookies by hand, never follows redirects) ------------------

class Client:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(ACCEPT, **({"Cookie": self.cookie_header()} if self.cookies else {}))
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Accept-Encoding"] = "identity"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def csrf(self, path: str) -> str:
        _status, _headers, html = self.request("GET", path)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                         html).group(0).rsplit('"', 2)[-2]

    def sign_in(self, username: str) -> bool:
        token = self.csrf("/login")
        status, _h, _t = self.request("POST", "/login", {"username": username, "password": PASSWORD,
                                                          "csrf_token": token})
        return status == 302


# --- servers ----------------------------------------------------------------------------

def _wait_for(port: int, path: str, started: float, timeout: float = 60) -> float:
    while time.perf_counter() - started < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"nothing answered on port {port}")


def start(target: str, port: int, env: dict) -> tuple[subprocess.Popen, float]:
    """gunicorn -w 2 serving target; returns it and the seconds to its first answer."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    return process, _wait_for(port, "/healthz" if port == APP_PORT else "/", started)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_memory_mib(process: subprocess.Popen) -> dict:
    """The mean resident (RSS), proportional (PSS: shared pages divided among their sharers)
    and unique (USS: private pages) memory of the master's workers. RSS counts pages a worker
    shares with its master in full, so it cannot show what a preloaded app saves."""
    sizes: dict[str, list[float]] = {"rss": [], "pss": [], "uss": []}
    for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
        fields = {}
        for line in Path(f"/proc/{child}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, value = line.partition(":")
            fields[name] = int(value.split()[0]) / 1024
        sizes["rss"].append(fields["Rss"])
        sizes["pss"].append(fields["Pss"])
        sizes["uss"].append(fields["Private_Clean"] + fields["Private_Dirty"])
    return {key: statistics.mean(values) if values else float("nan") for key, values in sizes.items()}


def workers_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by the master's workers: per request, a figure a
    busy shared machine disturbs far less than requests per second."""
    total = 0
    for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


# --- wrk --------------------------------------------------------------------------------

def wrk(port: int, path: str, cookie: str | None, duration: int, connections: int,
        post: dict | None = None) -> dict:
    headers = dict(ACCEPT, **({"Cookie": cookie} if cookie else {}))
    script = None
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    if post is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        body = urllib.parse.urlencode(post, doseq=True)
        script.write('wrk.method = "POST"\nwrk.body = "%s"\n'
                     'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' % body)
        script.close()
        args += ["-s", script.name]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"],  # noqa: S603
                            capture_output=True, text=True, timeout=duration + 30).stdout
    if script:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
            "errors": int(errors.group(1)) if errors else 0}


def timed_burst(calls, concurrency: int) -> dict:
    """Run calls (functions returning a status) concurrently; total time, p99 and failures."""
    def one(call):
        t0 = time.perf_counter()
        ok = call()
        return time.perf_counter() - t0, ok
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, calls))
    total = time.perf_counter() - t0
    times = sorted(t for t, _ok in results)
    return {"total": total, "rps": len(calls) / total, "p99": times[int(len(times) * .99) - 1] * 1000,
            "failed": sum(1 for _t, ok in results if not ok)}


# --- one backend ------------------------------------------------------------------------

# Targets of issue 14 (docs/performance.md): a page's CPU per request and requests per second
# within 0.6x of the baseline's for the pages a trainee opens most, p99 under 25 ms.
PAGE_TARGETS = {"trainee home", "module page"}
RATIO_TARGET, P99_TARGET_MS = 0.6, 25
SYNC_TARGET_S, COLD_TARGET, MEMORY_TARGET, SIGN_IN_TARGET_S, SUBMIT_P99_TARGET_MS = 1.0, 1.2, 1.3, 3.0, 100


def run_backend(label: str, url: str, args) -> tuple[list[str], list[Figure]]:
    """Seed, start, load and measure one backend: the printed lines and the figures."""
    import logging
    logging.getLogger("alembic").setLevel(logging.WARNING)
    lines, figures = [], []
    result = seed(url, args.trainees, args.cohorts, quiet=True)
    c = result["counts"]
    sync = result["timings"]["content sync"]
    lines.append(f"[{label}] seeded {c['users']} trainees, {c['cohorts']} cohorts, {c['attempts']} attempts, "
                 f"{c['certificates']} certificates in {sum(result['timings'].values()):.0f} s "
                 f"(content sync {sync:.2f} s)")
    figures.append(Figure("content sync of the whole curriculum into an empty database", label, f"{sync:.2f} s",
                          f"< {SYNC_TARGET_S:.0f} s", sync < SYNC_TARGET_S))
    env = dict(os.environ, DATABASE_URL=url, BENCH_DATABASE_URL=url, SECRET_KEY="bench-secret-key",
               LMS_ENV="development", PYTHONPATH=str(REPO))
    for port in (APP_PORT, BASE_PORT):
        if not _port_free(port):
            raise SystemExit(f"port {port} is taken: is another bench running?")
    # Both start from compiled bytecode, as deployed (`make setup` compiles it): with
    # PYTHONDONTWRITEBYTECODE set, as on these machines, the app would compile ~125 modules
    # at every start and the one-file baseline nothing (a 60-80 ms handicap, not a cost).
    for folder in ("lms", "bench"):
        compileall.compile_dir(REPO / folder, quiet=1, workers=0)
    # Cold start, interleaved: baseline, app, baseline, app; the best of two each.
    colds = {"app": [], "base": []}
    for _round in range(2):
        for name, target, port in (("base", "bench.baseline:app", BASE_PORT), ("app", "lms:create_app()", APP_PORT)):
            process, seconds = start(target, port, env)
            colds[name].append(seconds)
            stop(process)
    cold_app, cold_base = min(colds["app"]), min(colds["base"])
    cold = cold_app / cold_base
    lines.append(f"[{label}] cold start to first answer: {cold_app * 1000:.0f} ms vs baseline "
                 f"{cold_base * 1000:.0f} ms = {cold:.2f}x (target <= {COLD_TARGET}x)")
    figures.append(Figure("cold start to the first answer, to the baseline's", label,
                          f"{cold:.2f}x ({cold_app * 1000:.0f} vs {cold_base * 1000:.0f} ms)",
                          f"<= {COLD_TARGET}x", cold <= COLD_TARGET))
    app, _ = start("lms:create_app()", APP_PORT, env)
    base, _ = start("bench.baseline:app", BASE_PORT, env)
    try:
        lines += _load(label, url, args, app, base, figures)
        mem_app, mem_base = worker_memory_mib(app), worker_memory_mib(base)
        rss_app, rss_base = mem_app["rss"], mem_base["rss"]
        memory = rss_app / rss_base
        lines.append(f"[{label}] worker memory after load: {rss_app:.0f} MiB vs baseline {rss_base:.0f} MiB "
                     f"= {memory:.2f}x (target <= {MEMORY_TARGET}x); PSS {mem_app['pss']:.0f} vs "
                     f"{mem_base['pss']:.0f} MiB, USS {mem_app['uss']:.0f} vs {mem_base['uss']:.0f} MiB")
        figures.append(Figure("worker memory after the load, to the baseline's", label,
                              f"{memory:.2f}x ({rss_app:.0f} vs {rss_base:.0f} MiB; USS {mem_app['uss']:.0f} vs "
                              f"{mem_base['uss']:.0f})", f"<= {MEMORY_TARGET}x", memory <= MEMORY_TARGET))
    finally:
        stop(app)
        stop(base)
    return lines, figures


def _wrk_cpu(process, port, path, cookie, args, post=None) -> dict:
    cpu = workers_cpu_seconds(process)
    result = wrk(port, path, cookie, args.duration, args.connections, post)
    result["cpu_ms"] = (workers_cpu_seconds(process) - cpu) * 1000 / max(1.0, result["rps"] * args.duration)
    return result


def _load(label: str, url: str, args, app, base, figures: list[Figure]) -> list[str]:
    lines = []
    trainee = Client(APP_PORT)
    assert trainee.sign_in("peserta00001"), "bench trainee could not sign in"
    coordinator = Client(APP_PORT)
    assert coordinator.sign_in("coordinator1"), "coordinator1 could not sign in"
    _s, _h, home = trainee.request("GET", "/learn/")
    modules = re.findall(r'href="/learn/modules/([^"#?]+)"', home)
    module = modules[len(modules) // 2]
    quiz = "kuis-hak-asasi-manusia"
    token = trainee.csrf(f"/quiz/{quiz}")
    status, headers, _t = trainee.request("POST", f"/quiz/{quiz}/start", {"csrf_token": token})
    attempt_path = headers.get("Location", "").replace("http://127.0.0.1:%d" % APP_PORT, "")
    _s, _h, coh = coordinator.request("GET", "/cohorts/")
    cohort = re.findall(r'href="/cohorts/(\d+)"', coh)[-1]
    pages = [
        # Asked again and again, the two are pages kept since nothing they show changed
        # (lms.core.page_cache); a query string has them rendered afresh each time, as the
        # first request after a change is.
        ("trainee home", trainee, "/learn/", None),
        ("trainee home, rendered", trainee, "/learn/?fresh=1", None),
        ("module page", trainee, f"/learn/modules/{module}", None),
        ("module page, rendered", trainee, f"/learn/modules/{module}?fresh=1", None),
        ("quiz page", trainee, attempt_path, None),
        ("save quiz page", trainee, attempt_path, {"csrf_token": token, "action": "save", "q0": "0"}),
        ("cohort page (25 trainees)", coordinator, f"/cohorts/{cohort}", None),
        ("cohort CSV", coordinator, f"/cohorts/{cohort}/report.csv", None),
    ]
    lines.append(f"[{label}] wrk -c {args.connections} for {args.duration} s each, between two baseline runs "
                 "(Accept-Encoding: gzip):")
    lines.append(f"[{label}]   {'page':<27} {'req/s':>7} {'baseline':>8} {'ratio':>6} {'p99 ms':>7} {'base p99':>8}"
                 f" {'CPU ms/req':>10} {'base CPU':>8} {'CPU ratio':>9}")
    before = _wrk_cpu(base, BASE_PORT, "/", None, args)
    for name, client, path, post in pages:
        measured = _wrk_cpu(app, APP_PORT, path, client.cookie_header(), args, post)
        after = _wrk_cpu(base, BASE_PORT, "/", None, args)
        base_rps = (before["rps"] + after["rps"]) / 2
        base_p99 = (before["p99"] + after["p99"]) / 2
        base_cpu = (before["cpu_ms"] + after["cpu_ms"]) / 2
        errors = f"  ({measured['errors']} non-2xx/3xx)" if measured["errors"] else ""
        lines.append(f"[{label}]   {name:<27} {measured['rps']:>7.0f} {base_rps:>8.0f} "
                     f"{measured['rps'] / base_rps:>5.2f}x {measured['p99']:>7.1f} {base_p99:>8.1f}"
                     f" {measured['cpu_ms']:>10.2f} {base_cpu:>8.2f} {base_cpu / measured['cpu_ms']:>8.2f}x{errors}")
        figures.extend(_page_figures(label, name, measured, base_rps, base_cpu))
        before = after
    lines += _sign_ins_and_submits(label, url, figures)
    return lines


def _page_figures(label: str, name: str, measured: dict, base_rps: float, base_cpu: float) -> list[Figure]:
    """A page's CPU per request and its rate beside the baseline's, judged where issue 14 set a target."""
    cpu_ratio, rps_ratio = base_cpu / measured["cpu_ms"], measured["rps"] / base_rps
    judged = name in PAGE_TARGETS
    lost = f", {measured['errors']} non-2xx/3xx" if measured["errors"] else ""
    return [Figure(f"{name}: CPU per request (baseline), ratio", label,
                   f"{measured['cpu_ms']:.1f} ms ({base_cpu:.1f}) = {cpu_ratio:.2f}x",
                   f">= {RATIO_TARGET}x" if judged else "", cpu_ratio >= RATIO_TARGET if judged else None),
            Figure(f"{name}: req/s ratio, p99", label, f"{rps_ratio:.2f}x, {measured['p99']:.0f} ms{lost}",
                   f">= {RATIO_TARGET}x, < {P99_TARGET_MS} ms" if judged else "",
                   rps_ratio >= RATIO_TARGET and measured["p99"] < P99_TARGET_MS if judged else None)]


SIGN_INS, BURST = 100, 500


def _sign_ins_and_submits(label: str, url: str, figures: list[Figure]) -> list[str]:
    lines = []
    clients = [Client(APP_PORT) for _ in range(BURST)]
    tokens = [c.csrf("/login") for c in clients]   # the login page is not what is timed

    def sign_in(i):
        def call():
            status, _h, _t = clients[i].request("POST", "/login", {
                "username": f"peserta{i + 2:05d}", "password": PASSWORD, "csrf_token": tokens[i]})
            return status == 302
        return call
    base = timed_burst([lambda: Client(BASE_PORT).request("GET", "/")[0] == 200] * SIGN_INS, 4)
    signins = timed_burst([sign_in(i) for i in range(SIGN_INS)], 4)
    lines.append(f"[{label}] {SIGN_INS} sign-ins, 4 at a time: {signins['total']:.2f} s, p99 {signins['p99']:.0f} ms, "
                 f"{signins['failed']} failed (target < 3 s; the same client fetches {SIGN_INS} baseline pages "
                 f"in {base['total']:.2f} s)")
    figures.append(Figure(f"{SIGN_INS} sign-ins, 4 at a time", label, f"{signins['total']:.2f} s, {signins['failed']} failed",
                          f"< {SIGN_IN_TARGET_S:.0f} s", signins["total"] < SIGN_IN_TARGET_S and not signins["failed"]))
    # The rest of the class signs in untimed; then each opens the same quiz and all of them
    # submit it at once (16 at a time).
    timed_burst([sign_in(i) for i in range(SIGN_INS, BURST)], 4)
    quiz = "kuis-hak-asasi-manusia"
    forms = []
    for client in clients:
        token = client.csrf(f"/quiz/{quiz}")
        _s, headers, _t = client.request("POST", f"/quiz/{quiz}/start", {"csrf_token": token})
        path = headers.get("Location", "").replace("http://127.0.0.1:%d" % APP_PORT, "").split("?")[0]
        forms.append((client, path, token))
    attempt_ids = [int(m.group(1)) for _c, path, _t in forms if (m := re.search(r"/attempts/(\d+)", path))]
    before = _attempts_at(url, quiz, BURST)

    def submit(client, path, token):
        def call():
            status, headers, _t = client.request("POST", f"{path}/submit", {"csrf_token": token})
            return status == 302 and "/result" in headers.get("Location", "")
        return call
    base = timed_burst([lambda: Client(BASE_PORT).request("GET", "/")[0] == 200] * BURST, 16)
    submits = timed_burst([submit(*f) for f in forms], 16)
    # What the database holds, not what the responses said: every attempt opened is submitted
    # (none lost) and the class holds no more attempts than before the burst (none doubled).
    after = _attempts_at(url, quiz, BURST)
    lost = len(attempt_ids) - _submitted(url, attempt_ids)
    doubled = after - before
    lines.append(f"[{label}] {BURST} quiz submits, 16 at a time: {submits['rps']:.0f}/s vs baseline "
                 f"{base['rps']:.0f}/s = {submits['rps'] / base['rps']:.2f}x, p99 {submits['p99']:.0f} ms "
                 f"(baseline {base['p99']:.0f} ms), {submits['failed']} failed responses; in the database "
                 f"{len(attempt_ids)} opened, {lost} lost, {doubled} doubled")
    figures.append(Figure(f"{BURST} quiz submits, 16 at a time: rate ratio, p99, lost, doubled", label,
                          f"{submits['rps'] / base['rps']:.2f}x, {submits['p99']:.0f} ms, {lost}, {doubled}",
                          f"p99 < {SUBMIT_P99_TARGET_MS} ms, none lost or doubled",
                          submits["p99"] < SUBMIT_P99_TARGET_MS and not submits["failed"] and not lost
                          and not doubled and len(attempt_ids) == BURST))
    return lines


def _attempts_at(url: str, quiz: str, people: int) -> int:
    """How many attempts the burst's trainees (peserta00002...) hold at the quiz."""
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM attempts JOIN users ON users.id = attempts.user_id "
                "WHERE attempts.quiz_slug = :quiz AND users.username IN :names").bindparams(
                sa.bindparam("names", expanding=True)),
                {"quiz": quiz, "names": [f"peserta{i + 2:05d}" for i in range(people)]}).scalar_one()
    finally:
        engine.dispose()


def _submitted(url: str, attempt_ids: list[int]) -> int:
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM attempts WHERE id IN :ids AND status != 'open'").bindparams(
                sa.bindparam("ids", expanding=True)), {"ids": attempt_ids}).scalar_one()
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--cohorts", type=int, default=40)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("load: skipped, wrk is not installed (apt-get install wrk)")
        return [Figure("load (wrk)", None, "skipped: wrk is not installed")]
    backends = {"sqlite": f"sqlite:///{DATA_DIR / 'load.sqlite3'}", "postgresql": postgres_url()}
    figures = []
    for label in args.backends.split(","):
        try:
            lines, found = run_backend(label, backends[label], args)
        except Exception as error:  # noqa: BLE001 - a missing server skips that backend, the bench goes on
            lines = [f"[{label}] load skipped: {type(error).__name__}: {error}"]
            found = [Figure("load", label, f"skipped: {type(error).__name__}")]
        figures += found
        print("\n".join(lines), flush=True)
    return figures
