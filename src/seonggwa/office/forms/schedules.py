"""Forms of the schedules pages: a subject's schedule and early evaluation, a round's
submission window, a notice sent, and the extra days off."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core.forms import Form
from seonggwa.schedules.domain.schedules import ScheduleInput
from seonggwa.schedules.models import ProjectYear
from seonggwa.schedules.models.days_off import NAME_MAX
from seonggwa.schedules.models.days_off import REASON_MAX as DAY_OFF_REASON_MAX
from seonggwa.schedules.models.schedule import PLACE_MAX, REASON_MAX

from .fields import date_field


class ScheduleForm(Form):
    project_year = forms.TypedChoiceField(
        label=gettext_lazy("사업 연차"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("해당 없음")), *ProjectYear.choices])
    period_start = date_field(gettext_lazy("평가 대상 기간 시작"), required=False)
    period_end = date_field(gettext_lazy("평가 대상 기간 끝"), required=False,
                            help_text=gettext_lazy("1년차: 사업 시작부터 기준일까지, 2년차: 지난 "
                                                   "평가 이후(미반영 기간 포함)부터 기준일까지"))
    submission_due = date_field(gettext_lazy("자료 제출 기한"), required=False,
                                help_text=gettext_lazy("이 날까지 제출하면 기한 안입니다."))
    meeting_date = date_field(gettext_lazy("평가 회의 날짜"), required=False,
                              help_text=gettext_lazy("통보·보고서 기한은 이 날짜부터 계산합니다."))
    meeting_time = forms.TimeField(label=gettext_lazy("평가 회의 시각"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=gettext_lazy("장소"), required=False, max_length=PLACE_MAX)
    reason = forms.CharField(label=gettext_lazy("변경 사유"), required=False,
                             max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("이미 정한 일정을 바꿀 때 적습니다. 변경 "
                                                    "이력에 남습니다."))

    def clean(self):
        data = super().clean()
        if data.get("meeting_time") and not data.get("meeting_date"):
            self.add_error("meeting_date", _("회의 시각을 적으려면 날짜도 적어 주십시오."))
        return data

    def meeting_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("meeting_date"), self.cleaned_data.get("meeting_time")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time or dt.time(0, 0)))

    def schedule_input(self, *, early: bool = False, early_reason: str = "") -> ScheduleInput:
        d = self.cleaned_data
        return ScheduleInput(project_year=d.get("project_year"),
                             period_start=d.get("period_start"), period_end=d.get("period_end"),
                             submission_due=d.get("submission_due"), meeting_at=self.meeting_at(),
                             place=d.get("place") or "", early=early,
                             early_reason=early_reason)


class EarlyForm(Form):
    reason = forms.CharField(label=gettext_lazy("조기 평가 사유"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("예: 사업 중도 포기(2018. 5. 31. 협약 해지)"))
    submission_due = date_field(gettext_lazy("자료 제출 기한"))
    meeting_date = date_field(gettext_lazy("평가 회의 날짜"))
    meeting_time = forms.TimeField(label=gettext_lazy("평가 회의 시각"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=gettext_lazy("장소"), required=False, max_length=PLACE_MAX)

    def meeting_at(self) -> dt.datetime:
        d = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(
            d["meeting_date"], d["meeting_time"] or dt.time(0, 0)))


class DayOffForm(Form):
    date = date_field(gettext_lazy("날짜"))
    name = forms.CharField(label=gettext_lazy("이름"), max_length=NAME_MAX,
                           help_text=gettext_lazy("예: 임시공휴일(국군의 날)"))
    reason = forms.CharField(label=gettext_lazy("사유"), max_length=DAY_OFF_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("예: 국무회의 의결(관보 게재일)"))


class ReasonForm(Form):
    reason = forms.CharField(label=gettext_lazy("사유"), max_length=DAY_OFF_REASON_MAX)


class RoundWindowForm(Form):
    opens_on = date_field(gettext_lazy("제출 시작일"))
    due_on = date_field(gettext_lazy("제출 마감일"),
                        help_text=gettext_lazy("이 날까지 제출하면 기한 안입니다."))
    reason = forms.CharField(label=gettext_lazy("사유"), required=False, max_length=REASON_MAX,
                             help_text=gettext_lazy("이미 정한 기한을 바꿀 때 적습니다."))


class NoticeForm(Form):
    sent_on = date_field(gettext_lazy("안내 발송일"))
