"""The appeals process's check before the evaluations workflow changes a result
(registered in ``workflow.RESULT_GUARDS`` by the app's ``ready``).

- a result **notified** and waiting for its objection window: neither rescored nor
  finalised by hand (what the organisation was told stands until the window closes);
- a result **objected**: rescored only as the panel's revision, finalised only by
  recording the re-review;
- a result **final** after its objection process: locked, never rescored or corrected
  (publishing it is still possible; the database refuses too, see :mod:`.dblock`).
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from seonggwa.appeals.models import Appeal, AppealState

#: Messages named per result before the rest are counted.
SHOWN = 5


def _message(state: str, change: str, name: str, notified_on) -> str | None:
    if state == AppealState.FINAL and change == "score":
        return _("'%(name)s' 결과는 이의신청 절차를 마치고 최종 확정되어 잠겼습니다. "
                 "더 이상 바꿀 수 없습니다.") % {"name": name}
    if state == AppealState.NOTIFIED:
        return _("'%(name)s' 결과는 %(on)s에 통보되어 이의신청 기간 중입니다. 그동안은 바꾸거나 "
                 "확정할 수 없고, 이의신청 없이 기간이 끝나면 자동으로 확정됩니다.") % {
            "name": name, "on": notified_on.isoformat()}
    if state == AppealState.OBJECTED and change == "finalise":
        return _("'%(name)s' 결과에 이의신청이 접수되었습니다. 평가단의 재심의 결과를 기록하면 "
                 "확정됩니다.") % {"name": name}
    return None


def refusals(round_, subject_ids: Collection[int], change: str) -> list[str]:
    """Why results of ``subject_ids`` in ``round_`` may not undergo ``change``
    (``"score"``: rescoring or correcting; ``"finalise"``); empty when they may."""
    rows = (Appeal.objects.filter(result__round=round_, result__subject_id__in=list(subject_ids))
            .values_list("state", "result__subject__name", "notified_on")
            .order_by("result__subject__name"))
    found = [m for state, name, on in rows if (m := _message(state, change, name, on))]
    if len(found) > SHOWN:
        found = found[:SHOWN] + [_("외 %(n)s건도 같은 이유로 바꿀 수 없습니다.")
                                 % {"n": len(found) - SHOWN}]
    return found
