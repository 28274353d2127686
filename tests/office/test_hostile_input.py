"""Hostile input into every office form of the registry, result and sheet pages: control
characters in any text (tab and line breaks too where a single line is asked for), far
dates (0001-01-01, 9999-12-31 and anything outside 1990–2100) and huge whole numbers
(2^31, 2^63…) are refused on the field with the page shown again — never a 500, and
nothing stored (no record, no audit event).

The refused forms answer 400, as each of these pages does for any refused form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from evaluations.factories import draft_round, org, service
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheets.builders import TEXTS, civic_round, entries, make_user, platform

from seonggwa.accounts.models import Role
from seonggwa.core import bounds, concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.registry.domain import changes
from seonggwa.registry.models import OrganisationKind
from seonggwa.sheets.domain import sheets as domain
from seonggwa.sheets.models import Sheet, SheetEntry, SheetState

pytestmark = pytest.mark.django_db

TEXT, AREA, DATE, INT = "text", "area", "date", "int"
#: A number typed as text or as a decimal (a score, a cost, a figure): its own rules say
#: what it may be; control characters and numbers past any stored range are refused.
NUMBER = "number"

#: Control characters no text may hold; tab and line breaks only a text area may hold.
CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
LINE_BREAKS = ["\t", "\n", "\r"]
FAR_DATES = [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1989, 12, 31),
             dt.date(2101, 1, 1)]
HUGE = [2**63, 2**63 - 1, 2**31, -(2**31) - 1, 10**30]


def hostile(kind: str):
    """Values a person (or a script) might post into a field of ``kind``."""
    if kind == NUMBER:
        return st.one_of(hostile(TEXT), st.sampled_from(
            [str(2**63), str(-(2**63) - 1), str(10**40), "1e400", "9" * 4400]))
    if kind in (TEXT, AREA):
        chars = CONTROL + (LINE_BREAKS if kind == TEXT else [])
        # inside the text: at either end a form's trimming would take it away
        return st.builds(lambda a, c, b: f"가{a}{c}{b}나", st.text("가 a1", max_size=3),
                         st.sampled_from(chars), st.text("나 b2", max_size=3))
    if kind == DATE:
        return st.one_of(st.sampled_from(FAR_DATES), st.dates(max_value=dt.date(1989, 12, 31)),
                         st.dates(min_value=dt.date(2101, 1, 1))).map(dt.date.isoformat)
    return st.one_of(st.sampled_from(HUGE), st.integers(min_value=2**31, max_value=10**40),
                     st.integers(min_value=-(10**40), max_value=-(2**31) - 1)).map(str)


#: What the bounds say, per kind of field (a field with narrower bounds of its own says
#: those, a number its own rules: no words are asserted for them).
WORDS = {TEXT: "제어 문자", AREA: "제어 문자", DATE: "날짜는 1990-01-01부터 2100-12-31까지만",
         INT: "정수만 쓸 수 있습니다"}


@dataclass
class Page:
    """One form: where it is posted, by whom, a valid post, and its fields by kind."""

    url: Callable
    user: str
    data: Callable
    fields: dict[str, str]
    #: The context name of the form whose field errors are checked (None: the page lists
    #: its problems instead).
    form: str | None = "form"
    #: Fields whose own bounds are narrower than the stored range (their words are theirs).
    narrow: tuple[str, ...] = ()
    stored: Callable = field(default=lambda w: (AuditEvent.objects.count(),))


@dataclass
class World:
    officer: object
    member: object
    service: object
    period: object
    finding: object
    draft: object
    final: object
    round: object
    subject: object
    submitted: object


@pytest.fixture
def world(django_user_model):
    officer = make_user(django_user_model, "officer", Role.OFFICER, "김담당")
    firm = org("(사)가나다", OrganisationKind.CONTRACTOR)
    svc = changes.create_service(key="svc-9101", name="청소년 수련관 운영",
                                 department=org("평생교육과"), annual_cost=700_000_000)
    period = changes.add_contract_period(svc, start=dt.date(2021, 1, 1),
                                         end=dt.date(2024, 12, 31), contractors=[firm])
    finding = changes.record_inspection_finding(svc, year=2022, count=3)
    rnd = draft_round(2024)
    draft = workflow.record_result(service=svc, round=rnd, score="80", actor_label="test")
    other = service("svc-9102", "노인 복지관 운영", dept="평생교육과")
    final = workflow.record_result(service=other, round=rnd, score="70", actor_label="test")
    workflow.finalise_result(final, officer)
    civic = civic_round()
    subject = platform("가구 시민협력플랫폼")
    members = []
    for i in range(2):
        member = make_user(django_user_model, f"member{i + 1}", Role.EVALUATOR, f"위원{i + 1}")
        assign(member, civic, subject, actor=officer)
        members.append(member)
    sheet = domain.open_sheet(civic, subject, members[1])
    domain.save_draft(sheet, entries(4, 4), actor=members[1])
    domain.submit(sheet, actor=members[1])
    return World(officer, members[0], svc, period, finding, draft, final, civic, subject, sheet)


def _sheet_data(w):
    data = {"version": "0", "action": "save", "G1-value": "4", "G2-value": "3"}
    for code in ("G1", "G2"):
        data.update({f"{code}-{k}": v for k, v in TEXTS.items()})
    return data


def _key(w):
    return w.service.key


PAGES = {
    "service_new": Page(
        lambda w: reverse("office:service_new"), "officer",
        lambda w: {"key": "svc-9199", "name": "새 사무", "annual_cost": "1000", "notes": "",
                   "reason": "신규"},
        {"key": TEXT, "name": TEXT, "annual_cost": NUMBER, "notes": AREA, "reason": TEXT}),
    "service_record": Page(
        lambda w: reverse("office:service_record", args=[_key(w)]), "officer",
        lambda w: {"name": "청소년 수련관 운영", "annual_cost": "800000000", "notes": "",
                   "reason": "증액", "version": concurrency.version_of(w.service)},
        {"name": TEXT, "annual_cost": NUMBER, "notes": AREA, "reason": TEXT}),
    "contract_add": Page(
        lambda w: reverse("office:registry_add", args=[_key(w), "contract"]), "officer",
        lambda w: {"start": "2025-01-01", "end": "2027-12-31", "kind": "recontract",
                   "note": "", "reason": ""},
        {"start": DATE, "end": DATE, "note": TEXT, "reason": TEXT}),
    "contract_edit": Page(
        lambda w: reverse("office:registry_edit", args=[_key(w), "contract", w.period.pk]),
        "officer",
        lambda w: {"start": "2021-01-01", "end": "2024-12-31", "kind": "new", "note": "고침",
                   "reason": "", "version": concurrency.version_of(w.period)},
        {"start": DATE, "end": DATE, "note": TEXT, "reason": TEXT}),
    "contract_end": Page(
        lambda w: reverse("office:contract_end", args=[_key(w), w.period.pk]), "officer",
        lambda w: {"end": "2023-06-30", "reason": "협약 해지",
                   "version": concurrency.version_of(w.period)},
        {"end": DATE, "reason": TEXT}),
    "consent_add": Page(
        lambda w: reverse("office:registry_add", args=[_key(w), "consent"]), "officer",
        lambda w: {"date": "2020-11-20", "note": "제300회", "reason": ""},
        {"date": DATE, "note": TEXT, "reason": TEXT}),
    "inspection_add": Page(
        lambda w: reverse("office:registry_add", args=[_key(w), "inspection"]), "officer",
        lambda w: {"year": "2023", "date": "2023-05-02", "count": "2",
                   "corrective_demand": "on", "text": "회계 처리 미흡", "reason": ""},
        {"year": INT, "date": DATE, "count": INT, "text": AREA, "reason": TEXT},
        narrow=("year", "count")),
    "inspection_edit": Page(
        lambda w: reverse("office:registry_edit", args=[_key(w), "inspection", w.finding.pk]),
        "officer",
        lambda w: {"year": "2022", "count": "4", "text": "", "reason": "",
                   "version": concurrency.version_of(w.finding)},
        {"year": INT, "date": DATE, "count": INT, "text": AREA, "reason": TEXT},
        narrow=("year", "count")),
    "audit_add": Page(
        lambda w: reverse("office:registry_add", args=[_key(w), "audit"]), "officer",
        lambda w: {"year": "2023", "date": "2023-09-01", "auditor": "감사위원회",
                   "finding_count": "1", "summary": "주의", "reason": ""},
        {"year": INT, "date": DATE, "auditor": TEXT, "finding_count": INT, "summary": AREA,
         "reason": TEXT},
        narrow=("year", "finding_count")),
    "figure_add": Page(
        lambda w: reverse("office:registry_add", args=[_key(w), "figure"]), "officer",
        lambda w: {"kind": "actual", "indicator": "이용자 수", "year": "2023",
                   "value": "1200", "unit": "명", "period_text": "2023년", "source": "보고서",
                   "reason": ""},
        {"indicator": TEXT, "year": INT, "value": NUMBER, "unit": TEXT, "period_text": TEXT,
         "source": TEXT, "reason": TEXT},
        narrow=("year",)),
    "result_score": Page(
        lambda w: reverse("office:result", args=[w.draft.pk]), "officer",
        lambda w: {"form": "score", "score": "81", "remark": "",
                   "version": concurrency.version_of(w.draft)},
        {"score": NUMBER, "remark": TEXT}, form="score_form"),
    "result_correction": Page(
        lambda w: reverse("office:result", args=[w.final.pk]), "officer",
        lambda w: {"form": "correct", "score": "72", "reason": "이의신청 인용", "remark": "",
                   "version": concurrency.version_of(w.final)},
        {"score": NUMBER, "reason": AREA, "remark": TEXT}, form="correction_form"),
    "sheet": Page(
        lambda w: reverse("office:sheets_edit", args=[w.round.pk, w.subject.pk]), "member",
        _sheet_data,
        {"G1-value": NUMBER, "G2-value": NUMBER, **{f"{c}-{t}": AREA for c in ("G1", "G2")
                                               for t in (*TEXTS, "justification")}},
        form=None,
        stored=lambda w: (AuditEvent.objects.count(), Sheet.objects.count(),
                          SheetEntry.objects.count())),
    "desk_review": Page(
        lambda w: reverse("office:sheets_desk", args=[w.round.pk]), "officer",
        lambda w: {f"{w.subject.pk}-Q": "80", "version": concurrency.version(
            AuditEvent.objects.filter(object_type="evaluations.round",
                                      object_id=str(w.round.pk),
                                      action="sheets.desk_review"))},
        {"{subject}-Q": NUMBER}, form=None),
}


def _client(world, who) -> Client:
    client = Client()
    client.force_login(world.officer if who == "officer" else world.member)
    return client


def _name(name: str, world) -> str:
    return name.replace("{subject}", str(world.subject.pk))


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_each_form_takes_its_valid_input(world, page):
    """The baseline of each hostile post is accepted: what the fuzz refuses, it refuses
    for the one hostile field."""
    spec = PAGES[page]
    response = _client(world, spec.user).post(spec.url(world), spec.data(world))
    assert response.status_code == 302, page


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_hostile_input_is_refused_on_the_field(world, page):
    spec = PAGES[page]
    client = _client(world, spec.user)
    url = spec.url(world)

    @settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def post(data):
        name = data.draw(st.sampled_from(sorted(spec.fields)))
        value = data.draw(hostile(spec.fields[name]))
        before = spec.stored(world)
        response = client.post(url, {**spec.data(world), _name(name, world): value})
        assert response.status_code == 400, (name, value, response.status_code)
        html = response.content.decode()
        if spec.form is not None:
            assert _name(name, world) in response.context[spec.form].errors, (name, value)
        else:
            assert response.context["problems"], (name, value)
        if name not in spec.narrow and spec.fields[name] in WORDS:
            assert WORDS[spec.fields[name]] in html, (name, value)
        assert spec.stored(world) == before, (name, value)

    post()


def test_text_areas_keep_tab_and_line_breaks(world):
    client = _client(world, "member")
    url = PAGES["sheet"].url(world)
    data = {**_sheet_data(world), "G1-outcomes": "주민 참여\r\n\t확대"}
    assert client.post(url, data).status_code == 302
    assert SheetEntry.objects.get(sheet__evaluator=world.member, indicator="G1").outcomes == \
        "주민 참여\n\t확대"


@given(reason=hostile(AREA))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_hostile_reason_does_not_reopen_a_sheet(world, reason):
    client = _client(world, "officer")
    sheet = world.submitted
    before = AuditEvent.objects.count()
    response = client.post(reverse("office:sheets_reopen", args=[sheet.pk]),
                           {"version": concurrency.version_of(sheet), "reason": reason},
                           follow=True)
    assert response.status_code == 200
    assert "제어 문자" in response.content.decode()
    assert Sheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_the_words_name_the_character():
    assert "U+0000 NUL" in bounds.text_problem("가\x00나")
    assert "U+001F US" in bounds.text_problem("가\x1f나")
    assert "U+007F DEL" in bounds.text_problem("가\x7f나")

