"""Gunicorn settings for one app server (`gunicorn -c deploy/gunicorn.conf.py 'lms:create_app()'`).

The address comes from the command line or LMS_BIND (systemd's lms@PORT passes -b), so one
file serves every server; settings given on the command line win over this file.
"""
import gc
import multiprocessing
import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:8001")

# Sync workers: nginx buffers requests and responses, so a slow phone never holds a worker;
# a worker only ever waits on PostgreSQL or on Argon2id at sign-in, both short. Several
# servers on one machine share its cores: divide by setting WEB_CONCURRENCY per server.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# The master imports the app once and forks the workers from it: they start at once and share
# its memory (the code, the ORM's mappings, the templates) instead of each importing it all.
# A code change therefore needs a restart (`systemctl restart lms@PORT`): HUP forks new workers
# from the master's old code. The master opens no database connection (create_app() connects
# nowhere; post_fork makes sure).
preload_app = True


def when_ready(server):
    # Babel's locale data (3.5 MiB a language) loads at the first number or date a worker
    # formats: load it here, once, so that every worker shares the master's copy.
    from datetime import date

    from babel.dates import format_date
    from babel.numbers import format_decimal
    for language in server.app.wsgi().config["LMS_LANGUAGES"]:
        format_decimal(1.5, locale=language)
        format_date(date(2024, 1, 1), locale=language)


def pre_fork(server, worker):
    # The app's objects leave the garbage collector's view, so its collections in a worker
    # never write to (and so copy) the pages it shares with the master.
    gc.freeze()


def post_fork(server, worker):
    from lms.extensions import db
    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)   # a pooled connection is never shared between processes


# A request that takes longer than this is a bug: the worker is killed and replaced.
timeout = 30
# On restart or shutdown a worker finishes what it holds (a quiz being submitted) first.
graceful_timeout = 30
keepalive = 2
# Replace workers now and then (at different times), so memory can never creep up for weeks.
max_requests = 5000
max_requests_jitter = 500
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx may say a request came over HTTPS (X-Forwarded-Proto). On another host than
# nginx, set LMS_FORWARDED_ALLOW_IPS to nginx's private address.
forwarded_allow_ips = os.environ.get("LMS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# To the journal. No address (always nginx's anyway), no query string, no user agent and no
# referrer: a trainee's visits must not be traceable from a log. Method, path, status, bytes,
# milliseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
