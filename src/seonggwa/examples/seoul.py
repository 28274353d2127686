"""Load Seoul's published outsourcing-evaluation data (``seonggwa.data.seoul.reader``) into the
registry and evaluation tables.

Idempotent and atomic: a second run creates nothing and changes nothing; a failure (a
data file that does not validate, an exclusion the rows contradict) leaves the database
as it was. Existing rows are never overwritten, so an officer's later edits survive a
re-run. Everything is bulk-created (a handful of queries per table).

What is loaded (SPEC §3):

- organisations: departments, contractors (a consortium as its member organisations;
  the string as written stays on the result), evaluation institutions; corrections from
  the data files become ``corrected_name`` (marked), never a rewrite;
- services, one per canonical key of ``service_links.csv``, with every name as written
  per year (:class:`~seonggwa.registry.models.ServiceName`, match anchor/exact/reviewed);
- years, rounds and the published summary figures AS PUBLISHED (2022 3rd and 2023 2nd
  rounds are ``published_only``: no per-service scores exist);
- 2018–2020 results (133 rows), status *published*, each decided by the threshold
  policy in force (60 points) and cross-checked against the printed remark and against
  the exclusion table (5 rows, all below 60);
- 2022/2023 narratives: scope, key achievements, improvement tasks (follow-up *open*);
- per-service facts quoted in the texts: inspection-finding counts, budget execution,
  turnover and other operating figures.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from seonggwa.core.audit import record
from seonggwa.data.seoul import labels as seoul_labels
from seonggwa.data.seoul import reader as seoul_data
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.decisions import adverse_results, is_adverse
from seonggwa.evaluations.models import (
    EvaluationYear,
    FollowUpStatus,
    ItemKind,
    Narrative,
    NarrativeItem,
    PublishedSummary,
    Result,
    Round,
    Status,
)
from seonggwa.registry.models import (
    FigureKind,
    InspectionFinding,
    MatchKind,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
    ServiceName,
)

ACTOR_LABEL = "서울시 공개자료 적재"  # who acted, as the trail shows it
LOAD_REASON = "서울시 민간위탁 종합성과평가 공개자료 적재"
D = OrganisationKind.DEPARTMENT
C = OrganisationKind.CONTRACTOR
INST = OrganisationKind.INSTITUTION

# Year of the source document, for quoted figures whose period names no year.
SOURCE_YEARS = {"000": 2022, "001": 2023, "002": 2020, "003": 2018, "004": 2022}


class SeoulLoadError(RuntimeError):
    """The shipped data contradicts itself (e.g. an exclusion the rows do not support)."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    exclusions_checked: int = 0
    facts_skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.created.items()) if v)
        return (f"created: {parts or 'nothing (already loaded)'}; exclusions checked "
                f"{self.exclusions_checked}; facts skipped {len(self.facts_skipped)}; "
                f"{self.seconds:.2f}s")


# ----------------------------------------------------------------------------- helpers

_MONTHS = re.compile(r"^(?:'?\d{2}년\s*)?(\d{1,2})\s*월?\s*~\s*(\d{1,2})\s*월$")
_DOTTED = re.compile(r"^'(\d{2})\.\s*(\d{1,2})\.\s*(\d{1,2})\.\s*~\s*(\d{1,2})\.\s*(\d{1,2})\.?$")


