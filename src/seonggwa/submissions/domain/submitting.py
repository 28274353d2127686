"""Submitting for a round: documents, quantitative actuals, then "submitted".

The one write path of the submissions app. Every function checks, in this order, and
refuses with the reason in words (:class:`SubmissionRefused`) before anything is stored:

1. **who acts**: an officer, or a contractor-role user of the subject's evaluated
   organisation (:mod:`seonggwa.submissions.domain.parties`) — never another organisation;
2. **the deadline**: the subject's ``submission`` window (:mod:`seonggwa.schedules`) must be
   open today. After the due date the organisation is refused with the due date and how it
   was counted. An officer may still act for the organisation outside the window — e.g.
   documents that came by official letter in time but were uploaded later — only with a
   written reason; the document (or the submission) is then marked *late* (기한 외) and the
   round's page shows it;
3. **the state**: a submitted submission is read-only until the officer reopens it with a
   reason;
4. **the file**: size (the framework's ``max_megabytes``), type by content
   (:mod:`seonggwa.submissions.domain.filetypes`), the name's extension agreeing with it.

Files go through Django's storage API (``STORAGES["default"]``) under a random name; the
uploaded name is kept, cleaned (:func:`clean_name`), only as the download name. A replaced
file is superseded, never deleted. Actuals are written by
:func:`seonggwa.evaluations.domain.inputs.record_measurements`, the one input path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.core.audit import record, resolve_actor
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.inputs import MeasurementEntry, record_measurements
from seonggwa.evaluations.models import Measurement, Round, Subject
from seonggwa.schedules.domain import windows
from seonggwa.schedules.models import Schedule
from seonggwa.submissions.domain import filetypes, parties
from seonggwa.submissions.domain.checklists import (  # noqa: F401 - the part's reading API
    WINDOW,
    Checklist,
    checklist,
    checklists,
    missing_actuals,
    quantitative_indicators,
    rules_for,
)
from seonggwa.submissions.domain.rules import DocumentRule, SubmissionRules
from seonggwa.submissions.domain.states import SUBMISSION
from seonggwa.submissions.models import Document, State, Submission

#: Characters of a cleaned file name (the stem is cut, the extension kept).
NAME_MAX = 120
_RESERVED = re.compile(r'[<>:"|?*\\/]')


class SubmissionRefused(ValidationError):
    """A refused upload, entry or transition; the message says why, in words."""


# ----------------------------------------------------------------------------- reading

def project_year(round_: Round, subject: Subject) -> int | None:
    """The subject's project year in the round (from its schedule), if known."""
    return (Schedule.objects.filter(round=round_, subject=subject)
            .values_list("project_year", flat=True).first())


def submission_for(round_: Round, subject: Subject) -> Submission:
    """The subject's submission for the round, or an unsaved draft when nothing was
    submitted yet (pages and permission checks read it; only the write path saves it)."""
    found = (Submission.objects.filter(round=round_, subject=subject)
             .select_related("submitted_by").first())
    return found or Submission(round=round_, subject=subject, state=State.DRAFT)


def current_documents(submission: Submission) -> dict[str, Document]:
    """The current (not superseded) file of each document code."""
    if submission.pk is None:
        return {}
    return {d.code: d for d in submission.documents.filter(superseded_at__isnull=True)}


def round_subjects(round_: Round):
    """The subjects of a round: those with a schedule, a result or a submission in it."""
    return Subject.objects.filter(
        Q(pk__in=Schedule.objects.filter(round=round_).values("subject"))
        | Q(pk__in=round_.results.values("subject"))
        | Q(pk__in=Submission.objects.filter(round=round_).values("subject")))


def events(round_: Round, subject: Subject):
    """The audit events of a subject's submission in a round — the submission, its files
    and its actuals: the version an edit form carries (:mod:`seonggwa.core.concurrency`)."""
    submission = Submission.objects.filter(round=round_, subject=subject).first()
    q = Q(object_type=Measurement._meta.label_lower, object_id__in=[
        str(pk) for pk in Measurement.objects.filter(round=round_, subject=subject)
        .values_list("pk", flat=True)])
    if submission is not None:
        q |= Q(object_type=Submission._meta.label_lower, object_id=str(submission.pk))
        q |= Q(object_type=Document._meta.label_lower, object_id__in=[
            str(pk) for pk in submission.documents.values_list("pk", flat=True)])
    return AuditEvent.objects.filter(q)


def lock(round_: Round, subject: Subject) -> Submission:
    """The subject's submission row (created when missing), locked until the end of the
    caller's transaction: a form's version check and the change it guards see the same
    state."""
    Submission.objects.get_or_create(round=round_, subject=subject)
    return Submission.objects.select_for_update().get(round=round_, subject=subject)


# ----------------------------------------------------------------------------- checks

def _check_actor(actor, subject: Subject) -> None:
    if parties.is_officer(actor) or parties.represents(actor, subject):
        return
    raise SubmissionRefused(_("%(subject)s의 서류는 그 기관의 사용자나 평가담당관만 제출할 수 "
                              "있습니다. 다른 기관의 이름으로 제출할 수 없습니다.")
                            % {"subject": subject})


