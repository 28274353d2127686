"""Scoring sheets at round scale (issue 9 §5): a civic-platform round of 250 subjects
with 7 panel members each — every sheet opened, saved and submitted through the sheets
domain (integrity check, version kept, ratings written through the one input path), the
desk-review scores entered, then the round computed through the one compute path.

    python -m bench.sheets [--subjects 250] [--members 7] [--pg postgres://…]

Printed: the workload, the time of each stage (and per sheet), the compute's time over
the baseline — the engine's ``score_batch`` alone on the same numbers, best of 5 — and
the process's peak memory. On a fresh SQLite database in a temporary folder (default) or
a fresh PostgreSQL database named after ``--pg``'s with ``_bench_sheets`` appended
(dropped afterwards).
"""

from __future__ import annotations

import argparse
import time

from bench.throwaway import django_on_throwaway_database, peak_mib

TEXT = "주민 참여 프로그램 운영 실적 확인"  # 18 characters per text, 3 texts per goal


def rating(subject: int, member: int, goal: int) -> int:
    """A plausible panel: 3, 4 or 5 around 4 — never an outlier, never the minimum, so
    every sheet is submitted without a justification."""
    return 3 + (subject * 7 + member * 3 + goal * 5) % 3


def build(subjects: int, members: int):
    """The round, its platforms and a pool of evaluators, each subject assigned to
    ``members`` of them (a pool ten panels wide, as members sit on several panels)."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from seonggwa.accounts.models import Profile, Role
    from seonggwa.evaluations.domain import frameworks, workflow
    from seonggwa.evaluations.domain.subjects import subjects_for
    from seonggwa.evaluations.models import Assignment, Scheme, SubjectKind
    from seonggwa.registry.models import Organisation, OrganisationKind

    officer = get_user_model().objects.create_user("bench-officer", first_name="평가담당관")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    rnd = workflow.open_round(2018, 1, scheme=Scheme.CIVIC_PLATFORM,
                              framework_version=frameworks.preset_version(
                                  "seoul-civic-platform-2018"),
                              title="벤치마크 차수", start=dt.date(2018, 6, 1))
    orgs = Organisation.objects.bulk_create([
        Organisation(kind=OrganisationKind.PLATFORM, name=f"플랫폼 {i:04d}")
        for i in range(subjects)])
    by_org = subjects_for(SubjectKind.PLATFORM, orgs)
    subject_list = [by_org[o.pk] for o in orgs]
    pool_size = members * 10
    pool = get_user_model().objects.bulk_create([
        get_user_model()(username=f"bench-m{i}", first_name=f"위원{i:03d}")
        for i in range(pool_size)])
    Profile.objects.bulk_create([Profile(user=u, role=Role.EVALUATOR) for u in pool])
    Assignment.objects.bulk_create([
        Assignment(user=pool[(s * members + k) % pool_size], round=rnd, subject=subject,
                   assigned_by=officer, assigned_label="bench")
        for s, subject in enumerate(subject_list) for k in range(members)])
    panels = [[pool[(s * members + k) % pool_size] for k in range(members)]
              for s in range(len(subject_list))]
    return officer, rnd, subject_list, panels


def submit_all(rnd, subjects, panels) -> int:
    from seonggwa.sheets.domain import sheets as domain

    count = 0
    for s, (subject, panel) in enumerate(zip(subjects, panels, strict=True)):
        for m, member in enumerate(panel):
            sheet = domain.open_sheet(rnd, subject, member)
            domain.save_draft(sheet, {
                code: domain.EntryInput(value=str(rating(s, m, g)), outcomes=TEXT, limits=TEXT,
                                        improvements=TEXT)
                for g, code in enumerate(("G1", "G2"))}, actor=member)
            domain.submit(sheet, actor=member)
            count += 1
    return count


def desk_review(officer, rnd, subjects) -> None:
    from seonggwa.sheets.domain import scoring

    scoring.record_desk_review(rnd, {subject: {"Q": str(60 + s % 40)}
                                     for s, subject in enumerate(subjects)}, actor=officer)


def baseline(rnd, subjects, members: int, repeat: int = 5) -> float:
    """``score_batch`` alone on the same numbers (best of ``repeat``)."""
    import numpy as np

    from seonggwa import engine
    from seonggwa.evaluations.domain.decisions import decision_date

    framework = rnd.framework_version.framework
    n = len(subjects)
    ratings = np.full((n, 3, members), np.nan)
    for s in range(n):
        ratings[s, 0, 0] = 60 + s % 40
        for m in range(members):
            ratings[s, 1, m] = rating(s, m, 0)
            ratings[s, 2, m] = rating(s, m, 1)
    batch = engine.BatchInput(subject_ids=tuple(str(x.pk) for x in subjects), ratings=ratings)
    on = decision_date(rnd)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        engine.score_batch(framework, batch, on_date=on)
        best = min(best, time.perf_counter() - started)
    return best


def run(subjects: int, members: int) -> dict:
    from seonggwa.evaluations.models import Rating, Result
    from seonggwa.sheets.domain import scoring
    from seonggwa.sheets.models import SheetVersion

    started = time.perf_counter()
    officer, rnd, subject_list, panels = build(subjects, members)
    built = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    sheets = submit_all(rnd, subject_list, panels)
    submitted = time.perf_counter() - started
    submit_cpu = time.process_time() - cpu

    started = time.perf_counter()
    desk_review(officer, rnd, subject_list)
    desk = time.perf_counter() - started

    started = time.perf_counter()
    results = scoring.compute(rnd, actor=officer)
    computed = time.perf_counter() - started

    engine_alone = baseline(rnd, subject_list, members)
    assert len(results) == subjects and Result.objects.filter(round=rnd).count() == subjects
    assert SheetVersion.objects.count() == sheets
    return {"subjects": subjects, "members": members, "sheets": sheets,
            "ratings": Rating.objects.filter(round=rnd).count(), "build": built,
            "submit": submitted, "submit_cpu": submit_cpu, "desk": desk, "compute": computed, "engine": engine_alone,
            "peak_mib": peak_mib()}


def report(r: dict, backend: str) -> str:
    per_sheet = r["submit"] / r["sheets"] * 1000
    return "\n".join([
        f"sheets bench ({backend}): {r['subjects']:,} subjects × {r['members']} members = "
        f"{r['sheets']:,} sheets, 2 key goals + desk review each ({r['ratings']:,} ratings)",
        f"  setup (round, platforms, {r['members'] * 10} evaluators, assignments): "
        f"{r['build']:.1f} s (not part of the workload)",
        f"  submit every sheet (open, save draft, integrity check, submit, version, ratings): "
        f"{r['submit']:.1f} s = {per_sheet:.1f} ms per sheet "
        f"(of which this process's CPU {r['submit_cpu'] / r['sheets'] * 1000:.1f} ms; the rest "
        f"is the database: 3 transactions per sheet)",
        f"  desk-review scores of {r['subjects']:,} subjects (one call): {r['desk']:.2f} s",
        f"  compute the round (rescore → draft results, outcomes, audit): {r['compute']:.2f} s",
        f"  baseline: engine score_batch alone on the same numbers: "
        f"{r['engine'] * 1000:.2f} ms → compute is {r['compute'] / r['engine']:,.0f}× the "
        f"engine (reading inputs, writing {r['subjects']:,} results with their outcomes)",
        f"  total (submit + desk + compute): {r['submit'] + r['desk'] + r['compute']:.1f} s",
        f"  peak memory (process RSS): {r['peak_mib']:.0f} MiB",
    ])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.sheets",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=250)
    parser.add_argument("--members", type=int, default=7)
    parser.add_argument("--pg", help="PostgreSQL URL (a database *_bench_sheets is created)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.subjects < 1 or not 5 <= args.members <= 50:
        parser.error("--subjects ≥ 1 and 5 ≤ --members ≤ 50 (the framework needs 5 members)")
    with django_on_throwaway_database("sheets", args.pg) as store:
        result = run(args.subjects, args.members)
    print(report(result, store))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
