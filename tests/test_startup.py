"""What a web worker loads and keeps: start-up and memory are paid by every worker of every
app server, so libraries only commands or rare pages use stay out of it (bench/load.py
measures the time and memory; these tests say what must not come back)."""
import json
import os
import subprocess  # noqa: S404 - our own interpreter, fixed arguments
import sys
from pathlib import Path

import pytest
from flask import url_for

REPO_ROOT = Path(__file__).resolve().parent.parent

# Migrations (Alembic, its Mako templates), content authoring (PyYAML, Markdown, nh3) and
# certificate signing (cryptography, Open Badges, JSON Schema): none serves an ordinary page.
NOT_FOR_WEB_WORKERS = ("alembic", "flask_migrate", "mako", "yaml", "markdown", "nh3", "cryptography",
                       "openbadgeslib", "jsonschema", "fpdf", "hypothesis")

WORKER = """
import json, sys
from lms import create_app
app = create_app({"INSTANCE_PATH": sys.argv[1]})
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/healthz", "/login", "/")]
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
"""

SIGN_INS = """
import json, sys
from lms import create_app
from lms.accounts.passwords import hash_password

def resident_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

app = create_app({"INSTANCE_PATH": sys.argv[1]})
with app.app_context():
    hash_password("first sign-in")
    before = resident_mib()
    for _ in range(3):
        hash_password("later sign-ins")
    print(json.dumps({"memory_cost_kib": app.config["ARGON2_MEMORY_COST"],
                      "growth_mib": resident_mib() - before}))
"""


def _run(script: str, tmp_path) -> dict:
    env = dict(os.environ, SECRET_KEY="startup-test", LMS_ENV="development",
               LMS_SIGNING_KEY="not-used-here", DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "instance")],  # noqa: S603
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_web_worker_imports_no_migration_authoring_or_signing_library(tmp_path):
    worker = _run(WORKER, tmp_path)
    assert worker["statuses"] == [200, 200, 302]
    loaded = {name.split(".")[0] for name in worker["modules"]}
    assert loaded.isdisjoint(NOT_FOR_WEB_WORKERS), sorted(loaded.intersection(NOT_FOR_WEB_WORKERS))
    # A SQLite worker speaks no PostgreSQL (its dialect is 20 ms of start-up and 2 MiB).
    assert "sqlalchemy.dialects.postgresql" not in worker["modules"]


def test_sign_ins_leave_no_argon2_buffer_resident(tmp_path):
    """Without lms.core.memory, each worker kept a 19 MiB buffer after its second sign-in."""
    result = _run(SIGN_INS, tmp_path)
    assert result["memory_cost_kib"] >= 16 * 1024   # the production cost, not the tests' one
    assert result["growth_mib"] < 8


def test_the_db_commands_and_copy_are_listed_and_run(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["db", "--help"])
    assert listed.exit_code == 0, listed.output
    for command in ("upgrade", "downgrade", "current", "copy"):
        assert f"  {command} " in listed.output
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output


def test_url_builders_compiled_on_first_use_build_the_same_urls(app):
    with app.test_request_context():
        assert url_for("learning.module", slug="hak-asasi") == "/learn/modules/hak-asasi"
        assert url_for("learning.module", slug="hak-asasi", lang="en") == "/learn/modules/hak-asasi?lang=en"
        assert url_for("learning.module", slug="hak-asasi", _anchor="akhir") == "/learn/modules/hak-asasi#akhir"
        assert url_for("learning.module", slug="x") == "/learn/modules/x"   # the compiled one, again


def test_a_partial_index_is_created_with_its_condition_on_either_database(app):
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from lms.assessment.models import Attempt
    from lms.core.partial_indexes import for_dialect
    index = next(i for i in Attempt.__table__.indexes if i.name == "uq_attempts_one_open")
    for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect())):
        for_dialect(name)
        for_dialect(name)   # again, as a second app in one process does: nothing changes
        ddl = str(CreateIndex(index).compile(dialect=dialect))
        assert ddl.startswith("CREATE UNIQUE INDEX uq_attempts_one_open ON attempts (user_id, quiz_slug)"), ddl
        assert ddl.endswith("WHERE status = 'open'"), ddl


def test_a_worker_gives_freed_heap_back_every_so_many_responses_once_sent(monkeypatch):
    from flask import Flask

    from lms.core import memory
    trims = []
    monkeypatch.setattr(memory, "_glibc", lambda name: (lambda pad: trims.append(pad)) if name == "malloc_trim" else None)
    app = Flask(__name__)
    app.get("/")(lambda: "ok")
    memory.return_freed_memory(app, every=3)
    client = app.test_client()
    for served in range(1, 8):
        response = client.get("/", buffered=False)
        before_close = len(trims)
        response.close()
        assert len(trims) == served // 3, served
        assert before_close == (served - 1) // 3   # a trim waits until the response is sent
    assert trims == [0, 0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc is Linux's")
def test_this_machine_has_glibc_malloc_trim():
    """The trim above is real on the servers and CI (Debian's glibc), not skipped."""
    from lms.core import memory
    assert memory._glibc("malloc_trim") is not None and memory._glibc("mallopt") is not None
