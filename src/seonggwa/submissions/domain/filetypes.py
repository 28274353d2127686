"""What an uploaded file really is, from its bytes — never from its name alone.

Decided here (issue 9 §3, "size and type checks"):

- **PDF**: the file starts with ``%PDF-``.
- **HWP** (한글 5.0): an OLE compound file (signature ``D0 CF 11 E0 A1 B1 1A E1``) that
  holds a stream named ``FileHeader`` (its UTF-16 directory name) whose content starts with
  ``HWP Document File``. We look for both in the bytes instead of walking the OLE directory
  (no extra dependency for it); another OLE file — a Word 97 ``.doc``, an old ``.xls`` —
  has neither and is refused. HWP 3.0 files (a different, pre-2002 format) are refused:
  save them as HWP or HWPX again.
- **HWPX** (OWPML, KS X 6101): a ZIP archive whose ``mimetype`` entry reads
  ``application/hwp+zip`` and which holds ``Contents/content.hpf``.
- **DOCX / XLSX / PPTX**: a ZIP archive with ``[Content_Types].xml`` and the main part of
  the kind (``word/document.xml``, ``xl/workbook.xml``, ``ppt/presentation.xml``). Files
  with macros (a ``vbaProject.bin`` part: ``.docm`` renamed ``.docx``) are refused.
- Every ZIP-based file is checked before anything in it is unpacked: at most
  :data:`MAX_ENTRIES` entries, at most :func:`max_unpacked_bytes` unpacked together, and
  no entry packed more tightly than :data:`MAX_RATIO` to 1 (a "zip bomb": a few kilobytes
  that unpack to gigabytes on the evaluator's computer). Only the tiny ``mimetype``
  entry is ever read, with a bounded read.
- Anything else is refused, naming what it is when the ``filetype`` package recognises it
  (an ``.exe`` renamed ``.pdf`` is "EXE", not "PDF"). An empty file is refused.

The file name's extension must agree with the content; a name without an extension gets
the detected one.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from seonggwa.submissions.models import Kind

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HWP_SIGNATURE = b"HWP Document File"
HWP_HEADER_NAME = "FileHeader".encode("utf-16-le")
HWPX_MIMETYPE = b"application/hwp+zip"
#: Entries a ZIP-based document may hold (real documents hold tens to hundreds).
MAX_ENTRIES = 10_000
#: How tightly one entry may be packed (XML packs about 10:1; zeros about 1000:1).
MAX_RATIO = 200
#: Entries smaller than this are not ratio-checked (a tiny entry of repeated text is normal).
RATIO_FLOOR_BYTES = 1024 * 1024
#: Unpacked size of a ZIP-based document (``SEONGGWA_SUBMISSION_MAX_UNPACKED_BYTES``).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

#: type code -> content type sent on download (the names people read: ``Kind`` labels)
CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.HWP: "application/x-hwp",
    Kind.HWPX: "application/hwp+zip",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: main part that makes a ZIP an Office Open XML document of each kind
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
               "pptx": "ppt/presentation.xml"}


class FileRefused(ValidationError):
    """The file cannot be accepted; the message says why in words."""


@dataclass(frozen=True)
class Detected:
    kind: str  # a code of KINDS

    @property
    def label(self) -> str:
        return kind_label(self.kind)


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind.upper()


def content_type(kind: str) -> str:
    return CONTENT_TYPES.get(kind, "application/octet-stream")


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "SEONGGWA_SUBMISSION_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def detect(data: bytes) -> Detected:
    """The kind of ``data``, or :class:`FileRefused` saying what it is instead."""
    if not data:
        raise FileRefused(_("빈 파일입니다 (0바이트). 내용이 있는 파일을 올리십시오."))
    if data.startswith(b"%PDF-"):
        return Detected("pdf")
    if data.startswith(OLE_MAGIC):
        return _ole(data)
    if data.startswith(ZIP_MAGIC):
        return _zip(data)
    guessed = filetype.guess(data[:8192])
    what = guessed.extension.upper() if guessed else _("알 수 없는 형식")
    raise FileRefused(_("받을 수 없는 파일 형식입니다: 파일의 실제 내용은 %(what)s입니다.")
                      % {"what": what})


def _ole(data: bytes) -> Detected:
    if HWP_HEADER_NAME in data and HWP_SIGNATURE in data:
        return Detected("hwp")
    raise FileRefused(_("한글(HWP) 5.0 문서가 아닌 OLE 복합 문서입니다 (예: 예전 워드·엑셀 "
                        "파일). PDF나 한글·오피스 최신 형식으로 저장해 올리십시오."))


def _zip(data: bytes) -> Detected:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_("압축 구조가 손상된 파일입니다. 다시 저장해 올리십시오.")) from None
    with archive:
        infos = archive.infolist()
        _check_unpacking(infos)
        names = {i.filename for i in infos}
        if "mimetype" in names and _entry_head(archive, "mimetype") == HWPX_MIMETYPE:
            if "Contents/content.hpf" not in names:
                raise FileRefused(_("한글(HWPX) 문서의 본문이 없습니다. 다시 저장해 올리십시오."))
            return Detected("hwpx")
        if "[Content_Types].xml" in names:
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise FileRefused(_("매크로가 들어 있는 문서는 받지 않습니다. 매크로 없는 "
                                    "형식(.docx, .xlsx, .pptx)으로 저장해 올리십시오."))
            for kind, part in OOXML_PARTS.items():
                if part in names:
                    return Detected(kind)
    raise FileRefused(_("받을 수 없는 파일 형식입니다: 파일의 실제 내용은 ZIP 압축 파일입니다. "
                        "압축을 풀어 문서를 하나씩 올리십시오."))


def _check_unpacking(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise FileRefused(_("압축 안의 항목이 너무 많습니다 (%(n)s개, 최대 %(max)s개).")
                          % {"n": f"{len(infos):,}", "max": f"{MAX_ENTRIES:,}"})
    total = sum(i.file_size for i in infos)
    limit = max_unpacked_bytes()
    if total > limit:
        raise FileRefused(_("압축을 풀면 %(size)s MB로 너무 큽니다 (최대 %(max)s MB). 비정상적으로 "
                            "압축된 파일은 받지 않습니다.") % {"size": _mb(total), "max": _mb(limit)})
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(_("비정상적으로 높은 비율로 압축된 항목이 있습니다 (%(ratio)s배). 이런 "
                                "파일은 받지 않습니다.")
                              % {"ratio": f"{info.file_size // max(info.compress_size, 1):,}"})


def _entry_head(archive: zipfile.ZipFile, name: str, limit: int = 64) -> bytes:
    """The first ``limit`` bytes of one entry (never more is unpacked)."""
    try:
        with archive.open(name) as stream:
            return stream.read(limit).strip()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return b""
