"""Readable labels for the Seoul data: what officials and citizens see instead of the
data files' codes (pure Python, no Django).

The data files keep their raw provenance (metric codes, seed file names and lines, the
English linking notes); pages show these labels instead, and open data keeps both:

- :func:`document_title` / :func:`citation`: a seed file and line → the source
  document's title and the section the line is in (「…」 · section);
- :func:`metric_label`: a metric code of ``service_facts.csv`` → its name;
- :func:`link_reason`: the linking note of ``service_links.csv`` → a Korean sentence;
- :func:`published_precision`: the decimals each published summary figure was printed
  with (43% was printed "43", not "43.0").

Each label is ``(Korean, English)``; pass ``language="en"`` for the English one.
"""

from __future__ import annotations

from functools import lru_cache

from seonggwa.core.formatting import decimals_of

# Seed id (the first three characters of a source file name) → (Korean, English) title.
DOCUMENTS: dict[str, tuple[str, str]] = {
    "000": ("'22년 민간위탁 종합성과평가(제3차) 결과공개",
            "2022 outsourcing evaluation, 3rd round: results"),
    "001": ("2023년 제2차 민간위탁 종합성과평가 결과 보고",
            "2023 outsourcing evaluation, 2nd round: results report"),
    "002": ("서울특별시의회 서면질문 답변서(2020, 평가·민간위탁 관련)",
            "Written answers to the Seoul city council (2020, evaluations and outsourcing)"),
    "003": ("2018 시민협력플랫폼 성과평가 추진계획",
            "2018 civic-cooperation platform evaluation plan"),
    "004": ("2022 시민협력국 주요업무보고(제305회 시의회 임시회)",
            "Citizen Cooperation Bureau work report 2022 (305th council session)"),
}

# Seed id → sections as (first line, Korean, English), in line order.
SECTIONS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "000": ((8, "평가개요", "Overview"), (19, "평가결과", "Results"),
            (28, "사무별 주요 성과 및 개선과제", "Achievements and tasks per service")),
    "001": ((8, "평가개요", "Overview"), (19, "평가결과", "Results"),
            (27, "사무별 주요성과 및 과제", "Achievements and tasks per service")),
    "002": ((460, "최근 3년간 민간위탁 사업별 종합성과평가 결과",
             "Outsourcing evaluation results of the last three years"),
            (2166, "민선7기 시정 성과 및 창업허브", "City performance and the start-up hub")),
    "004": ((14, "Ⅰ. 일반현황", "I. General"),
            (245, "Ⅲ. 주요 추진업무", "III. Main work"),
            (1041, "Ⅳ. 2022 세부사업별 예산 현황", "IV. 2022 budget by programme"),
            (1197, "Ⅴ. 2021 행정사무감사 처리결과", "V. Follow-up of the 2021 council audit"),
            (2600, "시의회 지적·요구사항", "Council findings and demands")),
}

