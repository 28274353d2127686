"""Counting a period of days the way Korean administration counts it (pure, no Django).

The rules, each from Korean law, and stated in every explanation so nobody has to guess:

- **The first day is not counted** (민법 제157조 초일 불산입): "within 7 days of the
  notification" counts from the day after the notification. A period counted from a
  meeting or a notice therefore never ends on the day it starts.
- **Working days** (``unit="working"``): Saturdays, Sundays, public holidays (with
  substitute holidays) and the office's extra days off are not counted (민원 처리에 관한
  법률 제19조 reads 처리기간 so).
- **Calendar days** (``unit="calendar"``): every day counts, but a period whose last day
  is a Saturday, Sunday or day off ends on the next working day (민법 제161조).
- The due date is the **last day on which the act is still in time**; the day after it is
  late.

Which days are off is the caller's input (``days_off``: date → name), so this module
stays pure and testable; :func:`seonggwa.schedules.domain.windows.days_off` builds it from
the ``holidays`` package and the officer-edited table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

CALENDAR, WORKING = "calendar", "working"
UNITS = (CALENDAR, WORKING)
#: Longest period counted (ten years of days): a rule beyond it is a typo, and counting
#: must stay far from the end of the calendar (year 9999).
MAX_DAYS = 3660

_WEEKDAYS_KO = "월화수목금토일"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKEND_KO = {5: "토요일", 6: "일요일"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")


def weekend_name(day: date) -> str:
    """``"토요일"`` / ``"일요일"`` for a weekend day, else ``""``."""
    return _WEEKEND_KO.get(day.weekday(), "")


def is_day_off(day: date, days_off: Mapping[date, str]) -> bool:
    return day.weekday() >= 5 or day in days_off


def off_reason(day: date, days_off: Mapping[date, str]) -> str:
    """Why ``day`` is not a working day: the holiday's name if it has one, else the
    weekday (a holiday on a Sunday is named by the holiday)."""
    return days_off.get(day) or weekend_name(day)


@dataclass(frozen=True)
class Extension:
    """A window prolonged because its notice went out late: the notice was due on
    ``notice_due``, went out on ``sent_on``, ``delay`` days (in the period's unit) later,
    so the due date moved from ``previous_due`` by as many days."""

    notice_due: date
    sent_on: date
    delay: int
    previous_due: date


@dataclass(frozen=True)
class Counted:
    """A counted period: from ``start`` (not counted), ``days`` in ``unit``; ``due`` is the
    last day in time; ``skipped`` each day not counted and why.

    ``start_label`` names the start ("회의일", "통보일"; ``start_label_en`` in English);
    ``rule_label`` the rule ("이의 제기"); ``extension`` is set when a late notice moved
    the due date."""

    start: date
    days: int
    unit: str
    due: date
    skipped: tuple[tuple[date, str], ...]
    start_label: str = ""
    rule_label: str = ""
    extension: Extension | None = field(default=None)
    start_label_en: str = ""

    def explain(self, lang: str = "ko") -> str:
        """How the due date was counted, in one sentence (Korean or English)."""
        return _explain_en(self) if lang == "en" else _explain_ko(self)

    def to_json(self) -> dict[str, Any]:
        """The counting as JSON (stored with a window, explained again in any language)."""
        data: dict[str, Any] = {
            "start": self.start.isoformat(), "days": self.days, "unit": self.unit,
            "due": self.due.isoformat(),
            "skipped": [[d.isoformat(), why] for d, why in self.skipped],
            "start_label": self.start_label, "rule_label": self.rule_label,
            "start_label_en": self.start_label_en,
        }
        if self.extension is not None:
            ext = self.extension
            data["extension"] = {"notice_due": ext.notice_due.isoformat(),
                                 "sent_on": ext.sent_on.isoformat(), "delay": ext.delay,
                                 "previous_due": ext.previous_due.isoformat()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Counted:
        ext = data.get("extension")
        return cls(
            start=date.fromisoformat(data["start"]), days=int(data["days"]),
            unit=data["unit"], due=date.fromisoformat(data["due"]),
            skipped=tuple((date.fromisoformat(d), why) for d, why in data["skipped"]),
            start_label=data.get("start_label", ""), rule_label=data.get("rule_label", ""),
            start_label_en=data.get("start_label_en", ""),
            extension=None if not ext else Extension(
                notice_due=date.fromisoformat(ext["notice_due"]),
                sent_on=date.fromisoformat(ext["sent_on"]), delay=int(ext["delay"]),
                previous_due=date.fromisoformat(ext["previous_due"])),
        )


def count_days(start: date, days: int, *, unit: str, days_off: Mapping[date, str],
               start_label: str = "", rule_label: str = "",
               start_label_en: str = "") -> Counted:
    """Count ``days`` days in ``unit`` after ``start`` (the first day is not counted).

    ``days_off`` must cover the period (a few weeks beyond ``start`` is plenty for
    working days). Raises ``ValueError`` for an unknown unit, a number of days outside
    1..:data:`MAX_DAYS` or a period running past the end of the calendar."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (expected one of {', '.join(UNITS)})")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be a whole number from 1 to {MAX_DAYS}, not {days!r}")
    try:
        if unit == WORKING:
            due, skipped = _count_working(start, days, days_off)
        else:
            due, skipped = _count_calendar(start, days, days_off)
    except OverflowError:
        raise ValueError(f"the period from {start} runs past the end of the calendar") from None
    return Counted(start=start, days=days, unit=unit, due=due, skipped=tuple(skipped),
                   start_label=start_label, rule_label=rule_label,
                   start_label_en=start_label_en)


