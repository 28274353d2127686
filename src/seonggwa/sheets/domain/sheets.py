"""Every change of a scoring sheet, in one place: open, save a draft, submit, re-open.

::

    draft ──submit──▶ submitted ──reopen (officer, reason)──▶ reopened ──submit──▶ submitted
      └ save (any time while scoring is open)                    └ save

Submitting keeps a :class:`~seonggwa.sheets.models.SheetVersion` (every submitted
version, for ever) and writes the ratings through the one write path of inputs,
:func:`seonggwa.evaluations.domain.inputs.record_ratings` (evaluator = the member,
label = the sheet's label), so the engine scores what was submitted and nothing else.
Drafts never reach the ratings.

Scoring of a subject is open while its round is a draft, its result is neither finalised
nor published and — when the officer set one — today is within the scoring period (a
schedules window ``scoring`` of the subject or the round, e.g. up to the panel meeting);
otherwise every change is refused with the reason. Only
evaluators assigned to the subject (or the whole round) hold a sheet. Each change writes
an audit record (which is also the sheet's version for the concurrency check of the
forms, :mod:`seonggwa.core.concurrency`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from seonggwa import engine
from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record, resolve_actor
from seonggwa.core.models import AuditEvent
from seonggwa.core.statemachine import StateMachine, Transition, TransitionRefused
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.domain.inputs import RatingEntry, check_rating, record_ratings
from seonggwa.evaluations.models import Assignment, NotApplicable, Result, Round, Status, Subject
from seonggwa.schedules.domain import windows
from seonggwa.schedules.models import Window
from seonggwa.sheets.domain import integrity
from seonggwa.sheets.domain.rules import integrity_of
from seonggwa.sheets.models import Sheet, SheetEntry, SheetState, SheetVersion

#: The schedules window that, when set, bounds the scoring period (평가표 작성 기간).
SCORING_WINDOW = "scoring"
#: The texts a member writes per key goal, in the order of the sheet.
TEXTS = ("outcomes", "limits", "improvements")
TEXT_FIELDS = (*TEXTS, "justification")
#: Longest text accepted in one field (a page of A4 is about 1,500 Korean characters).
MAX_TEXT = 4000


# ----------------------------------------------------------------- what a sheet holds


def sheet_indicators(framework: engine.Framework) -> list[engine.Indicator]:
    """The indicators panel members rate on their sheets: every panel indicator (rating,
    survey, direct points) except those the officer enters by desk review."""
    desk = set(desk_indicator_codes(framework))
    return [ind for ind in framework.indicators if ind.uses_panel and ind.code not in desk]


def desk_indicator_codes(framework: engine.Framework) -> tuple[str, ...]:
    """The indicators the officer enters by desk review (``process.integrity.desk_review``);
    a code the framework does not have as a panel indicator is refused."""
    codes = integrity_of(framework).desk_review
    for code in codes:
        if code not in framework.indicator_index or not framework.indicator(code).uses_panel:
            raise WorkflowError(_("평가틀의 서면평가 지표 %(code)s이(가) 점수를 입력하는 지표가 "
                                  "아닙니다.") % {"code": code[:60]})
    return codes


def needs_texts(ind: engine.Indicator) -> bool:
    """Key goals (rating indicators) carry outcomes, limits and improvement directions;
    points and survey scores (e.g. an institution's area scores) need none."""
    return ind.kind == "rating"


def not_applicable_codes(sheet: Sheet) -> set[str]:
    return set(NotApplicable.objects.filter(round_id=sheet.round_id, subject_id=sheet.subject_id)
               .order_by().values_list("indicator", flat=True))


# ----------------------------------------------------------------- when scoring is open


def scoring_closed(round_: Round, subject: Subject) -> str | None:
    """Why sheets of ``subject`` in ``round_`` can no longer change, or ``None``."""
    if round_.status != Status.DRAFT:
        return _("%(round)s 평가는 %(status)s되어 평가표를 받지 않습니다.") % {
            "round": round_, "status": round_.get_status_display()}
    if round_.published_only or round_.framework_version_id is None:
        return _("%(round)s 평가는 평가표로 채점하지 않습니다(평가틀이 없거나 요약만 공개된 "
                 "평가).") % {"round": round_}
    result = Result.objects.filter(round=round_, subject=subject).only("status").order_by().first()
    if result is not None and result.is_locked:
        return _("'%(subject)s'의 결과가 %(status)s되어 채점이 끝났습니다. 결과를 바꾸려면 "
                 "평가담당관이 사유와 함께 정정합니다.") % {
            "subject": subject, "status": result.get_status_display()}
    return _outside_scoring_window(round_, subject)


def _outside_scoring_window(round_: Round, subject: Subject) -> str | None:
    """When the officer set a scoring period (a schedules window ``scoring`` for the
    subject or the whole round), why today is outside it; no window, no deadline."""
    has_window = Window.objects.filter(round=round_, code=SCORING_WINDOW).filter(
        Q(subject=subject) | Q(subject__isnull=True)).order_by().exists()  # one query
    if not has_window:
        return None
    try:
        windows.require_open(round_, subject, SCORING_WINDOW)
    except windows.DeadlineRefused as exc:
        return " ".join(exc.messages)
    return None


def _closed_guard(sheet: Sheet) -> str | None:
    return scoring_closed(sheet.round, sheet.subject)


def _submission_guard(sheet: Sheet) -> str | None:
    return " ".join(submission_problems(sheet)) or None


def _snapshot(sheet: Sheet) -> dict:
    return {"evaluator": sheet.evaluator_label}


MACHINE = StateMachine(
    name="sheet", field="state", states=dict(SheetState.choices), snapshot=_snapshot,
    transitions=(
        Transition("submit", (SheetState.DRAFT, SheetState.REOPENED), SheetState.SUBMITTED,
                   "sheet.submit", label=pgettext_lazy("action", "제출"),
                   guards=(_closed_guard, _submission_guard)),
        Transition("reopen", (SheetState.SUBMITTED,), SheetState.REOPENED, "sheet.reopen",
                   label=pgettext_lazy("action", "다시 열기"), guards=(_closed_guard,),
                   needs_reason=True),
    ),
)

EDITABLE = (SheetState.DRAFT, SheetState.REOPENED)


# ----------------------------------------------------------------- who holds a sheet


def assigned_evaluators(round_: Round, subject: Subject):
    """Assignments of evaluators (role 평가위원) to ``subject`` in ``round_`` — to the
    subject itself or to the whole round."""
    return (Assignment.objects.filter(round=round_, user__profile__role=Role.EVALUATOR,
                                      user__is_active=True)
            .filter(Q(subject__isnull=True) | Q(subject=subject)))


def is_assigned(user, round_: Round, subject: Subject) -> bool:
    if role_of(user) != Role.EVALUATOR or user.is_superuser:
        return False
    return assigned_evaluators(round_, subject).filter(user=user).order_by().exists()


def _refuse_unassigned(user, round_: Round, subject: Subject) -> None:
    if not is_assigned(user, round_, subject):
        raise WorkflowError(_("'%(subject)s'에 배정된 평가위원만 이 평가표를 작성할 수 있습니다.")
                            % {"subject": subject})


def _label_for(user, round_: Round, subject: Subject) -> str:
    """The member's name; with the user name added when another member of the same
    subject already goes by it (two 김민수 must not share one rating)."""
    name = (user.get_full_name() or user.get_username())[:120]
    taken = Sheet.objects.filter(round=round_, subject=subject,
                                 evaluator_label=name).order_by().exists()
    return f"{name} ({user.get_username()})"[:150] if taken else name


@transaction.atomic
def open_sheet(round_: Round, subject: Subject, user, *, synthetic: bool = False) -> Sheet:
    """The member's sheet for ``subject`` in ``round_``, created (empty, a draft) on first
    use. Refused for anyone not assigned, and once scoring of the subject is closed."""
    found = Sheet.objects.filter(round=round_, subject=subject, evaluator=user).order_by().first()
    if found is not None:
        return found
    _refuse_unassigned(user, round_, subject)
    closed = scoring_closed(round_, subject)
    if closed:
        raise WorkflowError(closed)
    framework = framework_for(round_)
    if not sheet_indicators(framework):
        raise WorkflowError(_("이 평가틀에는 평가위원이 평가표로 매기는 지표가 없습니다."))
    try:
        with transaction.atomic():
            sheet = Sheet.objects.create(round=round_, subject=subject, evaluator=user,
                                         evaluator_label=_label_for(user, round_, subject),
                                         synthetic=synthetic)
    except IntegrityError:  # the same member opened it in another tab meanwhile
        return Sheet.objects.get(round=round_, subject=subject, evaluator=user)
    SheetEntry.objects.bulk_create([SheetEntry(sheet=sheet, indicator=ind.code)
                                    for ind in sheet_indicators(framework)])
    record("sheet.open", sheet, actor=user, after={
        "round": str(round_), "subject": str(subject), "evaluator": sheet.evaluator_label,
        "synthetic": synthetic})
    return sheet


# ----------------------------------------------------------------- drafts


@dataclass(frozen=True)
class EntryInput:
    """What a member typed for one indicator (value as text; empty = not rated yet)."""

    value: object = None
    outcomes: str = ""
    limits: str = ""
    improvements: str = ""
    justification: str = ""


def _clean_text(text, *, what: str, code: str) -> str:
    text = "" if text is None else str(text)
    if "\x00" in text:
        raise WorkflowError(_("%(code)s %(what)s에 쓸 수 없는 문자(NUL)가 있습니다.")
                            % {"code": code, "what": what})
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise WorkflowError(_("%(code)s %(what)s은(는) %(max)s자까지 쓸 수 있습니다 (%(n)s자).")
                            % {"code": code, "what": what, "max": f"{MAX_TEXT:,}",
                               "n": f"{len(text):,}"})
    return text


def _field_names() -> dict[str, str]:
    return {"outcomes": _("성과"), "limits": _("한계"), "improvements": _("개선방향"),
            "justification": _("평점 사유")}


def _check_entries(framework: engine.Framework, entries: Mapping[str, EntryInput]
                   ) -> dict[str, dict]:
    """Each entry checked: an indicator of the sheet, a value on its scale (or empty),
    texts without NUL and not over-long. Every problem is reported, nothing stored."""
    on_sheet = {ind.code for ind in sheet_indicators(framework)}
    names = _field_names()
    checked, problems = {}, []
    for code, entry in entries.items():
        if code not in on_sheet:
            problems.append(_("평가표에 없는 지표입니다: %(code)s") % {"code": str(code)[:60]})
            continue
        row = {}
        try:
            raw = "" if entry.value is None else str(entry.value).strip()
            row["value"] = check_rating(framework, code, raw) if raw else None
            for name in TEXT_FIELDS:
                row[name] = _clean_text(getattr(entry, name), what=names[name], code=code)
        except WorkflowError as exc:
            problems.extend(exc.messages)
            continue
        checked[code] = row
    if problems:
        raise WorkflowError(problems)
    return checked


def _locked(sheet: Sheet) -> Sheet:
    """The sheet read again under a row lock (its state as stored, not as the caller
    last saw it), held to the end of the transaction."""
    return Sheet.objects.select_for_update(of=("self",)).select_related(
        "round__year", "round__framework_version", "subject", "evaluator").get(pk=sheet.pk)


def _require_author(sheet: Sheet, actor) -> None:
    if actor is None or actor.pk != sheet.evaluator_id:
        raise WorkflowError(_("평가표는 작성한 평가위원 본인만 고칠 수 있습니다."))


def _require_editable(sheet: Sheet) -> None:
    if sheet.state not in EDITABLE:
        raise WorkflowError(_("제출한 평가표는 고칠 수 없습니다. 고쳐야 하면 평가담당관에게 "
                              "다시 열어 달라고 요청하십시오."))
    closed = scoring_closed(sheet.round, sheet.subject)
    if closed:
        raise WorkflowError(closed)


@transaction.atomic
def save_draft(sheet: Sheet, entries: Mapping[str, EntryInput], *, actor) -> Sheet:
    """Save what the member typed (complete or not) on a draft or re-opened sheet.

    Values must be on the scale even in a draft (a typo is better caught now than at
    submission). Only changed entries are written; the audit record keeps them before
    and after."""
    _require_author(sheet, actor)
    sheet = _locked(sheet)
    _require_editable(sheet)
    _refuse_unassigned(actor, sheet.round, sheet.subject)
    checked = _check_entries(framework_for(sheet.round), entries)
    current = {e.indicator: e for e in sheet.entries.order_by()}
    before, after, changed = {}, {}, []
    for code, row in checked.items():
        entry = current.get(code) or SheetEntry(sheet=sheet, indicator=code)
        old = _entry_dict(entry)
        if old == _entry_dict_from(row):
            continue
        for name, value in row.items():
            setattr(entry, name, value)
        changed.append(entry)
        before[code], after[code] = old, _entry_dict(entry)
    for entry in changed:
        entry.save()
    if changed:
        sheet.save(update_fields=["updated_at"])
        record("sheet.save", sheet, actor=actor, before=before, after=after)
    return sheet


def _entry_dict(entry: SheetEntry) -> dict:
    return _entry_dict_from({"value": entry.value, **{n: getattr(entry, n) for n in TEXT_FIELDS}})


def _entry_dict_from(row: Mapping) -> dict:
    value = row.get("value")
    return {"value": None if value is None else integrity.plain_number(value),
            **{n: row.get(n) or "" for n in TEXT_FIELDS}}


# ----------------------------------------------------------------- submission


def submission_problems(sheet: Sheet) -> list[str]:
    """Everything that keeps ``sheet`` from being submitted, in Korean: missing ratings
    and texts, and ratings that need a justification without one."""
    framework = framework_for(sheet.round)
    entries = {e.indicator: e for e in sheet.entries.order_by()}
    skipped = not_applicable_codes(sheet)
    missing, names = [], _field_names()
    values = {}
    for ind in sheet_indicators(framework):
        if ind.code in skipped:
            continue
        entry = entries.get(ind.code)
        holes = []
        if entry is None or entry.value is None:
            holes.append(_("평점"))
        else:
            values[ind.code] = entry.value
        if needs_texts(ind):
            holes += [names[n] for n in TEXTS if entry is None or not getattr(entry, n)]
        if holes:
            missing.append(f"{ind.code} {ind.name} ({', '.join(holes)})")
    problems = []
    if missing:
        problems.append(_("제출하려면 모두 채워야 합니다: %(items)s") % {"items": "; ".join(missing)})
    for flag in integrity.flags(sheet, framework, values):
        if not entries[flag.indicator].justification:
            problems.append(flag.message)
    return problems


def version_entries(sheet: Sheet, framework: engine.Framework) -> dict:
    """The snapshot a version keeps: every entry of the sheet, in the framework's order."""
    entries = {e.indicator: e for e in sheet.entries.order_by()}
    return {ind.code: _entry_dict(entries[ind.code]) for ind in sheet_indicators(framework)
            if ind.code in entries}


@transaction.atomic
def submit(sheet: Sheet, *, actor) -> SheetVersion:
    """Submit the sheet: checked complete and justified, kept as a new version, and its
    ratings written through the one input path. Refused with every reason, changing
    nothing."""
    _require_author(sheet, actor)
    _refuse_unassigned(actor, sheet.round, sheet.subject)
    sheet = _locked(sheet)
    reason = _last_reopen_reason(sheet)
    sheet.submitted_versions += 1
    try:  # the guards check completeness and integrity before anything is written
        MACHINE.fire(sheet, "submit", actor=actor, update_fields=("submitted_versions",))
    except TransitionRefused as exc:
        sheet.submitted_versions -= 1
        open_ = sheet.state in EDITABLE and scoring_closed(sheet.round, sheet.subject) is None
        problems = submission_problems(sheet) if open_ else []  # every reason, not the first
        raise WorkflowError(problems or exc.messages) from None
    framework = framework_for(sheet.round)
    snapshot = version_entries(sheet, framework)
    ratings = [RatingEntry(sheet.subject, code, row["value"], sheet.evaluator_label,
                           evaluator=sheet.evaluator)
               for code, row in snapshot.items() if row["value"] is not None]
    record_ratings(sheet.round, ratings, actor=actor, actor_label=sheet.evaluator_label)
    user, label = resolve_actor(actor)
    return SheetVersion.objects.create(
        sheet=sheet, number=sheet.submitted_versions, entries=snapshot,
        synthetic=sheet.synthetic, reason=reason, submitted_by=user, submitted_label=label)


def _last_reopen_reason(sheet: Sheet) -> str:
    """Why the officer re-opened the sheet, when this submission follows a re-opening."""
    if sheet.state != SheetState.REOPENED:
        return ""
    event = (AuditEvent.objects.filter(object_type=sheet._meta.label_lower,
                                       object_id=str(sheet.pk), action="sheet.reopen")
             .order_by("-id").first())
    return event.reason if event else ""


@transaction.atomic
def reopen(sheet: Sheet, *, reason: str, actor) -> Sheet:
    """Re-open a submitted sheet (the officer, with a reason — e.g. the panel's re-review
    after an objection) so the member can change it and submit a new version. The ratings
    of the last version stay in force until then."""
    if role_of(actor) != Role.OFFICER:
        raise WorkflowError(_("평가표는 평가담당관만 다시 열 수 있습니다."))
    sheet = _locked(sheet)
    try:
        return MACHINE.fire(sheet, "reopen", actor=actor, reason=_clean_text(
            reason, what=_("사유"), code=""))
    except TransitionRefused as exc:
        raise WorkflowError(exc.messages) from None


@transaction.atomic
def reopen_subject(round_: Round, subject: Subject, *, reason: str, actor) -> list[Sheet]:
    """Re-open every submitted sheet of ``subject`` in ``round_`` (a panel re-review)."""
    sheets = list(Sheet.objects.filter(round=round_, subject=subject,
                                       state=SheetState.SUBMITTED))
    return [reopen(sheet, reason=reason, actor=actor) for sheet in sheets]
