"""Subjects of evaluation and the small adapters that tie them to registry objects.

Adding a kind of subject is adding a :class:`~seonggwa.evaluations.models.SubjectKind`
value and an entry in :data:`ADAPTERS` — a registry model and how to read a stable key
and a display name from it. Scoring, results, outcomes and pages are the same for every
kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from seonggwa.evaluations.models import Subject, SubjectKind
from seonggwa.registry.models import Organisation, Service


@dataclass(frozen=True)
class SubjectAdapter:
    kind: str
    model: type[models.Model]
    key: Callable[[models.Model], str]
    name: Callable[[models.Model], str]


def _organisation_key(org: Organisation) -> str:
    return f"org-{org.pk}"


ADAPTERS: dict[str, SubjectAdapter] = {
    SubjectKind.SERVICE: SubjectAdapter(SubjectKind.SERVICE, Service,
                                        key=lambda s: s.key, name=lambda s: s.name),
    SubjectKind.ORGANISATION: SubjectAdapter(SubjectKind.ORGANISATION, Organisation,
                                             key=_organisation_key, name=lambda o: o.name),
    SubjectKind.PLATFORM: SubjectAdapter(SubjectKind.PLATFORM, Organisation,
                                         key=_organisation_key, name=lambda o: o.name),
}


def adapter(kind: str) -> SubjectAdapter:
    try:
        return ADAPTERS[kind]
    except KeyError:
        raise LookupError(f"no subject adapter for kind {kind!r}") from None


def subjects_for(kind: str, objects: Iterable[models.Model]) -> dict[int, Subject]:
    """The subject of each registry object (created when missing), by the object's pk.

    Two queries and one bulk insert however many objects: the loaders and the generator
    call this for whole registries.
    """
    ad = adapter(kind)
    objects = list(objects)
    ctype = ContentType.objects.get_for_model(ad.model)
    keys = {obj.pk: ad.key(obj) for obj in objects}
    found = {s.key: s for s in Subject.objects.filter(kind=kind, key__in=set(keys.values()))}
    new = [Subject(kind=kind, key=keys[obj.pk], name=ad.name(obj)[:300], content_type=ctype,
                   object_id=str(obj.pk))
           for obj in objects if keys[obj.pk] not in found]
    if new:
        Subject.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        found.update({s.key: s for s in Subject.objects.filter(
            kind=kind, key__in={s.key for s in new})})
    return {pk: found[key] for pk, key in keys.items()}


def subject_for(kind: str, obj: models.Model) -> Subject:
    return subjects_for(kind, [obj])[obj.pk]


def subject_for_service(service: Service) -> Subject:
    return subject_for(SubjectKind.SERVICE, service)
