from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "seonggwa.core"
    label = "core"
    verbose_name = _("공통")

    def ready(self) -> None:
        from seonggwa.core.appendonly import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, sender=self,
                             dispatch_uid="seonggwa.core.audit_append_only")
