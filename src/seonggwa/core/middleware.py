"""Request-level guards that run before any view reads the request.

- :class:`RequestSizeLimitMiddleware` refuses a request whose declared body is larger
  than ``SEONGGWA_MAX_REQUEST_BYTES`` with 413 and a page saying so, from the
  ``Content-Length`` header alone: the body is never read. (A body sent without a length
  — chunked — is not read by Django at all.) The web server in front should cap bodies
  too (nginx ``client_max_body_size``); this is the cap that holds without one.
- :func:`client_ip` is the address login lockout counts failures against.
"""

from __future__ import annotations

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
