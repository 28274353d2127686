"""Evidence files of an objection: checked before anything is stored, kept through
Django's storage API (local disk by default, object storage in production).

A file is accepted when its extension is one of :data:`KINDS` *and* its first bytes are
those of that kind (a renamed executable is refused), it is not empty and not larger
than ``SEONGGWA_MAX_UPLOAD_BYTES``; at most :data:`MAX_FILES` per objection.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from seonggwa.evaluations.domain.errors import WorkflowError

MAX_FILES = 5
NAME_MAX = 200
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # HWP 5, old Office
_ZIP = (b"PK\x03\x04",)  # HWPX, DOCX, XLSX, PPTX
#: extension -> the first bytes a file of that kind starts with.
KINDS = {
    "pdf": (b"%PDF-",),
    "hwp": _OLE,
    "hwpx": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def max_bytes() -> int:
    return int(getattr(settings, "SEONGGWA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def display_name(upload) -> str:
    """The file's own name without any folder part or control characters."""
    name = os.path.basename(str(upload.name or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return (name or _("첨부 파일"))[:NAME_MAX]


def _extension(upload) -> str:
    return os.path.splitext(display_name(upload))[1].lower().lstrip(".")


def check(upload) -> tuple[str, str]:
    """``(kind, sha256)`` of an acceptable file; refuses others with the reason."""
    name = display_name(upload)
    kind = _extension(upload)
    if kind not in KINDS:
        raise WorkflowError(_("'%(name)s': 받을 수 없는 파일 형식입니다. 받는 형식: %(kinds)s")
                            % {"name": name, "kinds": ", ".join(KINDS)})
    if not upload.size:
        raise WorkflowError(_("'%(name)s': 빈 파일입니다.") % {"name": name})
    if upload.size > max_bytes():
        raise WorkflowError(_("'%(name)s': 파일이 너무 큽니다 (%(size)s, 최대 %(max)s).")
                            % {"name": name, "size": filesizeformat(upload.size),
                               "max": filesizeformat(max_bytes())})
    upload.seek(0)
    head = upload.read(16)
    if not any(head.startswith(magic) for magic in KINDS[kind]):
        raise WorkflowError(_("'%(name)s': 내용이 %(kind)s 파일이 아닙니다. 파일을 확인해 "
                              "주십시오.") % {"name": name, "kind": kind.upper()})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


def check_all(uploads: Sequence) -> list[tuple[object, str, str]]:
    """Every upload checked: ``(upload, kind, sha256)``; refuses too many files."""
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > MAX_FILES:
        raise WorkflowError(_("첨부 파일은 %(max)s개까지입니다 (%(n)s개를 올렸습니다).")
                            % {"max": MAX_FILES, "n": len(uploads)})
    return [(u, *check(u)) for u in uploads]


def storage_name(kind: str) -> str:
    """A fresh stored name: never the uploader's (no path tricks, no overwrite)."""
    return f"{uuid.uuid4().hex}.{kind}"


def discard(names: Sequence[str]) -> None:
    """Remove files stored for an objection that was then refused."""
    for name in names:
        default_storage.delete(name)
