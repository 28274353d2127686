from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "seonggwa.panels"
    label = "panels"
    verbose_name = _("평가단")

    def ready(self) -> None:
        from seonggwa.core.process import register_section
        from seonggwa.panels import vocabulary  # noqa: F401  (registers the audit words)
        from seonggwa.panels.domain import rules

        register_section(rules.SECTION, rules.problems)
