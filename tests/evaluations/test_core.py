"""The evaluation core: stored framework versions, subjects of any kind, inputs, one
compute path through the engine, and a 2018 civic-platform round on the 200-point scale."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from seonggwa import engine
from seonggwa.accounts.models import Profile, Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import frameworks, inputs, workflow
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import (
    FrameworkVersion,
    ImmutableError,
    IndicatorOutcome,
    Rating,
    Result,
    Scheme,
    Status,
    SubjectKind,
)
from seonggwa.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

CIVIC = "seoul-civic-platform-2018"


def _document(name: str) -> dict:
    return json.loads(json.dumps(engine.load_preset(name).document, default=str))


# ----------------------------------------------------------------- framework versions


def test_a_preset_is_stored_once_as_an_immutable_validated_version():
    version = frameworks.preset_version(CIVIC)
    assert (version.framework_id, version.version) == ("seoul-civic-platform-2018", "2018")
    assert version.checksum == engine.framework_from_dict(version.document).fingerprint
    assert frameworks.preset_version(CIVIC).pk == version.pk  # same document, same row
    assert FrameworkVersion.objects.count() == 1
    version.title = "바뀐 이름"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    assert AuditEvent.objects.filter(action="framework.import").count() == 1


def test_a_changed_document_under_an_existing_version_is_refused():
    frameworks.preset_version(CIVIC)
    doc = _document(CIVIC)
    doc["areas"][0]["name"] = "정량 평가 (수정)"
    with pytest.raises(WorkflowError, match="새 버전"):
        frameworks.import_framework_version(doc)
    doc["version"] = "2018-rev1"
    assert frameworks.import_framework_version(doc).version == "2018-rev1"


def test_an_invalid_document_is_refused_with_the_field_named_and_nothing_stored():
    doc = _document(CIVIC)
    doc["areas"][1]["indicators"][0]["points"] = 60  # 60 + 50 ≠ the area's 100
    with pytest.raises(WorkflowError, match=r"areas\[1\]"):
        frameworks.import_framework_version(doc)
    doc = _document(CIVIC)
    doc["bands"][1]["lower"] = 100  # overlaps the band above
    with pytest.raises(WorkflowError, match="bands"):
        frameworks.import_framework_version(doc)
    assert not FrameworkVersion.objects.exists()


def test_a_round_names_a_version_that_exists_and_keeps_it_once_scored():
    with pytest.raises(WorkflowError, match="등록되지 않은 평가틀 버전"):
        frameworks.get_version("seoul-civic-platform-2018", "1999")
    version = frameworks.preset_version(CIVIC)
    rnd = workflow.open_round(2018, None, scheme=Scheme.CIVIC_PLATFORM,
                              framework_version=version)
    other = frameworks.import_framework_version({**_document(CIVIC), "version": "2018-b"})
    frameworks.set_round_framework(rnd, other)  # nothing scored yet: allowed
    frameworks.set_round_framework(rnd, version)
    platform = Organisation.objects.create(kind=OrganisationKind.PLATFORM, name="가구 플랫폼")
    inputs.record_ratings(rnd, [inputs.RatingEntry(subject_for(SubjectKind.PLATFORM, platform),
                                                   "Q", 80, "서울시 서면평가")])
    with pytest.raises(WorkflowError, match="바꿀 수 없습니다"):
        frameworks.set_round_framework(rnd, other)
    rnd.refresh_from_db()
    assert rnd.framework_version == version


# ----------------------------------------------------------------- bad input


@pytest.fixture
def civic_round():
    version = frameworks.preset_version(CIVIC)
    return workflow.open_round(2018, None, scheme=Scheme.CIVIC_PLATFORM,
                               framework_version=version, title="2018 시민협력플랫폼 성과평가",
                               start=dt.date(2018, 11, 1))


def _platform(name: str):
    org = Organisation.objects.create(kind=OrganisationKind.PLATFORM, name=name)
    return subject_for(SubjectKind.PLATFORM, org)


@pytest.mark.parametrize("code, value, message", [
    ("G9", 4, "없는 지표"),               # an indicator the framework does not have
    ("G1", 6, "척도에 없습니다"),          # off the 1–5 scale
    ("G1", 3.5, "척도에 없습니다"),        # between steps
    ("G1", "1e30", "올바른 숫자가 아닙니다"),
    ("G1", "NaN", "올바른 숫자가 아닙니다"),
    ("G1", "다섯", "숫자가 아닙니다"),
])
def test_a_bad_rating_is_refused_and_nothing_stored(civic_round, code, value, message):
    subject = _platform("나구 플랫폼")
    with pytest.raises(WorkflowError, match=message):
        inputs.record_ratings(civic_round, [
            inputs.RatingEntry(subject, "G1", 4, "위원1"),
            inputs.RatingEntry(subject, code, value, "위원2"),
        ])
    assert not Rating.objects.exists()


def test_a_changed_rating_keeps_every_version(civic_round):
    subject = _platform("다구 플랫폼")
    inputs.record_ratings(civic_round, [inputs.RatingEntry(subject, "G1", 3, "위원1")])
    inputs.record_ratings(civic_round, [inputs.RatingEntry(subject, "G1", 3, "위원1")])
    inputs.record_ratings(civic_round, [inputs.RatingEntry(subject, "G1", 5, "위원1")])
    versions = list(Rating.objects.filter(subject=subject).order_by("version")
                    .values_list("version", "value", "superseded_at"))
    assert [(v, int(x)) for v, x, _at in versions] == [(1, 3), (2, 5)]
    assert versions[0][2] is not None and versions[1][2] is None


# ----------------------------------------------------------------- civic platform 2018


PANEL_G1 = [4, 5, 4, 3, 4, 5, 4]
PANEL_G2 = [3, 3, 4, 4, 3, 4, 3]


def _score_civic(civic_round, subject, q, g1, g2):
    entries = [inputs.RatingEntry(subject, "Q", q, "서울시 서면평가")]
    entries += [inputs.RatingEntry(subject, "G1", v, f"위원{i + 1}") for i, v in enumerate(g1)]
    entries += [inputs.RatingEntry(subject, "G2", v, f"위원{i + 1}") for i, v in enumerate(g2)]
    inputs.record_ratings(civic_round, entries, actor_label="test")


def test_a_civic_platform_round_is_scored_on_200_points_with_its_grade(civic_round):
    a, b = _platform("가구 시민협력플랫폼"), _platform("나구 시민협력플랫폼")
    _score_civic(civic_round, a, 85, PANEL_G1, PANEL_G2)
    _score_civic(civic_round, b, 40, [2] * 7, [1, 2, 2, 1, 2, 2, 2])
    results = {r.subject_id: r for r in workflow.rescore(civic_round, actor_label="test")}

    # Recomputed by hand from the preset's stated rules: 5-point ratings → value / 5 of the
    # goal's 50 points, members' mean; desk-review points as entered.
    def expected(q, g1, g2):
        return Decimal(q) + Decimal(sum(g1)) / len(g1) / 5 * 50 + \
            Decimal(sum(g2)) / len(g2) / 5 * 50

    ra, rb = results[a.pk], results[b.pk]
    assert ra.raw_total.quantize(Decimal("0.0001")) == expected(85, PANEL_G1, PANEL_G2) \
        .quantize(Decimal("0.0001"))
    assert ra.score == Decimal("160.71") and ra.scale_max == 200
    assert ra.band_code == "good"  # 160.71 has not reached 탁월's 161
    assert rb.band_code == "poor" and rb.decision_code == "discontinue"
    assert rb.decision.label == "지원 중단"
    g1 = IndicatorOutcome.objects.get(result=ra, indicator="G1")
    assert g1.panel_count == 7 and g1.sd > 0
    assert ra.framework_version.version == "2018" and ra.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="result.score").count() == 2


def test_too_small_a_panel_is_refused_by_the_framework_rule(civic_round):
    subject = _platform("라구 시민협력플랫폼")
    _score_civic(civic_round, subject, 70, [4, 4, 4], [4, 4, 4])  # min_panel 5
    with pytest.raises(WorkflowError):
        workflow.rescore(civic_round)
    assert not Result.objects.exists()


def test_the_round_page_shows_the_grade(civic_round):
    a = _platform("가구 시민협력플랫폼")
    _score_civic(civic_round, a, 85, PANEL_G1, PANEL_G2)
    workflow.rescore(civic_round)
    user = User.objects.create_user("officer", password="pw")
    Profile.objects.create(user=user, role=Role.OFFICER)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("office:round", args=[civic_round.pk])).content.decode()
    assert "가구 시민협력플랫폼" in html and "160.71" in html and "양호" in html
    assert "/ 200" in html
    assert "2018 시민협력플랫폼 성과평가" in client.get(reverse("office:rounds")).content.decode()
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("office:round", args=[civic_round.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Good" in html


def test_a_locked_result_is_rescored_only_as_a_correction_with_a_reason(civic_round):
    a = _platform("가구 시민협력플랫폼")
    _score_civic(civic_round, a, 85, PANEL_G1, PANEL_G2)
    (result,) = workflow.rescore(civic_round)
    workflow.finalise_round(civic_round)
    with pytest.raises(WorkflowError, match="결과 정정"):
        inputs.record_ratings(civic_round, [inputs.RatingEntry(a, "Q", 90, "서울시 서면평가")])
    with pytest.raises(WorkflowError, match="사유"):
        workflow.rescore(civic_round, [a])
    result.refresh_from_db()
    assert result.status == Status.FINALISED and result.score == Decimal("160.71")


def test_more_decimals_than_stored_are_refused_not_rounded(civic_round):
    subject = _platform("마구 시민협력플랫폼")
    with pytest.raises(WorkflowError, match="소수점 4자리"):
        inputs.record_ratings(civic_round, [inputs.RatingEntry(subject, "Q", "74.99499", "서울시")])
    assert not Rating.objects.exists()


def test_a_subject_with_nothing_to_count_is_refused_by_name(civic_round):
    subject = _platform("바구 시민협력플랫폼")
    for code in ("Q", "G1", "G2"):
        inputs.mark_not_applicable(civic_round, subject, code, "사업 중단")
    with pytest.raises(WorkflowError, match="바구 시민협력플랫폼"):
        workflow.rescore(civic_round)
    assert not Result.objects.exists()
