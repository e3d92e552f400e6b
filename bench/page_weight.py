"""Compressed weight of the pages a trainee loads, against the 30 KB budget."""
from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path

BUDGET = 30 * 1024


def _gzipped(response) -> tuple[int, bytes]:
    """Bytes on the wire (gzipped) and the plain body of a test-client response."""
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        return len(body), gzip.decompress(body)
    return len(gzip.compress(body)), body


def compressed_weight(client, path: str) -> tuple[int, int]:
    """Status and gzipped bytes of a page plus every stylesheet, script and image it loads."""
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    total, html = _gzipped(response)
    for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())):
        total += _gzipped(client.get(asset, headers={"Accept-Encoding": "gzip"}))[0]
    return response.status_code, total


def demo_site(**config):
    """The shipped curriculum and the demo accounts in a throwaway SQLite file, and its app."""
    from flask_migrate import upgrade

    from lms import create_app
    from lms.config import REPO_ROOT
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.demo import create_demo_data
    from lms.extensions import db

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "INSTANCE_PATH": str(tmp), **config})
    with app.app_context():
        upgrade()
        curriculum = load_curriculum(REPO_ROOT)
        sync_curriculum(curriculum)
        create_demo_data("paralegal-demo")
        db.session.commit()
    return app, curriculum


def main() -> list:
    from bench.figures import SQLITE, Figure
    app, curriculum = demo_site(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    # A demo trainee who has not taken the pre-test yet, so its 32-question page is weighed.
    client.post("/login", data={"username": "trainee10", "password": "paralegal-demo"})
    longest = max(curriculum.modules.values(), key=lambda m: len(m.body)).slug
    paths = ["/learn/", f"/learn/modules/{longest}", "/quiz/kuis-hak-asasi-manusia",
             "/quiz/kasus-razia-satpol-pp", "/quiz/pretest-paralegal"]
    # The demo already holds attempts: follow the start to this one.
    paths.append(client.post("/quiz/pretest-paralegal/start").headers["Location"])
    print(f"page weight (gzip, page + stylesheet), budget {BUDGET // 1024} KB:")
    weights = {}
    for path in paths:
        status, total = compressed_weight(client, path)
        flag = "ok" if total < BUDGET else "OVER BUDGET"
        print(f"  {path:48} {status} {total / 1024:5.1f} KB  {flag}")
        weights[path] = total if status == 200 else float("inf")
    heaviest = max(weights, key=weights.get)
    return [Figure(f"page weight (gzip, page + what it loads), heaviest of {len(paths)} trainee pages", SQLITE,
                   f"{weights[heaviest] / 1024:.1f} KB ({heaviest.split('?')[0]})", f"< {BUDGET // 1024} KB",
                   weights[heaviest] < BUDGET)]
