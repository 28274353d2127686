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

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from seonggwa.access.schedules import visible_schedules, visible_windows
from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Round, Scheme, Subject, SubjectKind
from seonggwa.office import trail
from seonggwa.schedules.domain import calendar, windows
from seonggwa.schedules.domain import days_off as days_off_domain
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
from seonggwa.schedules.models import DayOff, ProjectYear, Schedule, Window, WindowState
from seonggwa.schedules.models.days_off import NAME_MAX
from seonggwa.schedules.models.days_off import REASON_MAX as DAY_OFF_REASON_MAX
from seonggwa.schedules.models.schedule import PLACE_MAX, REASON_MAX

#: Subjects offered when adding a schedule (a round of a few hundred at most).
SUBJECT_CHOICES_MAX = 500

#: The audit actions of this part, in words (the trail shows these, never the codes).
ACTION_LABELS = {
    "schedule.create": gettext_lazy("평가 일정 등록"),
    "schedule.change": gettext_lazy("평가 일정 변경"),
    "schedule.early": gettext_lazy("조기 평가 지정"),
    "window.create": gettext_lazy("기한 설정"),
    "window.set": gettext_lazy("기한 변경"),
    "window.recount": gettext_lazy("기한 다시 계산"),
    "window.notice": gettext_lazy("안내 발송 기록"),
    "window.open": gettext_lazy("기한 시작"),
    "window.close": gettext_lazy("기한 마감"),
    "window.reopen": gettext_lazy("기한 다시 열기"),
    "window.postpone": gettext_lazy("기한 시작 미루기"),
    "day_off.add": gettext_lazy("추가 휴일 지정"),
    "day_off.remove": gettext_lazy("추가 휴일 삭제"),
}

#: Labels of snapshot keys that read better than the model field's name.
FIELD_LABELS = {"meeting_at": gettext_lazy("평가 회의 일시")}


def _require(perm: str):
    """Signed in and holding ``perm`` (no object), else login or 403."""
    def decorator(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
        return wrapped
    return decorator


staff_required = _require("office.view_office")
officer_required = _require("schedules.change_schedule")
days_off_required = _require("schedules.manage_days_off")


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- forms ---------------------------------------------------------------------------

def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}))


class ScheduleForm(forms.Form):
    project_year = forms.TypedChoiceField(
        label=gettext_lazy("사업 연차"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("해당 없음")), *ProjectYear.choices])
    period_start = _date_field(gettext_lazy("평가 대상 기간 시작"))
    period_end = _date_field(gettext_lazy("평가 대상 기간 끝"),
                             help_text=gettext_lazy("1년차: 사업 시작부터 기준일까지, 2년차: 지난 "
                                                    "평가 이후(미반영 기간 포함)부터 기준일까지"))
    submission_due = _date_field(gettext_lazy("자료 제출 기한"),
                                 help_text=gettext_lazy("이 날까지 제출하면 기한 안입니다."))
    meeting_date = _date_field(gettext_lazy("평가 회의 날짜"),
                               help_text=gettext_lazy("통보·보고서 기한은 이 날짜부터 계산합니다."))
    meeting_time = forms.TimeField(label=gettext_lazy("평가 회의 시각"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=gettext_lazy("장소"), required=False, max_length=PLACE_MAX)
    reason = forms.CharField(label=gettext_lazy("변경 사유"), required=False,
                             max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("이미 정한 일정을 바꿀 때 적습니다. 변경 "
                                                    "이력에 남습니다."))

    def clean(self):
        data = super().clean()
        if data.get("meeting_time") and not data.get("meeting_date"):
            self.add_error("meeting_date", _("회의 시각을 적으려면 날짜도 적어 주십시오."))
        return data

    def meeting_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("meeting_date"), self.cleaned_data.get("meeting_time")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time or dt.time(0, 0)))

    def schedule_input(self, *, early: bool = False, early_reason: str = "") -> ScheduleInput:
        d = self.cleaned_data
        return ScheduleInput(project_year=d.get("project_year"),
                             period_start=d.get("period_start"), period_end=d.get("period_end"),
                             submission_due=d.get("submission_due"), meeting_at=self.meeting_at(),
                             place=d.get("place") or "", early=early,
                             early_reason=early_reason)


class EarlyForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("조기 평가 사유"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("예: 사업 중도 포기(2018. 5. 31. 협약 해지)"))
    submission_due = _date_field(gettext_lazy("자료 제출 기한"), required=True)
    meeting_date = _date_field(gettext_lazy("평가 회의 날짜"), required=True)
    meeting_time = forms.TimeField(label=gettext_lazy("평가 회의 시각"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=gettext_lazy("장소"), required=False, max_length=PLACE_MAX)


class DayOffForm(forms.Form):
    date = _date_field(gettext_lazy("날짜"), required=True)
    name = forms.CharField(label=gettext_lazy("이름"), max_length=NAME_MAX,
                           help_text=gettext_lazy("예: 임시공휴일(국군의 날)"))
    reason = forms.CharField(label=gettext_lazy("사유"), max_length=DAY_OFF_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("예: 국무회의 의결(관보 게재일)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("사유"), max_length=DAY_OFF_REASON_MAX)


class RoundWindowForm(forms.Form):
    opens_on = _date_field(gettext_lazy("제출 시작일"), required=True)
    due_on = _date_field(gettext_lazy("제출 마감일"), required=True,
                         help_text=gettext_lazy("이 날까지 제출하면 기한 안입니다."))
    reason = forms.CharField(label=gettext_lazy("사유"), required=False, max_length=REASON_MAX,
                             help_text=gettext_lazy("이미 정한 기한을 바꿀 때 적습니다."))


class NoticeForm(forms.Form):
    sent_on = _date_field(gettext_lazy("안내 발송일"), required=True)


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
        label = str(FIELD_LABELS[key]) if key in FIELD_LABELS else trail.field_label(model, key)
        changes.append(trail.Change(label, _value(key, before.get(key)) if before else "",
                                    _value(key, after.get(key))))
    what = ACTION_LABELS.get(event.action) or trail.ACTIONS.get(event.action, _("변경"))
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
@staff_required
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
@staff_required
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
    try:
        with transaction.atomic():
            concurrency.check(_round_window_events(round_), concurrency.posted(request.POST))
            windows.set_window(round_, None, "submission", opens_on=d["opens_on"],
                               due_on=d["due_on"], actor=request.user, reason=d["reason"])
    except concurrency.StaleEdit as exc:
        form.add_error(None, exc.message)
        return False
    except ValidationError as exc:
        for message in _messages_of(exc):
            form.add_error(None, message)
        return False
    messages.success(request, _("차수 전체의 자료 제출 기한을 저장했습니다."))
    return True


@require_POST
@officer_required
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
    loaded = concurrency.posted(request.POST)
    try:
        if schedule is None:
            if loaded not in (0, None) or Schedule.objects.filter(
                    round=round_, subject=subject).exists():
                raise concurrency.StaleEdit(_latest_schedule_event(round_, subject))
            with transaction.atomic():
                save()
        else:
            with concurrency.guarded(loaded, schedule):
                save()
    except concurrency.StaleEdit as exc:
        form.add_error(None, exc.message)
        return False
    except IntegrityError:
        form.add_error(None, _("그사이 다른 사람이 이 대상의 일정을 등록했습니다. 다시 불러온 뒤 "
                               "수정하십시오."))
        return False
    except ValidationError as exc:
        for message in _messages_of(exc):
            form.add_error(None, message)
        return False
    return True


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
@officer_required
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
@officer_required
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
            meeting = timezone.make_aware(dt.datetime.combine(
                d["meeting_date"], d["meeting_time"] or dt.time(0, 0)))

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
@officer_required
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
    try:
        with concurrency.guarded(concurrency.posted(request.POST), window) as fresh:
            fresh = windows.record_notice(fresh, form.cleaned_data["sent_on"],
                                          actor=request.user)
    except concurrency.StaleEdit as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    else:
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
@days_off_required
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
            try:
                _day_off, moved = days_off_domain.add_day_off(d["date"], d["name"], d["reason"],
                                                              actor=request.user)
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
            else:
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
@days_off_required
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
    try:
        with concurrency.guarded(concurrency.posted(request.POST), day_off) as fresh:
            moved = days_off_domain.remove_day_off(fresh, form.cleaned_data["reason"],
                                                   actor=request.user)
    except concurrency.StaleEdit as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    else:
        _report_moved(request, _("%(day)s 추가 휴일을 삭제했습니다.") % {
            "day": calendar.format_date(day)}, moved)
    return redirect(target)


