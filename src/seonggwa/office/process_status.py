"""Where the evaluation process of a round, or of one subject in it, stands — for the
officer's round and result pages (read only).

Each part says its own state through its own domain: the deadlines and how they were
counted (schedules), what was submitted (submissions), who sits on the panel (panels),
the scoring sheets and how the engine aggregated them (sheets), and the notification,
objection and lock of the result (appeals). This module only gathers them, in a fixed
number of queries whatever the number of subjects, windows or members; rounds whose
framework has no ``process`` section have no process to show (:func:`has_process`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from seonggwa.appeals.models import Appeal, AppealState, Outcome
from seonggwa.core.language import is_english, shown
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Result, Round, Subject
from seonggwa.panels.domain import seats as panel_seats
from seonggwa.panels.domain.conflicts import panel_rules
from seonggwa.schedules.domain import windows as schedule_windows
from seonggwa.schedules.models import Window, WindowState
from seonggwa.sheets.domain import scoring as sheet_scoring
from seonggwa.sheets.models import Sheet, SheetState
from seonggwa.submissions.domain import submitting
from seonggwa.submissions.models import State as SubmissionState
from seonggwa.submissions.models import Submission


def has_process(round_: Round) -> bool:
    """Whether ``round_``'s framework describes an evaluation process (the civic
    platforms' does; a framework without a ``process`` section has none to show)."""
    if round_.framework_version_id is None:
        return False
    try:
        return bool(framework_for(round_).process)
    except WorkflowError:
        return False


def _shown(label: str, label_en: str) -> str:
    return shown(label, label_en)


# ----------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class WindowLine:
    """One deadline: its name, whose it is ("" for the whole round), its dates, its
    state and how its due date was counted."""

    label: str
    subject: str
    opens_on: date
    due_on: date
    state: str
    state_label: str
    how: str


def _window_line(window: Window, rules) -> WindowLine:
    return WindowLine(
        label=schedule_windows.display_label(window, rules),
        subject=window.subject.name if window.subject_id else "",
        opens_on=window.opens_on, due_on=window.due_on, state=window.state,
        state_label=window.get_state_display(), how=schedule_windows.explain(window))


def _subject_windows(round_: Round, subject: Subject) -> list[WindowLine]:
    """The subject's windows — its own, else the round's of the same kind — by due date
    (one query)."""
    rows = list(Window.objects.filter(round=round_).filter(
        Q(subject=subject) | Q(subject__isnull=True)).select_related("subject"))
    own = {w.code for w in rows if w.subject_id is not None}
    rules = schedule_windows.rules_of(round_)
    chosen = [w for w in rows if w.subject_id is not None or w.code not in own]
    return [_window_line(w, rules) for w in sorted(chosen, key=lambda w: (w.due_on, w.pk))]


@dataclass(frozen=True)
class WindowSummary:
    """The windows of one kind across a round: how many are in each state and the
    latest due date (or, for a round-wide window, the window itself)."""

    label: str
    counts: tuple[tuple[str, int], ...]  # (state label, number), states in their order
    next_due: date | None  # the earliest due date of those not closed
    last_due: date


def _round_windows(round_: Round) -> tuple[list[WindowLine], list[WindowSummary]]:
    """The round-wide windows in full and the subjects' windows summed up by kind (one
    grouped query and one for the round-wide rows)."""
    rules = schedule_windows.rules_of(round_)
    shared = [_window_line(w, rules) for w in Window.objects.filter(
        round=round_, subject__isnull=True).order_by("due_on", "pk")]
    grouped = (Window.objects.filter(round=round_, subject__isnull=False)
               .values("code", "label", "state").order_by()
               .annotate(n=Count("id"), first=Min("due_on"), last=Max("due_on")))
    by_code: dict[str, dict] = {}
    for row in grouped:
        entry = by_code.setdefault(row["code"], {"label": row["label"], "states": Counter(),
                                                  "next": None, "last": row["last"]})
        entry["states"][row["state"]] += row["n"]
        entry["last"] = max(entry["last"], row["last"])
        if row["state"] != WindowState.CLOSED:
            entry["next"] = min(filter(None, (entry["next"], row["first"])))
    labels = dict(WindowState.choices)
    summaries = []
    for code, entry in by_code.items():
        shown = schedule_windows.display_label(
            Window(code=code, label=entry["label"]), rules)
        summaries.append(WindowSummary(
            label=shown, counts=tuple((str(labels[s]), entry["states"][s])
                                      for s in WindowState.values if entry["states"][s]),
            next_due=entry["next"], last_due=entry["last"]))
    summaries.sort(key=lambda s: (s.next_due or s.last_due, s.label))
    return shared, summaries


