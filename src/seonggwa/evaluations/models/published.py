"""The published data version: one counter that every app server reads from the database.

Public pages and open-data files are cached per version (``seonggwa.portal.cache``);
:meth:`PublishedDataVersion.bump` moves it, in the same transaction, whenever what the
public sees changes: the workflow calls it (results published or recorded as published,
a published result corrected, a round published), and so does a registry change the
public pages show (a service renamed or given another department), which the registry
announces with ``registry.domain.changes.public_data_changed`` (the registry sits below
this app). Because it lives in the database, a change on one app server makes every
other server's cached pages unreachable on its next request: nothing is stale.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seonggwa.registry.domain.changes import public_data_changed


class PublishedDataVersion(models.Model):
    """A single row (pk 1). ``number`` goes up by one on each change of published data."""

    number = models.PositiveBigIntegerField(_("공개 데이터 버전"), default=1)
    changed_at = models.DateTimeField(_("변경 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("공개 데이터 버전")
        verbose_name_plural = _("공개 데이터 버전")

    def __str__(self) -> str:
        return f"v{self.number}"

    @classmethod
    def current(cls) -> tuple[int, object]:
        """``(number, changed_at)`` — one query; ``(0, None)`` before the first publish."""
        row = cls.objects.filter(pk=1).values_list("number", "changed_at").first()
        return row if row is not None else (0, None)

    @classmethod
    def bump(cls) -> None:
        """Mark published data as changed (call inside the writing transaction)."""
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now):
            obj, created = cls.objects.get_or_create(pk=1, defaults={"changed_at": now})
            if not created:  # created by a concurrent first bump
                cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)


def _registry_changed(sender, **kwargs) -> None:
    PublishedDataVersion.bump()


public_data_changed.connect(_registry_changed, dispatch_uid="seonggwa.published_data_version")
