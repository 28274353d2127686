"""The 2018 civic-platform evaluation (seed 003) as the second built-in example.

:func:`load_civic_platform_2018` loads the plan of
:mod:`seonggwa.data.seoul.civic_platform` — always, beside the outsourcing data, because
it is published fact:

- one registry organisation per district platform (kind *platform*, ``district`` set);
  the source names no consortium, so each is named "<자치구> 시민협력플랫폼";
- their evaluation subjects (kind *platform*);
- the three rounds (scheme *civic_platform*, 1차/2차/3차), scored under the framework
  version of the preset ``seoul-civic-platform-2018``;
- each district's schedule in its round: project year, evaluation period (year 1 from the
  project start, year 2 from an *estimated* start — the plan gives only "약 2개월" before
  the project year, the audit record of the schedule says so), the submission date, the
  meeting's date, time and place, and 서대문구's early evaluation with its reason;
- the windows that follow from them (the schedules part): submission up to the printed
  date, notification and report counted from the meeting by the framework's rules.

:func:`load_civic_demo` adds what only a local demonstration may have, and refuses to run
with debug off: demo accounts for every role (:func:`civic_demo_accounts`), panels seated
through the conflict check, synthetic documents, sheets and results (marked synthetic)
released and made final on their 2018 dates, and one district (:data:`DEMO_DISTRICT`) left
at its start for a newcomer to walk through. Everything goes through the parts' own
domain functions (schedules, submissions, panels, sheets, appeals), which audit it.

Idempotent and atomic: a second run creates nothing; rows that exist (an officer's later
edits) are never overwritten.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seonggwa.accounts.demo import DemoRefused, ensure_demo_user
from seonggwa.accounts.models import Role
from seonggwa.appeals.domain.process import (
    decide,
    file_objection,
    lapse,
    pending_results,
    release,
)
from seonggwa.appeals.models import Appeal, Outcome
from seonggwa.core.audit import record
from seonggwa.data.seoul import civic_platform as civic_data
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.domain.subjects import subjects_for
from seonggwa.evaluations.models import Assignment, Result, Round, Scheme, Subject, SubjectKind
from seonggwa.panels.domain.conflicts import check_conflicts, lift_conflict
from seonggwa.panels.domain.members import enrol
from seonggwa.panels.domain.seats import add_to_template, panel_of, seat
from seonggwa.panels.models import MemberProfile, Seat, TemplateEntry
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.schedules.domain import windows
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
from seonggwa.schedules.domain.windows import get_window, open_rule_window, set_window
from seonggwa.schedules.models import Schedule
from seonggwa.sheets.domain import scoring, sheets
from seonggwa.sheets.domain.sheets import EntryInput, sheet_indicators
from seonggwa.sheets.models import Sheet, SheetState
from seonggwa.submissions.domain import submitting
from seonggwa.submissions.models import Submission

PRESET = "seoul-civic-platform-2018"
ACTOR_LABEL = "2018 시민협력플랫폼 예시 적재"  # who acted, as the trail shows it
DEMO_LABEL = "2018 시민협력플랫폼 시연 자료"

# Romanised district names for the demo accounts' user names (ASCII, typed at login).
ROMAN = {
    "서대문구": "seodaemun", "도봉구": "dobong", "구로구": "guro", "양천구": "yangcheon",
    "관악구": "gwanak", "강북구": "gangbuk", "광진구": "gwangjin", "성북구": "seongbuk",
    "은평구": "eunpyeong", "마포구": "mapo", "강서구": "gangseo",
}
# The department that issued the plan ("지역공동체담당관-1993", seed 003): the city
# members' employer.
CITY_DEPARTMENT = "지역공동체담당관"


def platform_name(district: str) -> str:
    return f"{district} 시민협력플랫폼"


def district_office_name(district: str) -> str:
    return f"{district}청"


def round_title(year: int, number: int) -> str:
    return f"{year} 시민협력플랫폼 성과평가 {number}차"


@dataclass
class CivicLoadReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    accounts: list[str] = field(default_factory=list)  # demo accounts ready to sign in
    seconds: float = 0.0

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.created.items()) if v)
        ready = f"; {len(self.accounts)} demo accounts" if self.accounts else ""
        return f"created: {parts or 'nothing (already loaded)'}{ready}; {self.seconds:.2f}s"


@dataclass(frozen=True)
class CivicExample:
    """The loaded example: the plan and its rows, by district and round number."""

    plan: civic_data.CivicPlan
    organisations: dict[str, Organisation]
    subjects: dict[str, Subject]
    rounds: dict[int, Round]

    def round_of(self, district: str) -> Round:
        return self.rounds[self.plan.district(district).round]


# ----------------------------------------------------------------------------- the plan


@transaction.atomic
def load_civic_platform_2018(source=None) -> CivicLoadReport:
    """Load (or top up) the organisations, subjects and rounds of the 2018 plan."""
    started = time.perf_counter()
    report = CivicLoadReport()
    plan = civic_data.load_civic_platform_2018(source)
    version = frameworks.preset_version(PRESET, actor_label=ACTOR_LABEL)
    organisations = _platform_organisations(plan, report)
    subjects = _subjects(organisations, report)
    rounds = _rounds(plan, version, report)
    _schedules(plan, subjects, rounds, report)
    report.seconds = time.perf_counter() - started
    return report


def civic_example(source=None) -> CivicExample:
    """The example as loaded (call :func:`load_civic_platform_2018` first)."""
    plan = civic_data.load_civic_platform_2018(source)
    organisations = {o.district: o for o in Organisation.objects.filter(
        kind=OrganisationKind.PLATFORM, name__in=[platform_name(d.district)
                                                  for d in plan.districts])}
    by_pk = subjects_for(SubjectKind.PLATFORM, organisations.values())
    rounds = {r.number: r for r in Round.objects.filter(
        scheme=Scheme.CIVIC_PLATFORM, year__year=plan.year,
        number__in=[r.number for r in plan.rounds]).select_related("year")}
    return CivicExample(plan, organisations,
                        {d: by_pk[o.pk] for d, o in organisations.items()}, rounds)


def _platform_organisations(plan, report) -> dict[str, Organisation]:
    names = {platform_name(d.district): d.district for d in plan.districts}
    existing = {o.name: o for o in Organisation.objects.filter(
        kind=OrganisationKind.PLATFORM, name__in=names)}
    for name, district in names.items():
        org = existing.get(name)
        if org is None:
            org = Organisation.objects.create(kind=OrganisationKind.PLATFORM, name=name,
                                              district=district)
            record("organisation.create", org, after={"name": name, "district": district},
                   actor_label=ACTOR_LABEL)
            report.created["organisations"] += 1
        elif not org.district:  # made before organisations had a district
            org.district = district
            org.save(update_fields=["district"])
            record("organisation.district", org, before={"district": ""},
                   after={"district": district}, actor_label=ACTOR_LABEL)
        existing[name] = org
    return {district: existing[name] for name, district in names.items()}


def _subjects(organisations: dict[str, Organisation], report) -> dict[str, Subject]:
    keys = Subject.objects.filter(kind=SubjectKind.PLATFORM).count()
    by_pk = subjects_for(SubjectKind.PLATFORM, organisations.values())
    report.created["subjects"] += Subject.objects.filter(kind=SubjectKind.PLATFORM).count() - keys
    return {district: by_pk[org.pk] for district, org in organisations.items()}


def _rounds(plan, version, report) -> dict[int, Round]:
    rounds = {}
    for r in plan.rounds:
        exists = Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM, year__year=plan.year,
                                      number=r.number).exists()
        rounds[r.number] = workflow.open_round(
            plan.year, r.number, scheme=Scheme.CIVIC_PLATFORM,
            framework_version=None if exists else version,
            title=round_title(plan.year, r.number), period_text=r.timing,
            start=r.meetings_first, end=r.meetings_last, actor_label=ACTOR_LABEL)
        report.created["rounds"] += not exists
    return rounds


def meeting_at(d: civic_data.PlatformDistrict) -> dt.datetime:
    """The meeting's start, in Seoul time."""
    return timezone.make_aware(dt.datetime.combine(d.meeting_date, d.meeting_start),
                               ZoneInfo(settings.TIME_ZONE))


