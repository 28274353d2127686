from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("사업부서")
    CONTRACTOR = "contractor", _("수탁기관")
    INSTITUTION = "institution", _("평가기관")
    COMMITTEE = "committee", _("위원회")
    PLATFORM = "platform", _("자치구 민관협치 플랫폼")


class OrganisationQuerySet(models.QuerySet):
    def departments(self):
        return self.filter(kind=OrganisationKind.DEPARTMENT)

    def contractors(self):
        return self.filter(kind=OrganisationKind.CONTRACTOR)

    def institutions(self):
        return self.filter(kind=OrganisationKind.INSTITUTION)


class Organisation(models.Model):
    """A department, contractor, evaluation institution or committee.

    ``name`` is kept exactly as written in the source (SPEC §9, transcription glitches
    included). ``corrected_name`` is a separate, marked correction, never a silent edit.
    A consortium written as one string (e.g. ``"(주)씨에스엠앤이· (주)우리들교육"``)
    is stored as its member organisations; the string as written stays on the result.
    """

    name = models.CharField(_("기관명(원문)"), max_length=200)
    kind = models.CharField(_("구분"), max_length=20, choices=OrganisationKind.choices)
    corrected_name = models.CharField(
        _("기관명(정정)"),
        max_length=200,
        blank=True,
        help_text=_("원문 표기의 오류를 바로잡은 이름. 원문은 그대로 둡니다."),
    )
    correction_note = models.CharField(_("정정 사유"), max_length=300, blank=True)
    district = models.CharField(
        _("자치구"), max_length=20, blank=True,
        help_text=_("기관이 속한 자치구(예: 서대문구). 평가단 이해충돌 확인에서 같은 자치구를 "
                    "가려냅니다."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="registry_org_unique_kind_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The corrected name when one exists, else the name as written."""
        return self.corrected_name or self.name

    @property
    def is_corrected(self) -> bool:
        return bool(self.corrected_name) and self.corrected_name != self.name
