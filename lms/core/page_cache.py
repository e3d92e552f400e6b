"""A signed-in person's page, kept as sent until something it shows changes.

A trainee's home and module pages are read far more often than what they show changes: back
from a module (pages are `no-store`, so the phone asks again), a reload where the signal
dropped, a class told to open the same module. Rendering one costs a worker 2-3 ms of
queries, template and compression; sending the bytes it sent last time, a tenth of that.

A page is filed under everything it may depend on (`_key`): the path, the person and the two
stamps read with their account (`page_stamps`: any committed change to what the page shows
gives a new one, on every app server), the language, the session's CSRF secret (the forms on
the page carry a token made from it) and the encodings the browser accepts. It is kept for
`TTL` seconds at most, because a page also shows what depends on the date and time (the next
session, a deadline). Nothing is kept or served for a page with a flash message waiting, a
query string, or a response that sets a cookie or is not a 200.

Only a page that shows the signed-in person's own rows and site-wide ones may be kept: the
stamps follow those (`page_stamps`), not other people's rows (a staff page showing trainees'
work must never be kept).

Each process keeps its own pages (at most `MAX_BYTES`): losing them costs a render, never a
wrong page, so nothing here is state another server needs.
"""
from __future__ import annotations

import functools
import gzip
import re
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from flask import current_app, g, make_response, request, session

from lms.core.i18n import select_locale
from lms.core.page_stamps import STAMPS, WROTE

TTL = 300.0
MAX_BYTES = 4 * 1024 * 1024
_SKIPPED_HEADERS = {"set-cookie", "date"}


class _Page(NamedTuple):
    expires: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class PageStore:
    """Pages by key, least recently used dropped first once over `max_bytes`."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes, self.size = max_bytes, 0
        self._pages: OrderedDict[tuple, _Page] = OrderedDict()
        self._lock = threading.Lock()   # a threaded worker's requests share the store
        self.hits = self.misses = 0

    def get(self, key: tuple, now: float) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None and page.expires > now:
                self._pages.move_to_end(key)
                self.hits += 1
                return page
            if page is not None:
                self._drop(key)
            self.misses += 1
            return None

    def put(self, key: tuple, page: _Page) -> None:
        if len(page.body) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._pages)

    def _drop(self, key: tuple) -> None:
        self.size -= len(self._pages.pop(key).body)


STORE = PageStore()


def _key() -> tuple | None:
    stamps = g.get(STAMPS)
    if (stamps is None or None in stamps or request.method != "GET" or request.query_string
            or "_flashes" in session or not current_app.config["LMS_PAGE_CACHE"]):
        return None
    return (request.path, stamps, select_locale(), session.get("csrf_token"),
            request.headers.get("Accept-Encoding", ""))


def cached_page(view):
    """Serve the view's last response to the same key (see the module's docstring); put it
    under `login_required`, so that only a signed-in person's page is ever kept."""
    @functools.wraps(view)
    def serve(*args, **kwargs):
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        page = STORE.get(key, time.monotonic())
        if page is not None:
            if current_app.config.get("LMS_PAGE_CACHE_CHECK"):
                g.pop(WROTE, None)
                _check(page, make_response(view(*args, **kwargs)))
            return current_app.response_class(page.body, page.status, page.headers)
        response = make_response(view(*args, **kwargs))
        # Kept once sent: compression, headers and the session's cookie are all done by then,
        # and so is the commit, which tells whether the request wrote (`_no_keeping_if_written`).
        keeping = [key, response, time.monotonic() + TTL]
        setattr(g, _KEEPING, keeping)
        response.call_on_close(lambda: _keep(*keeping) if keeping[0] is not None else None)
        return response
    return serve


_KEEPING = "_lms_page_keeping"


def _no_keeping_if_written(_exc) -> None:
    """After the request's commit: a page whose request wrote rows shows them, but would be
    kept under the stamps read before them; it is not kept."""
    keeping = g.pop(_KEEPING, None)
    if keeping is not None and g.get(WROTE):
        keeping[0] = None


def init_app(app) -> None:
    app.teardown_request(_no_keeping_if_written)


_TOKEN = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]+"')


class StalePage(AssertionError):
    """A kept page differs from the page rendered now: a change did not replace a stamp."""


def _check(page: _Page, fresh) -> None:
    """The tests' mode (LMS_PAGE_CACHE_CHECK): render as well, and fail if the kept page is
    not the page rendered now (but for its CSRF tokens, signed at another time), or if
    rendering it writes rows (a kept page served would skip the write)."""
    kept = page.body
    if dict(page.headers).get("Content-Encoding") == "gzip":
        kept = gzip.decompress(kept)
    if _TOKEN.sub(rb"\1", kept) != _TOKEN.sub(rb"\1", fresh.get_data()):
        raise StalePage(f"{request.path}: the kept page is not the page as it is now")
    if g.get(WROTE):
        raise StalePage(f"{request.path}: rendering it changes rows, which serving it kept would not")


def _keep(key: tuple, response, expires: float) -> None:
    if response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
        return
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _SKIPPED_HEADERS]
    STORE.put(key, _Page(expires, response.status_code, headers, response.get_data()))
