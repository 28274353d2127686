"""Request-level guards that run before any view reads the request.

- :class:`RequestSizeLimitMiddleware` refuses a request whose declared body is larger
  than ``SEONGGWA_MAX_REQUEST_BYTES`` with 413 and a page saying so, from the
  ``Content-Length`` header alone: the body is never read. (A body sent without a length
  — chunked — is not read by Django at all.) The web server in front should cap bodies
  too (nginx ``client_max_body_size``); this is the cap that holds without one.
- :class:`SessionIdleMiddleware` keeps a signed-in session alive while it is used: the
  session (and its cookie) is renewed for another ``SESSION_COOKIE_AGE`` at most once
  every ``SEONGGWA_SESSION_REFRESH_SECONDS``, so an idle session ends after
  ``SEONGGWA_SESSION_IDLE_MINUTES`` without writing the session on every request (as
  ``SESSION_SAVE_EVERY_REQUEST`` would: a write transaction per page, which serialises
  an SQLite store).
- :func:`client_ip` is the address login lockout counts failures against.
- :class:`OneLineRefusals` (a logging filter, see ``LOGGING`` in the settings) writes a
  refused request — 403 and any other 4xx Django logs with its exception — as one line
  (what was refused, the path and the reason given), not a traceback: a refusal is the
  system working, and a log full of tracebacks hides the errors that are not.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.shortcuts import render


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.SEONGGWA_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return render(
                request,
                "core/request_too_large.html",
                {"size_mb": _megabytes(length), "max_mb": _megabytes(limit),
                 "file_max_mb": _megabytes(settings.SEONGGWA_MAX_UPLOAD_BYTES)},
                status=413,
            )
        return self.get_response(request)


class SessionIdleMiddleware:
    KEY = "_seonggwa_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            renewed = session.get(self.KEY, 0)
            if now - renewed >= settings.SEONGGWA_SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved, cookie renewed
        return response


def mark_session_renewed(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a fresh login has just been saved with a full age."""
    if getattr(request, "session", None) is not None:
        request.session[SessionIdleMiddleware.KEY] = int(time.time())


def client_ip(request) -> str | None:
    """The client's address: the connection's, or — behind ``SEONGGWA_PROXY_COUNT``
    trusted proxies that append to ``X-Forwarded-For`` — the address the outermost of them
    saw. Entries a client wrote into the header itself are never used."""
    proxies = settings.SEONGGWA_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class OneLineRefusals(logging.Filter):
    """Drop the traceback of a logged refusal (a record with a 4xx ``status_code``, as
    Django's ``log_response`` writes for ``PermissionDenied``); the exception's own words,
    if any, are kept at the end of the line. Other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            exc = record.exc_info[1]
            message = record.getMessage()
            words = " ".join(str(exc).split()) if exc is not None else ""
            if words:
                message = f"{message} ({exc.__class__.__name__}: {words})"
            record.msg, record.args = message, ()
            record.exc_info, record.exc_text = None, None
        return True
