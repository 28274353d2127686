"""Steps the appeals tests share: release a round, file an objection."""

from __future__ import annotations

from datetime import timedelta

from seonggwa.appeals.domain import process
from seonggwa.appeals.models import Appeal


def release(w, day=None) -> list[Appeal]:
    """Release every pending result of the world's round on ``day`` (its Monday)."""
    pending = process.pending_results(w.round).count()
    process.release(w.round, expected=pending, actor=w.officer, today=day or w.day)
    return list(Appeal.objects.filter(result__round=w.round)
                .select_related("result__subject").order_by("result__subject__name"))


def appeal_of(result) -> Appeal:
    return Appeal.objects.select_related("result__round__year", "result__subject").get(
        result=result)


def object_(w, appeal, user=None, reasons="G2 점수 산정에 이의가 있습니다.", files=(), day=None):
    return process.file_objection(appeal, user or w.mapo_user, reasons, files,
                                  today=day or w.day + timedelta(days=1))
