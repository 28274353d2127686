"""Windows: when something may be done, counted from the framework's rules, enforced,
and opened and closed by the scheduler.

- :func:`open_rule_window` — a window counted from a rule of the framework's
  ``process.deadlines`` (``objection``: 7 working days from the notification);
- :func:`set_window` — a window with dates an officer sets (a round's submission deadline);
- :func:`get_window` / :func:`require_open` — the check every act makes before it acts;
- :func:`record_notice` — the day the notice of a window went out: late, the window is
  prolonged by the delay;
- :func:`tick` — the scheduler's sweep: opens windows whose day has come and closes those
  past their last day, sending :mod:`seonggwa.schedules.signals`.

The due date is the last day on which the act is in time; a window closes at the end of
that day (Asia/Seoul). :func:`require_open` decides by the dates, not by the state the
scheduler last wrote, so an act is judged right even if the scheduler is behind.

Every change writes an audit record (before, after, why); state changes go through the
window's state machine (:mod:`seonggwa.schedules.domain.lifecycle`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seonggwa.core import language
from seonggwa.core.audit import record
from seonggwa.evaluations.models import Round, Subject
from seonggwa.schedules import signals
from seonggwa.schedules.domain import calendar
from seonggwa.schedules.domain.calendar import Counted
from seonggwa.schedules.domain.lifecycle import WINDOW
from seonggwa.schedules.models import DayOff, Window, WindowState

#: Years with public-holiday data (the ``holidays`` package computes the lunar holidays
#: — 설날, 추석 — up to 2100); dates outside are refused rather than counted wrongly.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: The section of the framework document this module reads.
SECTION = "deadlines"
#: The actor label of the scheduler in the audit trail.
TICK_ACTOR = "기한 자동 처리"

#: Names of the starts a rule may count from, besides another rule's window (Korean,
#: English).
START_LABELS = {"meeting": ("평가 회의일", "the panel meeting")}
#: Labels of the windows other parts open, for a window whose framework has no rule of
#: that name (a fixed date set by an officer): Korean, English.
KNOWN_LABELS = {"submission": ("자료 제출", "Submission"),
                "notification": ("평가결과 통보", "Notification of the result"),
                "objection": ("이의 제기", "Objection"),
                "report": ("성과평가 보고서", "Evaluation report")}


class ScheduleRefused(ValidationError):
    """A change of schedules, windows or days off that may not happen; the message says
    why and nothing changed."""


class DeadlineRefused(ValidationError):
    """An act outside its window: not open yet, closed (saying when and how that day was
    counted), or no window at all."""


def current_date() -> date:
    """Today in Asia/Seoul: the day every "still in time?" is judged on (one place, so
    tests can set the day)."""
    return timezone.localdate()


# --- days off ------------------------------------------------------------------------

@functools.lru_cache(maxsize=128)
def _public_holidays(year: int, language: str = "ko") -> tuple[tuple[date, str], ...]:
    # Substitute holidays (대체 휴일) and election days included.
    found = holidays.country_holidays("KR", years=year, language=language)
    return tuple(sorted(found.items()))


def _english_name(day: date, name: str) -> str:
    """The English name of a public holiday named ``name`` (Korean) on ``day``; other
    names (the office's extra days off, weekdays) as they are."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return name
    korean = dict(_public_holidays(day.year))
    if korean.get(day) != name:
        return {"토요일": "Saturday", "일요일": "Sunday"}.get(name, name)
    return dict(_public_holidays(day.year, "en_US")).get(day, name)


def days_off(start: date, end: date) -> dict[date, str]:
    """Every day off from ``start`` to ``end`` (inclusive) besides weekends: Korean public
    holidays (``holidays`` package) and the officer-edited extra days off, which win when
    both name the same day."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update((d, name) for d, name in _public_holidays(year) if start <= d <= end)
    found.update(DayOff.objects.filter(date__range=(start, end)).values_list("date", "name"))
    return found


def check_date(value: Any, what: str) -> date:
    """``value`` if it is a date in the supported years, else :class:`ScheduleRefused`."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ScheduleRefused(_("%(what)s: 날짜가 아닙니다.") % {"what": what})
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ScheduleRefused(
            _("%(what)s: %(first)s년부터 %(last)s년까지의 날짜만 쓸 수 있습니다 "
              "(공휴일 자료가 있는 기간).") % {"what": what, "first": FIRST_YEAR,
                                             "last": LAST_YEAR})
    return value


def count(start: date, days: int, unit: str, *, start_label: str = "",
          rule_label: str = "", start_label_en: str = "") -> Counted:
    """:func:`calendar.count_days` with this office's days off, widening the range read
    until it covers the whole period (a long run of extra days off pushes the end out)."""
    span = 2 * days + 31
    while True:
        end = start + timedelta(days=span)
        counted = calendar.count_days(start, days, unit=unit, days_off=days_off(start, end),
                                      start_label=start_label, rule_label=rule_label,
                                      start_label_en=start_label_en)
        if counted.due < end:
            return counted
        span *= 2


def extended(counted: Counted, notice_due: date, sent_on: date) -> Counted:
    """``counted`` prolonged for a notice due on ``notice_due`` and sent on ``sent_on``,
    with this office's days off (:func:`calendar.extend`)."""
    base_due = counted.extension.previous_due if counted.extension else counted.due
    horizon = base_due + timedelta(days=2 * max((sent_on - notice_due).days, 0) + 62)
    return calendar.extend(counted, notice_due=notice_due, sent_on=sent_on,
                           days_off=days_off(min(notice_due, counted.start), horizon))


# --- rules of the framework ----------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    days: int
    unit: str
    start: str  # "meeting" or the code of the rule whose window it counts from
    label_en: str = ""


def rules_of(round_: Round) -> dict[str, Rule]:
    """The deadline rules of the round's framework, by code (none: no rule windows; a
    framework without the section counts nothing and only fixed dates apply)."""
    from seonggwa.evaluations.domain.frameworks import framework_for

    if round_.framework_version_id is None:
        return {}
    section = framework_for(round_).process.get(SECTION) or {}
    unit = section.get("unit", calendar.WORKING)
    return {r["code"]: Rule(code=r["code"], label=r.get("label", r["code"]),
                            days=int(r["days"]), unit=r.get("unit", unit), start=r["from"],
                            label_en=r.get("label_en", ""))
            for r in section.get("rules", ())}


def window_label(round_: Round, code: str) -> str:
    """The Korean name of window ``code`` in the round ("" when nobody named it)."""
    rule = rules_of(round_).get(code)
    if rule is not None:
        return rule.label
    return KNOWN_LABELS.get(code, ("", ""))[0]


def display_label(window: Window, rules: Mapping[str, Rule], lang: str | None = None) -> str:
    """The window's name in the page's language (``rules``: its round's, read once per
    page)."""
    if (lang or language.lang()) != "en":
        return window.label
    rule = rules.get(window.code)
    return ((rule.label_en if rule else "") or KNOWN_LABELS.get(window.code, ("", ""))[1]
            or window.label)


def _start_labels(rules: Mapping[str, Rule], rule: Rule) -> tuple[str, str]:
    if rule.start in START_LABELS:
        return START_LABELS[rule.start]
    source = rules.get(rule.start)
    if source is None:
        return "", ""
    return f"{source.label}일", f"the {source.label_en.lower()}" if source.label_en else ""


# --- reading -------------------------------------------------------------------------

def get_window(round_: Round, subject: Subject | None, code: str) -> Window | None:
    """The subject's window ``code`` in the round, else the round-wide one."""
    if subject is not None:
        own = Window.objects.filter(round=round_, subject=subject, code=code).first()
        if own is not None:
            return own
    return Window.objects.filter(round=round_, code=code, subject__isnull=True).first()


def state_on(window: Window, today: date) -> str:
    """The state the window's dates give on ``today``."""
    if today < window.opens_on:
        return WindowState.SCHEDULED
    if today > window.due_on:
        return WindowState.CLOSED
    return WindowState.OPEN


def explain(window: Window, lang: str | None = None) -> str:
    """How the window's due date was set, in words: the counting of its rule, or the
    officer's date and reason; with any extension for a late notice."""
    lang = lang or language.lang()
    data = window.counted or {}
    if "start" in data:
        counted = Counted.from_json(data)
        if lang == "en":
            counted = replace(counted, skipped=tuple(
                (day, _english_name(day, name)) for day, name in counted.skipped))
        return counted.explain(lang)
    due = calendar.format_date(window.due_on, lang)
    text = _("지정된 마감 %(due)s") % {"due": due}
    if window.reason:
        text += f" ({window.reason})"
    ext = data.get("extension")
    if ext:
        text += _(", 안내가 %(notice_due)s보다 %(delay)s일 늦은 %(sent)s에 발송되어 당초 마감 "
                  "%(previous)s에서 연장") % {
            "notice_due": calendar.format_date(date.fromisoformat(ext["notice_due"]), lang),
            "delay": ext["delay"],
            "sent": calendar.format_date(date.fromisoformat(ext["sent_on"]), lang),
            "previous": calendar.format_date(date.fromisoformat(ext["previous_due"]), lang)}
    return text


def require_open(round_: Round, subject: Subject | None, code: str, *,
                 today: date | None = None) -> Window:
    """The open window ``code`` for the subject (or the round), else
    :class:`DeadlineRefused` saying why: no such window, not open yet, or closed — when
    and how its last day was counted."""
    today = today or current_date()
    window = get_window(round_, subject, code)
    label = window.label if window else (window_label(round_, code) or _("이 작업"))
    if window is None:
        raise DeadlineRefused(_("'%(what)s' 기한이 아직 정해지지 않았습니다. 담당관에게 "
                                "문의하십시오.") % {"what": label})
    lang = language.lang()
    if today < window.opens_on:
        raise DeadlineRefused(_("'%(what)s'은(는) %(opens)s부터 할 수 있습니다.") % {
            "what": label, "opens": calendar.format_date(window.opens_on, lang)})
    if today > window.due_on:
        raise DeadlineRefused(_("'%(what)s' 기한이 %(due)s에 끝났습니다. 계산: %(how)s") % {
            "what": label, "due": calendar.format_date(window.due_on, lang),
            "how": explain(window, lang)})
    return window


# --- writing -------------------------------------------------------------------------

def snapshot(window: Window) -> dict[str, Any]:
    """The window as the audit trail records it (with its explanation in Korean, the
    language of the record, whichever language the officer reads)."""
    with translation.override("ko"):
        explanation = explain(window, "ko")
    return {"label": window.label, "opens_on": window.opens_on, "due_on": window.due_on,
            "unit": window.unit, "notice_sent_on": window.notice_sent_on,
            "reason": window.reason, "counted": explanation}


def settle(window: Window, *, today: date | None = None, actor=None, actor_label: str = "",
           reason: str = "") -> Window:
    """Move the window to the state its dates give today (if not already there), through
    the state machine, and send the signal of an opening or closing."""
    today = today or current_date()
    target = state_on(window, today)
    if target == window.state:
        return window
    name = {WindowState.OPEN: "reopen" if window.state == WindowState.CLOSED else "open",
            WindowState.CLOSED: "close", WindowState.SCHEDULED: "postpone"}[target]
    window.closed_at = timezone.now() if target == WindowState.CLOSED else None
    default = {WindowState.OPEN: _("시작일이 지남"), WindowState.CLOSED: _("마감일이 지남"),
               WindowState.SCHEDULED: _("시작일이 아직 오지 않음")}[target]
    WINDOW.fire(window, name, actor=actor, actor_label=actor_label,
                reason=reason or default, update_fields=("closed_at",))
    if target == WindowState.CLOSED:
        signals.window_closed.send(sender=Window, window=window)
    elif target == WindowState.OPEN:
        signals.window_opened.send(sender=Window, window=window)
    return window


def save(window: Window, *, created: bool, before: dict | None, actor, actor_label: str,
         reason: str, action: str) -> Window:
    """Save a new or changed window, audit the change (nothing when nothing changed) and
    settle its state on today's date."""
    window.full_clean(exclude=["round", "subject"], validate_unique=False,
                      validate_constraints=False)
    window.save()
    after = snapshot(window)
    if created or before != after:
        record(action if not created else "window.create", window, actor=actor,
               actor_label=actor_label, before=None if created else before, after=after,
               reason=reason)
    return settle(window, actor=actor, actor_label=actor_label, reason=reason)


def _existing(round_: Round, subject: Subject | None, code: str) -> Window | None:
    qs = Window.objects.select_for_update().filter(round=round_, code=code)
    return (qs.filter(subject=subject) if subject else qs.filter(subject__isnull=True)).first()


def open_rule_window(round_: Round, subject: Subject | None, code: str, *, start: date,
                     actor, actor_label: str = "", reason: str = "") -> Window:
    """The window of rule ``code`` of the round's framework, counted from ``start`` (the
    meeting, the notification…): opens on ``start``, due on the rule's last day. An
    existing window of that code is counted again from ``start`` (``reason``: why, for
    the audit trail)."""
    start = check_date(start, _("기산일"))
    rules = rules_of(round_)
    rule = rules.get(code)
    if rule is None:
        raise ScheduleRefused(_("이 차수의 평가틀에는 '%(what)s' 기한 규칙이 없습니다.") % {
            "what": KNOWN_LABELS.get(code, (_("해당"),))[0]})
    start_ko, start_en = _start_labels(rules, rule)
    counted = count(start, rule.days, rule.unit, start_label=start_ko, rule_label=rule.label,
                    start_label_en=start_en)
    with transaction.atomic():
        window = _existing(round_, subject, code)
        created = window is None
        before = None if created else snapshot(window)
        if created:
            window = Window(round=round_, subject=subject, code=code)
        if window.notice_sent_on and window.notice_sent_on > start:
            counted = extended(counted, start, window.notice_sent_on)  # a late notice stays
        check_date(counted.due, _("마감일"))
        window.label, window.opens_on, window.due_on = rule.label, start, counted.due
        window.unit, window.counted, window.reason = rule.unit, counted.to_json(), ""
        return save(window, created=created, before=before, actor=actor,
                     actor_label=actor_label, reason=reason or _("규칙에 따라 계산"),
                     action="window.recount")


def set_window(round_: Round, subject: Subject | None, code: str, *, opens_on: date,
               due_on: date, actor, actor_label: str = "", reason: str = "",
               label: str = "") -> Window:
    """A window with dates an officer (or a loader) sets: open from ``opens_on`` to
    ``due_on`` inclusive. A change of an existing window's dates needs a reason.
    ``label`` names a window the framework's rules and the known codes do not."""
    opens_on = check_date(opens_on, _("시작일"))
    due_on = check_date(due_on, _("마감일"))
    if due_on < opens_on:
        raise ScheduleRefused(_("마감일(%(due)s)이 시작일(%(opens)s)보다 앞설 수 없습니다.") % {
            "due": due_on.isoformat(), "opens": opens_on.isoformat()})
    reason = (reason or "").strip()
    with transaction.atomic():
        window = _existing(round_, subject, code)
        created = window is None
        if not created and not reason and (window.opens_on, window.due_on) != (opens_on,
                                                                               due_on):
            raise ScheduleRefused(_("이미 정한 기한의 날짜를 바꾸려면 사유가 필요합니다."))
        before = None if created else snapshot(window)
        if created:
            name = (label or "").strip() or window_label(round_, code)
            if not name:
                raise ScheduleRefused(_("기한 이름이 필요합니다."))
            window = Window(round=round_, subject=subject, code=code, label=name)
        window.opens_on, window.due_on, window.unit = opens_on, due_on, calendar.CALENDAR
        window.counted, window.reason = {}, reason
        return save(window, created=created, before=before, actor=actor,
                     actor_label=actor_label, reason=reason, action="window.set")


def _is_notice_itself(window: Window) -> bool:
    """Whether the window's act is itself the notice other windows count from
    (``notification``: the objection window counts from it)."""
    return any(rule.start == window.code for rule in rules_of(window.round).values())


def record_notice(window: Window, sent_on: date, *, actor, actor_label: str = "") -> Window:
    """The notice of ``window`` went out on ``sent_on``.

    The notice is due on the day the window opens: the people who act cannot use days
    nobody told them about. Sent later, the window's last day moves by the delay,
    counted in the window's unit (issue 9 §2); the explanation says so. A second notice
    replaces the first (the extension is counted again from the first due date).

    A window whose act is itself the notice other windows count from (``notification``,
    from which ``objection`` counts) only records the day it was done: the windows that
    count from it are opened from that day (``open_rule_window(..., start=sent_on)``),
    so a late notification already gives the organisation its full period."""
    sent_on = check_date(sent_on, _("발송일"))
    if sent_on > current_date():
        raise ScheduleRefused(_("발송일(%(day)s)이 오늘 이후입니다.") % {"day": sent_on.isoformat()})
    with transaction.atomic():
        window = Window.objects.select_for_update().select_related("round").get(pk=window.pk)
        before = snapshot(window)
        window.notice_sent_on = sent_on
        reason = _("안내 발송 기록")
        if not _is_notice_itself(window):
            window.due_on, window.counted = _prolonged(window, sent_on)
            if window.due_on != before["due_on"]:
                reason = _("안내가 늦게 발송되어 기한 연장")
        return save(window, created=False, before=before, actor=actor,
                     actor_label=actor_label, reason=reason, action="window.notice")


def _prolonged(window: Window, sent_on: date) -> tuple[date, dict]:
    """The due date and counting of ``window`` with a notice sent on ``sent_on``."""
    data = window.counted or {}
    if "start" in data:
        counted = extended(Counted.from_json(data), window.opens_on, sent_on)
        return counted.due, counted.to_json()
    ext = data.get("extension")
    base_due = date.fromisoformat(ext["previous_due"]) if ext else window.due_on
    unit = window.unit
    horizon = base_due + timedelta(days=2 * max((sent_on - window.opens_on).days, 0) + 62)
    off = days_off(window.opens_on, horizon)
    delay = calendar.delay_between(window.opens_on, sent_on, unit=unit, days_off=off)
    if delay == 0:
        return base_due, {}
    # A fixed date moves by the delay as it was given: calendar days unless its unit says
    # working days; the new last day is not moved again off a holiday.
    due = (base_due + timedelta(days=delay) if unit == calendar.CALENDAR else
           calendar.count_days(base_due, delay, unit=unit, days_off=off).due)
    return due, {"extension": {"notice_due": window.opens_on.isoformat(),
                               "sent_on": sent_on.isoformat(), "delay": delay,
                               "previous_due": base_due.isoformat()}}


# --- the scheduler -------------------------------------------------------------------

@dataclass
class TickReport:
    """What one sweep did, as of ``today`` (Asia/Seoul)."""

    today: date
    opened: list[Window] = field(default_factory=list)
    closed: list[Window] = field(default_factory=list)

    def lines(self, limit: int = 50) -> list[str]:
        """One line per window opened or closed (at most ``limit`` of each), Korean."""
        out = [_("%(today)s 기준: 시작 %(opened)s건, 마감 %(closed)s건") % {
            "today": self.today.isoformat(), "opened": len(self.opened),
            "closed": len(self.closed)}]
        for title, windows in ((_("시작"), self.opened), (_("마감"), self.closed)):
            out += [f"  {title}: {w} ({w.opens_on.isoformat()} ~ {w.due_on.isoformat()})"
                    for w in windows[:limit]]
            if len(windows) > limit:
                out.append("  " + _("%(title)s: 외 %(n)s건") % {"title": title,
                                                                "n": len(windows) - limit})
        return out


def _for_sweep(qs):
    """Rows of a sweep, locked; rows another sweep holds are skipped (where the database
    can), so two ticks at once never move the same window twice."""
    qs = qs.select_related("round__year", "subject").order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs.select_for_update()


def tick(now: datetime | None = None) -> TickReport:
    """Open the windows whose first day has come and close those past their last day
    (as of ``now``'s date in Asia/Seoul); each change audited by the state machine with
    the actor "tick", each sends its signal. Running it again changes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = TickReport(today=today)
    with transaction.atomic():
        report.opened = list(_for_sweep(Window.objects.filter(
            state=WindowState.SCHEDULED, opens_on__lte=today, due_on__gte=today)))
        report.closed = list(_for_sweep(Window.objects.filter(
            state__in=(WindowState.SCHEDULED, WindowState.OPEN), due_on__lt=today)))
        WINDOW.fire_many(report.opened, "open", actor_label=TICK_ACTOR)
        WINDOW.fire_many(report.closed, "close", actor_label=TICK_ACTOR)
        closed_ids = [w.pk for w in report.closed]
        for i in range(0, len(closed_ids), 900):
            Window.objects.filter(pk__in=closed_ids[i:i + 900]).update(closed_at=now)
        for window in report.opened:
            signals.window_opened.send(sender=Window, window=window)
        for window in report.closed:
            window.closed_at = now
            signals.window_closed.send(sender=Window, window=window)
    return report
