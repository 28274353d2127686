"""Public pages and open-data files, built once per published data version.

The public pages change only when results are published or a published result is
corrected; the workflow then bumps :class:`~seonggwa.evaluations.models.PublishedDataVersion`
in the same transaction. Every cached page's key names that version (read from the
database on each request: one query), so after a publish on any app server every server
misses its old entries on the next request and renders the new data — no stale page,
whatever cache each server uses. Old entries are never read again and expire
(``SEONGGWA_PAGE_CACHE_SECONDS``).

Only anonymous requests are cached (no session or messages cookie, not logged in): a
logged-in page and anything that carries a message is rendered each time. Every page
holds a CSRF token (the language form): the cached copy keeps a placeholder, and each
response gets the requester's own token, so the CSRF cookie Django sets and the form agree.

Open-data files are written once per version under ``VAR_DIR/opendata/<version>/``
(atomically: a temporary file, then a rename) and served from disk with ETag and
Last-Modified; older versions' directories are removed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import FileResponse, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from seonggwa.core.downloads import attachment
from seonggwa.evaluations.models import PublishedDataVersion

CSRF_PLACEHOLDER = "__seonggwa_csrf_token__"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PAGE_CACHE_ALIAS = "default"


def enabled() -> bool:
    return getattr(settings, "SEONGGWA_PUBLIC_CACHE", True)


def data_version() -> str:
    """The published data version as a key part: the counter and when it last moved (a
    database restored to an earlier state never reuses a newer version's entries)."""
    number, changed_at = PublishedDataVersion.current()
    return f"{number}-{int(changed_at.timestamp() * 1_000_000) if changed_at else 0}"


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # a session (maybe logged in, maybe with messages): render it
    return not request.user.is_authenticated


def page_key(request, version: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"seonggwa:page:{version}:{get_language()}:{digest}"


def cached_page(view: Callable) -> Callable:
    """Serve ``view``'s anonymous GET responses from the page cache of the current
    published data version (see the module doc)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method != "GET" or not _anonymous(request):
            return view(request, *args, **kwargs)
        cache = caches[getattr(settings, "SEONGGWA_PAGE_CACHE_ALIAS", PAGE_CACHE_ALIAS)]
        key = page_key(request, data_version())
        hit = cache.get(key)
        if hit is not None:
            content_type, body = hit
            response = HttpResponse(body.replace(CSRF_PLACEHOLDER, get_token(request)),
                                    content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and not response.has_header("Cache-Control")):
            body = _CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>",
                                   response.content.decode(response.charset))
            cache.set(key, (response["Content-Type"], body),
                      settings.SEONGGWA_PAGE_CACHE_SECONDS)
        return response

    return wrapper


# --- open-data files ---------------------------------------------------------------------


def opendata_root() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


def _write_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # readers see the old file or the whole new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_old_versions(root: Path, keep: str) -> None:
    for entry in root.iterdir():
        if entry.is_dir() and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)  # an open file is still read whole


def opendata_file(request, name: str, build: Callable[[], bytes | Iterable[bytes]],
                  content_type: str) -> HttpResponse:
    """The open-data file ``name`` of the current published data version as a download:
    built by ``build`` (bytes or an iterator of byte chunks) the first time it is asked
    for in this version, then served from disk; 304 when the client's copy is current."""
    if not enabled():  # built for this request (a CSV streamed as it is written)
        payload = build()
        return attachment(payload, name, content_type, stream=not isinstance(payload, bytes))
    version = data_version()
    root = opendata_root()
    path = root / version / name
    if not path.exists():
        payload = build()
        _write_atomically(path, [payload] if isinstance(payload, bytes) else payload)
        _remove_old_versions(root, version)
    stat = path.stat()
    etag = f'"{version}-{stat.st_size}-{stat.st_mtime_ns}"'
    last_modified = int(stat.st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
