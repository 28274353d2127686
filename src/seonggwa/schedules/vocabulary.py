"""The words of this part's audit records (:mod:`seonggwa.core.vocabulary`): registered
when the app is ready, read by every page that shows a trail."""

from django.utils.translation import gettext_lazy as _

from seonggwa.core import vocabulary

vocabulary.register(
    actions={
        "schedule.create": _("평가 일정 등록"),
        "schedule.change": _("평가 일정 변경"),
        "schedule.early": _("조기 평가 지정"),
        "window.create": _("기한 설정"),
        "window.set": _("기한 변경"),
        "window.recount": _("기한 다시 계산"),
        "window.notice": _("안내 발송 기록"),
        "window.open": _("기한 시작"),
        "window.close": _("기한 마감"),
        "window.reopen": _("기한 다시 열기"),
        "window.postpone": _("기한 시작 미루기"),
        "day_off.add": _("추가 휴일 지정"),
        "day_off.remove": _("추가 휴일 삭제"),
    },
    fields={"meeting_at": _("평가 회의 일시")},
)
