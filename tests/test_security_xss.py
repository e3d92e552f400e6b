"""XSS (ASVS 5.0 V1.2, V3.2): payloads typed into every free-text field, imported through the
CSV roster and written into Markdown content come out of every page as text, never as code.

Decisions: no `data:` URL at all in href/src (not even data:image: content images are files
under /static); the site's only scripts are its own files under /static.
"""
import csv
import io
import re
import shutil
from html.parser import HTMLParser

import pytest

from lms.content.loader import load_curriculum
from lms.content.render import render_markdown
from lms.content.sync import sync_curriculum
from lms.extensions import db
from tests.conftest import FIXTURE_CONTENT
from tests.security_helpers import (
    GET_WRITES_BY_DECISION,
    SCRIPT_SRC,
    build_scene,
    crawl_forms,
    endpoint_of,
    forms_of,
    rules,
    signed_in,
    url_for_rule,
)

# `{m}` becomes a marker unique to the field, so the test can tell the payload was shown.
PAYLOADS = [
    '<script>alert("{m}")</script>',
    '<img src=x onerror=alert(1)>{m}',
    '<svg onload=alert(1)>{m}</svg>',
    '[{m}](javascript:alert(1))',
    '![{m}](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
    '</textarea><script>alert(1)</script>{m}',
    '"><b onmouseover=alert(1)>{m}',
    "'><a href='data:text/html,<script>alert(1)</script>'>{m}</a>",
    '<iframe src=javascript:alert(1)>{m}',
    '<<script>script>alert(1)<</script>/script>{m}',
    '{m}\u202egpj.exe\u200b\u200d<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">{m}</a><p <b',
]
# Bidirectional overrides reorder the text around them (a name could make a line read
# differently); zero-width characters are harmless in text and allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "background"}
NEVER_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
# Forms that end the walk's session or undo the world it needs.
SKIP = {"accounts.logout", "account.end_all", "orgs.end_sessions_of", "records.erase", "enrolment.remove",
        "certification.revoke", "practice.withdraw_entry", "core.set_language", "account.password"}
SAFE_VALUES = {"username": "uji{n}", "email": "uji{n}@example.org", "phone": "0812000{n:04d}", "code": "",
               "target": "40", "next": ""}


SVG_ACTIVE_TAGS = {"foreignobject", "use", "animate", "set", "animatetransform", "animatemotion", "image",
                   "feimage", "handler", "listener"}


