"""Office pages of the schedules part: a round's schedule and deadlines, a subject's
schedule (edit, early evaluation), and the table of extra days off.

Every deadline shows how it was counted. Changes go through the schedules domain
(:mod:`seonggwa.schedules.domain`), which audits them; forms carry the record version
(:mod:`seonggwa.core.concurrency`) so two officers never overwrite each other silently.
Officers see and change everything; everyone else sees only the schedules and windows of
subjects the policy lets them see (:mod:`seonggwa.access.schedules`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from seonggwa.access.schedules import visible_schedules, visible_windows
from seonggwa.core import concurrency, vocabulary
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Round, Scheme, Subject, SubjectKind
from seonggwa.schedules.domain import calendar, windows
from seonggwa.schedules.domain import days_off as days_off_domain
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
from seonggwa.schedules.models import DayOff, ProjectYear, Schedule, Window, WindowState
from seonggwa.schedules.models.days_off import REASON_MAX as DAY_OFF_REASON_MAX

from .. import trail
from ..access import Perm, require
from ..actions import attempt
from ..forms.schedules import (
    DayOffForm,
    EarlyForm,
    NoticeForm,
    ReasonForm,
    RoundWindowForm,
    ScheduleForm,
)

#: Subjects offered when adding a schedule (a round of a few hundred at most).
SUBJECT_CHOICES_MAX = 500

# --- the trail of this part -----------------------------------------------------------

def _value(key: str, value) -> str:
    if key == "state":
        return str(dict(WindowState.choices).get(value, value))
    if key == "unit":
        return {calendar.WORKING: _("근무일"), calendar.CALENDAR: _("역일")}.get(value, value)
    if key == "project_year":
        return str(dict(ProjectYear.choices).get(value, value)) if value else "–"
    return trail._value(key, value)


def _entry(event: AuditEvent) -> trail.Entry:
    """An audit event of this part in words: its action and every field labelled."""
    model = trail._model(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        if before.get(key) == after.get(key) or (not before and after.get(key) in (None, "")):
            continue
        label = trail.field_label(model, key)
        changes.append(trail.Change(label, _value(key, before.get(key)) if before else "",
                                    _value(key, after.get(key))))
    what = vocabulary.action_label(event.action) or _("변경")
    return trail.Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                       what=str(what), changes=changes, reason=event.reason)


def _trail(events, limit: int = 200) -> list[trail.Entry]:
    return [_entry(e) for e in events.select_related("actor").order_by("-at", "-id")[:limit]]


# --- a round's schedule -----------------------------------------------------------------

@dataclass
class WindowRow:
    window: Window
    label: str
    explanation: str
    version: int = 0


@dataclass
class SubjectRow:
    subject: Subject
    schedule: Schedule | None
    windows: list[WindowRow] = field(default_factory=list)


def _window_rows(items, versions: dict, rules: dict) -> list[WindowRow]:
    """Each window with its name in the page's language, how its last day was counted,
    and its version (for the notice form)."""
    return [WindowRow(w, windows.display_label(w, rules), windows.explain(w),
                      versions.get(w.pk, 0)) for w in items]


def _round_rows(user, round_: Round, officer: bool) -> tuple[list[SubjectRow], list[WindowRow]]:
    """Per subject its schedule and windows (only what ``user`` may see), and the
    round-wide windows."""
    schedules = list(visible_schedules(user, Schedule.objects.filter(round=round_))
                     .select_related("subject"))
    round_windows = list(visible_windows(user, Window.objects.filter(round=round_))
                         .select_related("round__year", "subject")
                         .order_by("opens_on", "code", "pk"))
    versions = concurrency.versions_of(round_windows) if officer else {}
    rules = windows.rules_of(round_)
    rows: dict[int, SubjectRow] = {s.subject_id: SubjectRow(s.subject, s) for s in schedules}
    wide = []
    for w in round_windows:
        if w.subject_id is None:
            wide.append(w)
            continue
        rows.setdefault(w.subject_id, SubjectRow(w.subject, None))
        rows[w.subject_id].windows += _window_rows([w], versions, rules)
    ordered = sorted(rows.values(), key=lambda r: (
        r.schedule is None or r.schedule.meeting_at is None,
        r.schedule.meeting_at if r.schedule and r.schedule.meeting_at else timezone.now(),
        r.subject.name))
    return ordered, _window_rows(wide, versions, rules)


def _candidate_subjects(round_: Round):
    """Subjects an officer may add a schedule for: those already in the round (results,
    assignments, windows) and, for a civic-platform round, every district platform."""
    in_round = (Q(pk__in=round_.results.values("subject"))
                | Q(pk__in=round_.assignments.values("subject"))
                | Q(pk__in=round_.windows.values("subject")))
    if round_.scheme == Scheme.CIVIC_PLATFORM:
        in_round |= Q(kind=SubjectKind.PLATFORM)
    return (Subject.objects.filter(in_round).exclude(pk__in=round_.schedules.values("subject"))
            .order_by("name")[:SUBJECT_CHOICES_MAX])


@require_safe
@require(Perm.OFFICE)
def schedule_index(request):
    """The rounds whose schedules the user may see (an officer: every round)."""
    user = request.user
    officer = user.has_perm("schedules.change_schedule")
    rounds = Round.objects.select_related("year").order_by("-year__year", "scheme", "-number")
    if not officer:
        rounds = rounds.filter(Q(pk__in=visible_schedules(user).values("round"))
                               | Q(pk__in=visible_windows(user).values("round")))
    return render(request, "office/schedules/index.html", {
        "nav": "schedules", "rounds": rounds, "officer": officer,
        "today": windows.current_date()})


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.OFFICE)
def schedule_round(request, round_id: int):
    """A round's schedule: per subject the evaluated period, the submission due date, the
    meeting (date, time, place) and every window with its state and how its last day was
    counted. An officer also sets the round's submission window here."""
    round_ = get_object_or_404(Round.objects.select_related("year"), pk=round_id)
    user = request.user
    officer = user.has_perm("schedules.change_schedule")
    rows, wide = _round_rows(user, round_, officer)
    if not officer and not rows and not wide:
        raise PermissionDenied
    form = RoundWindowForm(initial=_round_window_initial(round_))
    status = 200
    if request.method == "POST":
        if not officer:
            raise PermissionDenied
        form = RoundWindowForm(request.POST)
        if form.is_valid() and _set_round_window(request, round_, form):
            return redirect("office:schedules_round", round_id=round_.pk)
        status = 400
    return render(request, "office/schedules/round.html", {
        "nav": "schedules", "round": round_, "rows": rows, "wide": wide, "officer": officer,
        "form": form, "add_subjects": _candidate_subjects(round_) if officer else [],
        "round_version": concurrency.version(_round_window_events(round_)),
        "notice_form": NoticeForm(), "today": windows.current_date(),
        "trail": _trail(_round_events(round_)) if officer else [],
    }, status=status)


