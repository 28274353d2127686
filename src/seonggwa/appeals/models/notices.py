"""What a user is told in the app: one row per recipient, read or unread."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A message to one user (a result notified, an objection received, a re-review
    decided). ``url`` is the page the notice is about, inside the site."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notices", verbose_name=_("받는 사람"))
    title = models.CharField(_("제목"), max_length=TITLE_MAX)
    body = models.TextField(_("내용"))
    url = models.CharField(_("관련 화면"), max_length=300, blank=True)
    result = models.ForeignKey("evaluations.Result", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("평가 결과"))
    created_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)
    emailed = models.BooleanField(_("전자우편 발송"), default=False)
    read_at = models.DateTimeField(_("읽은 시각"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        indexes = [models.Index(fields=["user", "read_at"], name="appeals_notice_unread")]

    def __str__(self) -> str:
        return self.title
