from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "seonggwa.submissions"
    label = "submissions"
    verbose_name = _("제출")

    def ready(self) -> None:
        from seonggwa.core.process import register_section
        from seonggwa.submissions import vocabulary  # noqa: F401  (registers the audit words)
        from seonggwa.submissions.domain import rules

        register_section(rules.SECTION, rules.problems)