def _schedules(plan, subjects: dict[str, Subject], rounds: dict[int, Round], report) -> None:
    """Each district's schedule through the schedules' one write path; its windows follow
    (submission up to the printed date, notification and report counted from the
    meeting)."""
    existing = set(Schedule.objects.filter(round__in=rounds.values())
                   .values_list("round_id", "subject_id"))
    for d in plan.districts:
        rnd, subject = rounds[d.round], subjects[d.district]
        if (rnd.pk, subject.pk) in existing:
            continue
        period = plan.evaluation_period(d.district)
        set_schedule(rnd, subject, ScheduleInput(
            project_year=d.project_year, period_start=period.start, period_end=period.end,
            submission_due=plan.round(d.round).submission_due, meeting_at=meeting_at(d),
            place=d.place, early=d.withdrawn, early_reason=d.early_reason or ""),
            actor=None, actor_label=ACTOR_LABEL, reason=_period_note(period))
        report.created["schedules"] += 1


def _period_note(period: civic_data.EvaluationPeriod) -> str:
    if not period.start_estimated:
        return "2018 시민협력플랫폼 성과평가 추진계획(원문 003)의 일정"
    return (f"2018 시민협력플랫폼 성과평가 추진계획(원문 003)의 일정. 2년차 평가 대상 기간의 "
            f"시작(전년도 성과평가일)은 원문에 없어, 원문의 '미반영 기간 약 "
            f"{period.uncovered_months}개월'에 따라 2년차 사업개시일의 "
            f"{period.uncovered_months}개월 전으로 추정했습니다.")


