"""First paint on a slow 3G phone: a trainee's module page beside a bare page, in Chromium.

Chromium's own network emulation (DevTools `Network.emulateNetworkConditions`: 400 kbit/s each
way, 400 ms latency, the HTTP cache off so every load is a first visit) slows both pages the same
way; what differs is what the page makes the browser wait for before it can paint. The bare page
is a 2 KB HTML body with no stylesheet (as `bench/baseline.py`); a third row shows the same bare
page with the site's stylesheet linked, which is what a trainee page cost before the stylesheet
went inline. Prints medians and the ratio; asserts nothing.

`.venv/bin/python -m bench.first_paint` (Debian's /usr/bin/chromium, Playwright).
"""
from __future__ import annotations

import statistics
import threading

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
           "uploadThroughput": 400_000 / 8}
TARGET_RATIO = 1.2
CRITICAL_BYTES = 14 * 1024
RUNS = 7

BODY = "".join(f"<p>Paragraf {i}: hak atas bantuan hukum berlaku bagi setiap orang.</p>\n"
               for i in range(32))[:2048]
BARE = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Modul</title>{head}'
        '</head><body><header>trainee1</header><main><h1>Hak Asasi Manusia</h1>{body}'
        '</main></body></html>')

# What the page had fetched and painted, read from the browser's own timing entries.
MEASURE = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const blocking = performance.getEntriesByType('resource')
    .filter(r => r.renderBlockingStatus === 'blocking').map(r => r.name);
  return {fcp: paint ? paint.startTime : null, bytes: nav.transferSize,
          body: nav.encodedBodySize, blocking: blocking};
}"""


def throttle(page, conditions: dict | None = None):
    """Emulate a slow 3G phone on this page (Chromium only); returns the CDP session."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", conditions or SLOW_3G)
    return cdp


def first_paint(page, url: str) -> dict:
    """Load a URL and wait for its first contentful paint; the timing entries of that load."""
    page.goto(url, wait_until="load")
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
    return page.evaluate(MEASURE)


def bare_app(stylesheet: str):
    """The yardstick: a bare Flask page, and the same page with the stylesheet linked."""
    from flask import Flask, Response
    app = Flask(__name__)

    @app.get("/")
    def bare():
        return BARE.format(head="", body=BODY)

    @app.get("/linked")
    def linked():
        return BARE.format(head='<link rel="stylesheet" href="/site.css">', body=BODY)

    @app.get("/site.css")
    def css():
        return Response(stylesheet, mimetype="text/css")
    return app


def serve(app) -> tuple[str, object]:
    """Serve a WSGI app on a free loopback port in a thread."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def _lms_app():
    from bench.page_weight import demo_site
    app, curriculum = demo_site()
    longest = max(curriculum.modules.values(), key=lambda m: len(m.body)).slug
    return app, longest


def main(runs: int = RUNS) -> list:
    import logging

    from playwright.sync_api import sync_playwright

    from lms.config import REPO_ROOT
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app, longest = _lms_app()
    lms_url, lms_server = serve(app)
    bare_url, bare_server = serve(bare_app((REPO_ROOT / "static" / "site.css").read_text()))
    pages = {"bare page": f"{bare_url}/", "bare page + linked stylesheet": f"{bare_url}/linked",
             f"module page ({longest})": f"{lms_url}/learn/modules/{longest}"}
    samples: dict[str, list[dict]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-quic",
                                          "--disable-background-networking"])
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        page.goto(f"{lms_url}/login")
        page.fill("input[name=username]", "trainee1")
        page.fill("input[name=password]", "paralegal-demo")
        page.click("button[type=submit].primary")
        throttle(page)
        for _run in range(runs):  # interleaved, so a busy moment hits every page alike
            for name, url in pages.items():
                samples[name].append(first_paint(page, url))
        browser.close()
    lms_server.shutdown()
    bare_server.shutdown()
    return report(samples)


def report(samples: dict[str, list[dict]]) -> list:
    """Print the medians, bytes and the ratio to the bare page; return them as figures."""
    from bench.figures import SQLITE, Figure
    base = statistics.median(s["fcp"] for s in next(iter(samples.values())))
    runs = len(next(iter(samples.values())))
    print(f"first paint on slow 3G (400 kbit/s, 400 ms), Chromium, median of {runs}:")
    for name, runs in samples.items():
        fcp = statistics.median(s["fcp"] for s in runs)
        last = runs[-1]
        print(f"  {name:44} {fcp:6.0f} ms  {fcp / base:4.2f}x  {last['bytes'] / 1024:5.1f} KB on the "
              f"wire, render-blocking: {len(last['blocking'])}")
    module = list(samples.values())[-1]
    ratio = statistics.median(s["fcp"] for s in module) / base
    size = module[-1]["bytes"]
    print(f"  target: within {TARGET_RATIO}x of the bare page: {'ok' if ratio <= TARGET_RATIO else 'MISSED'}"
          f"; critical path under {CRITICAL_BYTES // 1024} KB: {'ok' if size < CRITICAL_BYTES else 'OVER'}")
    fcp = statistics.median(s["fcp"] for s in module)
    return [Figure("first paint of the longest module page on slow 3G, to a bare page", SQLITE,
                   f"{ratio:.2f}x ({fcp:.0f} vs {base:.0f} ms)", f"<= {TARGET_RATIO}x", ratio <= TARGET_RATIO),
            Figure("that module page on the wire (critical path)", SQLITE, f"{size / 1024:.1f} KB",
                   f"< {CRITICAL_BYTES // 1024} KB", size < CRITICAL_BYTES)]


if __name__ == "__main__":
    main()