def extend(counted: Counted, *, notice_due: date, sent_on: date,
           days_off: Mapping[date, str]) -> Counted:
    """``counted`` prolonged by the delay of a notice that was due on ``notice_due`` and
    went out on ``sent_on``: the delay is counted in the period's unit (working days
    between the two dates for a working-day period) and added after the due date as first
    counted, so the people who act lose none of their days. No delay: the period as first
    counted."""
    # A second notice replaces the first: extend the period as first counted.
    base_due = counted.extension.previous_due if counted.extension else counted.due
    base = [(d, why) for d, why in counted.skipped if d <= base_due]
    delay = delay_between(notice_due, sent_on, unit=counted.unit, days_off=days_off)
    if delay == 0:
        return replace(counted, due=base_due, skipped=tuple(base), extension=None)
    more = count_days(base_due, delay, unit=counted.unit, days_off=days_off)
    return replace(counted, due=more.due, skipped=tuple(base) + more.skipped,
                   extension=Extension(notice_due=notice_due, sent_on=sent_on, delay=delay,
                                       previous_due=base_due))


def delay_between(due: date, done: date, *, unit: str, days_off: Mapping[date, str]) -> int:
    """How many days (in ``unit``) ``done`` came after ``due``: 0 when on time; in working
    days, only the working days after ``due`` up to ``done`` count."""
    if done <= due:
        return 0
    if unit == CALENDAR:
        return (done - due).days
    count, day = 0, due
    while day < done:
        day += timedelta(days=1)
        if not is_day_off(day, days_off):
            count += 1
    return count


def _count_working(start: date, days: int, days_off: Mapping[date, str]
                   ) -> tuple[date, list[tuple[date, str]]]:
    skipped: list[tuple[date, str]] = []
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_day_off(day, days_off):
            skipped.append((day, off_reason(day, days_off)))
        else:
            counted += 1
    return day, skipped


def _count_calendar(start: date, days: int, days_off: Mapping[date, str]
                    ) -> tuple[date, list[tuple[date, str]]]:
    # 민법 제161조: a period ending on a day off ends on the next working day.
    day = start + timedelta(days=days)
    skipped: list[tuple[date, str]] = []
    while is_day_off(day, days_off):
        skipped.append((day, off_reason(day, days_off)))
        day += timedelta(days=1)
    return day, skipped


# --- explanations --------------------------------------------------------------------

def format_date(day: date, lang: str = "ko") -> str:
    """``2018-09-11(화)`` / ``2018-09-11 (Tue)``."""
    if lang == "en":
        return f"{day.isoformat()} ({_WEEKDAYS_EN[day.weekday()]})"
    return f"{day.isoformat()}({_WEEKDAYS_KO[day.weekday()]})"


