"""Who a user is in the evaluation: one role, and the organisation they act for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("평가담당관")
    DEPARTMENT = "department", _("사업부서")
    CONTRACTOR = "contractor", _("수탁기관")
    EVALUATOR = "evaluator", _("평가위원")
    COMMITTEE = "committee", _("위원회·의회")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("소속 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("사업부서·수탁기관 사용자는 자기 기관의 사무만 봅니다."),
    )
    is_demo = models.BooleanField(
        _("시연용 계정"),
        default=False,
        help_text=_("로컬 시연용으로 만든 계정입니다. 운영 모드(디버그 꺼짐)에서는 로그인할 수 없고 "
                    "시작할 때 비활성화됩니다."),
    )

    class Meta:
        verbose_name = _("사용자 정보")
        verbose_name_plural = _("사용자 정보")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


def role_of(user) -> str | None:
    """The user's role, or None for anonymous users and users without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.OFFICER
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def organisation_of(user):
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.organisation if profile else None