def _round_window_initial(round_: Round) -> dict:
    window = Window.objects.filter(round=round_, subject__isnull=True,
                                   code="submission").first()
    return {"opens_on": window.opens_on, "due_on": window.due_on} if window else {}


def _round_window_events(round_: Round):
    ids = [str(pk) for pk in Window.objects.filter(round=round_, subject__isnull=True)
           .values_list("pk", flat=True)]
    return AuditEvent.objects.filter(object_type="schedules.window", object_id__in=ids)


def _round_events(round_: Round):
    window_ids = [str(pk) for pk in round_.windows.values_list("pk", flat=True)]
    schedule_ids = [str(pk) for pk in round_.schedules.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="schedules.window", object_id__in=window_ids)
        | Q(object_type="schedules.schedule", object_id__in=schedule_ids))


def _set_round_window(request, round_: Round, form: RoundWindowForm) -> bool:
    """The round's submission window from the form; ``False`` with the refusal on the
    form."""
    d = form.cleaned_data
    done = attempt(request, lambda _none: windows.set_window(
        round_, None, "submission", opens_on=d["opens_on"], due_on=d["due_on"],
        actor=request.user, reason=d["reason"]), events=_round_window_events(round_), form=form)
    if not done.ok:
        return False
    messages.success(request, _("차수 전체의 자료 제출 기한을 저장했습니다."))
    return True


@require_POST
@require(Perm.SCHEDULES)
def schedule_add(request, round_id: int):
    """Go to the schedule form of the subject chosen on the round's page."""
    round_ = get_object_or_404(Round, pk=round_id)
    subject = _candidate_subjects(round_).filter(pk=_int(request.POST.get("subject"))).first()
    if subject is None:
        messages.error(request, _("일정을 추가할 평가 대상을 고르십시오."))
        return redirect("office:schedules_round", round_id=round_.pk)
    return redirect("office:schedules_edit", round_id=round_.pk, subject_id=subject.pk)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


# --- a subject's schedule ---------------------------------------------------------------

