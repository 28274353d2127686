"""A subject's panel: seats, the round's default composition, recusals (회피),
challenges (기피) and conflicts the officer lifted.

Every row changes through :mod:`seonggwa.panels.domain` (audited); the states of
recusals and challenges move through the machines in
:mod:`seonggwa.panels.domain.machines`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_USER = settings.AUTH_USER_MODEL


class Seat(models.Model):
    """A member seated on a subject's panel in a round, in a seat of the framework's
    composition (``seat_code``) at ``position`` 1…count of that seat.

    Two officers seating the same place at once: the database keeps one (the partial
    unique constraints below), the other is refused. An ended seat stays as history."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="panel_seats", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", on_delete=models.PROTECT,
                                related_name="panel_seats", verbose_name=_("평가 대상"))
    member = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="panel_seats",
                               verbose_name=_("위원"))
    seat_code = models.CharField(_("자리"), max_length=40)
    position = models.PositiveSmallIntegerField(_("순번"))
    seated_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    seated_label = models.CharField(max_length=150, blank=True)
    seated_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    ended_label = models.CharField(max_length=150, blank=True)
    ended_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "subject", "seat_code", "position", "seated_at"]
        verbose_name = _("평가단 위원 자리")
        verbose_name_plural = _("평가단 위원 자리")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "seat_code", "position"],
                                    condition=Q(ended_at__isnull=True),
                                    name="panels_seat_one_member_per_place"),
            models.UniqueConstraint(fields=["round", "subject", "member"],
                                    condition=Q(ended_at__isnull=True),
                                    name="panels_seat_one_place_per_member"),
            models.CheckConstraint(condition=Q(position__gte=1), name="panels_seat_position"),
        ]
        indexes = [models.Index(fields=["member", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.subject} · {self.member.get_full_name() or self.member.get_username()}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class TemplateEntry(models.Model):
    """One member of a round's default composition, applied by the officer to each
    subject (the conflict check still runs per subject)."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="panel_template", verbose_name=_("평가 차수"))
    member = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("위원"))
    seat_code = models.CharField(_("자리"), max_length=40)
    added_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "seat_code", "added_at"]
        verbose_name = _("기본 평가단 구성")
        verbose_name_plural = _("기본 평가단 구성")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="panels_template_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.member.get_username()} ({self.seat_code})"


class RecusalState(models.TextChoices):
    ACTIVE = "active", _("회피 중")
    WITHDRAWN = "withdrawn", _("회피 철회")


class Recusal(models.Model):
    """회피: the member steps aside from a subject's panel, with the reason."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("평가 대상"))
    member = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="recusals",
                               verbose_name=_("위원"))
    reason = models.TextField(_("사유"))
    state = models.CharField(_("상태"), max_length=12, choices=RecusalState.choices,
                             default=RecusalState.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("회피")
        verbose_name_plural = _("회피")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "member"],
                                    condition=Q(state="active"), name="panels_recusal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.member.get_full_name() or self.member.get_username()}"


class ChallengeState(models.TextChoices):
    FILED = "filed", _("신청")
    ACCEPTED = "accepted", _("인용")
    REJECTED = "rejected", _("기각")


class Challenge(models.Model):
    """기피: the evaluated organisation objects to a member, with the reason; the officer
    accepts (the member may not sit) or rejects it, with a reason. One challenge per
    member, subject and round."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("평가 대상"))
    member = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="challenges",
                               verbose_name=_("위원"))
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("신청 기관"))
    filed_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    filed_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField(_("신청 사유"))
    state = models.CharField(_("상태"), max_length=12, choices=ChallengeState.choices,
                             default=ChallengeState.FILED)
    decision_reason = models.TextField(_("결정 사유"), blank=True)
    decided_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_label = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("기피 신청")
        verbose_name_plural = _("기피 신청")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "member"],
                                    name="panels_challenge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.member.get_full_name() or self.member.get_username()}"


class ConflictKind(models.TextChoices):
    """The kinds of conflict the check knows (:mod:`seonggwa.panels.domain.conflicts`)."""

    SAME_DISTRICT = "same_district", _("같은 자치구")
    SAME_ORGANISATION = "same_organisation", _("평가 대상 기관 소속")
    SAME_EMPLOYER = "same_employer", _("같은 고용 기관")
    DECLARED = "declared", _("본인 신고")
    RECUSAL = "recusal", _("회피")
    CHALLENGE = "challenge", _("기피")


class WaiverState(models.TextChoices):
    LIFTED = "lifted", _("해제됨")
    REVOKED = "revoked", _("해제 취소됨")


class ConflictWaiver(models.Model):
    """A conflict the officer lifted for one member on one subject's panel, with the
    reason (only the kinds :data:`seonggwa.panels.domain.conflicts.LIFTABLE` allow);
    the officer may revoke it, with a reason (state machine
    :data:`seonggwa.panels.domain.machines.WAIVER`): the conflict applies again, and the
    revoked row stays as history."""

    round = models.ForeignKey("evaluations.Round", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("평가 대상"))
    member = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("위원"))
    kind = models.CharField(_("종류"), max_length=30, choices=ConflictKind.choices)
    reason = models.TextField(_("사유"))
    lifted_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_label = models.CharField(max_length=150, blank=True)
    lifted_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("상태"), max_length=10, choices=WaiverState.choices,
                             default=WaiverState.LIFTED)
    revoke_reason = models.TextField(_("해제 취소 사유"), blank=True)
    revoked_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_label = models.CharField(max_length=150, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-lifted_at"]
        verbose_name = _("이해충돌 해제")
        verbose_name_plural = _("이해충돌 해제")
        constraints = [
            # one waiver in force per conflict; revoked ones stay as history
            models.UniqueConstraint(fields=["round", "subject", "member", "kind"],
                                    condition=Q(state="lifted"), name="panels_waiver_once"),
        ]

    def __str__(self) -> str:
        return _("%(member)s 위원 · %(subject)s · %(kind)s 이해충돌 해제") % {
            "member": self.member.get_full_name() or self.member.get_username(),
            "subject": self.subject, "kind": self.get_kind_display()}
