"""Who acts in a subject's name, and whose subjects they are.

The evaluated organisation of a subject is the registry organisation it stands for (a civic
platform, an organisation) or, for an outsourced service, the service's contractors — the
organisations that hold or held a contract for it or were evaluated on it (the same
relation as the rest of the office, ``Service.objects.for_contractor``). A contractor-role
user acts for the subjects of their own organisation; the owning department of a service
reads its documents. The access policy (:mod:`seonggwa.access.submissions`) builds its rules
on these; the domain checks them again before it stores anything.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Subject, SubjectKind
from seonggwa.registry.models import Organisation, Service

#: Subject kinds whose evaluated organisation is the registry organisation itself.
ORGANISATION_KINDS = (SubjectKind.PLATFORM, SubjectKind.ORGANISATION)


def represented_subjects(organisation: Organisation | None) -> Q:
    """The subjects ``organisation`` is the evaluated organisation of (a ``Subject`` filter)."""
    if organisation is None:
        return Q(pk__in=[])
    org_type = ContentType.objects.get_for_model(Organisation)
    service_type = ContentType.objects.get_for_model(Service)
    services = [str(pk) for pk in Service.objects.for_contractor(organisation)
                .values_list("pk", flat=True)]
    return (Q(kind__in=ORGANISATION_KINDS, content_type=org_type,
              object_id=str(organisation.pk))
            | Q(kind=SubjectKind.SERVICE, content_type=service_type, object_id__in=services))


def department_subjects(organisation: Organisation | None) -> Q:
    """The service subjects whose service ``organisation`` owns as its department."""
    if organisation is None:
        return Q(pk__in=[])
    service_type = ContentType.objects.get_for_model(Service)
    services = [str(pk) for pk in Service.objects.filter(department=organisation)
                .values_list("pk", flat=True)]
    return Q(kind=SubjectKind.SERVICE, content_type=service_type, object_id__in=services)


def represents(user, subject: Subject | None) -> bool:
    """A contractor-role user of the subject's evaluated organisation."""
    if subject is None or role_of(user) != Role.CONTRACTOR:
        return False
    return Subject.objects.filter(
        represented_subjects(organisation_of(user)), pk=subject.pk).exists()


def owns_as_department(user, subject: Subject | None) -> bool:
    if subject is None or role_of(user) != Role.DEPARTMENT:
        return False
    return Subject.objects.filter(
        department_subjects(organisation_of(user)), pk=subject.pk).exists()


def is_officer(user) -> bool:
    return role_of(user) == Role.OFFICER
