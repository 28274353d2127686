from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "seonggwa.sheets"
    label = "sheets"
    verbose_name = _("평가표")

    def ready(self) -> None:
        from seonggwa.core.process import register_section
        from seonggwa.sheets.domain import rules

        register_section(rules.SECTION, rules.problems)