# ----------------------------------------------------------------------------- the demo


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display: str
    organisation: Organisation | None = None
    position: str = ""  # panel members: what the panel profile shows


def civic_demo_accounts(example: CivicExample) -> list[DemoAccount]:
    """Every role of the example, password :data:`seonggwa.accounts.demo.DEMO_PASSWORD`:

    - ``officer`` (평가담당관) and ``committee`` (위원회), as the ``demo_users`` command;
    - ``platform-<district>``: the district platform's staff (수행단체, contractor role),
      acting for the platform organisation (submissions, objections);
    - panel members (evaluator role), about seven per district (seed 003 §5):
      ``city-lead`` and ``city-governance`` (the city's team leader and 협치지원관),
      ``district-<district>`` (the district's team leader, employer the district office),
      ``expert-1`` … ``expert-4`` (external experts), ``head-<district>`` (the head of
      that district's platform, who sits on other districts' panels).
    """
    city = _department(CITY_DEPARTMENT, district="")
    accounts = [DemoAccount("officer", Role.OFFICER, "평가담당관"),
                DemoAccount("committee", Role.COMMITTEE, "민간위탁운영평가위원회"),
                DemoAccount("city-lead", Role.EVALUATOR, "서울시 담당 팀장", city, "담당 팀장"),
                DemoAccount("city-governance", Role.EVALUATOR, "서울시 협치지원관", city,
                            "협치지원관")]
    accounts += [DemoAccount(f"expert-{n}", Role.EVALUATOR, f"외부 전문가 {n}", None,
                             "지역시민사회 전문가") for n in range(1, 5)]
    for d in example.plan.districts:
        roman, org = ROMAN[d.district], example.organisations[d.district]
        accounts += [
            DemoAccount(f"platform-{roman}", Role.CONTRACTOR, f"{org.name} 담당자", org),
            DemoAccount(f"head-{roman}", Role.EVALUATOR, f"{org.name} 책임자", org,
                        "시민협력플랫폼 책임자"),
            DemoAccount(f"district-{roman}", Role.EVALUATOR, f"{d.district} 담당 팀장",
                        _department(district_office_name(d.district), district=d.district),
                        "자치구 담당 팀장"),
        ]
    return accounts


def _department(name: str, *, district: str) -> Organisation:
    """A panel member's employer: the city department or a district office."""
    org, created = Organisation.objects.get_or_create(
        kind=OrganisationKind.DEPARTMENT, name=name, defaults={"district": district})
    if created:
        record("organisation.create", org, after={"name": org.name, "district": district},
               actor_label=DEMO_LABEL)
    return org


