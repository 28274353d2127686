"""The office's extra days off (임시공휴일 announced at short notice, an office closure),
added and removed by officers with a reason.

A day off changes how working days are counted, so adding or removing one counts again
every window it falls in that is not closed yet (the period from its start, exclusive,
to its last day) — a window counted from a rule, whose counting is stored with it.
Windows with dates an officer set, and closed windows, do not move. Every change is
audited: the day off itself and each window moved, with the day as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from seonggwa.core.audit import record
from seonggwa.schedules.domain import calendar, windows
from seonggwa.schedules.domain.calendar import Counted
from seonggwa.schedules.domain.schedules import clean_text
from seonggwa.schedules.domain.windows import ScheduleRefused, check_date
from seonggwa.schedules.models import DayOff, Window, WindowState
from seonggwa.schedules.models.days_off import NAME_MAX, REASON_MAX


@dataclass(frozen=True)
class Moved:
    """A window counted again: its last day before and after."""

    window: Window
    before: date
    after: date


def affected_windows(day: date):
    """The windows not closed yet whose counting ``day`` falls in: counted from a rule,
    started before ``day`` and due on or after it."""
    return (Window.objects.exclude(state=WindowState.CLOSED)
            .filter(opens_on__lt=day, due_on__gte=day).exclude(counted={})
            .select_related("round__year", "subject").order_by("due_on", "pk"))


def _snapshot(day_off: DayOff) -> dict:
    return {"date": day_off.date, "name": day_off.name, "reason": day_off.reason}


@transaction.atomic
def add_day_off(day: date, name: str, reason: str, *, actor,
                actor_label: str = "") -> tuple[DayOff, list[Moved]]:
    """Add an extra day off and count again the windows it falls in."""
    day = check_date(day, _("날짜"))
    name = clean_text(name, _("이름"), max_length=NAME_MAX, required=True)
    reason = clean_text(reason, _("사유"), max_length=REASON_MAX, required=True)
    existing = DayOff.objects.filter(date=day).first()
    if existing is not None:
        raise ScheduleRefused(_("%(day)s은(는) 이미 추가 휴일(%(name)s)입니다.") % {
            "day": calendar.format_date(day), "name": existing.name})
    public = windows.days_off(day, day).get(day)
    if public:
        raise ScheduleRefused(_("%(day)s은(는) 이미 공휴일(%(name)s)입니다.") % {
            "day": calendar.format_date(day), "name": public})
    if calendar.weekend_name(day):
        raise ScheduleRefused(_("%(day)s은(는) %(weekday)s이라 이미 근무일이 아닙니다.") % {
            "day": calendar.format_date(day), "weekday": calendar.weekend_name(day)})
    day_off = DayOff.objects.create(date=day, name=name, reason=reason,
                                    created_by=actor if getattr(actor, "is_authenticated",
                                                                False) else None)
    record("day_off.add", day_off, actor=actor, actor_label=actor_label,
           after=_snapshot(day_off), reason=reason)
    why = _("추가 휴일 지정: %(day)s %(name)s") % {"day": calendar.format_date(day),
                                                "name": name}
    return day_off, _recount_all(day, actor=actor, actor_label=actor_label, reason=why)


@transaction.atomic
def remove_day_off(day_off: DayOff, reason: str, *, actor,
                   actor_label: str = "") -> list[Moved]:
    """Remove an extra day off (entered by mistake, or withdrawn) and count again the
    windows it fell in — their last day may come earlier."""
    reason = clean_text(reason, _("삭제 사유"), max_length=REASON_MAX, required=True)
    day_off = DayOff.objects.select_for_update().get(pk=day_off.pk)
    before = _snapshot(day_off)
    record("day_off.remove", day_off, actor=actor, actor_label=actor_label, before=before,
           reason=reason)
    day = day_off.date
    day_off.delete()
    why = _("추가 휴일 삭제: %(day)s %(name)s (%(reason)s)") % {
        "day": calendar.format_date(day), "name": before["name"], "reason": reason}
    return _recount_all(day, actor=actor, actor_label=actor_label, reason=why)


def _recount_all(day: date, *, actor, actor_label: str, reason: str) -> list[Moved]:
    moved = []
    for window in affected_windows(day).select_for_update(of=("self",)):
        before = window.due_on
        window = recount(window, actor=actor, actor_label=actor_label, reason=reason)
        if window.due_on != before:
            moved.append(Moved(window, before, window.due_on))
    return moved


def recount(window: Window, *, actor, actor_label: str = "", reason: str = "") -> Window:
    """Count the window's period again with today's days off, keeping any extension for
    a late notice; audited when its last day moves."""
    old = Counted.from_json(window.counted)
    fresh = windows.count(old.start, old.days, old.unit, start_label=old.start_label,
                          rule_label=old.rule_label, start_label_en=old.start_label_en)
    if old.extension is not None:
        fresh = windows.extended(fresh, old.extension.notice_due, old.extension.sent_on)
    before = windows.snapshot(window)
    window.due_on, window.counted = fresh.due, fresh.to_json()
    return windows.save(window, created=False, before=before, actor=actor,
                        actor_label=actor_label, reason=reason, action="window.recount")