# ----------------------------------------------------------------------------- a subject


@dataclass
class SubjectSubmission:
    state_label: str
    submitted_at: object = None
    late: bool = False
    missing: list[str] = field(default_factory=list)
    late_documents: int = 0
    url: str = ""


@dataclass(frozen=True)
class SeatLine:
    seat: str
    members: tuple[str, ...]
    open: int


@dataclass(frozen=True)
class StepLine:
    """One indicator of the aggregation: how many ratings the engine used, how many the
    method left out, and the points it gave."""

    indicator: str
    ratings: int
    trimmed: int
    points: object
    max_points: object


@dataclass
class SubjectAppeal:
    state: str
    state_label: str
    notified_on: date | None
    objected_on: date | None
    outcome_label: str
    locked: bool
    url: str


@dataclass
class SubjectProcess:
    round: Round
    subject: Subject
    windows: list[WindowLine]
    submission: SubjectSubmission | None
    seats: list[SeatLine]
    panel_size: int
    sheets: list[sheet_scoring.MemberProgress]
    desk_missing: list[str]
    steps: list[StepLine]
    method: str
    stale: bool
    appeal: SubjectAppeal | None
    links: dict[str, str]

    @property
    def unfinished(self) -> int:
        return sum(1 for m in self.sheets if m.assigned and not m.finished)


def _submission(round_: Round, subject: Subject) -> SubjectSubmission | None:
    found = submitting.checklists(round_, [subject])
    if not found:
        return None  # the framework asks for no submission
    check = found[0]
    sub = check.submission
    english = is_english()
    missing = [(d.label_en if english and d.label_en else d.label)
               for d in check.missing_documents]
    missing += [_("정량 실적: %(name)s") % {"name": _shown(i.name, i.name_en or "")}
                for i in check.missing_actuals]
    return SubjectSubmission(
        state_label=(sub.get_state_display() if sub.pk else _("시작 안 함")),
        submitted_at=sub.submitted_at, late=sub.late, missing=missing,
        late_documents=len(check.late_documents),
        url=reverse("office:submissions_subject", args=[round_.pk, subject.pk]))


def _seats(round_: Round, subject: Subject) -> tuple[list[SeatLine], int]:
    composition = panel_seats.composition_status(round_, subject)
    lines = [SeatLine(s.rule.shown, tuple(m.member.get_full_name() or m.member.get_username()
                                          for m in s.seats), s.open)
             for s in composition.seats]
    return lines, composition.size


def _steps(result: Result | None) -> tuple[list[StepLine], str, bool]:
    if result is None:
        return [], "", False
    x = sheet_scoring.explain(result)
    steps = [StepLine(_shown(step.indicator.name, step.indicator.name_en), len(step.rows),
                      sum(1 for r in step.rows if r.trimmed),
                      step.outcome.points if step.outcome else None, step.indicator.points)
             for area in x.areas for step in area.indicators]
    return steps, x.method, x.stale


def _appeal(result: Result | None) -> SubjectAppeal | None:
    if result is None:
        return None
    appeal = (Appeal.objects.filter(result=result)
              .select_related("objection", "lock").first())
    if appeal is None:
        return None
    objection = _loaded(appeal, "objection")
    return SubjectAppeal(
        state=appeal.state, state_label=appeal.get_state_display(),
        notified_on=appeal.notified_on,
        objected_on=objection.filed_on if objection else None,
        outcome_label=str(Outcome(appeal.outcome).label) if appeal.outcome else "",
        locked=_loaded(appeal, "lock") is not None,
        url=reverse("office:appeals_case", args=[appeal.pk]))


