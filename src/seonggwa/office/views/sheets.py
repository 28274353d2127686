"""Scoring sheets in the office: a member's sheets and the sheet form (draft, submit), the
submitted versions and their comparison, and the officer's scoring pages — progress,
desk-review scores, compute, and the aggregation step by step.

Every change goes through :mod:`seonggwa.sheets.domain` (state machine, audit, the one
input write path, the one compute path); every form carries the version it was loaded
at (:mod:`seonggwa.core.concurrency`), so a second session's save is refused with who
changed the sheet when, never silently overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from seonggwa.access.sheets import Target, visible_sheets
from seonggwa.core import concurrency
from seonggwa.core.language import shown
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Assignment, Result, Round, Status, Subject
from seonggwa.schedules.domain import windows
from seonggwa.sheets.domain import integrity
from seonggwa.sheets.domain import scoring as officer
from seonggwa.sheets.domain import sheets as domain
from seonggwa.sheets.models import Sheet, SheetState

from ..access import Perm, require
from ..actions import attempt
from ..forms.sheets import DeskReviewForm, ReopenForm, SheetForm, text_labels

#: Subjects per page of a round's progress and desk-review pages.
PAGE_SIZE = 50


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# ----------------------------------------------------------------- my sheets


@dataclass
class MineRow:
    round: Round
    subject: Subject
    sheet: Sheet | None
    closed: str | None


def _my_rows(user) -> list[MineRow]:
    """Every (round, subject) the evaluator is assigned to, with their sheet."""
    rows = []
    assignments = Assignment.objects.filter(user=user).select_related("round__year", "subject")
    sheets = {(s.round_id, s.subject_id): s for s in Sheet.objects.filter(evaluator=user)}
    for a in assignments.order_by("-round__year__year", "round__number", "subject__name"):
        subjects = [a.subject] if a.subject_id else list(officer.round_subjects(a.round))
        for subject in subjects:
            rows.append(MineRow(a.round, subject, sheets.get((a.round_id, subject.pk)), None))
    return rows


@require_safe
@require(Perm.OFFICE)
def sheets_mine(request):
    """An evaluator's sheets (assigned subjects); an officer's rounds to follow."""
    user = request.user
    if user.has_perm("sheets.manage_scoring"):
        rounds = (Round.objects.filter(framework_version__isnull=False, published_only=False)
                  .select_related("year").order_by("-year__year", "scheme", "-number"))
        counts = {}
        for round_id, state in Sheet.objects.values_list("round_id", "state"):
            counts.setdefault(round_id, dict.fromkeys(SheetState.values, 0))[state] += 1
        page = paginate(request, rounds, per_page=PAGE_SIZE)
        return render(request, "office/sheets/rounds.html", {
            "nav": "sheets", "page": page,
            "rounds": [(r, counts.get(r.pk)) for r in page.object_list]})
    _require(request, "sheets.rate_subject")
    page = paginate(request, _my_rows(user), per_page=PAGE_SIZE)
    for row in page.object_list:  # only the rows shown are checked
        row.closed = domain.scoring_closed(row.round, row.subject)
    return render(request, "office/sheets/mine.html", {"nav": "sheets", "page": page,
                                                       "rows": page.object_list})


# ----------------------------------------------------------------- the sheet form


@dataclass
class Row:
    """One indicator of the form: what the framework says and what was typed."""

    code: str
    name: str
    kind: str
    needs_texts: bool
    choices: list[tuple[str, str]]  # (value, label) for a stepped scale; [] = free number
    low: str
    high: str
    value: str = ""
    texts: dict = field(default_factory=dict)
    flag: str = ""
    not_applicable: bool = False


def _choices(scale) -> list[tuple[str, str]]:
    allowed = scale.allowed_values()
    if allowed is None or len(allowed) > 21:
        return []
    out = []
    for v in allowed[::-1]:
        label = scale.label_of(float(v))
        shown = integrity.plain_number(f"{float(v):g}")
        out.append((shown, f"{shown} {label}" if label else shown))
    return out


def _rows(form: SheetForm, skipped=()) -> list[Row]:
    """Each indicator of the sheet with what its fields show (as typed, else as stored)."""
    rows = []
    for ind in form.indicators:
        scale = ind.scale
        rows.append(Row(ind.code, shown(ind.name, ind.name_en), ind.kind, domain.needs_texts(ind),
                        _choices(scale), integrity.plain_number(f"{scale.min:g}"),
                        integrity.plain_number(f"{scale.max:g}"),
                        value=form.shown(ind.code),
                        texts={n: form.shown(ind.code, n) for n in domain.TEXT_FIELDS},
                        not_applicable=ind.code in skipped))
    return rows


def _flags(sheet, framework) -> dict[str, str]:
    if sheet is None:
        return {}
    values = {e.indicator: e.value for e in sheet.entries.all() if e.value is not None}
    return {f.indicator: f.message for f in integrity.flags(sheet, framework, values)}


def _subject_in_round(round_id: int, subject_id: int) -> tuple[Round, Subject]:
    round_ = get_object_or_404(Round.objects.select_related("year", "framework_version"),
                               pk=round_id)
    subject = get_object_or_404(Subject, pk=subject_id)
    return round_, subject


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.OFFICE)
def sheets_edit(request, round_id: int, subject_id: int):
    """The member's own sheet for a subject: save the draft, or submit it."""
    round_, subject = _subject_in_round(round_id, subject_id)
    _require(request, "sheets.rate_subject", Target(round_, subject))
    user = request.user
    sheet = Sheet.objects.filter(round=round_, subject=subject, evaluator=user).first()
    framework = framework_for(round_) if round_.framework_version_id else None
    if framework is None:
        raise Http404(_("평가틀이 없는 평가 차수입니다."))
    problems, status = [], 200
    version = concurrency.version_of(sheet) if sheet else 0
    form = SheetForm(framework=framework, sheet=sheet)
    if request.method == "POST":
        form = SheetForm(request.POST, framework=framework)
        action = request.POST.get("action")
        if action not in ("save", "submit"):
            problems, status = [_("알 수 없는 요청입니다.")], 400
        elif not form.is_valid():  # refused before anything is opened or stored
            problems, status = form.problems(), 400
        else:
            done = attempt(request, lambda _none: _save(request, round_, subject, sheet,
                                                        form.entries(), action))
            if done.ok:
                sheet, version = done.value
                if action == "submit":
                    messages.success(request, _("평가표를 제출했습니다 (제출본 %(n)s).")
                                     % {"n": sheet.submitted_versions})
                else:
                    messages.success(request, _("임시 저장했습니다. 제출하기 전에는 점수에 "
                                                "반영되지 않습니다."))
                return redirect("office:sheets_edit", round_id=round_.pk, subject_id=subject.pk)
            problems, status = done.problems, done.status
            if done.stale:
                version = done.version
            else:
                if sheet is None:  # opened by this request before the refusal
                    sheet = Sheet.objects.filter(round=round_, subject=subject,
                                                 evaluator=user).first()
                version = concurrency.version_of(sheet) if sheet else 0
    closed = domain.scoring_closed(round_, subject)
    editable = closed is None and (sheet is None or sheet.state in domain.EDITABLE)
    skipped = domain.not_applicable_codes(sheet) if sheet else set()
    rows = _rows(form, skipped)
    flags = _flags(sheet, framework)
    for row in rows:
        row.flag = flags.get(row.code, "")
    return render(request, "office/sheets/edit.html", {
        "nav": "sheets", "round": round_, "subject": subject, "sheet": sheet, "rows": rows,
        "problems": problems, "version": version, "closed": closed, "editable": editable,
        "versions": sheet.versions.order_by("-number") if sheet else [],
        "max_text": domain.MAX_TEXT,
    }, status=status)


