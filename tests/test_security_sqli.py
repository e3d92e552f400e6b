"""SQL injection (ASVS 5.0 V1.2.4): no SQL is built from strings in lms/, and injection strings
sent through every query parameter and every form field change nothing and break nothing."""
import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.accounts.models import Organisation
from lms.extensions import db
from tests.security_helpers import (
    BOOKKEEPING,
    GET_WRITES_BY_DECISION,
    build_scene,
    changed_tables,
    crawl_forms,
    data_rows,
    endpoint_of,
    row_counts,
    rules,
    signed_in,
    snapshot,
    url_for_rule,
)

LMS = Path(__file__).resolve().parent.parent / "lms"
SQL_CALLS = {"text", "execute", "exec_driver_sql", "executescript", "executemany", "literal_column"}
# (file, the call as written): why a raw SQL string is fine there.
ALLOWED = {
    ("lms/extensions.py", 'cursor.execute("PRAGMA journal_mode=WAL")'): "fixed SQLite pragma, no input",
    ("lms/extensions.py", 'cursor.execute("PRAGMA foreign_keys=ON")'): "fixed SQLite pragma, no input",
    ("lms/extensions.py", 'cursor.execute("PRAGMA busy_timeout=5000")'): "fixed SQLite pragma, no input",
    ("lms/extensions.py", 'cursor.execute("PRAGMA secure_delete=ON")'): "fixed SQLite pragma, no input",
    ("lms/extensions.py", 'cursor.execute("SET log_parameter_max_length_on_error = 0")'):
        "fixed PostgreSQL setting, no input",
    ("lms/records/privacy.py", 'conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")'):
        "fixed SQLite pragma, no input",
}
INJECTIONS = ["' OR 1=1 --", "1; DROP TABLE users", "%' UNION SELECT username, password_hash FROM users --",
              "1' AND SLEEP(5) --", "\" OR \"\"=\"", "admin'--", "1 OR 1=1", "%", "_", "\\", "'; DELETE FROM cohorts; --"]
QUERY_PARAMETERS = ["q", "page", "cohort", "role", "code", "next", "lang", "username", "roleplay", "session",
                    "sort", "order", "id", "user", "track", "module", "status", "filter"]


def _is_string_building(node) -> bool:
    """An f-string, `%`, `+` or `.format()` on a string: SQL put together from pieces."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return any(isinstance(side, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(side, "value", ""), str)
                   for side in (node.left, node.right)) or _is_string_building(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return True
    return False


def raw_sql_calls(source: str) -> list[tuple[int, str]]:
    """(line, call) of every SQL call given a built string, or (for execute) any string at all."""
    found = []
    tree = ast.parse(source)
    # A bare `text(...)` is SQLAlchemy's only where the module imports it from there.
    bare_sql = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("sqlalchemy") for alias in node.names}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in SQL_CALLS or (isinstance(node.func, ast.Name) and name in ("text", "literal_column")
                                     and name not in bare_sql):
            continue
        first = node.args[0]
        literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
        # text("SELECT ... :name") with bound parameters is safe; built SQL never is, and
        # execute() of a bare string skips SQLAlchemy altogether.
        if _is_string_building(first) or (literal and name != "text") or \
                (name in ("text", "literal_column") and isinstance(first, ast.Name)):
            found.append((node.lineno, ast.get_source_segment(source, node)))
    return found


def test_the_scanner_finds_built_sql():
    bad = '''
from sqlalchemy import text
db.session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
db.session.execute(sa.text("SELECT * FROM users WHERE id = %s" % user_id))
db.session.execute(sa.text("SELECT * FROM users WHERE id = {}".format(user_id)))
conn.exec_driver_sql("DELETE FROM users")
db.session.execute(sa.text(query))
cursor.execute("SELECT * FROM " + table)
'''
    good = '''
db.session.execute(sa.text("SELECT 1 WHERE :x = 1"), {"x": x})
db.session.execute(sa.select(User).where(User.name == name))
text(match)  # not SQLAlchemy's text: this module does not import it
'''
    assert len(raw_sql_calls(bad)) == 6
    assert raw_sql_calls(good) == []


def test_no_sql_is_built_from_strings_in_lms():
    found = []
    for path in sorted(LMS.rglob("*.py")):
        relative = str(path.relative_to(LMS.parent))
        for line, call in raw_sql_calls(path.read_text(encoding="utf-8")):
            if (relative, call) not in ALLOWED:
                found.append(f"{relative}:{line}: {call}")
    assert found == [], "build SQL with SQLAlchemy expressions and bound parameters, or list it in ALLOWED"
    # The allowlist holds no stale entry.
    present = {(str(p.relative_to(LMS.parent)), call) for p in LMS.rglob("*.py")
               for _line, call in raw_sql_calls(p.read_text(encoding="utf-8"))}
    assert set(ALLOWED) <= present


@pytest.fixture
def scene(app, synced):
    return build_scene(app)


@pytest.mark.parametrize("username", [None, "trainee-a1", "coord-a", "admin"])
def test_injection_in_query_parameters_changes_nothing(app, scene, username):
    client, _token = signed_in(app, username)
    before, counts = snapshot(app, BOOKKEEPING), row_counts(app)
    tried = 0
    for _method, rule in rules(app, ("GET",)):
        if rule.endpoint in GET_WRITES_BY_DECISION:
            continue
        path = url_for_rule(app, rule, scene["a"])
        for value in INJECTIONS:
            response = client.get(path, query_string={name: value for name in QUERY_PARAMETERS})
            assert response.status_code < 500, f"{username} GET {path}?…={value!r}"
            tried += 1
    assert tried > 500
    assert changed_tables(before, snapshot(app, BOOKKEEPING)) == []
    assert data_rows(app) == data_rows(app, counts)


def test_injection_in_every_form_field_breaks_nothing(app, scene):
    """Every POST form of every page, every field (hidden ones and choices too) set to an
    injection string: no 500; a refused form leaves no trace; the tables stay whole."""
    forms = crawl_forms(app, scene)
    assert len(forms) > 30
    clients = {}
    problems = []
    for username, page, form in forms:
        if endpoint_of(app, form.action) in ("accounts.logout", "account.end_all"):
            continue  # they end the session the walk runs in
        client, token = clients.get(username) or clients.setdefault(username, signed_in(app, username))
        for value in INJECTIONS[:4]:
            data = {name: [value] * len(values) for name, values in form.defaults().items()}
            data["csrf_token"] = token
            counts = data_rows(app)
            response = client.post(form.action, data=data)
            if response.status_code >= 500:
                problems.append(f"{username} POST {form.action} (from {page}) {value!r} -> {response.status_code}")
            elif response.status_code >= 400 and data_rows(app) != counts:
                problems.append(f"{username} POST {form.action}: refused but rows changed")
    assert problems == []
    after = row_counts(app)
    assert after["users"] >= 10 and after["organisations"] >= 2 and after["cohorts"] >= 3
    # What was accepted was stored as typed, as text: an organisation named by an injection string.
    with app.app_context():
        names = set(db.session.scalars(sa.select(Organisation.name)))
    assert names & set(INJECTIONS[:4])