class ExecutableFinder(HTMLParser):
    """Everything in a page that a browser would run, or that points at code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            squashed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and squashed.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in NEVER_TAGS:
            self.problems.append(f"<{tag}>")
        # The site draws its charts as inline SVG (lms/core/charts.py): shapes and text only.
        # Inside SVG, whatever can load or animate code is refused, as are links of any kind.
        if tag in SVG_ACTIVE_TAGS:
            self.problems.append(f"<{tag}> (SVG that can load or run code)")
        if tag == "svg":
            self._svg_depth += 1
        if self._svg_depth and any(name in ("href", "xlink:href") for name, _ in attrs):
            self.problems.append(f"<{tag} href=…> in SVG")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not SCRIPT_SRC.match(src.split("?")[0]):
                self.problems.append(f"<script src={src!r}>")
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")


def executable_parts(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    if BIDI_CONTROLS.search(html):
        finder.problems.append("a bidirectional override character")
    return finder.problems


def test_the_finder_finds_what_would_run():
    for bad in ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>',
                '<svg><use href="data:x"/></svg>', '<svg><foreignObject></foreignObject></svg>',
                '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', '<svg><a href="/x">x</a></svg>',
                '<a href="javascript:alert(1)">x</a>', '<a href=" java\tscript:alert(1)">x</a>',
                '<img src="data:image/png;base64,AAAA">', '<iframe src="/x"></iframe>', '<p style="x">',
                '<script src="https://evil.example/x.js"></script>', 'a\u202eb']:
        assert executable_parts(bad), bad
    assert executable_parts('<script src="/static/site.js" defer></script><a href="/x">ok</a> &lt;script&gt;') == []
    assert executable_parts('<svg role="img" viewBox="0 0 360 40"><title>t</title><rect width="5" fill="#0b5cad"/>'
                            '<text x="1">a</text></svg>') == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_leaves_nothing_executable(payload):
    text = payload.format(m="m")
    assert executable_parts(render_markdown(text) + render_markdown(f"- {text}") + render_markdown(f"> {text}")) == []


@pytest.fixture
def scene(app, synced):
    return build_scene(app)


class Markers:
    """Unique markers per (form, field); which ones a page showed."""

    def __init__(self):
        self.sources: dict[str, str] = {}
        self.shown: set[str] = set()

    def new(self, source: str) -> str:
        marker = f"zq{len(self.sources)}q"
        self.sources[marker] = source
        return marker

    def look(self, html: str) -> None:
        self.shown.update(m for m in re.findall(r"zq\d+q", html) if m in self.sources)

    def shown_sources(self) -> set[str]:
        return {self.sources[m].split(" ")[0] for m in self.shown}


def _fill(form, markers: Markers, round_: int, endpoint: str) -> dict:
    data = form.defaults()
    for n, f in enumerate(form.text_fields()):
        name = f["name"]
        if name in SAFE_VALUES or name.endswith(("username", "phone", "email")):
            key = next((k for k in SAFE_VALUES if name.endswith(k)), name)
            data[name] = [SAFE_VALUES[key].format(n=len(markers.sources) + n) if "{n" in SAFE_VALUES[key]
                          else SAFE_VALUES[key]]
            continue
        payload = PAYLOADS[(round_ + n) % len(PAYLOADS)].format(m=markers.new(f"{endpoint} {name}"))
        limit = int(f["maxlength"]) if f.get("maxlength") else None
        if limit and len(payload) > limit:
            payload = f'<img src=x onerror=1>{markers.new(f"{endpoint} {name}")}'[:limit]
        data[name] = [payload]
    return data


def _submit_everything(app, scene, markers: Markers, problems: list[str]) -> list[str]:
    """Every form with a free-text field, as each user who sees it, once per payload."""
    accepted = []
    clients = {}
    for username, page, form in crawl_forms(app, scene):
        endpoint = endpoint_of(app, form.action)
        if endpoint in SKIP or not form.text_fields() or any(f["type"] == "file" for f in form.fields):
            continue
        client, token = clients.get(username) or clients.setdefault(username, signed_in(app, username))
        for round_ in range(len(PAYLOADS)):   # every payload through every field
            data = _fill(form, markers, round_, endpoint)
            data["csrf_token"] = [token]
            response = client.post(form.action, data=data)
            assert response.status_code < 500, f"{username} POST {form.action}"
            markers.look(response.get_data(as_text=True))   # a refused form shows the text back
            if response.status_code < 400:
                accepted.append(endpoint)
            if response.status_code == 302:   # where the person lands shows what was saved
                landing = client.get(response.headers["Location"])
                markers.look(landing.get_data(as_text=True))
                problems.extend(f"{username} {response.headers['Location']}: {p}"
                                for p in executable_parts(landing.get_data(as_text=True)))
    return accepted


def _import_roster(app, scene, markers: Markers) -> None:
    client, _token = signed_in(app, "coord-a")
    path = f"/cohorts/{scene['cohort_a']}/import"
    token = forms_of(client.get(path).get_data(as_text=True), path)[0].defaults()["csrf_token"][0]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["username", "display_name"])
    for n in (1, 2, 6, 7):
        writer.writerow([f"csvuji{n}", PAYLOADS[n].format(m=markers.new("enrolment.import_csv display_name"))[:60]])
    upload = client.post(path, data={"csrf_token": token, "roster": (io.BytesIO(text.getvalue().encode()), "r.csv")},
                         content_type="multipart/form-data")
    html = upload.get_data(as_text=True)
    assert executable_parts(html) == []
    assert upload.status_code == 200, html[-2000:]
    confirm = next(f for f in forms_of(html, path) if f.action == path and "content" in f.defaults())
    assert client.post(path, data=confirm.defaults()).status_code in (200, 302)   # the slips, or a redirect


def _content_with_payloads(tmp_path, markers: Markers):
    """The fixture curriculum with payloads written into a module and a role-play."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    for relative in ("modules/modul-1.md", "roleplays/rp-uji.md"):
        path = root / relative
        body = "\n\n".join(p.format(m=markers.new(f"content {relative}")) for p in PAYLOADS)
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + body + "\n", encoding="utf-8")
    curriculum = load_curriculum(root)
    assert curriculum.ok, curriculum.problems
    return curriculum


def test_nothing_typed_or_written_comes_out_executable(app, scene, tmp_path):
    markers = Markers()
    with app.app_context():
        sync_curriculum(_content_with_payloads(tmp_path, markers))
        db.session.commit()
    problems, pages = [], 0
    accepted = _submit_everything(app, scene, markers, problems)
    _import_roster(app, scene, markers)
    for username in (None, "trainee-a1", "trainee-a2", "fac-a", "coord-a", "admin"):
        client, _token = signed_in(app, username)
        for _method, rule in rules(app, ("GET",)):
            if rule.endpoint in GET_WRITES_BY_DECISION:
                continue
            path = url_for_rule(app, rule, scene["a"])
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            html = response.get_data(as_text=True)
            markers.look(html)
            problems.extend(f"{username} {path}: {p}" for p in executable_parts(html))
            pages += 1
    assert problems == [], "\n".join(problems)
    assert pages > 100 and len(accepted) > 10
    # The payloads really were stored and shown, from each kind of input the issue names.
    expected = {"content", "enrolment.import_csv", "cohorts.new", "cohorts.edit", "sessions.new",
                "practice.my_plan", "practice.my_practice", "roleplays.new", "certification.my_name",
                "assessment.answer", "orgs.show"}
    assert expected - markers.shown_sources() == set()