def deadline_check(round_: Round, subject: Subject, actor, reason: str,
                   today: dt.date | None = None) -> bool:
    """Whether acting now is *late* (outside the window, by an officer with a reason);
    refuses everyone else outside the window with the window's own explanation."""
    try:
        windows.require_open(round_, subject, WINDOW, today=today)
    except windows.DeadlineRefused as exc:
        message = " ".join(exc.messages)
        if not parties.is_officer(actor):
            raise SubmissionRefused(message) from None
        if not (reason or "").strip():
            raise SubmissionRefused(
                message + " " + _("담당관이 기한 밖에 기관을 대신해 처리하려면 사유를 적어야 "
                                  "합니다 (기한 외 처리로 표시됩니다).")) from None
        return True
    return False


def _check_draft(submission: Submission) -> None:
    if submission.state != State.DRAFT:
        raise SubmissionRefused(
            _("%(subject)s은(는) 이미 제출을 마쳤습니다 (%(when)s). 고치려면 평가담당관이 사유를 "
              "적어 제출을 다시 열어야 합니다.")
            % {"subject": submission.subject,
               "when": timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M")
               if submission.submitted_at else "–"})


def _rules(round_: Round) -> SubmissionRules:
    rules = rules_for(round_)
    if rules is None:
        raise SubmissionRefused(_("%(round)s의 평가틀은 제출 서류를 정하지 않았습니다.")
                                % {"round": round_})
    return rules


def _document_rule(rules: SubmissionRules, code: str, round_: Round,
                   subject: Subject) -> DocumentRule:
    rule = rules.document(code)
    if rule is None:
        raise SubmissionRefused(_("이 평가에서 받지 않는 서류입니다."))
    year = project_year(round_, subject)
    if not rule.applies_to(year):
        years = ", ".join(_("%(n)s년차") % {"n": y} for y in rule.project_years)
        raise SubmissionRefused(
            _("'%(doc)s'은(는) %(years)s 대상만 제출합니다 (%(subject)s: %(year)s).")
            % {"doc": rule.label, "years": years, "subject": subject,
               "year": _("%(n)s년차") % {"n": year} if year else _("사업연차 미정")})
    return rule


