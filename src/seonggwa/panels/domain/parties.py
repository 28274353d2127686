"""Who stands on the evaluated side of a subject, and where a panel member comes from —
the facts the conflict check compares.

- the *evaluated organisations*: a platform's or an organisation's own registry row; an
  outsourced service's contractors (every contract period and result named them);
- the *commissioning department* of an outsourced service (its owner);
- the *districts* of the evaluated organisations (Organisation.district);
- a member's *employer*: the organisation of their user profile, and its district.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Round, Subject, SubjectKind
from seonggwa.registry.models import Organisation, Service

_ORGANISATION_KINDS = (SubjectKind.PLATFORM, SubjectKind.ORGANISATION)


@dataclass(frozen=True)
class EvaluatedSide:
    organisations: tuple[Organisation, ...]
    department: Organisation | None

    @property
    def districts(self) -> frozenset[str]:
        return frozenset(o.district for o in self.organisations if o.district)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(o.pk for o in self.organisations)


def _target_id(subject: Subject) -> int | None:
    return int(subject.object_id) if str(subject.object_id).isdigit() else None


def evaluated_side(subject: Subject) -> EvaluatedSide:
    """The evaluated organisations of ``subject`` and, for a service, its department."""
    target = _target_id(subject)
    if target is None:
        return EvaluatedSide((), None)
    if subject.kind in _ORGANISATION_KINDS:
        return EvaluatedSide(tuple(Organisation.objects.filter(pk=target)), None)
    if subject.kind == SubjectKind.SERVICE:
        service = Service.objects.select_related("department").filter(pk=target).first()
        if service is None:
            return EvaluatedSide((), None)
        contractors = Organisation.objects.filter(
            Q(contract_periods__service=service) | Q(contractor_results__service=service)
        ).distinct().order_by("name")
        return EvaluatedSide(tuple(contractors), service.department)
    return EvaluatedSide((), None)


def subjects_of_organisation(organisation: Organisation | None):
    """The subjects ``organisation`` is evaluated in (its platform or organisation
    subject, the services it holds or held a contract for)."""
    if organisation is None:
        return Subject.objects.none()
    org_type = ContentType.objects.get_for_model(Organisation)
    service_type = ContentType.objects.get_for_model(Service)
    services = [str(pk) for pk in Service.objects.for_contractor(organisation)
                .values_list("pk", flat=True)]
    return Subject.objects.filter(
        Q(kind__in=_ORGANISATION_KINDS, content_type=org_type, object_id=str(organisation.pk))
        | Q(kind=SubjectKind.SERVICE, content_type=service_type, object_id__in=services))


def acts_for(user, subject: Subject | None) -> bool:
    """Whether ``user`` is a contractor-role user of an organisation on the evaluated side
    of ``subject`` (who may challenge a member of its panel)."""
    if subject is None or role_of(user) != Role.CONTRACTOR:
        return False
    org = organisation_of(user)
    return org is not None and subjects_of_organisation(org).filter(pk=subject.pk).exists()


def employer_of(user) -> Organisation | None:
    return organisation_of(user)


def district_of(user) -> str:
    org = organisation_of(user)
    return org.district if org is not None else ""


def platform_subject(organisation: Organisation) -> Subject | None:
    """The platform subject of a platform organisation (a peer member's own platform)."""
    return Subject.objects.filter(
        kind=SubjectKind.PLATFORM, object_id=str(organisation.pk),
        content_type=ContentType.objects.get_for_model(Organisation)).first()


def project_year(round_: Round, subject: Subject) -> int | None:
    """The project year of ``subject`` in ``round_`` (its schedule), else in another
    round of the same year and scheme (a peer's platform evaluated in another round)."""
    from seonggwa.schedules.models import Schedule

    rows = (Schedule.objects.filter(subject=subject, round__year=round_.year_id,
                                    round__scheme=round_.scheme,
                                    project_year__isnull=False)
            .values_list("round_id", "project_year"))
    years = dict(rows)
    if round_.pk in years:
        return years[round_.pk]
    return next(iter(sorted(set(years.values()))), None) if len(set(years.values())) == 1 else None