def _runs(skipped: tuple[tuple[date, str], ...]) -> list[list[tuple[date, str]]]:
    """Consecutive skipped days grouped into runs (a weekend, a holiday stretch)."""
    runs: list[list[tuple[date, str]]] = []
    for day, why in skipped:
        if runs and runs[-1][-1][0] + timedelta(days=1) == day:
            runs[-1].append((day, why))
        else:
            runs.append([(day, why)])
    return runs


def _span_ko(first: date, last: date) -> str:
    if first == last:
        return f"{first.month}월 {first.day}일"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.month}월 {first.day}~{last.day}일"
    return f"{first.month}월 {first.day}일~{last.month}월 {last.day}일"


def _span_en(first: date, last: date) -> str:
    a = f"{_MONTHS_EN[first.month - 1]} {first.day}"
    if first == last:
        return a
    if (first.year, first.month) == (last.year, last.month):
        return f"{a}–{last.day}"
    return f"{a}–{_MONTHS_EN[last.month - 1]} {last.day}"


def _run_text(run: list[tuple[date, str]], lang: str) -> str:
    """One run of skipped days: "9월 1~2일 주말" for a plain weekend, else the span with
    the distinct reasons in order, "9월 22~26일(토요일·추석 전날·추석)"."""
    span = (_span_en if lang == "en" else _span_ko)(run[0][0], run[-1][0])
    reasons = list(dict.fromkeys(why for _, why in run))
    if all(why in _WEEKEND_KO.values() for why in reasons):
        return f"{span} {'weekend' if lang == 'en' else '주말'}"
    return f"{span} ({'·'.join(reasons)})" if lang == "en" else f"{span}({'·'.join(reasons)})"


def _runs_text(skipped: tuple[tuple[date, str], ...], lang: str) -> str:
    return ", ".join(_run_text(run, lang) for run in _runs(skipped))


def _explain_ko(c: Counted) -> str:
    start = f"{c.start_label or '기산일'} {format_date(c.start)}"
    if c.unit == WORKING:
        text = f"{start} 다음 날부터 근무일 {c.days}일(초일 불산입, 민법 제157조)"
        if c.skipped:
            runs = _runs_text(c.skipped, "ko")
            text += f": {runs} 제외"
    else:
        text = f"{start} 다음 날부터 {c.days}일(초일 불산입, 민법 제157조)"
        if c.skipped:
            runs = _runs_text(c.skipped, "ko")
            text += f", 말일이 휴일({runs})이라 다음 근무일로(민법 제161조)"
    if c.extension is not None:
        e = c.extension
        unit = "근무일" if c.unit == WORKING else "일"
        text += (f", 당초 마감 {format_date(e.previous_due)}; 안내가 {format_date(e.notice_due)}"
                 f"보다 {e.delay}{unit} 늦은 {format_date(e.sent_on)}에 발송되어 그만큼 연장")
    return f"{text} … 마감 {format_date(c.due)}"


def _explain_en(c: Counted) -> str:
    start = f"{c.start_label_en or c.start_label or 'the start'} {format_date(c.start, 'en')}"
    if c.unit == WORKING:
        text = (f"{c.days} working days from the day after {start} (the first day is not "
                "counted, Civil Act art. 157)")
        if c.skipped:
            runs = _runs_text(c.skipped, "en")
            text += f", not counting {runs}"
    else:
        text = (f"{c.days} days from the day after {start} (the first day is not counted, "
                "Civil Act art. 157)")
        if c.skipped:
            runs = _runs_text(c.skipped, "en")
            text += (f"; the last day fell on a day off ({runs}), so it ends on the next "
                     "working day (Civil Act art. 161)")
    if c.extension is not None:
        e = c.extension
        unit = "working day(s)" if c.unit == WORKING else "day(s)"
        text += (f"; first due {format_date(e.previous_due, 'en')}, extended by {e.delay} "
                 f"{unit} because the notice due {format_date(e.notice_due, 'en')} went out "
                 f"on {format_date(e.sent_on, 'en')}")
    return f"{text} … due {format_date(c.due, 'en')}"
