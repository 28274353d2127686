"""The deadline sweep at scale (issue 9 §2): ``tick`` over 10,000 open windows whose last
day has passed — each closed through the window's state machine (guarded bulk update,
one audit record per window, its ``window_closed`` signal) — then the sweep cron runs
every few minutes when nothing is due, over 10,000 open windows still in time.

    python -m bench.schedules [--windows 10000] [--pg postgres://…]

Printed: the workload, the time of each sweep, the closing sweep's time over two
baselines on the same rows — a bare query reading them and a bare UPDATE closing them
(no audit, no signals; rolled back) —, the same sweep with the signal receivers the other
parts install, and the process's peak memory. On a fresh SQLite
database in a temporary folder (default) or a fresh PostgreSQL database named after
``--pg``'s with ``_bench_schedules`` appended (dropped afterwards).
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.throwaway import django_on_throwaway_database, peak_mib

CODES = ("submission", "notification", "objection", "report")
#: The day of the sweep (Asia/Seoul): the due windows ended the day before.
SWEEP_DAY = date(2018, 9, 12)


def build(count: int, *, number: int, due: date):
    """``count`` open windows in a civic-platform round ``number`` of 2018: four codes
    per district platform, opened 2018-08-27, last day ``due``."""
    from seonggwa.evaluations.domain import frameworks, workflow
    from seonggwa.evaluations.domain.subjects import subjects_for
    from seonggwa.evaluations.models import Scheme, SubjectKind
    from seonggwa.registry.models import Organisation, OrganisationKind
    from seonggwa.schedules.models import Window, WindowState

    rnd = workflow.open_round(2018, number, scheme=Scheme.CIVIC_PLATFORM,
                              framework_version=frameworks.preset_version(
                                  "seoul-civic-platform-2018"),
                              title=f"벤치마크 {number}차")
    platforms = -(-count // len(CODES))
    orgs = Organisation.objects.bulk_create([
        Organisation(kind=OrganisationKind.PLATFORM, name=f"플랫폼 {number}-{i:05d}")
        for i in range(platforms)], batch_size=2000)
    subjects = subjects_for(SubjectKind.PLATFORM, orgs)
    rows = [Window(round=rnd, subject=subjects[o.pk], code=code, label=code,
                   opens_on=date(2018, 8, 27), due_on=due, unit="working",
                   state=WindowState.OPEN)
            for o in orgs for code in CODES][:count]
    Window.objects.bulk_create(rows, batch_size=2000)
    return rnd


def baselines(today: date) -> tuple[float, float]:
    """A bare query reading the due windows, and a bare UPDATE closing them (rolled
    back): what the sweep costs at the least."""
    from django.db import transaction

    from seonggwa.schedules.models import Window, WindowState

    due = Window.objects.filter(state=WindowState.OPEN, due_on__lt=today)
    started = time.perf_counter()
    rows = list(due.values_list("pk", "round_id", "subject_id", "code", "due_on"))
    read = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        changed = due.update(state=WindowState.CLOSED)
        transaction.set_rollback(True)
    update = time.perf_counter() - started
    assert changed == len(rows)
    return read, update


def _receivers_off(signal):
    """Disconnect every receiver of ``signal``; returns a function that reconnects them."""
    saved = list(signal.receivers)
    signal.receivers.clear()
    signal.sender_receivers_cache.clear()

    def restore():
        signal.receivers[:] = saved
        signal.sender_receivers_cache.clear()
    return restore


def run(count: int) -> dict:
    from django.dispatch import receiver

    from seonggwa.core.models import AuditEvent
    from seonggwa.schedules import signals
    from seonggwa.schedules.domain.windows import tick
    from seonggwa.schedules.models import Window, WindowState

    now = datetime(SWEEP_DAY.year, SWEEP_DAY.month, SWEEP_DAY.day, 0, 5,
                   tzinfo=ZoneInfo("Asia/Seoul"))
    received = []

    def count_closed(sender, window, **kwargs):  # the least a receiver does
        received.append(window.pk)

    started = time.perf_counter()
    build(count, number=1, due=SWEEP_DAY - timedelta(days=1))
    build(count, number=2, due=SWEEP_DAY + timedelta(days=10))
    built = time.perf_counter() - started
    installed = len(signals.window_closed.receivers)

    # 1. The sweep alone: the only receiver counts the signals.
    read, update = baselines(SWEEP_DAY)
    restore = _receivers_off(signals.window_closed)
    receiver(signals.window_closed)(count_closed)
    audit_before = AuditEvent.objects.count()
    started = time.perf_counter()
    alone = tick(now)
    closing = time.perf_counter() - started
    assert len(alone.closed) == count and not alone.opened and len(received) == count
    assert AuditEvent.objects.count() - audit_before == count
    signals.window_closed.disconnect(count_closed)
    restore()

    # 2. The idle sweep cron pays every few minutes: nothing due.
    started = time.perf_counter()
    idle = tick(now)
    idle_time = time.perf_counter() - started
    assert not idle.closed and not idle.opened

    # 3. The same closing sweep with the receivers the other parts install.
    build(count, number=3, due=SWEEP_DAY - timedelta(days=1))
    started = time.perf_counter()
    full = tick(now)
    with_receivers = time.perf_counter() - started
    assert len(full.closed) == count
    assert Window.objects.filter(state=WindowState.OPEN).count() == count
    return {"windows": count, "build": built, "close": closing, "idle": idle_time,
            "read": read, "update": update, "with_receivers": with_receivers,
            "receivers": installed,
            "peak_mib": peak_mib()}


def report(r: dict, backend: str) -> str:
    n = r["windows"]
    return "\n".join([
        f"schedules bench ({backend}): the deadline sweep (tick) over {n:,} open windows past "
        f"their last day, beside {n:,} open windows still in time",
        f"  setup ({3 * n:,} windows, {3 * -(-n // len(CODES)):,} platforms): "
        f"{r['build']:.1f} s (not part of the workload)",
        f"  closing sweep: {r['close']:.2f} s = {r['close'] / n * 1e6:.0f} µs per window "
        f"(lock, state machine, {n:,} audit records, {n:,} window_closed signals to a "
        f"receiver that only counts them)",
        f"  baseline: a bare query reading the same {n:,} rows: {r['read'] * 1000:.1f} ms "
        f"→ the sweep is {r['close'] / r['read']:,.0f}× that",
        f"  baseline: a bare UPDATE closing them (no audit, no signals): "
        f"{r['update'] * 1000:.1f} ms → the sweep is {r['close'] / r['update']:,.0f}× that",
        f"  idle sweep (nothing due, {n:,} open windows in time; what cron pays every few "
        f"minutes): {r['idle'] * 1000:.1f} ms",
        f"  closing sweep with the {r['receivers']} receiver(s) other parts install "
        f"(e.g. appeals finalising lapsed objections): {r['with_receivers']:.2f} s = "
        f"{r['with_receivers'] / n * 1e6:.0f} µs per window",
        f"  peak memory (process RSS): {r['peak_mib']:.0f} MiB",
    ])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.schedules",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows", type=int, default=10_000)
    parser.add_argument("--pg", help="PostgreSQL URL (a database *_bench_schedules is created)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 1 <= args.windows <= 1_000_000:
        parser.error("--windows: 1 to 1,000,000")
    with django_on_throwaway_database("schedules", args.pg) as store:
        result = run(args.windows)
    print(report(result, store))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
