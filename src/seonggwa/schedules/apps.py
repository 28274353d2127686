from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "seonggwa.schedules"
    label = "schedules"
    verbose_name = _("일정·기한")

    def ready(self) -> None:
        from seonggwa.core.process import register_section
        from seonggwa.schedules import vocabulary  # noqa: F401  (registers the audit words)
        from seonggwa.schedules.domain import rules

        register_section(rules.SECTION, rules.problems)
