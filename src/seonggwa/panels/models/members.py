"""The member pool: evaluator-role users with a panel profile, and the conflicts they
declare themselves.

The member's employer is the organisation of their user profile
(:attr:`seonggwa.accounts.models.Profile.organisation`) and their district that
organisation's :attr:`~seonggwa.registry.models.Organisation.district`: one place to keep
them, read by the conflict check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MemberProfile(models.Model):
    """A user in the pool of panel members (평가위원 후보)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="panel_profile", verbose_name=_("사용자"))
    position = models.CharField(_("직위"), max_length=100, blank=True,
                                help_text=_("예: 협치지원관, 교수, 플랫폼 단체장"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("평가위원 후보")
        verbose_name_plural = _("평가위원 후보")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class DeclaredConflict(models.Model):
    """A conflict the member declares with an organisation or one subject (e.g. a former
    employer, a consultancy for the platform), with the reason. Withdrawn declarations
    stay, marked withdrawn."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="declared_conflicts", verbose_name=_("위원"))
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("기관"))
    subject = models.ForeignKey("evaluations.Subject", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("평가 대상"))
    reason = models.TextField(_("사유"))
    declared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member", "-declared_at"]
        verbose_name = _("이해관계 신고")
        verbose_name_plural = _("이해관계 신고")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, subject__isnull=True)
                | Q(organisation__isnull=True, subject__isnull=False),
                name="panels_declared_one_target"),
            # one declaration in force per target: a second (say, a double click) is
            # refused by the database too
            models.UniqueConstraint(
                fields=["member", "organisation"],
                condition=Q(withdrawn_at__isnull=True, organisation__isnull=False),
                name="panels_declared_once_organisation"),
            models.UniqueConstraint(
                fields=["member", "subject"],
                condition=Q(withdrawn_at__isnull=True, subject__isnull=False),
                name="panels_declared_once_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.organisation or self.subject}"

    @property
    def target(self):
        return self.organisation or self.subject