def parse_period(text: str | None, year: int) -> tuple[dt.date | None, dt.date | None]:
    """Dates of a period as printed: '1~4월', "'23년 4월 ~ 6월", "'22. 6. 17. ~ 9. 30."."""
    if not text:
        return None, None
    text = text.strip()
    m = _DOTTED.match(text)
    if m:
        y = 2000 + int(m.group(1))
        return (dt.date(y, int(m.group(2)), int(m.group(3))),
                dt.date(y, int(m.group(4)), int(m.group(5))))
    m = _MONTHS.match(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return dt.date(year, a, 1), dt.date(year, b, calendar.monthrange(year, b)[1])
    return None, None


def _stated(name: str | None) -> bool:
    """A name that is actually written. A department (or contractor) left blank in the
    source — the 2022/2023 narratives name no department — stays *null* on the service
    (pages show "미기재", not stated); it never becomes an organisation with an empty
    name."""
    return bool(name and name.strip())


def _decimal_or_none(fig):
    return fig.value if fig.stated else None


# ----------------------------------------------------------------------------- loader

@transaction.atomic
def load_seoul(source=None) -> LoadReport:
    """Load (or top up) the Seoul data. Returns what was created."""
    started = time.perf_counter()
    report = LoadReport()
    results = seoul_data.load_results(source)
    narratives = seoul_data.load_narratives(source)
    links = seoul_data.load_links(source, results=results, narratives=narratives)
    exclusions = seoul_data.load_exclusions(source, results=results)
    summaries = seoul_data.load_rounds(source)
    facts = seoul_data.load_facts(source, links=links)

    orgs = _load_organisations(results, narratives, summaries, report)
    services = _load_services(links, results, narratives, orgs, report)
    rounds = _load_cycles(results, narratives, summaries, orgs, report, source)
    _load_results(results, links, services, rounds, orgs, report)
    _check_exclusions(exclusions, rounds, services, links, report)
    _load_narratives(narratives, links, services, rounds, report)
    _load_facts(facts, services, report)
    report.seconds = time.perf_counter() - started
    return report


def _load_organisations(results, narratives, summaries, report) -> dict:
    wanted: dict[tuple[str, str], str] = {}  # (kind, name) -> corrected name
    for r in results:
        if _stated(r.department):
            wanted.setdefault((D, r.department), "")
        members = r.contractor_members
        corrected = ()
        if r.contractor_corrected:
            corrected = seoul_data.split_contractor(r.contractor_corrected)[0]
        for i, name in enumerate(members):
            if not _stated(name):
                continue
            fix = corrected[i] if len(corrected) == len(members) else ""
            if fix == name:
                fix = ""
            if fix or (C, name) not in wanted:
                wanted[(C, name)] = fix or wanted.get((C, name), "")
    for nv in narratives:
        if _stated(nv.department):
            wanted.setdefault((D, nv.department), "")
        if _stated(nv.contractor):
            for name in seoul_data.split_contractor(nv.contractor)[0]:
                if _stated(name):
                    wanted.setdefault((C, name), "")
    for s in summaries:
        if s.institutions.stated:
            for name in s.institutions.value:
                if _stated(name):
                    wanted.setdefault((INST, name), "")
    existing = {(o.kind, o.name): o for o in Organisation.objects.all()}
    new = [
        Organisation(kind=k, name=n, corrected_name=fix,
                     correction_note="공개자료의 표기를 바로잡은 이름" if fix else "")
        for (k, n), fix in wanted.items() if (k, n) not in existing
    ]
    Organisation.objects.bulk_create(new)
    report.created["organisations"] += len(new)
    return {(o.kind, o.name): o for o in Organisation.objects.all()}


def _occurrence(links):
    """(source_kind, year, ref) -> link."""
    return {(lk.source_kind, lk.year, lk.ref): lk for lk in links}


def _load_services(links, results, narratives, orgs, report) -> dict[str, Service]:
    rows = {("result", r.year, r.seq): r for r in results}
    rows.update({("narrative", n.year, n.order): n for n in narratives})
    by_key: dict[str, list] = defaultdict(list)
    for lk in links:
        by_key[lk.service_key].append(lk)
    existing = {s.key: s for s in Service.objects.all()}
    new = []
    for key, occ in by_key.items():
        if key in existing:
            continue
        anchor = next(lk for lk in occ if lk.match_kind == "anchor")
        department = None
        for lk in sorted(occ, key=lambda x: (x.year, x.round, x.ref), reverse=True):
            dept = getattr(rows[(lk.source_kind, lk.year, lk.ref)], "department", None)
            if _stated(dept):
                department = orgs[(D, dept)]
                break
        years = sorted({lk.year for lk in occ})
        new.append(Service(
            key=key, name=anchor.name_as_written, department=department,
            notes=("서울시 민간위탁 종합성과평가 공개자료에서 적재. 평가연도: "
                   + ", ".join(map(str, years))),
        ))
    Service.objects.bulk_create(new)
    report.created["services"] += len(new)
    services = {s.key: s for s in Service.objects.all()}

    have = set(ServiceName.objects.values_list("service_id", "year", "name"))
    names = []
    for lk in links:
        svc = services[lk.service_key]
        if (svc.pk, lk.year, lk.name_as_written) in have:
            continue
        have.add((svc.pk, lk.year, lk.name_as_written))
        row = rows[(lk.source_kind, lk.year, lk.ref)]
        names.append(ServiceName(
            service=svc, year=lk.year, round_number=lk.round, seq=lk.ref,
            name=lk.name_as_written, match=MatchKind(lk.match_kind),
            name_corrected=getattr(row, "name_corrected", None) or "",
            note=seoul_labels.link_reason(lk.reason)[:300],  # raw note: the data file
        ))
    ServiceName.objects.bulk_create(names)
    report.created["service_names"] += len(names)
    return services


def _load_cycles(results, narratives, summaries, orgs, report, source=None) -> dict:
    years_needed = ({r.year for r in results} | {n.year for n in narratives}
                    | {s.year for s in summaries})
    years = {y.year: y for y in EvaluationYear.objects.filter(year__in=years_needed)}
    year_summary = {s.year: s for s in summaries if s.round is None}
    new_years = []
    for y in sorted(years_needed - set(years)):
        s = year_summary.get(y)
        new_years.append(EvaluationYear(
            year=y,
            subjects_total=s.subjects_total.value if s and s.subjects_total.stated else None,
            scope=s.target_criteria.value if s and s.target_criteria.stated else "",
        ))
    EvaluationYear.objects.bulk_create(new_years)
    report.created["years"] += len(new_years)
    years = {y.year: y for y in EvaluationYear.objects.filter(year__in=years_needed)}

    result_rounds = {(r.year, r.round) for r in results}
    round_summary = {(s.year, s.round): s for s in summaries if s.round is not None}
    needed = result_rounds | {(n.year, n.round) for n in narratives} | set(round_summary)
    rounds = {(r.year.year, r.number): r for r in
              Round.objects.outsourcing().filter(year__year__in=years_needed)
              .select_related("year")}
    new_rounds = []
    for y, n in sorted(needed - set(rounds)):
        s = round_summary.get((y, n))
        period = s.evaluation_period.value if s and s.evaluation_period.stated else ""
        start, end = parse_period(period, y)
        published_only = (y, n) not in result_rounds
        new_rounds.append(Round(
            year=years[y], number=n, period_text=period or "", start=start, end=end,
            subjects_total=s.subjects_total.value if s and s.subjects_total.stated else None,
            status=Status.PUBLISHED, published_only=published_only,
            note=("원문에는 요약 수치와 사무별 서술만 있고 사무별 점수는 없음" if published_only
                  else ""),
        ))
    Round.objects.bulk_create(new_rounds)
    report.created["rounds"] += len(new_rounds)
    rounds = {(r.year.year, r.number): r for r in
              Round.objects.outsourcing().filter(year__year__in=years_needed)
              .select_related("year")}

    # institutions: the year's (2018–2020) or the round's (2022, 2023)
    through_y = EvaluationYear.institutions.through
    through_r = Round.institutions.through
    have_y = set(through_y.objects.values_list("evaluationyear_id", "organisation_id"))
    have_r = set(through_r.objects.values_list("round_id", "organisation_id"))
    add_y, add_r = [], []
    for s in summaries:
        if not s.institutions.stated:
            continue
        for name in s.institutions.value:
            if not _stated(name):
                continue
            org = orgs[(INST, name)]
            if s.round is None:
                key = (years[s.year].pk, org.pk)
                if key not in have_y:
                    have_y.add(key)
                    add_y.append(through_y(evaluationyear_id=key[0], organisation_id=key[1]))
            else:
                key = (rounds[(s.year, s.round)].pk, org.pk)
                if key not in have_r:
                    have_r.add(key)
                    add_r.append(through_r(round_id=key[0], organisation_id=key[1]))
    through_y.objects.bulk_create(add_y)
    through_r.objects.bulk_create(add_r)

    have_s = set(PublishedSummary.objects.values_list("year__year", "round__number"))
    printed = seoul_labels.published_precision(source)
    new_s = []
    for s in summaries:
        if (s.year, s.round) in have_s:
            continue
        rnd = rounds[(s.year, s.round)] if s.round is not None else None
        published_only = s.year not in {r.year for r in results}
        new_s.append(PublishedSummary(
            year=years[s.year], round=rnd,
            evaluated_count=_decimal_or_none(s.subjects_evaluated),
            subjects_total=_decimal_or_none(s.subjects_total),
            average=_decimal_or_none(s.average),
            threshold=_decimal_or_none(s.threshold),
            below_count=_decimal_or_none(s.below_threshold_count),
            below_share=_decimal_or_none(s.below_threshold_share),
            previous_average=_decimal_or_none(s.previous_year_average),
            change_vs_previous=_decimal_or_none(s.previous_year_difference),
            multi_year_average=_decimal_or_none(s.multi_year_average),
            multi_year_label=(
                f"{s.multi_year_average.get('year_from')}–{s.multi_year_average.get('year_to')}"
                if s.multi_year_average.stated else ""),
            change_vs_multi_year=_decimal_or_none(s.multi_year_difference),
            published_only=published_only,
            source=s.source_file,
            **_as_printed(s, printed),
        ))
    PublishedSummary.objects.bulk_create(new_s)
    _top_up_as_printed(summaries, printed)
    report.created["published_summaries"] += len(new_s)
    return rounds


def _as_printed(summary, printed) -> dict:
    """What the source document says of a summary beyond its figures: the document's
    title and the decimals each figure was printed with (43% printed "43", not "43.0")."""
    if seoul_labels.seed_id(summary.source_file) not in seoul_labels.DOCUMENTS:
        return {"source_document": "", "printed_decimals": None}
    return {"source_document": seoul_labels.document_title(summary.source_file),
            "printed_decimals": printed.get((summary.year, summary.round))}


def _top_up_as_printed(summaries, printed) -> None:
    """Summaries loaded before their document's title and printed decimals were stored
    get them (nothing else of an existing row changes)."""
    by_key = {(s.year, s.round): s for s in summaries}
    for row in (PublishedSummary.objects.filter(printed_decimals__isnull=True,
                                                source_document="")
                .select_related("year", "round")):
        s = by_key.get((row.year.year, row.round.number if row.round_id else None))
        if s is None or s.source_file != row.source:
            continue
        found = _as_printed(s, printed)
        if found["source_document"] or found["printed_decimals"] is not None:
            PublishedSummary.objects.filter(pk=row.pk).update(**found)


def _load_results(results, links, services, rounds, orgs, report) -> None:
    """Every published row through the one write path (``workflow.record_results``): the
    total becomes the institution's direct-points input of the published-total framework
    version and the engine decides it; the printed remark must agree with the decision."""
    occ = _occurrence(links)
    have = set(Result.objects.values_list("service_id", "round_id"))
    by_round: dict[Round, list[workflow.PublishedTotal]] = defaultdict(list)
    for r in results:
        svc = services[occ[("result", r.year, r.seq)].service_key]
        rnd = rounds[(r.year, r.round)]
        if (svc.pk, rnd.pk) in have:
            continue
        by_round[rnd].append(workflow.PublishedTotal(
            service=svc, score=r.score, seq=r.seq, service_name=r.service_name,
            department=orgs[(D, r.department)], contractor_name=r.contractor,
            contractors=[orgs[(C, m)] for m in r.contractor_members if _stated(m)],
            remark=r.remark))
    mismatches = []
    for rnd, rows in by_round.items():
        stored = workflow.record_results(rnd, rows, status=Status.PUBLISHED,
                                         actor_label=ACTOR_LABEL,
                                         reason=LOAD_REASON)
        for row, res in zip(rows, stored, strict=True):
            printed_excluded = row.remark == seoul_data.EXCLUDED_REMARK
            if printed_excluded != is_adverse(res.decision_code):
                mismatches.append(f"{rnd} 연번 {row.seq} {row.service_name}: 비고 "
                                  f"'{row.remark}' vs {res.policy_id} 판정 "
                                  f"{res.decision_code} ({res.score})")
        report.created["results"] += len(stored)
        record("round.load", rnd, after={"results": len(stored), "status": rnd.status},
               actor_label=ACTOR_LABEL, reason=LOAD_REASON)
    if mismatches:
        raise SeoulLoadError("printed remark and policy decision disagree: "
                             + "; ".join(mismatches))


def _check_exclusions(exclusions, rounds, services, links, report) -> None:
    """Every printed exclusion must be a loaded result below its policy's threshold, and
    every excluded 2018–2020 result must be in the exclusion table."""
    occ = _occurrence(links)
    problems = []
    listed = set()
    for ex in exclusions:
        svc = services[occ[("result", ex.result_year, ex.result_seq)].service_key]
        res = (Result.objects.filter(service=svc, round__year__year=ex.result_year)
               .select_related("round__year").first())
        if res is None:
            problems.append(f"{ex.service_name}: no result loaded")
            continue
        listed.add(res.pk)
        if res.score != ex.score:
            problems.append(f"{ex.service_name}: score {ex.score} vs row {res.score}")
        if not is_adverse(res.decision_code):
            problems.append(f"{ex.service_name}: {res.score} not excluded by {res.policy_id}")
        report.exclusions_checked += 1
    years = {ex.year for ex in exclusions}
    stray = adverse_results(Result.objects.filter(round__year__year__in=years)).exclude(pk__in=listed)
    for res in stray:
        problems.append(f"{res}: excluded by policy but not in the exclusion table")
    if problems:
        raise SeoulLoadError("exclusion cross-check failed: " + "; ".join(problems))


def _load_narratives(narratives, links, services, rounds, report) -> None:
    occ = _occurrence(links)
    have = set(Narrative.objects.values_list("service_id", "round_id"))
    new: list[tuple[Narrative, object]] = []
    for nv in narratives:
        svc = services[occ[("narrative", nv.year, nv.order)].service_key]
        rnd = rounds[(nv.year, nv.round)]
        if (svc.pk, rnd.pk) in have:
            continue
        new.append((Narrative(service=svc, round=rnd, order=nv.order,
                              service_name=nv.service_name, scope=nv.scope or ""), nv))
    Narrative.objects.bulk_create([n for n, _ in new])
    items = []
    for narrative, nv in new:
        for i, text in enumerate(nv.achievements, start=1):
            items.append(NarrativeItem(narrative=narrative, kind=ItemKind.ACHIEVEMENT,
                                       order=i, text=text))
        for i, text in enumerate(nv.improvements, start=1):
            items.append(NarrativeItem(narrative=narrative, kind=ItemKind.IMPROVEMENT,
                                       order=i, text=text,
                                       follow_up_status=FollowUpStatus.OPEN))
    NarrativeItem.objects.bulk_create(items)
    report.created["narratives"] += len(new)
    report.created["narrative_items"] += len(items)


_FACT_KINDS = {
    "staff_turnover_rate_avg_approx": FigureKind.STAFF_TURNOVER,
    "budget_execution_rate": FigureKind.BUDGET_EXECUTION,
}


def _fact_year(fact) -> int:
    m = re.match(r"(\d{4})", fact.period or "")
    if m:
        return int(m.group(1))
    return SOURCE_YEARS.get(fact.source_file[:3], 0)


def _load_facts(facts, services, report) -> None:
    have_f = set(InspectionFinding.objects.values_list("service_id", "year", "text"))
    have_o = set(OperatingFigure.objects.values_list("service_id", "kind", "indicator", "year",
                                                     "quarter"))
    findings, figures = [], []
    for f in facts:
        if f.service_key is None:
            report.facts_skipped.append(f"{f.fact_id}: no service key ({f.subject_as_written})")
            continue
        svc = services[f.service_key]
        # a readable citation (document title and section); the file and line stay in
        # the shipped data files (open data)
        source = (f"{seoul_labels.citation(f.source_file, f.source_line)} “{f.quote}”"
                  .strip())
        year = _fact_year(f)
        if f.metric == "inspection_findings" and re.fullmatch(r"\d{4}", f.period or ""):
            text = f"지도점검 지적 {f.value}건 (출처: {source})"
            if (svc.pk, year, text) not in have_f:
                findings.append(InspectionFinding(service=svc, year=year, count=int(f.value),
                                                  text=text))
            continue
        if f.metric.startswith("inspection_findings"):
            report.facts_skipped.append(f"{f.fact_id}: summary of findings, not a year count")
            continue
        kind = _FACT_KINDS.get(f.metric)
        if kind is None:
            kind = (FigureKind.SATISFACTION if "satisfaction" in f.metric
                    else FigureKind.ACTUAL)
        indicator = ("" if kind in _FACT_KINDS.values()
                     else seoul_labels.metric_label(f.metric))
        key = (svc.pk, kind, indicator, year, None)
        if key in have_o:
            continue
        have_o.add(key)
        figures.append(OperatingFigure(
            service=svc, year=year, kind=kind, indicator=indicator, value=f.value, unit=f.unit,
            period_text=f.period or "", source=source[:300],
        ))
    InspectionFinding.objects.bulk_create(findings)
    OperatingFigure.objects.bulk_create(figures)
    report.created["inspection_findings"] += len(findings)
    report.created["operating_figures"] += len(figures)
