"""A round's results released to the evaluated organisations, the objection process of
each result, and the lock that ends it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REASONS_MAX = 5000


class AppealState(models.TextChoices):
    NOTIFIED = "notified", _("통보됨")
    OBJECTED = "objected", _("이의신청 접수")
    FINAL = "final", _("최종 확정")


class Outcome(models.TextChoices):
    """How a released result became final."""

    LAPSED = "lapsed", _("이의신청 없이 확정")
    NOT_ALLOWED = "not_allowed", _("이의신청 대상 아님")
    UPHELD = "upheld", _("재심의: 원안 유지")
    REVISED = "revised", _("재심의: 수정")


class Release(models.Model):
    """One officer's sending of results of a round, all together, on one day."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("평가 차수"))
    released_on = models.DateField(_("통보일"))
    released_at = models.DateTimeField(_("통보 시각"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("통보한 사람"), max_length=150)
    count = models.PositiveIntegerField(_("통보 결과 수"))

    class Meta:
        ordering = ["-released_at", "-id"]
        verbose_name = _("결과 통보")
        verbose_name_plural = _("결과 통보")

    def __str__(self) -> str:
        return f"{self.round} {self.released_on} ({self.count})"


class Appeal(models.Model):
    """The objection process of one released result (state machine:
    :data:`seonggwa.appeals.domain.machine.APPEAL`). ``message`` is what the evaluated
    organisation was told (grade, total, decision, the objection deadline), as sent."""

    result = models.OneToOneField("evaluations.Result", on_delete=models.PROTECT,
                                  related_name="appeal", verbose_name=_("평가 결과"))
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="appeals")
    state = models.CharField(_("상태"), max_length=12, choices=AppealState.choices,
                             default=AppealState.NOTIFIED)
    notified_on = models.DateField(_("통보일"))
    message = models.JSONField(_("통보 내용"), default=dict)
    outcome = models.CharField(_("결과"), max_length=12, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(_("재심의 사유"), blank=True)
    decided_at = models.DateTimeField(_("확정 시각"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("이의신청 절차")
        verbose_name_plural = _("이의신청 절차")
        indexes = [models.Index(fields=["state"], name="appeals_appeal_state")]

    def __str__(self) -> str:
        # Language-neutral: kept in the audit trail.
        return f"{self.result.subject} ({self.result.round})"


class Objection(models.Model):
    """The one objection (이의신청) against a result: the one-to-one field makes a second
    impossible in the database, whichever session files it."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="objection")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("신청 기관"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("신청인"))
    filed_on = models.DateField(_("신청일"))
    filed_at = models.DateTimeField(_("신청 시각"), auto_now_add=True)
    reasons = models.TextField(_("이의신청 사유"), max_length=REASONS_MAX)

    class Meta:
        verbose_name = _("이의신청")
        verbose_name_plural = _("이의신청")

    def __str__(self) -> str:
        return f"{self.appeal} · {self.organisation}"


class ObjectionFile(models.Model):
    """Evidence attached to an objection, kept through Django's storage API."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("파일"), upload_to="appeals/objections/%Y/", max_length=300)
    name = models.CharField(_("파일 이름"), max_length=200)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    kind = models.CharField(_("형식"), max_length=10)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("이의신청 첨부 파일")
        verbose_name_plural = _("이의신청 첨부 파일")

    def __str__(self) -> str:
        return self.name


class ResultLock(models.Model):
    """A result made final by its objection process: it never changes again (publishing
    it is still possible). The database refuses changes to a locked result's score,
    grade, decision and remark, and its deletion (:mod:`seonggwa.appeals.domain.dblock`)."""

    result = models.OneToOneField("evaluations.Result", on_delete=models.PROTECT,
                                  related_name="appeal_lock")
    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="lock")
    locked_at = models.DateTimeField(_("잠금 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("결과 잠금")
        verbose_name_plural = _("결과 잠금")

    def __str__(self) -> str:
        return f"lock {self.result_id}"
