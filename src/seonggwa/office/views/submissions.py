"""Submissions: the evaluated organisation uploads its documents and actuals before its
deadline and marks them submitted; the officer sees every subject of a round — what is
missing, what is late, who submitted when — and may reopen a submission with a reason.

Every change goes through :mod:`seonggwa.submissions.domain.submitting` (deadline, file and
actor checks, audit); who may see or change what comes from
:mod:`seonggwa.access.submissions`. Files are served only by :func:`download`, after the
permission check, as attachments — never from a public media URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from seonggwa.access.submissions import visible_subjects
from seonggwa.core import concurrency
from seonggwa.core.downloads import XLSX, attachment
from seonggwa.core.language import is_english
from seonggwa.core.listing import paginate
from seonggwa.core.xlsx import WorkbookRefused
from seonggwa.evaluations.models import Measurement, Round, Subject
from seonggwa.schedules.domain import windows
from seonggwa.submissions.domain import actuals_xlsx, filetypes, submitting
from seonggwa.submissions.domain.states import SUBMISSION
from seonggwa.submissions.models import Document, State, Submission

from ..access import Perm, require
from ..actions import attempt
from ..forms.submissions import (
    ActualsForm,
    ActualsImportForm,
    ReasonForm,
    SubmitForm,
    UploadForm,
)
from ..trail import describe

#: Subjects per page of a round's overview.
ROUND_PAGE_SIZE = 100


def _doc_label(rule) -> str:
    return rule.label_en if is_english() else rule.label


# ----------------------------------------------------------------------------- helpers

def _round_or_404(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("year", "framework_version"),
                             pk=round_id)


def _target(request, round_id: int, subject_id: int, perm: str):
    """The round, subject and submission of a subject page, or 404 (unknown) / 403 (not
    the user's). A subject outside the round is 404."""
    round_ = _round_or_404(round_id)
    subject = submitting.round_subjects(round_).filter(pk=subject_id).first()
    if subject is None:
        raise Http404(_("이 평가 차수의 평가 대상이 아닙니다."))
    submission = submitting.submission_for(round_, subject)
    if not request.user.has_perm(perm, submission):
        raise PermissionDenied
    return round_, subject, submission


def _window_text(round_: Round, subject: Subject) -> tuple[object, str]:
    window = windows.get_window(round_, subject, submitting.WINDOW)
    return window, (windows.explain(window) if window else "")


def _detail_url(round_: Round, subject: Subject) -> str:
    return reverse("office:submissions_subject", args=[round_.pk, subject.pk])


def _versions(submission: Submission) -> dict[str, list[Document]]:
    """Every earlier (superseded) version of each document, newest first."""
    if submission.pk is None:
        return {}
    earlier: dict[str, list[Document]] = {}
    for doc in submission.documents.filter(superseded_at__isnull=False).select_related(
            "uploaded_by").order_by("code", "-version"):
        earlier.setdefault(doc.code, []).append(doc)
    return earlier


def _trail(round_: Round, subject: Subject) -> list:
    return [describe(e) for e in submitting.events(round_, subject).select_related("actor")
            .order_by("-at", "-id")[:200]]


# ----------------------------------------------------------------------------- pages

@require_safe
@require(Perm.OFFICE)
def index(request):
    """The rounds whose framework asks for a submission, and in each the subjects the user
    may see (an officer: a link to each round's overview)."""
    rounds = []
    officer = request.user.has_perm("submissions.manage_submissions")
    for round_ in (Round.objects.filter(framework_version__isnull=False)
                   .select_related("year", "framework_version")
                   .order_by("-year__year", "scheme", "-number")):
        if submitting.rules_for(round_) is None:
            continue
        if officer:  # the round's overview lists every subject
            rounds.append({"round": round_, "officer": True, "subjects": []})
            continue
        subjects = list(visible_subjects(request.user, round_,
                                         submitting.round_subjects(round_))
                        .order_by("name")[:200])
        if subjects:
            rounds.append({"round": round_, "officer": False,
                           "subjects": submitting.checklists(round_, subjects)})
    return render(request, "office/submissions/index.html",
                  {"nav": "submissions", "rounds": rounds})


@require_safe
@require(Perm.OFFICE)
def round_overview(request, round_id: int):
    """Officer: every subject of the round — project year, due date, state, who submitted
    when, what is missing, what came late."""
    if not request.user.has_perm("submissions.manage_submissions"):
        raise PermissionDenied
    round_ = _round_or_404(round_id)
    rules = submitting.rules_for(round_)
    page = paginate(request, submitting.round_subjects(round_).order_by("name", "pk"),
                    per_page=ROUND_PAGE_SIZE)
    rows = [_overview_row(listed) for listed in
            submitting.checklists(round_, page.object_list)]
    return render(request, "office/submissions/round.html", {
        "nav": "submissions", "round": round_, "rules": rules, "rows": rows, "page": page,
        "missing_count": sum(1 for r in rows if r["missing"]),
    })


def _overview_row(listed) -> dict:
    return {
        "subject": listed.subject, "submission": listed.submission, "window": listed.window,
        "missing": [_doc_label(d) for d in listed.missing_documents]
        + [_("정량 실적: %(name)s") % {"name": i.name} for i in listed.missing_actuals],
        "late": listed.late_documents, "year": listed.project_year,
        "submitted": listed.submission.state == State.SUBMITTED,
    }


@require_safe
@require(Perm.OFFICE)
def subject_page(request, round_id: int, subject_id: int):
    round_, subject, submission = _target(request, round_id, subject_id,
                                          "submissions.view_submission")
    return _render_subject(request, round_, subject, submission)


def _render_subject(request, round_, subject, submission, *, error: str = "",
                    status: int = 200, actuals_form=None, import_form=None):
    listed = submitting.checklist(submission)
    earlier = _versions(submission)
    may_change = request.user.has_perm("submissions.change_submission", submission)
    officer = request.user.has_perm("submissions.reopen_submission", submission)
    window, how = _window_text(round_, subject)
    today = timezone.localdate()
    window_open = window is not None and windows.state_on(window, today) == "open"
    indicators = submitting.quantitative_indicators(round_) if listed else []
    stored = {m.indicator: m for m in Measurement.objects.filter(round=round_,
                                                                  subject=subject)}
    editable = may_change and submission.state == State.DRAFT and listed is not None
    ask_reason = editable and officer and not window_open
    if actuals_form is None and indicators:
        actuals_form = ActualsForm(indicators=indicators, ask_reason=ask_reason,
                                   stored={c: m.actual for c, m in stored.items()})
    return render(request, "office/submissions/subject.html", {
        "nav": "submissions", "round": round_, "subject": subject, "submission": submission,
        "checklist": listed,
        "documents": [(_doc_label(rule), rule, doc, earlier.get(rule.code, []))
                      for rule, doc in listed.documents] if listed else [],
        "types": ", ".join(filetypes.kind_label(t) for t in listed.rules.types)
        if listed else "",
        "max_mb": f"{listed.rules.max_bytes / 1024 / 1024:.0f}" if listed else "",
        "accept": ",".join(f".{t}" for t in listed.rules.types) if listed else "",
        "indicators": [(i, stored.get(i.code)) for i in indicators],
        "actuals_form": actuals_form, "import_form": import_form or ActualsImportForm(ask_reason=ask_reason),
        "submit_form": SubmitForm(), "reopen_form": ReasonForm(),
        "window": window, "window_how": how, "window_open": window_open,
        "editable": editable, "officer": officer,
        "submitted": submission.state == State.SUBMITTED,
        "ask_reason": ask_reason,
        "can_submit": editable and SUBMISSION.refusal(submission, "submit") is None,
        "submit_refusal": SUBMISSION.refusal(submission, "submit") if editable else None,
        "can_reopen": officer and submission.state == State.SUBMITTED,
        "version": concurrency.version(submitting.events(round_, subject)),
        "entries": _trail(round_, subject), "error": error,
    }, status=status)


def _guarded_change(request, round_, subject, change) -> str | None:
    """Run ``change()`` with the submission locked and unchanged since the page was
    loaded; the refusal message, or ``None`` when it was done."""
    def locked(_none):
        with transaction.atomic():
            submitting.lock(round_, subject)  # the lock first: a second save waits, then
            concurrency.check(submitting.events(round_, subject),  # sees the first's record
                              concurrency.posted(request.POST))
            change()

    done = attempt(request, locked, refusals=(WorkbookRefused,))
    return None if done.ok else done.joined()


@require_POST
@require(Perm.OFFICE)
def upload(request, round_id: int, subject_id: int, code: str):
    round_, subject, submission = _target(request, round_id, subject_id,
                                          "submissions.change_submission")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(m for errors in form.errors.values() for m in errors)
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    file = form.cleaned_data["file"]
    rules = submitting.rules_for(round_)
    if rules is not None and file.size > rules.max_bytes:  # refused before it is read
        error = _("파일이 너무 큽니다 (%(size)s MB, 최대 %(max)s MB).") % {
            "size": f"{file.size / 1024 / 1024:.1f}",
            "max": f"{rules.max_bytes / 1024 / 1024:.0f}"}
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    data = file.read()
    stored = []
    error = _guarded_change(request, round_, subject, lambda: stored.append(submitting.upload(
        round_, subject, code, name=file.name, data=data, actor=request.user,
        reason=form.cleaned_data["reason"])))
    if error:
        submission = submitting.submission_for(round_, subject)
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    messages.success(request, _("'%(name)s'을(를) 올렸습니다 (%(version)s판).")
                     % {"name": stored[0].original_name, "version": stored[0].version})
    return redirect(_detail_url(round_, subject))


@require_POST
@require(Perm.OFFICE)
def actuals(request, round_id: int, subject_id: int):
    """The actuals typed in the form, or imported from a workbook."""
    round_, subject, submission = _target(request, round_id, subject_id,
                                          "submissions.change_submission")
    indicators = submitting.quantitative_indicators(round_)
    if "workbook" in request.FILES:
        form = ActualsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_subject(request, round_, subject, submission, status=400,
                                   import_form=form)
        data = form.cleaned_data["workbook"].read()
        values = {}

        def change():
            values.update(actuals_xlsx.read_actuals(data, indicators))
            submitting.save_actuals(round_, subject, values, actor=request.user,
                                    reason=form.cleaned_data.get("reason", ""))
    else:
        form = ActualsForm(request.POST, indicators=indicators)
        if not form.is_valid():
            return _render_subject(request, round_, subject, submission, status=400,
                                   actuals_form=form)

        def change():
            submitting.save_actuals(round_, subject, form.actuals(), actor=request.user,
                                    reason=form.cleaned_data.get("reason", ""))
    error = _guarded_change(request, round_, subject, change)
    if error:
        submission = submitting.submission_for(round_, subject)
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    messages.success(request, _("정량 실적을 저장했습니다."))
    return redirect(_detail_url(round_, subject))


@require_safe
@require(Perm.OFFICE)
def actuals_template(request, round_id: int, subject_id: int):
    round_, subject, _submission = _target(request, round_id, subject_id,
                                           "submissions.change_submission")
    payload = actuals_xlsx.template(submitting.quantitative_indicators(round_),
                                    Measurement.objects.filter(round=round_, subject=subject))
    return attachment(payload, f"actuals-{round_.pk}-{subject.pk}.xlsx", XLSX)


@require_POST
@require(Perm.OFFICE)
def submit(request, round_id: int, subject_id: int):
    round_, subject, submission = _target(request, round_id, subject_id,
                                          "submissions.change_submission")
    form = SubmitForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    error = _guarded_change(request, round_, subject, lambda: submitting.submit(
        round_, subject, actor=request.user, reason=reason))
    if error:
        submission = submitting.submission_for(round_, subject)
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    messages.success(request, _("제출을 마쳤습니다."))
    return redirect(_detail_url(round_, subject))


@require_POST
@require(Perm.OFFICE)
def reopen(request, round_id: int, subject_id: int):
    round_, subject, submission = _target(request, round_id, subject_id,
                                          "submissions.reopen_submission")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _render_subject(request, round_, subject, submission, status=400,
                               error=_("제출을 다시 열려면 사유를 입력해야 합니다."))
    if submission.pk is None:
        return _render_subject(request, round_, subject, submission, status=400,
                               error=_("아직 제출하지 않았습니다."))
    error = _guarded_change(request, round_, subject, lambda: submitting.reopen(
        submission, actor=request.user, reason=form.cleaned_data["reason"]))
    if error:
        submission = submitting.submission_for(round_, subject)
        return _render_subject(request, round_, subject, submission, error=error, status=400)
    messages.success(request, _("제출을 다시 열었습니다. 기관이 서류를 고쳐 다시 제출할 수 있습니다."))
    return redirect(_detail_url(round_, subject))


@require_safe
@require(Perm.OFFICE)
def download(request, pk: int):
    """A submitted file, to those who may see the submission, as an attachment under its
    (cleaned) uploaded name; never cached by shared caches."""
    doc = get_object_or_404(Document.objects.select_related("submission"), pk=pk)
    if not request.user.has_perm("submissions.view_submission", doc.submission):
        raise PermissionDenied
    try:
        stream = storages["default"].open(doc.file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("저장소에서 파일을 찾을 수 없습니다. 담당관에게 알려 주십시오.")) from None
    response = FileResponse(stream, as_attachment=True, filename=doc.original_name,
                            content_type=filetypes.content_type(doc.kind))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