# Metric code of service_facts.csv → (Korean, English) name.
METRICS: dict[str, tuple[str, str]] = {
    "internal_training_sessions": ("내부 교육 실시 횟수", "Internal training sessions"),
    "tenant_satisfaction_score": ("입주기업 만족도 점수", "Tenant satisfaction score"),
    "ip_filings_vs_previous_year": ("지식재산권 출원 전년 대비", "IP filings vs previous year"),
    "rental_satisfaction_score": ("대관 운영 만족도", "Venue rental satisfaction"),
    "staff_turnover_rate_avg_approx": ("최근 3년 평균 이직률(약)",
                                       "Average staff turnover, last 3 years (approx.)"),
    "other_evaluation_score": ("다른 평가의 점수", "Score in another evaluation"),
    "partner_institutions": ("연계 협력 기관 수", "Partner institutions"),
    "tenant_revenue_growth_year2_vs_year1": ("입주기업 매출 성장률(2년차/1년차)",
                                             "Tenant revenue growth (year 2 vs year 1)"),
    "employment_rate_cohort_1": ("1기 참여자 취업률", "Employment rate, cohort 1"),
    "employment_rate_cohort_2": ("2기 참여자 취업률", "Employment rate, cohort 2"),
    "inspection_findings": ("지도점검 지적 건수", "Inspection findings"),
    "inspection_findings_total": ("지도점검 지적 건수(기간 합계)",
                                  "Inspection findings (period total)"),
    "inspection_findings_safety_related": ("안전관리 관련 지적 건수",
                                           "Safety-related inspection findings"),
    "exhibition_visitors": ("전시 관람객 수", "Exhibition visitors"),
    "budget_execution_rate": ("예산 집행률", "Budget execution rate"),
    "programme_participants": ("프로그램 참여자 수", "Programme participants"),
    "budget": ("사업예산", "Programme budget"),
    "education_sessions": ("교육과정 운영 횟수", "Training courses held"),
    "staff_quota_before": ("정원(조정 전)", "Staff quota (before)"),
    "staff_quota_after": ("정원(조정 후)", "Staff quota (after)"),
    "credit_cards_before": ("법인 신용카드 수(정비 전)", "Corporate credit cards (before)"),
    "credit_cards_after": ("법인 신용카드 수(정비 후)", "Corporate credit cards (after)"),
    "transit_cards_before": ("교통카드 수(정비 전)", "Transit cards (before)"),
    "transit_cards_after": ("교통카드 수(정비 후)", "Transit cards (after)"),
    "covid_relief_to_tenants": ("입주단체 코로나19 피해 지원액", "COVID-19 relief to tenants"),
    "evaluation_score_quoted": ("종합성과평가 점수(인용)", "Evaluation score (quoted)"),
}

# Linking note of service_links.csv (English, for the data's reviewers) → Korean.
LINK_REASONS: dict[str, str] = {
    "'시민청 사무' vs '시민청 관리운영'": "'시민청 사무'와 '시민청 관리운영'은 같은 사무",
    "편익/편의 spelling; same department and contractor (마포구 시설관리공단)":
        "편익/편의 표기 차이; 사업부서·수탁기관(마포구 시설관리공단) 같음",
    "spacing and '관리운영' suffix only": "띄어쓰기와 '관리운영' 접미어만 다름",
    "사업 vs 센터 관리운영: 004:2647-2649 quotes the 2020 score 80.74 of "
    "'서울특별시 청년활동지원사업' as '청년활동지원센터'":
        "'사업'과 '센터 관리운영' 표기 차이: 시의회 자료가 2020년 '서울특별시 "
        "청년활동지원사업' 점수 80.74점을 '청년활동지원센터'의 점수로 인용",
    "2018 name carries the programme title in front of '(서울창의마을 풍납캠프)'; "
    "same department, same contractor pair":
        "2018년 사무명은 '(서울창의마을 풍납캠프)' 앞에 프로그램명을 붙여 적음; "
        "사업부서·수탁기관 같음",
    "'운영' suffix dropped; same department and contractor":
        "'운영' 접미어 생략; 사업부서·수탁기관 같음",
    "same facility; '관리 및 운영' dropped, same department and contractor":
        "같은 시설; '관리 및 운영' 생략, 사업부서·수탁기관 같음",
    "same facility; '관리운영' suffix": "같은 시설; '관리운영' 접미어만 다름",
    "'운영' vs '관리운영'": "'운영'과 '관리운영' 표기 차이",
    "편의/편익 spelling of the same 주민편익시설 (자원순환과)":
        "같은 주민편익시설(자원순환과)의 편의/편익 표기 차이",
    "same museum; '운영' vs '관리운영'": "같은 박물관; '운영'과 '관리운영' 표기 차이",
    "spacing and '운영' suffix only": "띄어쓰기와 '운영' 접미어만 다름",
    "'서울합공원' is a glitch of '서울함공원' (see name_corrected); "
    "'시설관리 및 운영' vs '관리운영'":
        "'서울합공원'은 '서울함공원'의 오기(바로잡은 이름 참고); "
        "'시설관리 및 운영'과 '관리운영' 표기 차이",
    "'운영' suffix only": "'운영' 접미어만 다름",
    "'서울시 청년허브 운영' vs '서울청년허브 관리운영'":
        "'서울시 청년허브 운영'과 '서울청년허브 관리운영'은 같은 사무",
    "'삼각산 시민청 사무' vs '삼각산시민청(제2시민청)관리운영'":
        "'삼각산 시민청 사무'와 '삼각산시민청(제2시민청)관리운영'은 같은 사무",
    "'위탁사업' vs '관리운영' for the same exhibition hall":
        "같은 전시관의 '위탁사업'과 '관리운영' 표기 차이",
    "'관리운영' suffix only": "'관리운영' 접미어만 다름",
    "'서울도시금속회수센터' vs '서울시금속회수센터 관리운영' (read as '서울시 "
    "도시금속회수센터' with '도' lost; no other metal recovery centre appears in the "
    "sources)":
        "'서울도시금속회수센터'와 '서울시금속회수센터 관리운영' ('서울시 도시금속회수센터'에서 "
        "'도'가 빠진 것으로 봄; 원문에 다른 금속회수센터 없음)",
}