def _schedule_initial(schedule: Schedule | None) -> dict:
    if schedule is None:
        return {}
    local = timezone.localtime(schedule.meeting_at) if schedule.meeting_at else None
    return {"project_year": schedule.project_year, "period_start": schedule.period_start,
            "period_end": schedule.period_end, "submission_due": schedule.submission_due,
            "meeting_date": local.date() if local else None,
            "meeting_time": local.time() if local else None, "place": schedule.place}


def _save_guarded(request, form, round_, subject, schedule, save) -> bool:
    """Run ``save`` if the schedule is unchanged since the form was loaded; the refusal
    (stale, invalid) goes on the form."""
    def create(_none):
        # a new schedule has no version: the form must have been loaded before any existed
        loaded = concurrency.posted(request.POST)
        if loaded not in (0, None) or Schedule.objects.filter(
                round=round_, subject=subject).exists():
            raise concurrency.StaleEdit(_latest_schedule_event(round_, subject))
        with transaction.atomic():
            save()

    try:
        if schedule is None:
            done = attempt(request, create, form=form)
        else:
            done = attempt(request, lambda _fresh: save(), schedule, form=form)
    except IntegrityError:
        form.add_error(None, _("그사이 다른 사람이 이 대상의 일정을 등록했습니다. 다시 불러온 뒤 "
                               "수정하십시오."))
        return False
    return done.ok


def _latest_schedule_event(round_: Round, subject: Subject):
    schedule = Schedule.objects.filter(round=round_, subject=subject).first()
    if schedule is None:
        return None
    return concurrency.events_for(schedule).select_related("actor").order_by("-id").first()


def _subject_page(round_id: int, subject_id: int):
    round_ = get_object_or_404(Round.objects.select_related("year"), pk=round_id)
    subject = get_object_or_404(Subject, pk=subject_id)
    schedule = Schedule.objects.filter(round=round_, subject=subject).first()
    return round_, subject, schedule


