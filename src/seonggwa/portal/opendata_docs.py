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
}


def column_docs(columns) -> list[ColumnDoc]:
    out = []
    for name in columns:
        type_, description = _DOCS.get(name, ("", ""))
        out.append(ColumnDoc(name, str(type_), str(description)))
    return out


def documented() -> set[str]:
    return set(_DOCS)