@transaction.atomic
def load_civic_demo(source=None, *, today: dt.date | None = None) -> CivicLoadReport:
    """The demonstration on top of the plan (debug only: refused otherwise):

    - the demo accounts (:func:`civic_demo_accounts`), evaluators enrolled in the pool;
    - each round's default composition (the city's two members, :func:`demo_templates`);
    - the committee account assigned to every civic round (it reads their results);
    - for every district but :data:`DEMO_DISTRICT`: synthetic documents submitted in time
      by the platform's account, the panel seated through the conflict check
      (:func:`seat_demo_panel`), synthetic sheets (marked synthetic), the desk-review
      score, the result notified and made final as in 2018 (:func:`score_synthetic`);
    - :data:`DEMO_DISTRICT` left at the start: nothing submitted, no panel, its windows
      moved to ``today`` with the reason in the trail (:func:`keep_demo_current`).
    """
    if not settings.DEBUG:
        raise DemoRefused("the civic-platform demo is loaded only with SEONGGWA_DEBUG=1")
    started = time.perf_counter()
    report = CivicLoadReport()
    example = civic_example(source)
    users = {}
    for account in civic_demo_accounts(example):
        user = ensure_demo_user(account.username, account.role,
                                organisation=account.organisation, display=account.display)
        if user is not None:
            users[account.username] = user
            report.accounts.append(account.username)
            if account.role == Role.EVALUATOR:
                _enrol(user, account.position)
    report.created["default seats"] += demo_templates(example, users)
    report.created["committee rounds"] += _committee_rounds(example, users.get("committee"))
    for d in example.plan.districts:
        if d.district != DEMO_DISTRICT:
            report.created["seats"] += len(seat_demo_panel(example, d.district, users))
            report.created["synthetic sheets"] += score_synthetic(example, d.district, users)
    keep_demo_current(example, today=today)
    report.seconds = time.perf_counter() - started
    return report


# ----------------------------------------------------------------------------- panels

#: The district a newcomer walks through: the last meeting of the plan, left before its
#: documents are submitted.
DEMO_DISTRICT = "강서구"
EXPERTS = 4  # expert-1 … expert-4, two per panel in turn
DISTRICT_SEAT_REASON = ("평가계획(원문 003)의 평가단 구성: 행정 중 구 1인은 해당 자치구 담당 "
                        "팀장이 맡습니다.")


def _enrol(user, position: str) -> None:
    if not MemberProfile.objects.filter(user=user).exists():
        enrol(user, position=position, actor=None, actor_label=DEMO_LABEL)


def demo_panel(example: CivicExample, district: str) -> list[tuple[str, str]]:
    """(seat code, username) of the seven members of ``district``'s demo panel (seed 003
    §5): the city's two, the district's team leader, two experts in turn, and the heads
    of two OTHER districts' platforms still running — the next year-1 and year-2 ones in
    the plan's order."""
    plan = example.plan
    i = [d.district for d in plan.districts].index(district)
    panel = [("city", username) for username in CITY_MEMBERS]
    panel += [("district", f"district-{ROMAN[district]}"),
              ("expert", f"expert-{i % EXPERTS + 1}"),
              ("expert", f"expert-{(i + 1) % EXPERTS + 1}")]
    for year in (1, 2):
        peers = [d.district for d in plan.districts[i + 1:] + plan.districts[:i]
                 if d.project_year == year and not d.withdrawn and d.district != district]
        panel.append((f"peer_year{year}", f"head-{ROMAN[peers[0]]}"))
    return panel


CITY_MEMBERS = ("city-lead", "city-governance")


def _committee_rounds(example: CivicExample, committee) -> int:
    """The committee account reviews every civic round (a whole-round assignment: it
    reads their results, as the council receives performance reports)."""
    if committee is None:
        return 0
    have = set(Assignment.objects.filter(user=committee, subject__isnull=True)
               .values_list("round_id", flat=True))
    missing = [r for r in example.rounds.values() if r.pk not in have]
    for rnd in missing:
        assign(committee, rnd, None, actor=None, actor_label=DEMO_LABEL)
    return len(missing)


def demo_templates(example: CivicExample, users: dict) -> int:
    """The city's two members in every round's default composition (they sit on every
    panel); how many entries were added."""
    added = 0
    for rnd in example.rounds.values():
        present = set(TemplateEntry.objects.filter(round=rnd)
                      .values_list("member__username", flat=True))
        for username in CITY_MEMBERS:
            if username in users and username not in present:
                add_to_template(rnd, users[username], "city", actor=None,
                                actor_label=DEMO_LABEL)
                added += 1
    return added


