"""The office's part of the vocabulary and the parts every process app registers: each
action its pages show has its one word, the same on every page; ``outcome`` has one."""

from __future__ import annotations

import pytest

from seonggwa.core import vocabulary
from seonggwa.core.models import AuditEvent
from seonggwa.office import trail


@pytest.mark.parametrize(("code", "word"), [
    ("result.create", "결과 등록"),
    ("assignment.add", "평가 배정"),
    ("rating.record", "평가 점수 기록"),
    ("schedule.early", "조기 평가 지정"),
    ("day_off.remove", "추가 휴일 삭제"),
    ("panels.seat", "평가단 배정"),
    ("appeal.uphold", "재심의: 원안 유지"),
    ("result.lock", "결과 잠금"),
    ("submission.reopen", "제출 다시 열기"),
])
def test_every_part_registers_its_words(code, word):
    assert vocabulary.action_label(code) == word
    assert trail.action_words(AuditEvent(action=code, object_type="x.y")) == word


def test_outcome_is_said_one_way_everywhere():
    assert vocabulary.field_label("outcome") == "확정 경위"
    for part in ("appeals", "panels", "schedules", None):
        assert vocabulary.field_label("outcome", part=part) == "확정 경위"


def test_a_part_keeps_its_own_sense_of_a_common_key():
    assert trail.field_label(None, "kind", part="panels") == "이해충돌 종류"
    assert trail.field_label(None, "total", part="appeals") == "총점"
    assert trail.field_label(None, "kind") == "기타 항목"  # no common word: never the key
