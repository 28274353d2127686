"""File downloads: one way to send a payload as an attachment, for every view app."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(payload, filename: str, content_type: str = XLSX, *,
               stream: bool = False) -> HttpResponse | StreamingHttpResponse:
    """``payload`` (bytes, or an iterator of byte chunks with ``stream=True``) offered
    for download as ``filename``."""
    response = (StreamingHttpResponse(payload, content_type=content_type) if stream
                else HttpResponse(payload, content_type=content_type))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
