from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "seonggwa.appeals"
    label = "appeals"
    verbose_name = _("통보·이의신청")

    def ready(self) -> None:
        from seonggwa.appeals.domain import rules
        from seonggwa.core.process import register_section

        register_section(rules.SECTION, rules.problems)