def _save(request, round_, subject, sheet, entries, action):
    """Save (and, for ``action == "submit"``, submit) the sheet's ``entries`` under the
    version check; returns the sheet and its new version."""
    user = request.user
    loaded = concurrency.posted(request.POST)
    if sheet is None:
        sheet = domain.open_sheet(round_, subject, user)
        # The form was loaded before the sheet existed: only its opening (by this request
        # or another tab, with nothing saved yet) may have happened since.
        if loaded == 0 and not concurrency.events_for(sheet).exclude(
                action="sheet.open").exists():
            loaded = concurrency.version_of(sheet)
    with concurrency.guarded(loaded, sheet) as fresh:
        domain.save_draft(fresh, entries, actor=user)
        if action == "submit":
            domain.submit(fresh, actor=user)
    fresh.refresh_from_db()
    return fresh, concurrency.version_of(fresh)


# ----------------------------------------------------------------- versions


def _sheet(request, pk: int) -> Sheet:
    sheet = (visible_sheets(request.user, Sheet.objects.select_related(
        "round__year", "round__framework_version", "subject", "evaluator")).filter(pk=pk).first())
    if sheet is None or not request.user.has_perm("sheets.view_sheet", sheet):
        raise Http404(_("볼 수 있는 평가표가 아닙니다."))
    return sheet


