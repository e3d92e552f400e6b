"""The yardstick: a bare Flask + Flask-SQLAlchemy page over the bench database.

Three indexed queries (a user by primary key, a module by its unique slug, the user's reading
progress by its indexed user id) and a cached 2 KB HTML body in a small template, loaded and
compiled once as Flask does a template file (`render_template_string` would compile it again on
every request: 0.85 ms, half the page's cost, which flattered every ratio). Served with
the same gunicorn settings as the app, so a page's figure divided by this one's is a ratio that
survives a busy shared machine. `gunicorn bench.baseline:app` (database from BENCH_DATABASE_URL).
"""
import os

import sqlalchemy as sa
from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader

BODY = "".join(f"<p>Paragraf {i}: hak atas bantuan hukum berlaku bagi setiap orang.</p>\n"
               for i in range(32))[:2048]
PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{{ module.title }}</title>
</head><body><header>{{ user.username }}</header><main><h1>{{ module.title }}</h1>{{ body|safe }}
<p>{{ read }} modul dibaca</p></main></body></html>"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:///bench/.data/bench.sqlite3")
db = SQLAlchemy(app)
users = sa.table("users", sa.column("id"), sa.column("username"))
modules = sa.table("modules", sa.column("slug"), sa.column("title"))
progress = sa.table("module_progress", sa.column("user_id"), sa.column("module_slug"))


@app.get("/")
def page():
    user = db.session.execute(sa.select(users).where(users.c.id == 4)).one()
    module = db.session.execute(sa.select(modules).where(modules.c.slug == "hak-asasi-manusia")).one()
    read = db.session.scalar(sa.select(sa.func.count()).select_from(progress).where(progress.c.user_id == user.id))
    return render_template("page.html", user=user, module=module, body=BODY, read=read)
