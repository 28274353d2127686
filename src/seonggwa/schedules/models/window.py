"""A window in which something may be done (submit, notify, object, report): when it
opens, the last day in time, how that day was counted, and its state — moved by the
scheduler (:func:`seonggwa.schedules.domain.windows.tick`), never by a page visit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE_MAX = 40
LABEL_MAX = 200


class Unit(models.TextChoices):
    CALENDAR = "calendar", _("역일")
    WORKING = "working", _("근무일")


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", _("예정")
    OPEN = "open", _("진행 중")
    CLOSED = "closed", _("마감")


class Window(models.Model):
    round = models.ForeignKey("evaluations.Round", on_delete=models.CASCADE,
                              related_name="windows", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="windows",
                                verbose_name=_("평가 대상"), help_text=_("비워 두면 차수 전체"))
    code = models.CharField(_("기한 종류"), max_length=CODE_MAX)
    label = models.CharField(_("기한 이름"), max_length=LABEL_MAX)
    opens_on = models.DateField(_("시작일"))
    due_on = models.DateField(_("마감일"), help_text=_("이 날까지 하면 기한 안입니다."))
    unit = models.CharField(_("기간 단위"), max_length=10, choices=Unit.choices,
                            default=Unit.CALENDAR)
    #: How ``due_on`` was counted (:meth:`seonggwa.schedules.domain.calendar.Counted.to_json`);
    #: empty for a date an officer set.
    counted = models.JSONField(_("계산 근거"), default=dict, blank=True)
    reason = models.TextField(_("사유"), blank=True,
                              help_text=_("담당관이 정한 날짜의 사유"))
    notice_sent_on = models.DateField(_("안내 발송일"), null=True, blank=True)
    state = models.CharField(_("상태"), max_length=10, choices=WindowState.choices,
                             default=WindowState.SCHEDULED)
    closed_at = models.DateTimeField(_("마감 처리 시각"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "opens_on", "code"]
        verbose_name = _("기한")
        verbose_name_plural = _("기한")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "code"],
                                    name="schedules_window_one_per_code"),
            models.UniqueConstraint(fields=["round", "code"], condition=Q(subject__isnull=True),
                                    name="schedules_window_one_roundwide_per_code"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opens_on")),
                                   name="schedules_window_due_after_opening"),
        ]
        indexes = [
            # The scheduler's two sweeps: windows to open, windows to close.
            models.Index(fields=["state", "opens_on"], name="schedules_window_to_open"),
            models.Index(fields=["state", "due_on"], name="schedules_window_to_close"),
        ]

    def __str__(self) -> str:
        who = f" · {self.subject}" if self.subject_id else ""
        return f"{self.round}{who} · {self.label}"
