"""Extra days off the office announces (임시공휴일), beside the public holidays of the
``holidays`` package: officers add and remove them, each with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX = 100
REASON_MAX = 1000


class DayOff(models.Model):
    date = models.DateField(_("날짜"), unique=True)
    name = models.CharField(_("이름"), max_length=NAME_MAX,
                            help_text=_("예: 임시공휴일(국군의 날)"))
    reason = models.TextField(_("사유"), max_length=REASON_MAX,
                              help_text=_("예: 2024. 9. 3. 국무회의 의결"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("추가 휴일")
        verbose_name_plural = _("추가 휴일")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
