"""Static files gzipped once per process, for every client that accepts gzip.

Flask-Compress leaves `send_file` responses alone (it would only stream them with zstd, br or
deflate), so a phone whose browser accepts only gzip fetched the stylesheet uncompressed on
every new visit. Static files change only with a deploy: compress each once, at level 9, and
serve the bytes. Behind nginx (deploy/) nginx serves them itself.
"""
from __future__ import annotations

import gzip
from pathlib import Path

from flask import current_app, request
from werkzeug.security import safe_join

COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"}
_gzipped: dict[tuple[str, int, int], bytes] = {}


def _gzip_of(path: Path) -> bytes:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)   # a changed file is compressed again
    data = _gzipped.get(key)
    if data is None:
        data = _gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
    return data


def accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return True
    return False


def static(filename: str):
    """Flask's static view (404s, cache lifetime, conditional requests), gzipped when it helps."""
    response = current_app.send_static_file(filename)
    response.vary.add("Accept-Encoding")
    if (response.status_code != 200 or response.mimetype not in COMPRESSIBLE
            or not accepts_gzip(request.headers.get("Accept-Encoding", ""))):
        return response
    body = _gzip_of(Path(safe_join(current_app.static_folder, filename)))
    response.close()   # the open file send_file would have streamed
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    etag, _weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-gzip")
    return response.make_conditional(request)


def init_app(app) -> None:
    app.view_functions["static"] = static