# Kinds of name links (service_links.csv ``match_kind``) → (Korean, English).
MATCH_KINDS: dict[str, tuple[str, str]] = {
    "anchor": ("기준 이름", "reference name"),
    "exact": ("같은 이름", "same name"),
    "reviewed": ("검토하여 연결", "linked after review"),
}

# Published summary figures (outsourcing_rounds.yaml) → statistics field names.
SUMMARY_FIELDS: dict[str, str] = {
    "average": "average",
    "below_threshold_share": "below_share",
    "previous_year_average": "previous_average",
    "previous_year_difference": "change_vs_previous",
    "multi_year_average": "multi_year_average",
    "multi_year_difference": "change_vs_multi_year",
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if (language or "ko")[:2] == "en" else pair[0]


def seed_id(source_file: str) -> str:
    """'001_260a3710e46fb5ca.txt' → '001'."""
    return (source_file or "")[:3]


def document_title(source_file: str, language: str = "ko") -> str:
    pair = DOCUMENTS.get(seed_id(source_file))
    return _pick(pair, language) if pair else ""


def section(source_file: str, line: int | None, language: str = "ko") -> str:
    found = ""
    for first, ko, en in SECTIONS.get(seed_id(source_file), ()):
        if line is not None and line >= first:
            found = en if (language or "ko")[:2] == "en" else ko
    return found


def citation(source_file: str, line: int | None = None, language: str = "ko") -> str:
    """「title」 · section — a readable citation of a seed line (no file names)."""
    title = document_title(source_file, language)
    if not title:
        return ""
    part = section(source_file, line, language)
    return f"「{title}」" + (f" · {part}" if part else "")


def metric_label(code: str, language: str = "ko") -> str:
    """A metric code's name; an unknown code gives itself back (never a crash)."""
    pair = METRICS.get(code)
    return _pick(pair, language) if pair else code


def link_reason(reason: str) -> str:
    """The Korean note of a reviewed name link ('' when there is none)."""
    return LINK_REASONS.get(reason, reason) if reason else ""


@lru_cache(maxsize=4)
def _precision(source) -> dict:
    from seonggwa.data.seoul.reader import load_rounds

    out: dict[tuple[int, int | None], dict[str, int]] = {}
    for s in load_rounds(source):
        found = {}
        for yaml_name, name in SUMMARY_FIELDS.items():
            figure = getattr(s, yaml_name)
            if figure.stated:
                found[name] = decimals_of(figure.value)
        out[(s.year, s.round)] = {k: v for k, v in found.items() if v is not None}
    return out


def published_precision(source=None) -> dict[tuple[int, int | None], dict[str, int]]:
    """``{(year, round): {figure: decimals}}`` of every published summary, from the
    text of the seed (2022: average 2, below_share 0, change_vs_previous 1, ...)."""
    return _precision(source)