FIELD_ORDER = ("value", *domain.TEXT_FIELDS)


def _indicator_names(framework) -> dict[str, str]:
    return {ind.code: shown(ind.name, ind.name_en) for ind in framework.indicators}


@require_safe
@require(Perm.SIGNED_IN)
def sheets_detail(request, pk: int):
    """A sheet as it stands, its submitted versions, and (officer) re-opening it."""
    sheet = _sheet(request, pk)
    framework = framework_for(sheet.round)
    names = _indicator_names(framework)
    labels = text_labels()
    entries = [(e.indicator, names.get(e.indicator, e.indicator),
                [(labels[f], _shown(getattr(e, f))) for f in FIELD_ORDER])
               for e in sheet.entries.all()]
    # Why re-opening is not possible now (the reason is asked for in the form).
    refusal = (domain.MACHINE.refusal(sheet, "reopen", reason="-")
               if request.user.has_perm("sheets.reopen_sheet", sheet) else None)
    return render(request, "office/sheets/detail.html", {
        "nav": "sheets", "sheet": sheet, "entries": entries,
        "versions": sheet.versions.order_by("-number"),
        "may_reopen": request.user.has_perm("sheets.reopen_sheet", sheet) and refusal is None,
        "reopen_refusal": refusal,
        "may_edit": request.user.has_perm("sheets.edit_sheet", sheet),
        "version": concurrency.version_of(sheet),
        "trail": AuditEvent.objects.filter(object_type=sheet._meta.label_lower,
                                           object_id=str(sheet.pk)).order_by("-id")[:50],
    })


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    return integrity.plain_number(value) if not isinstance(value, str) else value


@require_safe
@require(Perm.SIGNED_IN)
def sheets_version(request, pk: int, number: int):
    sheet = _sheet(request, pk)
    version = get_object_or_404(sheet.versions, number=number)
    names = _indicator_names(framework_for(sheet.round))
    labels = text_labels()
    entries = [(code, names.get(code, code), [(labels[f], row.get(f) or "") for f in FIELD_ORDER])
               for code, row in version.entries.items()]
    return render(request, "office/sheets/version.html", {
        "nav": "sheets", "sheet": sheet, "v": version, "entries": entries,
        "others": sheet.versions.exclude(pk=version.pk).order_by("-number")})


