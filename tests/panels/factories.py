"""A 2018 civic-platform round for the panel tests: platforms in five districts with
their project years, the city's and districts' officials, experts, and the people of the
evaluated platform (서대문구)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.frameworks import preset_version
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Scheme, SubjectKind
from seonggwa.panels.domain.members import enrol
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.schedules.models import Schedule

CIVIC = "seoul-civic-platform-2018"

#: platform -> (district, project year)
PLATFORMS = {
    "서대문구 협치플랫폼": ("서대문구", 1),
    "종로구 협치플랫폼": ("종로구", 1),
    "중구 협치플랫폼": ("중구", 2),
    "성북구 협치플랫폼": ("성북구", 2),
    "서대문 이웃플랫폼": ("서대문구", 2),  # another platform of the evaluated district
}


def organisation(name, kind, district=""):
    return Organisation.objects.get_or_create(kind=kind, name=name,
                                              defaults={"district": district})[0]


def user(username, role, org=None, *, full_name="", pool=False):
    u = get_user_model().objects.create_user(username, password="pw",
                                             first_name=full_name or username)
    Profile.objects.create(user=u, role=role, organisation=org)
    if pool:
        enrol(u, position="위원", actor=None, actor_label="test")
    return u


@dataclass
class Civic:
    round: object = None
    subject: object = None  # 서대문구 협치플랫폼
    other_subject: object = None  # 종로구 협치플랫폼
    platforms: dict = field(default_factory=dict)
    subjects: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.people[name]


def civic_round(*, year=2018, number=1) -> Civic:
    w = Civic()
    w.round = workflow.open_round(year, number, scheme=Scheme.CIVIC_PLATFORM,
                                  framework_version=preset_version(CIVIC),
                                  title=f"{year} 시민협력플랫폼 {number}차", actor_label="test")
    for name, (district, project_year) in PLATFORMS.items():
        org = organisation(name, OrganisationKind.PLATFORM, district)
        w.platforms[name] = org
        w.subjects[name] = subject_for(SubjectKind.PLATFORM, org)
        Schedule.objects.create(round=w.round, subject=w.subjects[name],
                                project_year=project_year)
    w.subject = w.subjects["서대문구 협치플랫폼"]
    w.other_subject = w.subjects["종로구 협치플랫폼"]
    city = organisation("서울시 협치지원과", OrganisationKind.DEPARTMENT)
    seodaemun_office = organisation("서대문구청 자치행정과", OrganisationKind.DEPARTMENT,
                                    "서대문구")
    jongno_office = organisation("종로구청 자치행정과", OrganisationKind.DEPARTMENT, "종로구")
    university = organisation("한국행정연구원", OrganisationKind.INSTITUTION, "은평구")
    w.people = {
        "officer": user("officer", Role.OFFICER, full_name="김주무"),
        "officer2": user("officer2", Role.OFFICER, full_name="이담당"),
        "city1": user("city1", Role.EVALUATOR, city, full_name="박팀장", pool=True),
        "city2": user("city2", Role.EVALUATOR, city, full_name="최지원관", pool=True),
        "district": user("district", Role.EVALUATOR, jongno_office, full_name="정주무관",
                         pool=True),
        "expert1": user("expert1", Role.EVALUATOR, university, full_name="한교수", pool=True),
        "expert2": user("expert2", Role.EVALUATOR, university, full_name="윤연구위원",
                        pool=True),
        "peer1": user("peer1", Role.EVALUATOR, w.platforms["종로구 협치플랫폼"],
                      full_name="종로단체장", pool=True),
        "peer2": user("peer2", Role.EVALUATOR, w.platforms["중구 협치플랫폼"],
                      full_name="중구단체장", pool=True),
        "peer2b": user("peer2b", Role.EVALUATOR, w.platforms["성북구 협치플랫폼"],
                       full_name="성북단체장", pool=True),
        "same_district": user("sdm-official", Role.EVALUATOR, seodaemun_office,
                              full_name="서대문주무관", pool=True),
        "same_district_peer": user("sdm-peer", Role.EVALUATOR,
                                   w.platforms["서대문 이웃플랫폼"], full_name="이웃단체장",
                                   pool=True),
        "insider": user("insider", Role.EVALUATOR, w.platforms["서대문구 협치플랫폼"],
                        full_name="내부자", pool=True),
        "not_in_pool": user("outsider", Role.EVALUATOR, city, full_name="명단밖"),
        "contractor": user("sdm-firm", Role.CONTRACTOR, w.platforms["서대문구 협치플랫폼"],
                           full_name="서대문플랫폼"),
        "other_contractor": user("jn-firm", Role.CONTRACTOR, w.platforms["종로구 협치플랫폼"],
                                 full_name="종로플랫폼"),
        "department": user("dept", Role.DEPARTMENT, city, full_name="부서"),
        "committee": user("committee", Role.COMMITTEE, full_name="위원회"),
    }
    return w


def framework_with_panel(panel, *, version="2018-panel-test"):
    """The civic preset with its ``process.panel`` section replaced (``None``: removed),
    imported as a version of its own."""
    import copy

    from seonggwa import engine
    from seonggwa.evaluations.domain.frameworks import bundled_preset, import_framework_version

    doc = copy.deepcopy(dict(bundled_preset(CIVIC).document))
    doc["version"] = version
    doc["process"] = dict(doc["process"])
    if panel is None:
        doc["process"].pop("panel")
    else:
        doc["process"]["panel"] = panel
    return import_framework_version(engine.framework_from_dict(doc, source="test"),
                                    actor_label="test")


def round_under(framework_version, civic: Civic, *, number=2):
    """Another round of the same year under ``framework_version``, with the evaluated
    platform scheduled in it."""
    rnd = workflow.open_round(civic.round.year.year, number, scheme=Scheme.CIVIC_PLATFORM,
                              framework_version=framework_version, actor_label="test")
    for name, (_district, project_year) in PLATFORMS.items():
        Schedule.objects.get_or_create(round=rnd, subject=civic.subjects[name],
                                       defaults={"project_year": project_year})
    return rnd