def _loaded(obj, relation: str):
    """The reverse one-to-one ``relation`` of ``obj`` (selected with it: no query), or
    ``None`` when there is none."""
    try:
        return getattr(obj, relation)
    except ObjectDoesNotExist:
        return None


def subject_process(round_: Round, subject: Subject) -> SubjectProcess:
    """Where ``subject``'s evaluation in ``round_`` stands, part by part."""
    result = (Result.objects.filter(round=round_, subject=subject)
              .select_related("framework_version", "round__year").first())
    progress = sheet_scoring.progress(round_, [subject])[0]
    framework = framework_for(round_)
    desk_missing = [_shown(framework.indicator(code).name, framework.indicator(code).name_en)
                    for code in progress.desk_missing]
    seats, size = _seats(round_, subject)
    steps, method, stale = _steps(result)
    return SubjectProcess(
        round=round_, subject=subject, windows=_subject_windows(round_, subject),
        submission=_submission(round_, subject), seats=seats, panel_size=size,
        sheets=progress.members, desk_missing=desk_missing, steps=steps,
        method=method, stale=stale, appeal=_appeal(result),
        links={
            "schedules": reverse("office:schedules_round", args=[round_.pk]),
            "panels": reverse("office:panels_subject", args=[round_.pk, subject.pk]),
            "sheets": reverse("office:sheets_aggregation", args=[round_.pk, subject.pk]),
            "appeals": reverse("office:appeals_release", args=[round_.pk]),
        })


# ----------------------------------------------------------------------------- a round


@dataclass
class RoundProcess:
    round: Round
    windows: list[WindowLine]
    window_kinds: list[WindowSummary]
    subjects: int
    submissions: list[tuple[str, int]]  # (state label, number)
    panels_complete: int
    panel_size: int
    sheets: list[tuple[str, int]]
    results: int
    appeals: list[tuple[str, int]]
    pending: int  # draft results not released yet
    links: dict[str, str]


def _labelled(counts: dict[str, int], choices) -> list[tuple[str, int]]:
    return [(str(label), counts[value]) for value, label in choices if counts.get(value)]


def round_process(round_: Round) -> RoundProcess:
    """Where ``round_``'s evaluation stands, part by part, in counts."""
    shared, kinds = _round_windows(round_)
    subject_ids = list(panel_seats.round_subjects(round_).values_list("pk", flat=True))
    submitted = dict(Submission.objects.filter(round=round_).values_list("state")
                     .order_by().annotate(n=Count("id")))
    started = sum(submitted.values())
    submissions = [(_("시작 안 함"), len(subject_ids) - started)] if len(subject_ids) > started \
        else []
    size = sum(rule.count for rule in panel_rules(round_).seats)
    seated = panel_seats.composition_counts(round_)
    sheets = dict(Sheet.objects.filter(round=round_).values_list("state")
                  .order_by().annotate(n=Count("id")))
    appeals = dict(Appeal.objects.filter(result__round=round_).values_list("state")
                   .order_by().annotate(n=Count("id")))
    results = Result.objects.filter(round=round_).aggregate(
        n=Count("id"), unreleased=Count("id", filter=Q(appeal__isnull=True)))
    return RoundProcess(
        round=round_, windows=shared, window_kinds=kinds, subjects=len(subject_ids),
        submissions=_labelled(submitted, SubmissionState.choices) + submissions,
        panels_complete=sum(1 for s in subject_ids if size and seated.get(s, 0) >= size),
        panel_size=size, sheets=_labelled(sheets, SheetState.choices),
        results=results["n"], appeals=_labelled(appeals, AppealState.choices),
        pending=results["unreleased"],
        links={
            "schedules": reverse("office:schedules_round", args=[round_.pk]),
            "submissions": reverse("office:submissions_round", args=[round_.pk]),
            "panels": reverse("office:panels_round", args=[round_.pk]),
            "sheets": reverse("office:sheets_round", args=[round_.pk]),
            "appeals": reverse("office:appeals_release", args=[round_.pk]),
        })
