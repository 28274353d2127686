"""The words of this part's audit records (:mod:`seonggwa.core.vocabulary`): registered
when the app is ready, read by every page that shows a trail. ``outcome`` is how a
released result became final (확정 경위) on every page; the keys of a notified result
(``total``, ``grade``, ``deadline``…) are this part's own words."""

from django.utils.translation import gettext_lazy as _

from seonggwa.core import vocabulary

PART = "appeals"

vocabulary.register(
    actions={
        "appeal.release": _("결과 통보"),
        "appeal.object": _("이의신청"),
        "appeal.uphold": _("재심의: 원안 유지"),
        "appeal.revise": _("재심의: 수정"),
        "appeal.lapse": _("이의신청 없이 확정"),
        "result.lock": _("결과 잠금"),
    },
    fields={"locked": _("잠금"), "outcome": _("확정 경위")},
)
vocabulary.register(
    fields={
        "grade": _("등급"),
        "total": _("총점"),
        "decision": _("판정"),
        "deadline": _("이의신청 마감일"),
        "deadline_how": _("마감일 계산"),
    },
    part=PART,
)
