"""Documentation of the open-data columns shown on /open-data/.

The columns themselves (names and order) belong to
:mod:`seonggwa.evaluations.interfaces.opendata`; this module only describes them for
readers. A test holds the two in step: every column is documented, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    description: str


_DOCS = {
    "year": (_("정수"), _("평가 연도 (예: 2020)")),
    "round": (_("정수 또는 빈칸"), _("평가 차수 (1·2·3차); 차수가 없으면 빈칸")),
    "seq": (_("정수 또는 빈칸"), _("원자료 결과표의 연번")),
    "service_key": (_("문자열"), _("여러 해에 걸쳐 같은 사무를 잇는 고유 키 (예: svc-0043)")),
    "service_name": (_("문자열"), _("그해 결과표에 적힌 사무명 (원문 그대로)")),
    "department": (_("문자열"), _("사업부서 (원문 그대로)")),
    "contractor": (_("문자열"), _("수탁기관 (원문 그대로; 컨소시엄은 한 칸에 함께 적음)")),
    "score": (_("소수 둘째 자리 문자열"), _("종합성과평가 점수 (100점 만점)")),
    "decision": (_("코드"), _("판정 코드: exclude(재계약 배제) 또는 eligible(재계약 심의 가능)")),
    "decision_label": (_("문자열"), _("판정 (한국어)")),
    "threshold_policy": (_("코드"), _("판정에 적용한 기준 정책 (예: 60점 미만 배제)")),
    "remark": (_("문자열"), _("비고 (원문 그대로)")),
    "institution": (_("문자열"), _("평가기관 (여럿이면 쉼표로 구분)")),
    # published summaries (summaries.*)
    "evaluated": (_("정수"), _("평가한 사무 수 (공표 수치)")),
    "subjects_total": (_("정수 또는 빈칸"), _("그해 전체 대상 사무 수")),
    "average": (_("소수 문자열"), _("평균 점수 (공표된 자릿수 그대로)")),
    "threshold": (_("정수"), _("재계약 배제 기준 점수 (이 점수 미만 배제)")),
    "below_count": (_("정수 또는 빈칸"), _("기준 미만 사무 수")),
    "below_share": (_("소수 문자열"), _("기준 미만 비율(퍼센트) (공표된 자릿수 그대로, 예: 43)")),
    "previous_average": (_("소수 문자열"), _("공표 자료에 적힌 전년 평균")),
    "change_vs_previous": (_("소수 문자열"), _("전년 대비 증감 (음수는 하락)")),
    "multi_year_period": (_("문자열"), _("다년 평균의 기간 (공표된 그대로, 예: 2015–2021)")),
    "multi_year_average": (_("소수 문자열"), _("다년 평균 점수")),
    "change_vs_multi_year": (_("소수 문자열"), _("다년 평균 대비 증감 (음수는 하락)")),
    "scores_published": (_("참/거짓"), _("사무별 점수가 공개되었는지 (false: 요약과 서술만)")),
    "source_document": (_("문자열"), _("출처 문서 제목")),
    "source_file": (_("문자열"), _("출처 원문 파일 이름 (원자료 추적용)")),
    # narratives (narratives.*)
    "order": (_("정수"), _("원문에서 사무가 나온 순서")),
    "kind": (_("코드"), _("scope(사업내용), achievement(주요 성과), improvement(개선 과제)")),
    "kind_label": (_("문자열"), _("구분 (한국어)")),
    "item_order": (_("정수"), _("같은 구분 안의 순서 (사업내용은 0)")),
    "text": (_("문자열"), _("내용 (원문 그대로)")),
    "follow_up_status": (_("코드 또는 빈칸"), _("개선 과제의 이행 상태: open(미확인), in_progress(추진중), done(추진완료), not_done(미이행)")),
}


def column_docs(columns) -> list[ColumnDoc]:
    out = []
    for name in columns:
        type_, description = _DOCS.get(name, ("", ""))
        out.append(ColumnDoc(name, str(type_), str(description)))
    return out


def documented() -> set[str]:
    return set(_DOCS)