def seat_demo_panel(example: CivicExample, district: str, users: dict) -> list:
    """Seat ``district``'s demo panel through the panels' conflict check; the district
    official's same-district conflict is lifted with the plan's reason first, as an
    officer would. Members already seated are left as they are."""
    rnd, subject = example.round_of(district), example.subjects[district]
    seated = set(Seat.objects.filter(round=rnd, subject=subject, ended_at__isnull=True)
                 .values_list("member__username", flat=True))
    made = []
    for seat_code, username in demo_panel(example, district):
        user = users.get(username)
        if user is None or username in seated:
            continue
        if seat_code == "district":
            for conflict in check_conflicts(rnd, subject, user):
                lift_conflict(rnd, subject, user, conflict.kind, reason=DISTRICT_SEAT_REASON,
                              actor=None, actor_label=DEMO_LABEL)
        made.append(seat(rnd, subject, user, seat_code, actor=None, actor_label=DEMO_LABEL))
    return made


# ----------------------------------------------------------------------------- synthetic scores

# Synthetic profiles, one per district in the plan's order: the desk-review score (of 100)
# and the panel's typical rating (of 5). Chosen to show every grade, 미흡 included; they
# are NOT the 2018 results, which the source does not publish.
SYNTHETIC = [(88, 4), (76, 4), (92, 5), (64, 3), (81, 4), (55, 3), (70, 4), (95, 5), (40, 2),
             (84, 4), (73, 3)]
OFFSETS = [0, 0, 1, 0, -1, 0, 0]  # each member's rating around the panel's typical one
SYNTHETIC_TEXT = "[합성 시연 자료] {district} {goal}: {part}"


def _synthetic_entries(framework, district: str, base: int, member: int) -> dict:
    entries = {}
    for ind in sheet_indicators(framework):
        value = min(ind.scale.max, max(ind.scale.min, base + OFFSETS[member % len(OFFSETS)]))
        text = {part: SYNTHETIC_TEXT.format(district=district, goal=ind.name, part=label)
                for part, label in (("outcomes", "성과"), ("limits", "한계"),
                                    ("improvements", "개선방향"), ("justification", "평점 사유"))}
        entries[ind.code] = EntryInput(value=value, **text)
    return entries


def score_synthetic(example: CivicExample, district: str, users: dict) -> int:
    """Synthetic sheets (marked synthetic) by every seated member, the desk-review score
    and the draft result through the one compute path; how many sheets were submitted.
    A district that already has a result is left as it is."""
    rnd, subject = example.round_of(district), example.subjects[district]
    if Result.objects.filter(round=rnd, subject=subject).exists():
        return 0
    _submit_synthetic(example, district, users)
    framework = framework_for(rnd)
    q, base = SYNTHETIC[[d.district for d in example.plan.districts].index(district)]
    submitted = 0
    for n, member_seat in enumerate(panel_of(rnd, subject)):
        member = member_seat.member
        sheet = sheets.open_sheet(rnd, subject, member, synthetic=True)
        if sheet.state == SheetState.SUBMITTED:
            continue
        sheets.save_draft(sheet, _synthetic_entries(framework, district, base, n), actor=member)
        sheets.submit(sheet, actor=member)
        submitted += 1
    officer = users.get("officer")
    scoring.record_desk_review(rnd, {subject: {"Q": q}}, actor=officer)
    scoring.compute(rnd, [subject], actor=officer)
    _release_in_2018(example, district, users)
    return submitted


SYNTHETIC_PDF = ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% [합성 시연 자료] {district} "
                 "{label}: 2018년에 실제로 제출된 서류가 아닙니다.\n%%EOF\n")


def _submit_synthetic(example: CivicExample, district: str, users: dict) -> None:
    """The platform's documents (synthetic one-page PDFs, named so) uploaded and submitted
    by its own account on its 2018 deadline, through the submissions part."""
    rnd, subject = example.round_of(district), example.subjects[district]
    if Submission.objects.filter(round=rnd, subject=subject).exists():
        return
    platform = users.get(f"platform-{ROMAN[district]}")
    rules = submitting.rules_for(rnd)
    if platform is None or rules is None:
        return
    day = example.plan.round(example.plan.district(district).round).submission_due
    for rule in rules.documents_for(example.plan.district(district).project_year):
        data = SYNTHETIC_PDF.format(district=district, label=rule.label).encode("utf-8")
        submitting.upload(rnd, subject, rule.code, name=f"[합성 시연 자료] {rule.label}.pdf",
                          data=data, actor=platform, today=day)
    submitting.submit(rnd, subject, actor=platform, today=day)


