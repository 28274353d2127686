"""A subject's schedule in a round, and the windows that follow from it.

:func:`set_schedule` is the one write path: it checks every field, writes the audit
record (before, after, why) and keeps the subject's windows in step — the submission
window ends on the schedule's submission due date, and the windows the framework counts
from the meeting (notification, report) are counted from the meeting date. A window
already closed is history and is not moved.

An early evaluation (a subject that withdraws mid-project, 서대문구 in 2018) is the same
write with ``early=True`` and a reason: its meeting and submission due move, and its
windows with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.core.audit import record
from seonggwa.evaluations.models import Round, Subject
from seonggwa.schedules.domain import windows
from seonggwa.schedules.domain.windows import ScheduleRefused, check_date
from seonggwa.schedules.models import ProjectYear, Schedule, Window, WindowState
from seonggwa.schedules.models.schedule import PLACE_MAX, REASON_MAX

SUBMISSION = "submission"
MEETING = "meeting"


@dataclass(frozen=True)
class ScheduleInput:
    """What an officer enters for one subject (``None``: not decided yet)."""

    project_year: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    submission_due: date | None = None
    meeting_at: datetime | None = None
    place: str = ""
    early: bool = False
    early_reason: str = ""


def clean_text(value: Any, what: str, *, max_length: int, required: bool = False) -> str:
    """``value`` stripped, refused (:class:`ScheduleRefused`) when too long, when it
    holds a NUL or other control character, or when required and empty."""
    text = str(value or "").strip()
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise ScheduleRefused(_("%(what)s에 쓸 수 없는 제어 문자가 들어 있습니다.") % {"what": what})
    if len(text) > max_length:
        raise ScheduleRefused(_("%(what)s은(는) %(max)s자까지 쓸 수 있습니다 (%(n)s자).") % {
            "what": what, "max": max_length, "n": len(text)})
    if required and not text:
        raise ScheduleRefused(_("%(what)s을(를) 적어 주십시오.") % {"what": what})
    return text


def _checked(data: ScheduleInput) -> ScheduleInput:
    if data.project_year not in (None, *ProjectYear.values):
        raise ScheduleRefused(_("사업 연차는 1년차 또는 2년차입니다."))
    for value, what in ((data.period_start, _("평가 대상 기간 시작")),
                        (data.period_end, _("평가 대상 기간 끝")),
                        (data.submission_due, _("자료 제출 기한"))):
        if value is not None:
            check_date(value, what)
    if data.meeting_at is not None:
        if not isinstance(data.meeting_at, datetime) or timezone.is_naive(data.meeting_at):
            raise ScheduleRefused(_("평가 회의 일시: 날짜와 시각이 아닙니다."))
        check_date(timezone.localdate(data.meeting_at), _("평가 회의 일시"))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ScheduleRefused(_("평가 대상 기간의 끝(%(end)s)이 시작(%(start)s)보다 앞섭니다.") % {
            "end": data.period_end.isoformat(), "start": data.period_start.isoformat()})
    place = clean_text(data.place, _("장소"), max_length=PLACE_MAX)
    reason = clean_text(data.early_reason, _("조기 평가 사유"), max_length=REASON_MAX,
                        required=data.early)
    return ScheduleInput(data.project_year, data.period_start, data.period_end,
                         data.submission_due, data.meeting_at, place, data.early,
                         reason if data.early else "")


def snapshot(schedule: Schedule) -> dict[str, Any]:
    return {"project_year": schedule.project_year, "period_start": schedule.period_start,
            "period_end": schedule.period_end, "submission_due": schedule.submission_due,
            "meeting_at": (timezone.localtime(schedule.meeting_at).strftime("%Y-%m-%d %H:%M")
                           if schedule.meeting_at else None),
            "place": schedule.place, "early": schedule.early,
            "early_reason": schedule.early_reason}


def meeting_date(schedule: Schedule) -> date | None:
    return timezone.localdate(schedule.meeting_at) if schedule.meeting_at else None


@transaction.atomic
def set_schedule(round_: Round, subject: Subject, data: ScheduleInput, *, actor,
                 actor_label: str = "", reason: str = "") -> Schedule:
    """Create or change the subject's schedule in the round; its windows follow.
    Changing a schedule that exists needs a reason (it moves deadlines people rely on)."""
    data = _checked(data)
    reason = clean_text(reason, _("변경 사유"), max_length=REASON_MAX)
    schedule = (Schedule.objects.select_for_update()
                .filter(round=round_, subject=subject).first())
    created = schedule is None
    if created:
        schedule = Schedule(round=round_, subject=subject)
    before = None if created else snapshot(schedule)
    for name, value in data.__dict__.items():
        setattr(schedule, name, value)
    after = snapshot(schedule)
    if before == after:
        return schedule
    if not created and not reason and not data.early:
        raise ScheduleRefused(_("이미 정한 일정을 바꾸려면 변경 사유를 적어 주십시오."))
    why = reason or data.early_reason
    schedule.save()
    action = ("schedule.create" if created else
              "schedule.early" if data.early and not before["early"] else "schedule.change")
    record(action, schedule, actor=actor, actor_label=actor_label, before=before,
           after=after, reason=why)
    follow_schedule(schedule, actor=actor, actor_label=actor_label, reason=why)
    return schedule


def _open_or_scheduled(window: Window | None) -> bool:
    return window is None or window.state != WindowState.CLOSED


def follow_schedule(schedule: Schedule, *, actor, actor_label: str = "",
                    reason: str = "") -> list[Window]:
    """Bring the subject's windows in step with its schedule (closed windows stay);
    ``reason`` (why the schedule changed) goes into the trail of each window moved."""
    changed: list[Window] = []
    round_, subject = schedule.round, schedule.subject
    if schedule.submission_due is not None:
        window = windows.get_window(round_, subject, SUBMISSION)
        own = window if window is not None and window.subject_id == subject.pk else None
        if _open_or_scheduled(own) and (own is None or own.due_on != schedule.submission_due):
            opens = _submission_opens(schedule, window)
            changed.append(windows.set_window(
                round_, subject, SUBMISSION, opens_on=opens, due_on=schedule.submission_due,
                actor=actor, actor_label=actor_label,
                reason=reason or _("평가 일정의 자료 제출 기한"),
                label=windows.window_label(round_, SUBMISSION)))
    meeting = meeting_date(schedule)
    if meeting is not None:
        for rule in windows.rules_of(round_).values():
            if rule.start != MEETING:
                continue
            current = windows.get_window(round_, subject, rule.code)
            current = current if current and current.subject_id == subject.pk else None
            if _open_or_scheduled(current) and (current is None
                                                or current.opens_on != meeting):
                changed.append(windows.open_rule_window(round_, subject, rule.code,
                                                        start=meeting, actor=actor,
                                                        actor_label=actor_label,
                                                        reason=reason or _("평가 회의일부터 계산")))
    return changed


def _submission_opens(schedule: Schedule, window: Window | None) -> date:
    """When the subject may start submitting: as the window it has (its own or the
    round's) says, else from the end of the evaluated period, else from the due date
    itself — never after the due date."""
    due = schedule.submission_due
    opens = (window.opens_on if window is not None
             else schedule.period_end or due)
    return min(opens, due)
