"""Two people at the same moment, each in their own database connection: a double
submission is submitted once and refused once; two uploads of the same document become
versions 1 and 2, never a lost file or an error. (PostgreSQL: SQLite's test database runs
every connection on one in-memory file and has no row locks to test.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from seonggwa.core.models import AuditEvent
from seonggwa.submissions.domain import submitting
from seonggwa.submissions.models import Document, State, Submission
from submissions.conftest import DUE, build_world
from submissions.files import pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]


def at_once(*calls) -> list[str]:
    """Run each call in its own thread and connection, all released together; what each
    returned ("done") or the refusal it raised."""
    start = threading.Barrier(len(calls), timeout=20)
    outcomes: list[str] = [""] * len(calls)

    def run(i, call):
        try:
            start.wait()
            call()
            outcomes[i] = "done"
        except submitting.SubmissionRefused as exc:
            outcomes[i] = " ".join(exc.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_a_double_submission_is_submitted_once(django_user_model, media):
    w = build_world(django_user_model)
    firm, officer = w.users["contractor of the subject"], w.users["officer"]
    for code in ("result_report", "indicator_table", "self_evaluation_head",
                 "self_evaluation_members"):
        submitting.upload(w.round, w.ours, code, name="a.pdf", data=pdf(), actor=firm,
                          today=DUE)
    outcomes = at_once(
        lambda: submitting.submit(w.round, w.ours, actor=firm, today=DUE),
        lambda: submitting.submit(w.round, w.ours, actor=officer, today=DUE))
    assert sorted(o == "done" for o in outcomes) == [False, True], outcomes
    assert "제출 완료 상태에서는" in next(o for o in outcomes if o != "done")
    assert Submission.objects.get().state == State.SUBMITTED
    assert AuditEvent.objects.filter(action="submission.submit").count() == 1
    assert connection.vendor == "postgresql"


def test_two_uploads_at_once_become_two_versions(django_user_model, media):
    w = build_world(django_user_model)
    firm, officer = w.users["contractor of the subject"], w.users["officer"]
    outcomes = at_once(*[
        (lambda who=who, text=text: submitting.upload(
            w.round, w.ours, "result_report", name=f"{text}.pdf", data=pdf(text), actor=who,
            today=DUE))
        for who, text in ((firm, "기관"), (officer, "담당관"))])
    assert outcomes == ["done", "done"]
    versions = sorted((d.version, d.superseded_at is None) for d in Document.objects.all())
    assert versions == [(1, False), (2, True)]
    assert len([p for p in media.rglob("*.pdf")]) == 2