def _subject_context(round_, subject, schedule) -> dict:
    """The subject's windows and the trail of its schedule and windows."""
    items = (Window.objects.filter(round=round_, subject=subject)
             .select_related("round__year", "subject").order_by("opens_on", "code"))
    events = concurrency.events_for(*([schedule] if schedule else []), *items)
    return {"nav": "schedules", "round": round_, "subject": subject, "schedule": schedule,
            "windows": _window_rows(items, {}, windows.rules_of(round_)),
            "version": concurrency.version_of(schedule) if schedule else 0,
            "trail": _trail(events)}


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.SCHEDULES)
def schedule_edit(request, round_id: int, subject_id: int):
    """Create or change one subject's schedule; its windows follow (the page says which)."""
    round_, subject, schedule = _subject_page(round_id, subject_id)
    form = ScheduleForm(initial=_schedule_initial(schedule))
    status = 200
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            def save():
                set_schedule(round_, subject, form.schedule_input(
                    early=bool(schedule and schedule.early),
                    early_reason=schedule.early_reason if schedule else ""),
                    actor=request.user, reason=form.cleaned_data["reason"])
            if _save_guarded(request, form, round_, subject, schedule, save):
                messages.success(request, _("%(subject)s의 일정을 저장했습니다. 기한은 새 일정에 "
                                            "따라 다시 계산했습니다.") % {"subject": subject})
                return redirect("office:schedules_round", round_id=round_.pk)
        status = 400
    context = _subject_context(round_, subject, schedule)
    context["form"] = form
    return render(request, "office/schedules/edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.SCHEDULES)
def schedule_early(request, round_id: int, subject_id: int):
    """Early evaluation of a subject that withdraws: flag, reason, new dates; its
    windows are moved to the new dates."""
    round_, subject, schedule = _subject_page(round_id, subject_id)
    local = timezone.localtime(schedule.meeting_at) if schedule and schedule.meeting_at else None
    form = EarlyForm(initial={
        "reason": schedule.early_reason if schedule else "",
        "submission_due": schedule.submission_due if schedule else None,
        "meeting_date": local.date() if local else None,
        "meeting_time": local.time() if local else None,
        "place": schedule.place if schedule else ""})
    status = 200
    if request.method == "POST":
        form = EarlyForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            meeting = form.meeting_at()

            def save():
                base = schedule or Schedule()
                set_schedule(round_, subject, ScheduleInput(
                    project_year=base.project_year, period_start=base.period_start,
                    period_end=base.period_end, submission_due=d["submission_due"],
                    meeting_at=meeting, place=d["place"] or base.place, early=True,
                    early_reason=d["reason"]), actor=request.user, reason=d["reason"])
            if _save_guarded(request, form, round_, subject, schedule, save):
                messages.success(request, _("%(subject)s을(를) 조기 평가로 지정하고 기한을 새 "
                                            "일정으로 옮겼습니다.") % {"subject": subject})
                return redirect("office:schedules_round", round_id=round_.pk)
        status = 400
    context = _subject_context(round_, subject, schedule)
    context["form"] = form
    return render(request, "office/schedules/early.html", context, status=status)


@require_POST
@require(Perm.SCHEDULES)
def window_notice(request, window_id: int):
    """Record the day a window's notice went out; a late one extends the window."""
    window = get_object_or_404(Window.objects.select_related("round"), pk=window_id)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("office:schedules_round", round_id=window.round_id)
    before = window.due_on
    done = attempt(request, lambda fresh: windows.record_notice(
        fresh, form.cleaned_data["sent_on"], actor=request.user), window, tell=True)
    if done.ok:
        fresh = done.value
        if fresh.due_on != before:
            messages.success(request, _("안내가 늦게 발송되어 '%(what)s' 마감을 %(before)s에서 "
                                        "%(after)s(으)로 연장했습니다.") % {
                "what": fresh.label, "before": calendar.format_date(before),
                "after": calendar.format_date(fresh.due_on)})
        else:
            messages.success(request, _("안내 발송일을 기록했습니다."))
    return redirect("office:schedules_round", round_id=window.round_id)


# --- extra days off ---------------------------------------------------------------------

def _year(request) -> int:
    value = _int(request.GET.get("year"))
    today = windows.current_date()
    return value if value and windows.FIRST_YEAR <= value <= windows.LAST_YEAR else today.year


def _days_off_events():
    return AuditEvent.objects.filter(object_type="schedules.dayoff")


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.DAYS_OFF)
def days_off(request):
    """The office's extra days off of a year beside that year's public holidays; adding
    one counts again every open window it falls in (the page lists them)."""
    year = _year(request)
    form = DayOffForm()
    status = 200
    if request.method == "POST":
        form = DayOffForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            done = attempt(request, lambda _none: days_off_domain.add_day_off(
                d["date"], d["name"], d["reason"], actor=request.user), form=form)
            if done.ok:
                _day_off, moved = done.value
                _report_moved(request, _("%(day)s을(를) 추가 휴일로 지정했습니다.") % {
                    "day": calendar.format_date(d["date"])}, moved)
                return redirect(f"{request.path}?year={d['date'].year}")
        status = 400
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    extra = list(DayOff.objects.filter(date__range=(start, end)).select_related("created_by"))
    public = sorted((d, n) for d, n in windows.days_off(start, end).items()
                    if d not in {x.date for x in extra})
    versions = concurrency.versions_of(extra)
    return render(request, "office/schedules/days_off.html", {
        "nav": "schedules", "year": year, "form": form, "public": public,
        "extra": [(x, days_off_domain.affected_windows(x.date).count(), versions[x.pk])
                  for x in extra],
        "years": range(max(windows.FIRST_YEAR, year - 3), min(windows.LAST_YEAR, year + 3) + 1),
        "trail": _trail(_days_off_events(), limit=100),
    }, status=status)


def _report_moved(request, done: str, moved) -> None:
    if not moved:
        messages.success(request, done + " " + _("이 날에 걸린 진행 중인 기한은 없습니다."))
        return
    lines = "; ".join(f"{m.window}: {calendar.format_date(m.before)} → "
                      f"{calendar.format_date(m.after)}" for m in moved[:20])
    more = (" " + _("외 %(n)s건") % {"n": len(moved) - 20}) if len(moved) > 20 else ""
    messages.success(request, done + " " + _("기한 %(n)s건을 다시 계산했습니다: %(lines)s") % {
        "n": len(moved), "lines": lines} + more)


@require_POST
@require(Perm.DAYS_OFF)
def day_off_remove(request, pk: int):
    """Remove an extra day off, with a reason; the windows it fell in are counted again."""
    day_off = get_object_or_404(DayOff, pk=pk)
    form = ReasonForm(request.POST)
    target = f"{reverse('office:schedules_days_off')}?year={day_off.date.year}"
    if not form.is_valid():
        messages.error(request, _("삭제 사유를 적어 주십시오 (%(max)s자까지).") % {
            "max": DAY_OFF_REASON_MAX})
        return redirect(target)
    day = day_off.date
    done = attempt(request, lambda fresh: days_off_domain.remove_day_off(
        fresh, form.cleaned_data["reason"], actor=request.user), day_off, tell=True)
    if done.ok:
        _report_moved(request, _("%(day)s 추가 휴일을 삭제했습니다.") % {
            "day": calendar.format_date(day)}, done.value)
    return redirect(target)


