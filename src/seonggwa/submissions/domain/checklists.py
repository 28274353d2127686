"""What a subject still owes for its submission: the round's rules, the documents and
actuals missing, the window — read by the submission's state machine (may it be
submitted?) and by the pages, in a handful of queries however many subjects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Measurement, NotApplicable, Round, Subject
from seonggwa.schedules.models import Schedule, Window
from seonggwa.submissions.domain.rules import SECTION, DocumentRule, SubmissionRules, parse
from seonggwa.submissions.models import Document, Submission

#: The window code of submissions in the framework's deadlines and the schedules app.
WINDOW = "submission"


def rules_for(round_: Round) -> SubmissionRules | None:
    """The round's submission rules (``None``: its framework asks for no submission)."""
    if round_.framework_version_id is None:
        return None
    return parse(framework_for(round_).process.get(SECTION))


def quantitative_indicators(round_: Round) -> list:
    """The framework's quantitative indicators (the actuals an organisation submits)."""
    if round_.framework_version_id is None:
        return []
    framework = framework_for(round_)
    return [framework.indicator(code) for code in framework.quantitative_codes]


def missing_actuals(round_: Round, subject: Subject) -> list:
    """Quantitative indicators with no actual yet (those marked not applicable excluded)."""
    return _missing_actuals(round_, [subject.pk]).get(subject.pk, [])


def _missing_actuals(round_: Round, subject_ids: list[int]) -> dict[int, list]:
    """subject id → its quantitative indicators with no actual yet, in two queries."""
    indicators = quantitative_indicators(round_)
    if not indicators:
        return {}
    done: dict[int, set[str]] = defaultdict(set)
    for sid, code in Measurement.objects.filter(
            round=round_, subject_id__in=subject_ids, actual__isnull=False
    ).values_list("subject_id", "indicator"):
        done[sid].add(code)
    for sid, code in NotApplicable.objects.filter(
            round=round_, subject_id__in=subject_ids).values_list("subject_id", "indicator"):
        done[sid].add(code)
    return {sid: [ind for ind in indicators if ind.code not in done[sid]]
            for sid in subject_ids}


@dataclass(frozen=True)
class Checklist:
    """What a subject owes for a round: each applicable document with its current file,
    what is still missing, what came late, and its submission window."""

    subject: Subject
    submission: Submission
    rules: SubmissionRules
    project_year: int | None
    window: Window | None
    documents: tuple[tuple[DocumentRule, Document | None], ...]
    missing_documents: tuple[DocumentRule, ...]
    missing_actuals: tuple

    @property
    def complete(self) -> bool:
        return not self.missing_documents and not self.missing_actuals

    @property
    def missing_count(self) -> int:
        return len(self.missing_documents) + len(self.missing_actuals)

    @property
    def late_documents(self) -> list[Document]:
        return [doc for _rule, doc in self.documents if doc is not None and doc.late]


def checklist(submission: Submission) -> Checklist | None:
    """The checklist of one submission (``None``: the framework asks for no submission)."""
    found = checklists(submission.round, [submission.subject])
    return found[0] if found else None


def checklists(round_: Round, subjects) -> list[Checklist]:
    """The checklist of each of ``subjects`` in ``round_`` in a handful of queries, however
    many subjects (a round's overview page). Empty when the framework asks for no
    submission."""
    rules = rules_for(round_)
    subjects = list(subjects)
    if rules is None or not subjects:
        return []
    ids = [s.pk for s in subjects]
    submissions = {s.subject_id: s for s in Submission.objects.filter(
        round=round_, subject_id__in=ids).select_related("submitted_by")}
    current: dict[int, dict[str, Document]] = defaultdict(dict)
    for doc in Document.objects.filter(submission__in=list(submissions.values()),
                                       superseded_at__isnull=True).select_related(
                                           "uploaded_by"):
        current[doc.submission_id][doc.code] = doc
    years = dict(Schedule.objects.filter(round=round_, subject_id__in=ids)
                 .values_list("subject_id", "project_year"))
    windows_of = _windows(round_, ids)
    actuals = _missing_actuals(round_, ids)
    found = []
    for subject in subjects:
        submission = submissions.get(subject.pk) or Submission(round=round_, subject=subject)
        docs = current.get(submission.pk, {}) if submission.pk else {}
        applicable = rules.documents_for(years.get(subject.pk))
        found.append(Checklist(
            subject=subject, submission=submission, rules=rules,
            project_year=years.get(subject.pk), window=windows_of.get(subject.pk),
            documents=tuple((d, docs.get(d.code)) for d in applicable),
            missing_documents=tuple(d for d in applicable
                                    if d.required and d.code not in docs),
            missing_actuals=tuple(actuals.get(subject.pk, ()))))
    return found


def _windows(round_: Round, subject_ids: list[int]) -> dict[int, Window | None]:
    """Each subject's submission window — its own, else the round's — as
    :func:`seonggwa.schedules.domain.windows.get_window` finds it, in one query."""
    rows = list(Window.objects.filter(round=round_, code=WINDOW).filter(
        Q(subject_id__in=subject_ids) | Q(subject__isnull=True)))
    shared = next((w for w in rows if w.subject_id is None), None)
    own = {w.subject_id: w for w in rows if w.subject_id is not None}
    return {sid: own.get(sid, shared) for sid in subject_ids}
