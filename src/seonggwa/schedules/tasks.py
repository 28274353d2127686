"""The deadline sweep as a background task (django-tasks, database backend).

``sweep`` runs :func:`~seonggwa.schedules.domain.windows.tick`. Two ways to run it in
production, neither needing an extra server:

- cron calling ``seonggwa tick`` every few minutes (nothing else runs);
- the database worker ``seonggwa manage db_worker``, with the sweep started once by
  ``seonggwa tick --every 5``: each run first enqueues the next one ``every`` minutes
  later, so a failing sweep does not stop the chain.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from seonggwa.schedules.domain.windows import tick


@task()
def sweep(every_minutes: int = 0) -> dict:
    """Open and close the windows whose day has come; with ``every_minutes``, enqueue the
    next sweep that many minutes later (a chain the worker keeps running)."""
    if every_minutes > 0:
        sweep.using(run_after=timezone.now() + timedelta(minutes=every_minutes)).enqueue(
            every_minutes=every_minutes)
    report = tick()
    return {"today": report.today.isoformat(), "opened": len(report.opened),
            "closed": len(report.closed)}


def start_chain(every_minutes: int) -> bool:
    """Enqueue the first sweep of a chain unless one is already waiting or running (with
    the database backend); ``False`` when one was."""
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        task_path=sweep.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING))
    if pending.exists():
        return False
    sweep.enqueue(every_minutes=every_minutes)
    return True
