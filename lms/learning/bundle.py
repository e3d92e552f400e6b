"""A track as static HTML in a ZIP: opened from a phone's file manager, shared by USB or a
messaging app, read with no server and no connection."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from flask import current_app, render_template

from lms.learning import offline
from lms.learning.models import Module, Track

# Links between modules in a body point at the server; in the bundle they point at the file.
_MODULE_LINK = re.compile(r'href="/learn/modules/([a-z0-9-]+)(#[^"]*)?"')


def file_name(module: Module) -> str:
    """The file a module becomes: its order first, so a file manager lists them in order."""
    return f"{module.order:02d}-{module.slug}.html"


def _relative_links(html: str, files: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        target = files.get(match.group(1))
        return f'href="{target}{match.group(2) or ""}"' if target else match.group(0)
    return _MODULE_LINK.sub(swap, html)


def _online_url(module: Module) -> str:
    base = current_app.config.get("LMS_BASE_URL") or ""
    return f"{base}/learn/modules/{module.slug}" if base else ""


def bundle_track(track: Track) -> bytes:
    """The ZIP: index.html, one page per module and site.css, every link relative."""
    modules = offline.track_modules_full(track.slug)
    files = {m.slug: file_name(m) for m in modules}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", render_template(
            "learning/bundle_index.html", track=track, modules=modules, files=files))
        for i, module in enumerate(modules):
            body = _relative_links(module.body_html or "", files)
            archive.writestr(files[module.slug], render_template(
                "learning/bundle_module.html", track=track, module=module, body_html=body,
                url=_online_url(module),
                before=files[modules[i - 1].slug] if i > 0 else None,
                after=files[modules[i + 1].slug] if i + 1 < len(modules) else None))
        archive.write(Path(current_app.static_folder) / "site.css", "site.css")
    return buffer.getvalue()