OBJECTING_DISTRICT = "은평구"  # the 미흡 profile objects once; the panel upholds
OBJECTION_REASONS = ("[합성 시연 자료] 정량평가의 참가자 수 실적에 하반기 행사가 빠졌습니다. "
                     "추가 자료를 첨부하여 재심의를 요청합니다.")
UPHELD_REASON = ("[합성 시연 자료] 평가단 재심의: 추가 자료의 행사는 평가 기준일 이후에 열려 "
                 "평가 범위에 들지 않으므로 원안을 유지합니다.")


def _release_in_2018(example: CivicExample, district: str, users: dict) -> None:
    """Notify the district's result the working day after its 2018 meeting (alone: the
    round's other results are released on their own days), then let it become final as
    it did in 2018: the objection window closed without an objection — or, for
    :data:`OBJECTING_DISTRICT`, an objection two days after the notice and the panel's
    re-review upholding the result."""
    rnd, subject = example.round_of(district), example.subjects[district]
    meeting = example.plan.district(district).meeting_date
    notified = windows.count(meeting, 1, "working").due
    batch = release(rnd, expected=pending_results(rnd).count(), actor=None,
                    actor_label=DEMO_LABEL, today=notified)
    appeal = Appeal.objects.get(release=batch, result__subject=subject)
    if district == OBJECTING_DISTRICT:
        head = users.get(f"platform-{ROMAN[district]}")
        file_objection(appeal, head, OBJECTION_REASONS,
                       today=notified + dt.timedelta(days=2))
        decide(appeal, Outcome.UPHELD, UPHELD_REASON, actor=None, actor_label=DEMO_LABEL)
    else:
        lapse([appeal], actor=None, actor_label=DEMO_LABEL)


# ----------------------------------------------------------------------------- mid-process

DEMO_SHIFT_REASON = ("시연용: 2018년 일정({original})을 새로 온 사람이 오늘 직접 해 볼 수 "
                     "있도록 오늘 기준으로 옮김")
DEMO_SUBMISSION_DAYS = 14


def keep_demo_current(example: CivicExample, *, today: dt.date | None = None) -> None:
    """Keep :data:`DEMO_DISTRICT` actionable: while nothing is submitted, its submission
    window runs from ``today`` for two weeks and its meeting is today, so its
    notification and report windows count from today — each change with the original
    2018 date in the reason. Once its people have acted, nothing moves."""
    today = today or timezone.localdate()
    rnd, subject = example.round_of(DEMO_DISTRICT), example.subjects[DEMO_DISTRICT]
    if Sheet.objects.filter(round=rnd, subject=subject).exists() or _submitted(rnd, subject):
        return
    window = get_window(rnd, subject, "submission")
    if window is not None and window.opens_on <= today <= window.due_on:
        return
    schedule = Schedule.objects.get(round=rnd, subject=subject)
    original = timezone.localtime(schedule.meeting_at)
    reason = DEMO_SHIFT_REASON.format(original=f"제출 {schedule.submission_due}, 회의 "
                                               f"{original:%Y-%m-%d %H:%M}")
    due = today + dt.timedelta(days=DEMO_SUBMISSION_DAYS)
    meeting = timezone.make_aware(dt.datetime.combine(today, original.time()),
                                  ZoneInfo(settings.TIME_ZONE))
    schedule = set_schedule(rnd, subject, replace(
        _schedule_input(schedule), submission_due=due, meeting_at=meeting),
        actor=None, actor_label=DEMO_LABEL, reason=reason)
    # Windows already closed are history to the schedule; the demo opens them again.
    set_window(rnd, subject, "submission", opens_on=today, due_on=due, actor=None,
               actor_label=DEMO_LABEL, reason=reason)
    for code in ("notification", "report"):
        open_rule_window(rnd, subject, code, start=today, actor=None, actor_label=DEMO_LABEL)


def _schedule_input(schedule: Schedule) -> ScheduleInput:
    return ScheduleInput(schedule.project_year, schedule.period_start, schedule.period_end,
                         schedule.submission_due, schedule.meeting_at, schedule.place,
                         schedule.early, schedule.early_reason)


def _submitted(rnd: Round, subject: Subject) -> bool:
    """Whether the district's organisation has started its submission."""
    return Submission.objects.filter(round=rnd, subject=subject).exists()
