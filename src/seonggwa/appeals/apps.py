"""Notification of results, the in-app notice list, the one objection, re-review and the final lock."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "seonggwa.appeals"
    label = "appeals"
    verbose_name = _("통보·이의신청")

    def ready(self) -> None:
        from seonggwa.appeals import vocabulary  # noqa: F401  (registers the audit words)
        from seonggwa.appeals.domain import dblock, guards, process, rules
        from seonggwa.core.process import register_section
        from seonggwa.evaluations.domain import workflow
        from seonggwa.schedules import signals

        register_section(rules.SECTION, rules.problems)
        if guards.refusals not in workflow.RESULT_GUARDS:
            workflow.RESULT_GUARDS.append(guards.refusals)
        signals.window_closed.connect(process.on_window_closed,
                                      dispatch_uid="seonggwa.appeals.lapse")
        post_migrate.connect(dblock.reinstall_after_migrate, sender=self,
                             dispatch_uid="seonggwa.appeals.result_lock")

    @staticmethod
    def lifted_for_flush(connection):
        """The result lock's triggers, down for a whole-database flush (core's flush
        command lifts every app's guard it finds here)."""
        from seonggwa.appeals.domain import dblock

        return dblock.lifted(connection)