@require_safe
@require(Perm.SIGNED_IN)
def sheets_compare(request, pk: int):
    """Two submitted versions side by side; changed fields marked."""
    sheet = _sheet(request, pk)
    numbers = [request.GET.get(k, "") for k in ("a", "b")]
    if not all(n.isascii() and n.isdigit() and len(n) <= 9 for n in numbers):
        raise Http404(_("비교할 제출본을 두 개 고르십시오."))
    a = get_object_or_404(sheet.versions, number=int(numbers[0]))
    b = get_object_or_404(sheet.versions, number=int(numbers[1]))
    names = _indicator_names(framework_for(sheet.round))
    labels = text_labels()
    rows = []
    for code in dict.fromkeys([*a.entries, *b.entries]):
        left, right = a.entries.get(code) or {}, b.entries.get(code) or {}
        for f in FIELD_ORDER:
            before, after = left.get(f) or "", right.get(f) or ""
            rows.append({"code": code, "name": names.get(code, code), "field": labels[f],
                         "a": before, "b": after, "changed": before != after})
    return render(request, "office/sheets/compare.html", {
        "nav": "sheets", "sheet": sheet, "a": a, "b": b, "rows": rows,
        "changes": sum(r["changed"] for r in rows),
        "all_versions": sheet.versions.order_by("number")})


@require_POST
@require(Perm.OFFICE)
def sheets_reopen(request, pk: int):
    sheet = _sheet(request, pk)
    _require(request, "sheets.reopen_sheet", sheet)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for message in form.errors["reason"]:
            messages.error(request, message)
    elif attempt(request, lambda fresh: domain.reopen(
            fresh, reason=form.cleaned_data["reason"], actor=request.user), sheet,
            tell=True).ok:
        messages.success(request, _("평가표를 다시 열었습니다. 평가위원이 고쳐 다시 제출하면 새 "
                                    "제출본이 됩니다."))
    return redirect("office:sheets_detail", pk=sheet.pk)


# ----------------------------------------------------------------- officer: a round


def _scoring_round(request, round_id: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("year", "framework_version"),
                               pk=round_id)
    _require(request, "sheets.manage_scoring", round_)
    if round_.framework_version_id is None:
        raise Http404(_("평가틀이 없는 평가 차수입니다."))
    return round_


@require_safe
@require(Perm.OFFICE)
def sheets_round(request, round_id: int):
    """Progress of a round: each subject, who has not finished, desk review, result."""
    round_ = _scoring_round(request, round_id)
    page = paginate(request, officer.round_subjects(round_), per_page=PAGE_SIZE)
    rows = officer.progress(round_, list(page.object_list))
    counts = officer.round_counts(round_)
    window = windows.get_window(round_, None, domain.SCORING_WINDOW)
    return render(request, "office/sheets/round.html", {
        "window": window, "window_how": windows.explain(window) if window else "",
        "nav": "sheets", "round": round_, "page": page, "rows": rows, "counts": counts,
        "desk_codes": domain.desk_indicator_codes(framework_for(round_)),
        "score_decimals": framework_for(round_).decimals,
        "open": round_.status == Status.DRAFT,
        "version": concurrency.version_of(round_)})


