"""What a file really is, from its bytes: the accepted kinds are recognised, everything else
is refused naming what it is — never trusting the name."""

from __future__ import annotations

import pytest

from seonggwa.submissions.domain.filetypes import FileRefused, detect
from submissions.files import (
    docx,
    exe,
    hwp,
    hwpx,
    hwpx_bomb,
    old_word_doc,
    pdf,
    plain_zip,
    xlsx_file,
)


@pytest.mark.parametrize(("data", "kind"), [
    (pdf(), "pdf"), (hwp(), "hwp"), (hwpx(), "hwpx"), (docx(), "docx"),
    (xlsx_file(), "xlsx"),
])
def test_each_accepted_kind_is_recognised_by_content(data, kind):
    assert detect(data).kind == kind


@pytest.mark.parametrize(("data", "words"), [
    (b"", "빈 파일"),
    (exe(), "실제 내용은 EXE"),
    (b"just some text\n", "알 수 없는 형식"),
    (plain_zip(), "ZIP 압축 파일"),
    (old_word_doc(), "한글(HWP) 5.0 문서가 아닌 OLE"),
    (docx(macro=True), "매크로"),
    (b"PK\x03\x04 not really a zip", "손상"),
])
def test_other_content_is_refused_saying_what_it_is(data, words):
    with pytest.raises(FileRefused) as refused:
        detect(data)
    assert words in " ".join(refused.value.messages)


def test_a_zip_bomb_shaped_like_hwpx_is_refused_before_it_is_unpacked(settings):
    settings.SEONGGWA_SUBMISSION_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
    bomb = hwpx_bomb(30)
    assert len(bomb) < 200_000  # 30 MB of zeros in a small file
    with pytest.raises(FileRefused, match="압축을 풀면 3[01].[0-9] MB로 너무 큽니다"):
        detect(bomb)


def test_one_entry_packed_far_too_tightly_is_refused_even_under_the_total_limit():
    with pytest.raises(FileRefused, match="비정상적으로 높은 비율"):
        detect(hwpx_bomb(5))


def test_an_hwpx_without_its_body_is_refused():
    from submissions.files import _zip

    with pytest.raises(FileRefused, match="본문이 없습니다"):
        detect(_zip([("mimetype", b"application/hwp+zip")], stored_first=True))
