"""Small real files of every kind the submissions accept or refuse, built in memory."""

from __future__ import annotations

import io
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def pdf(text: str = "결과보고서") -> bytes:
    body = text.encode("utf-8")
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + body + b"\n%%EOF\n"


def hwp() -> bytes:
    """An OLE compound file with a FileHeader stream holding the HWP 5.0 signature."""
    header = OLE + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00") \
        + "FileHeader".encode("utf-16-le").ljust(128, b"\x00")
    return header + directory + b"HWP Document File".ljust(256, b"\x00")


def old_word_doc() -> bytes:
    """An OLE compound file that is not HWP (a Word 97 document)."""
    return OLE + b"\x00" * 504 + "WordDocument".encode("utf-16-le").ljust(512, b"\x00")


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            z.writestr(name, data, compress_type=kind)
    return buf.getvalue()


def hwpx(extra: list[tuple[str, bytes]] = ()) -> bytes:
    return _zip([("mimetype", b"application/hwp+zip"),
                 ("META-INF/container.xml", b"<container/>"),
                 ("Contents/content.hpf", b"<opf:package/>"),
                 ("Contents/section0.xml", "<hs:sec>본문</hs:sec>".encode()),
                 *extra], stored_first=True)


def hwpx_bomb(megabytes: int = 50) -> bytes:
    """An HWPX whose one section unpacks to ``megabytes`` of zeros (about 1000 : 1)."""
    return hwpx([("Contents/section1.xml", b"\x00" * (megabytes * 1024 * 1024))])


def docx(macro: bool = False) -> bytes:
    entries = [("[Content_Types].xml", b"<Types/>"), ("_rels/.rels", b"<Relationships/>"),
               ("word/document.xml", b"<w:document/>")]
    if macro:
        entries.append(("word/vbaProject.bin", b"\x00macro"))
    return _zip(entries)


def xlsx_file() -> bytes:
    from openpyxl import Workbook

    from seonggwa.core.xlsx import workbook_bytes

    wb = Workbook()
    wb.active.append(["표"])
    return workbook_bytes(wb)


def plain_zip() -> bytes:
    return _zip([("a.txt", b"hello")])


def exe() -> bytes:
    """The start of a Windows executable (MZ header, PE signature)."""
    return b"MZ" + b"\x90\x00" * 29 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" \
        + b"\x00" * 200