@require_http_methods(["GET", "HEAD", "POST"])
@require(Perm.OFFICE)
def sheets_desk(request, round_id: int):
    """The officer's desk-review scores of a round (a page of subjects at a time)."""
    round_ = _scoring_round(request, round_id)
    framework = framework_for(round_)
    codes = domain.desk_indicator_codes(framework)
    page = paginate(request, officer.round_subjects(round_), per_page=PAGE_SIZE)
    subjects = list(page.object_list)
    changes = AuditEvent.objects.filter(object_type=round_._meta.label_lower,
                                        object_id=str(round_.pk), action="sheets.desk_review")
    problems, status = [], 200
    form = DeskReviewForm(subjects=subjects, codes=codes)
    if request.method == "POST" and codes:
        form = DeskReviewForm(request.POST, subjects=subjects, codes=codes)
        if not form.is_valid():
            problems, status = form.problems(), 400
        else:
            done = attempt(request, lambda _round: officer.record_desk_review(
                round_, form.scores(), actor=request.user), round_, events=changes)
            if done.ok:
                messages.success(request, _("서면평가 점수 %(n)s건을 저장했습니다.")
                                 % {"n": done.value})
                return redirect(request.get_full_path())
            problems, status = done.problems, done.status
    stored = officer.desk_scores(round_, subjects) if codes else {}
    indicators = [framework.indicator(c) for c in codes]
    rows = []
    for s in subjects:
        cells = []
        for ind in indicators:
            value = stored.get((s.pk, ind.code))
            typed = ((form[f"{s.pk}-{ind.code}"].value() or "")[:60] if form.is_bound
                     else None)
            cells.append({"name": f"{s.pk}-{ind.code}", "code": ind.code,
                          "value": typed if typed is not None else (
                              integrity.plain_number(value) if value is not None else ""),
                          "max": integrity.plain_number(f"{ind.points:g}")})
        rows.append({"subject": s, "cells": cells,
                     "closed": domain.scoring_closed(round_, s)})
    return render(request, "office/sheets/desk.html", {
        "nav": "sheets", "round": round_, "page": page, "rows": rows,
        "indicators": [(ind.code, shown(ind.name, ind.name_en), ind.points) for ind in indicators],
        "problems": problems, "version": concurrency.version(changes),
        "label": officer.DESK_LABEL}, status=status)


#: Subjects left out of a round-wide computation named one by one before the rest are
#: counted.
LEFT_OUT_SHOWN = 10


def _left_out_message(left_out: list[officer.LeftOut]) -> str:
    shown = [h.why for h in left_out[:LEFT_OUT_SHOWN]]
    if len(left_out) > LEFT_OUT_SHOWN:
        shown.append(_("외 %(n)s곳.") % {"n": len(left_out) - LEFT_OUT_SHOWN})
    return " ".join([_("계산하지 않은 평가 대상 %(n)s곳:") % {"n": len(left_out)}, *shown])


@require_POST
@require(Perm.OFFICE)
def sheets_compute(request, round_id: int):
    """Compute draft results of one subject (``subject``) or the whole round; a
    round-wide computation leaves out the results released, objected or final and says
    which and why."""
    round_ = _scoring_round(request, round_id)
    raw = request.POST.get("subject", "")
    subject = None
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
            raise Http404
        subject = get_object_or_404(officer.round_subjects(round_), pk=int(raw))

    def compute(_round):
        if subject is None:
            return officer.compute_round(round_, actor=request.user)
        return officer.Computed(officer.compute(round_, [subject], actor=request.user), [])

    done = attempt(request, compute, round_, tell=True)
    if done.ok:
        computed = done.value
        if computed.results or not computed.left_out:
            messages.success(request, _("결과 %(n)s건을 계산했습니다(작성 중). 총점·등급·판정은 "
                                        "평가틀의 규칙대로 엔진이 정했습니다.")
                             % {"n": len(computed.results)})
        if computed.left_out:
            messages.warning(request, _left_out_message(computed.left_out))
        if subject is not None:
            return redirect("office:sheets_aggregation", round_id=round_.pk,
                            subject_id=subject.pk)
    return redirect("office:sheets_round", round_id=round_.pk)


@require_safe
@require(Perm.OFFICE)
def sheets_aggregation(request, round_id: int, subject_id: int):
    """How the engine arrived at a subject's result, step by step."""
    round_ = _scoring_round(request, round_id)
    subject = get_object_or_404(officer.round_subjects(round_), pk=subject_id)
    result = (Result.objects.filter(round=round_, subject=subject)
              .select_related("framework_version", "round__year").first())
    explanation = officer.explain(result) if result is not None else None
    return render(request, "office/sheets/aggregation.html", {
        "nav": "sheets", "round": round_, "subject": subject, "result": result,
        "x": explanation, "version": concurrency.version_of(round_),
        "closed": domain.scoring_closed(round_, subject),
        "rounding": _("소수점 %(d)s자리까지 반올림(사사오입)") % {
            "d": explanation.framework.decimals} if explanation else ""})
