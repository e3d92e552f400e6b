"""Fuzzing every route (ASVS 5.0 V1.4, V2.2): random, huge, NUL-laden, emoji and right-to-left
values in every form field and URL variable never answer 500, and a refused request writes
nothing. Routes and fields are walked from app.url_map and the pages' own forms.

Bounded: a few examples per route and user, derandomised so a failure repeats (~1 minute).
"""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security_helpers import (
    WRITE_METHODS,
    build_scene,
    crawl_forms,
    data_rows,
    endpoint_of,
    rules,
    signed_in,
    url_for_rule,
)

EXAMPLES = 10   # per route and user: 30 per write route (3 users)
USERS = ("trainee-a1", "coord-a", "admin")
# They end the session the fuzzing runs in (their refusals are tested in test_security_csrf).
ENDS_SESSION = {"accounts.logout", "account.end_all", "orgs.end_sessions_of"}

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["\x00", "a\x00b", "\u202e\u202d", "\u200b\u200d\ufeff", "😀🏳️‍⚧️", "ء‎ا‏", "-1", "0",
                     "99999999999999999999999", "1e308", "NaN", "' OR 1=1 --", "../../etc/passwd", "%00",
                     "\r\n\r\nX-Injected: 1", "<script>", " ", ""]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "😀", "\x00"]), st.integers(1, 12_000)),
)
path_value = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), nasty_text)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def scene(app, synced):
    return build_scene(app)


def _fields_by_endpoint(app, scene) -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for _user, _page, form in crawl_forms(app, scene, USERS):
        endpoint = endpoint_of(app, form.action)
        if endpoint:
            fields.setdefault(endpoint, set()).update(f["name"] for f in form.fields)
            fields[endpoint].update(name for name, _value in form.buttons)
    return fields


def test_random_form_data_never_fails_or_half_writes(app, scene):
    fields = _fields_by_endpoint(app, scene)
    assert len(fields) > 25
    problems = []
    for username in USERS:
        client, token = signed_in(app, username)
        for method, rule in rules(app, WRITE_METHODS):
            if rule.endpoint in ENDS_SESSION:
                continue
            path = url_for_rule(app, rule, scene["a"])
            names = sorted(fields.get(rule.endpoint, set()) - {"csrf_token"}) or ["text", "q", "name"]

            @FUZZ
            @given(values=st.fixed_dictionaries({}, optional={name: nasty_text for name in names}),
                   query=st.dictionaries(st.sampled_from(["page", "q", "next"]), nasty_text, max_size=2))
            def post_random(values, query):
                before = data_rows(app)
                response = client.open(path, method=method, data={**values, "csrf_token": token},
                                       query_string=query)
                if response.status_code >= 500:
                    problems.append(f"{username} {method} {path} {values!r:.200} -> {response.status_code}")
                elif response.status_code >= 400 and data_rows(app) != before:
                    problems.append(f"{username} {method} {path} refused ({response.status_code}) but wrote")

            post_random()
    assert problems == [], "\n".join(problems[:20])


def test_random_url_variables_and_queries_never_fail(app, scene):
    problems = []
    client, _token = signed_in(app, "admin")
    for _method, rule in rules(app, ("GET",)):
        if rule.endpoint in ENDS_SESSION or not rule.arguments:
            continue

        @FUZZ
        @given(override=st.fixed_dictionaries({name: path_value for name in rule.arguments}),
               query=st.dictionaries(st.sampled_from(["page", "q", "code", "role", "lang", "next"]), nasty_text,
                                     max_size=3))
        def get_random(override, query):
            # Built by hand: url_map.build() would refuse what a converter does not accept,
            # and a browser can send anything.
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: _quote(override[m.group(1)]), rule.rule)
            before = data_rows(app)
            response = client.get(path, query_string=query)
            if response.status_code >= 500:
                problems.append(f"GET {path!r:.200} {query!r:.100} -> {response.status_code}")
            elif data_rows(app) != before:
                problems.append(f"GET {path!r:.200} wrote")

        get_random()
    assert problems == [], "\n".join(problems[:20])


def _quote(value) -> str:
    from urllib.parse import quote
    return quote(str(value), safe="") or "x"


def test_uploads_of_random_bytes_never_fail(app, scene):
    """Every file field (roster CSV, role-play import) given random bytes, NUL bytes, invalid
    UTF-8 and a file of only a BOM."""
    forms = [(u, p, f) for u, p, f in crawl_forms(app, scene, ("coord-a",)) if any(x["type"] == "file" for x in f.fields)]
    assert len(forms) >= 2
    problems = []
    client, token = signed_in(app, "coord-a")
    for _user, _page, form in forms:
        name = next(x["name"] for x in form.fields if x["type"] == "file")

        @FUZZ
        @given(body=st.one_of(st.binary(max_size=2000), st.sampled_from([
            b"\x00\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe\x00u\x00s", b"username;display_name\nab\x00c;X\x00Y\n",
            b"username,display_name\n" + "😀\u202e,😀".encode() * 3, b"---\ntitle: \x00\n---\n"])))
        def upload_random(body):
            import io
            before = data_rows(app)
            response = client.post(form.action, data={**{k: v for k, v in form.defaults().items()}, "csrf_token": token,
                                                      name: (io.BytesIO(body), "f.csv")},
                                   content_type="multipart/form-data")
            if response.status_code >= 500:
                problems.append(f"POST {form.action} {body!r:.100} -> {response.status_code}")
            elif response.status_code >= 400 and data_rows(app) != before:
                problems.append(f"POST {form.action} refused but wrote")

        upload_random()
    assert problems == [], "\n".join(problems[:20])
