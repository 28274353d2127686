"""Notifying a round (issue 9 §6): releasing the results of 250 civic platforms, each
scored from seven members' ratings already stored — one message per subject reviewed,
an in-app notice and an e-mail per organisation user, the notice recorded, the objection
window counted from the notified date and opened, one appeal per result, all audited —
then the lapse: the objection windows close with no objection and the scheduler's tick
makes every result final and locked.

    python -m bench.appeals [--subjects 250] [--pg postgres://…]

Printed: the workload, the time of the release (and of building its review page), of the
lapse, each over two baselines on the same round — scoring it (``workflow.rescore``, the
one compute path) and bare inserts of the same appeal and notice rows (no windows, audit
or e-mail; rolled back) — and the process's peak memory. On a fresh SQLite database in a
temporary folder (default) or a fresh PostgreSQL database named after ``--pg``'s with
``_bench_appeals`` appended (dropped afterwards). E-mails go to Django's in-memory
backend (counted, not sent).
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bench.throwaway import django_on_throwaway_database, peak_mib

MEMBERS = 7
#: The notified day (a Monday) and the first day after the objection window (7 working
#: days, first day not counted: due Wednesday 4 July 2018).
RELEASE_DAY = date(2018, 6, 25)
AFTER_WINDOW = datetime(2018, 7, 5, 0, 5, tzinfo=ZoneInfo("Asia/Seoul"))


def build(count: int):
    """A civic round of ``count`` platforms, each with one contractor user (with an
    e-mail address) and seven members' ratings of both key goals plus the desk-review
    score, stored through the one write path; and an officer."""
    from django.contrib.auth import get_user_model

    from seonggwa.accounts.models import Profile, Role
    from seonggwa.evaluations.domain import frameworks, inputs, workflow
    from seonggwa.evaluations.domain.subjects import subjects_for
    from seonggwa.evaluations.models import Scheme, SubjectKind
    from seonggwa.registry.models import Organisation, OrganisationKind

    rnd = workflow.open_round(2018, 3, scheme=Scheme.CIVIC_PLATFORM,
                              framework_version=frameworks.preset_version(
                                  "seoul-civic-platform-2018"), title="벤치마크 통보")
    orgs = Organisation.objects.bulk_create([
        Organisation(kind=OrganisationKind.PLATFORM, name=f"플랫폼 {i:05d}")
        for i in range(count)], batch_size=2000)
    subjects = subjects_for(SubjectKind.PLATFORM, orgs)
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"platform-{o.pk}", email=f"p{o.pk}@example.org")
        for o in orgs], batch_size=2000)
    Profile.objects.bulk_create([Profile(user=u, role=Role.CONTRACTOR, organisation=o)
                                 for u, o in zip(users, orgs, strict=True)], batch_size=2000)
    officer = get_user_model().objects.create_user("officer")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    entries = []
    for i, o in enumerate(orgs):
        s = subjects[o.pk]
        for m in range(MEMBERS):
            entries += [inputs.RatingEntry(s, "G1", 1 + (i + m) % 5, f"위원{m + 1}"),
                        inputs.RatingEntry(s, "G2", 1 + (i * 3 + m) % 5, f"위원{m + 1}")]
        entries.append(inputs.RatingEntry(s, "Q", 40 + i % 60, "서울시 서면평가"))
    inputs.record_ratings(rnd, entries, actor_label="bench")
    return rnd, [subjects[o.pk] for o in orgs], officer


def baseline_inserts(rnd, results, officer) -> float:
    """The same appeal and notice rows inserted bare (no windows, audit, e-mail);
    rolled back."""
    from django.db import transaction

    from seonggwa.accounts.models import Profile, Role
    from seonggwa.appeals.models import Appeal, Notice, Release

    started = time.perf_counter()
    with transaction.atomic():
        batch = Release.objects.create(round=rnd, released_on=RELEASE_DAY, actor=officer,
                                       actor_label="officer", count=len(results))
        Appeal.objects.bulk_create([Appeal(result=r, release=batch, notified_on=RELEASE_DAY,
                                           message={"total": str(r.score)})
                                    for r in results], batch_size=2000)
        users = {p.organisation_id: p.user for p in
                 Profile.objects.select_related("user").filter(role=Role.CONTRACTOR)}
        Notice.objects.bulk_create([Notice(user=users[int(r.subject.object_id)],
                                           title="통보", body=str(r.score), result=r)
                                    for r in results], batch_size=2000)
        transaction.set_rollback(True)
    return time.perf_counter() - started


def run(count: int) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from seonggwa.appeals.domain import process
    from seonggwa.appeals.models import Appeal, AppealState, Notice, ResultLock
    from seonggwa.core.models import AuditEvent
    from seonggwa.evaluations.domain import workflow
    from seonggwa.evaluations.models import Rating
    from seonggwa.schedules.domain import windows

    windows.current_date = lambda: RELEASE_DAY  # the day of the release, for every deadline
    reverse("office:appeals_index")  # the URL resolver is built once per process, as served
    mail.outbox = []
    started = time.perf_counter()
    rnd, subjects, officer = build(count)
    built = time.perf_counter() - started
    ratings = Rating.objects.filter(round=rnd).count()

    started = time.perf_counter()
    results = workflow.rescore(rnd, subjects, actor_label="bench")
    scoring = time.perf_counter() - started
    bare = baseline_inserts(rnd, results, officer)

    started = time.perf_counter()
    outgoing = process.outgoing(rnd, today=RELEASE_DAY)
    review = time.perf_counter() - started
    assert len(outgoing) == count

    audit_before = AuditEvent.objects.count()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        process.release(rnd, expected=count, actor=officer, today=RELEASE_DAY)
    releasing = time.perf_counter() - started
    assert Appeal.objects.filter(state=AppealState.NOTIFIED).count() == count
    assert Notice.objects.count() == count and len(mail.outbox) == count

    windows.current_date = lambda: AFTER_WINDOW.date()
    started = time.perf_counter()
    report = windows.tick(AFTER_WINDOW)
    lapsing = time.perf_counter() - started
    assert len(report.closed) == count
    assert ResultLock.objects.count() == count
    return {"subjects": count, "ratings": ratings, "build": built, "score": scoring,
            "bare": bare, "review": review, "release": releasing,
            "queries": len(queries), "audit": AuditEvent.objects.count() - audit_before,
            "lapse": lapsing, "emails": len(mail.outbox),
            "peak_mib": peak_mib()}


def report(r: dict, backend: str) -> str:
    n = r["subjects"]
    return "\n".join([
        f"appeals bench ({backend}): notifying a round of {n:,} civic platforms, "
        f"{MEMBERS} members each ({r['ratings']:,} ratings stored), then the lapse of "
        f"every objection window",
        f"  setup (platforms, users, ratings through record_ratings): {r['build']:.1f} s "
        f"(not part of the workload)",
        f"  baseline: scoring the round (workflow.rescore, {n:,} results): "
        f"{r['score']:.2f} s",
        f"  baseline: bare inserts of the {n:,} appeals and notices (rolled back): "
        f"{r['bare'] * 1000:.0f} ms",
        f"  review page data ({n:,} messages with deadline and recipients): "
        f"{r['review'] * 1000:.0f} ms",
        f"  release: {r['release']:.2f} s = {r['release'] / n * 1000:.1f} ms per subject "
        f"({r['queries']:,} queries, {r['emails']:,} e-mails, {r['audit']:,} audit records"
        f" incl. the windows') → {r['release'] / r['score']:.1f}× scoring the round, "
        f"{r['release'] / r['bare']:,.0f}× the bare inserts",
        f"  lapse (tick closing {n:,} objection windows; every result finalised and "
        f"locked): {r['lapse']:.2f} s → {r['lapse'] / r['score']:.1f}× scoring the round",
        f"  peak memory (process RSS): {r['peak_mib']:.0f} MiB",
    ])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.appeals",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=250)
    parser.add_argument("--pg", help="PostgreSQL URL (a database *_bench_appeals is created)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 1 <= args.subjects <= 100_000:
        parser.error("--subjects: 1 to 100,000")
    # e-mails are counted in memory, not sent
    with django_on_throwaway_database("appeals", args.pg, {
            "SEONGGWA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}) as store:
        result = run(args.subjects)
    print(report(result, store))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