def clean_name(name: str) -> str:
    """The uploaded name made safe to show and to offer as a download name: the last path
    part only (``../../x.pdf`` → ``x.pdf``), Unicode NFC (macOS sends decomposed Hangul),
    no control characters (NUL included) or characters Windows refuses, no leading dots
    or spaces, at most :data:`NAME_MAX` characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.strip()[:10]
    room = NAME_MAX - (len(ext) + 1 if ext else 0)
    stem = stem.strip(". ")[:room].rstrip(". ")
    if not stem:
        stem = _("제출서류")
    return f"{stem}.{ext}" if ext else stem


def _name_for(name: str, detected: filetypes.Detected) -> str:
    """The cleaned name, refused when its extension says another type than the content;
    a name without an extension gets the detected one."""
    cleaned = clean_name(name)
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        return f"{cleaned}.{detected.kind}"
    if ext.lower() != detected.kind:
        raise SubmissionRefused(
            _("파일 이름은 .%(ext)s인데 내용은 %(kind)s 파일입니다. 올바른 형식으로 저장해 "
              "올리십시오.") % {"ext": ext.lower(), "kind": detected.label})
    return cleaned


def check_file(rules: SubmissionRules, name: str, data: bytes) -> tuple[str, str]:
    """``(clean name, type code)`` of an acceptable file; :class:`SubmissionRefused`
    otherwise (too large, empty, wrong type by content, name not matching the content)."""
    if len(data) > rules.max_bytes:
        raise SubmissionRefused(_("파일이 너무 큽니다 (%(size)s MB, 최대 %(max)s MB).")
                                % {"size": f"{len(data) / 1024 / 1024:.1f}",
                                   "max": f"{rules.max_bytes / 1024 / 1024:.0f}"})
    try:
        detected = filetypes.detect(data)
    except filetypes.FileRefused as exc:
        raise SubmissionRefused(exc.messages) from None
    if detected.kind not in rules.types:
        raise SubmissionRefused(
            _("%(kind)s 파일은 받지 않습니다. 받는 형식: %(types)s.")
            % {"kind": detected.label,
               "types": ", ".join(filetypes.kind_label(t) for t in rules.types)})
    return _name_for(name, detected), detected.kind


# ----------------------------------------------------------------------------- writing

def _store(round_: Round, subject: Subject, kind: str, data: bytes) -> str:
    """Save the bytes through the storage API under a random name; its stored name."""
    path = f"submissions/{round_.pk}/{subject.pk}/{uuid.uuid4().hex}.{kind}"
    return storages["default"].save(path, ContentFile(data))


def _snapshot(doc: Document | None, label: str) -> dict | None:
    if doc is None:
        return None
    return {"document": label, "version": doc.version, "original_name": doc.original_name,
            "size": doc.size, "kind": doc.kind, "sha256": doc.sha256, "late": doc.late}


def upload(round_: Round, subject: Subject, code: str, *, name: str, data: bytes, actor,
           actor_label: str = "", reason: str = "", today: dt.date | None = None) -> Document:
    """Store a new version of document ``code`` of the subject's submission (the current
    one, if any, is superseded — kept, not deleted). Refused (nothing stored) for the
    reasons of the module docstring."""
    rules = _rules(round_)
    _check_actor(actor, subject)
    rule = _document_rule(rules, code, round_, subject)
    late = deadline_check(round_, subject, actor, reason, today)
    cleaned, kind = check_file(rules, name, data)
    stored = _store(round_, subject, kind, data)
    try:
        with transaction.atomic():
            submission = lock(round_, subject)
            _check_draft(submission)
            current = submission.documents.filter(code=rule.code,
                                                  superseded_at__isnull=True).first()
            if current is not None:
                current.superseded_at = timezone.now()
                current.save(update_fields=["superseded_at"])
            user, label = resolve_actor(actor, actor_label)
            latest = submission.documents.filter(code=rule.code).aggregate(v=Max("version"))
            doc = Document.objects.create(
                submission=submission, code=rule.code, version=(latest["v"] or 0) + 1,
                file=stored, original_name=cleaned, size=len(data), kind=kind,
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=user,
                uploaded_label=label, late=late, late_reason=reason.strip() if late else "")
            record("submission.upload", doc, before=_snapshot(current, rule.label),
                   after=_snapshot(doc, rule.label),
                   reason=(reason or "").strip(), actor=actor, actor_label=actor_label)
    except BaseException:
        storages["default"].delete(stored)  # the row never existed: no version is lost
        raise
    return doc


def save_actuals(round_: Round, subject: Subject, actuals: Mapping[str, object], *, actor,
                 actor_label: str = "", reason: str = "",
                 today: dt.date | None = None) -> list[Measurement]:
    """The subject's actuals of quantitative indicators (code → value; empty values are
    left as they are), through the one input path. The agreed targets stay."""
    _check_actor(actor, subject)
    codes = {ind.code for ind in quantitative_indicators(round_)}
    unknown = [c for c in actuals if c not in codes]
    if unknown:
        raise SubmissionRefused(_("이 평가틀의 정량 지표가 아닙니다: %(codes)s")
                                % {"codes": ", ".join(str(c)[:60] for c in unknown[:5])})
    deadline_check(round_, subject, actor, reason, today)
    given = {code: value for code, value in actuals.items() if value not in (None, "")}
    with transaction.atomic():
        _check_draft(lock(round_, subject))
        kept = {m.indicator: m for m in Measurement.objects.filter(
            round=round_, subject=subject, indicator__in=list(given))}
        entries = [MeasurementEntry(
            subject=subject, indicator=code, actual=value,
            target=getattr(kept.get(code), "target", None),
            target_high=getattr(kept.get(code), "target_high", None))
            for code, value in given.items()]
        try:
            return record_measurements(round_, entries, actor=actor, actor_label=actor_label)
        except WorkflowError as exc:
            raise SubmissionRefused(exc.messages) from None


def submit(round_: Round, subject: Subject, *, actor, actor_label: str = "",
           reason: str = "", today: dt.date | None = None) -> Submission:
    """Mark the submission submitted: every required document and actual is there, the
    window is open (or an officer gives the reason for acting outside it). A second
    submit — a double click, two people at once — is refused: the row is locked and the
    state machine accepts only a draft."""
    _rules(round_)
    _check_actor(actor, subject)
    late = deadline_check(round_, subject, actor, reason, today)
    with transaction.atomic():
        submission = lock(round_, subject)
        refusal = SUBMISSION.refusal(submission, "submit")
        if refusal:
            raise SubmissionRefused(refusal)
        user, label = resolve_actor(actor, actor_label)
        submission.submitted_at = timezone.now()
        submission.submitted_by = user
        submission.submitted_label = label
        submission.late = late
        try:
            SUBMISSION.fire(submission, "submit", actor=actor, actor_label=actor_label,
                            reason=(reason or "").strip(),
                            update_fields=("submitted_at", "submitted_by", "submitted_label",
                                           "late"))
        except ValidationError as exc:
            raise SubmissionRefused(exc.messages) from None
    return submission


def reopen(submission: Submission, *, actor, reason: str, actor_label: str = "") -> Submission:
    """The officer reopens a submitted submission for changes, with the reason (audited).
    Documents and the submission time stay on record."""
    if not parties.is_officer(actor):
        raise SubmissionRefused(_("제출을 다시 여는 것은 평가담당관만 할 수 있습니다."))
    with transaction.atomic():
        fresh = Submission.objects.select_for_update().get(pk=submission.pk)
        try:
            SUBMISSION.fire(fresh, "reopen", actor=actor, actor_label=actor_label,
                            reason=reason)
        except ValidationError as exc:
            raise SubmissionRefused(exc.messages) from None
    return fresh
