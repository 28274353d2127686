"""What is evaluated: one general subject concept for every scheme.

A :class:`Subject` is an outsourced service, an organisation (BSC), a district's civic
platform, a region (joint evaluation) or a plan; it points at the registry object it
stands for through a generic relation (``content_type`` + ``object_id``). Adding a kind of
subject is adding a :class:`SubjectKind` value and a small adapter
(:mod:`seonggwa.evaluations.domain.subjects`), never a new result table.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    SERVICE = "service", _("민간위탁 사무")
    ORGANISATION = "organisation", _("기관")
    PLATFORM = "platform", _("민관협치 플랫폼")
    REGION = "region", _("지역")
    PLAN = "plan", _("계획")


class Subject(models.Model):
    kind = models.CharField(_("종류"), max_length=20, choices=SubjectKind.choices)
    key = models.CharField(_("식별자"), max_length=120)
    name = models.CharField(_("명칭"), max_length=300)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("평가 대상")
        verbose_name_plural = _("평가 대상")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="evaluations_subject_unique_key"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.name
