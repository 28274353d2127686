"""The deadline sweep as a background task (django-tasks, database backend).

``sweep`` runs :func:`~seonggwa.schedules.domain.windows.tick`. Two ways to run it in
production, both needing no extra server:

- cron calling ``seonggwa tick`` every few minutes (the simplest: nothing else runs);
- the database worker ``seonggwa manage db_worker`` with the sweep enqueued once by
  ``seonggwa tick --every 5``: each run enqueues the next one ``every`` minutes later.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from seonggwa.schedules.domain.windows import tick


@task()
def sweep(every_minutes: int = 0) -> dict:
    """Open and close the windows whose day has come; with ``every_minutes``, enqueue the
    next sweep that many minutes later (a chain the worker keeps running)."""
    report = tick()
    if every_minutes > 0:
        sweep.using(run_after=timezone.now() + timedelta(minutes=every_minutes)).enqueue(
            every_minutes=every_minutes)
    return {"today": report.today.isoformat(), "opened": len(report.opened),
            "closed": len(report.closed)}
