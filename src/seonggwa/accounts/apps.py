from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "seonggwa.accounts"
    label = "accounts"
    verbose_name = _("사용자")

    def ready(self) -> None:
        from seonggwa.accounts.demo import on_post_migrate
        from seonggwa.core.middleware import mark_session_renewed

        # No database access here: the handler runs only after `migrate`.
        post_migrate.connect(on_post_migrate, sender=self,
                             dispatch_uid="seonggwa.accounts.disable_demo_users")
        user_logged_in.connect(mark_session_renewed,
                               dispatch_uid="seonggwa.accounts.session_renewed_at_login")
