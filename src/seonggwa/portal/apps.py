from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_tables(**kwargs):
    """The database cache's table (settings.CACHES), created with the schema: ``migrate``
    (run by ``seonggwa serve``) leaves every app server with a shared page cache."""
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class PortalConfig(AppConfig):
    name = "seonggwa.portal"
    label = "portal"

    def ready(self):
        from django.apps import apps

        # sent for apps with models only (the portal has none): after the evaluations app
        post_migrate.connect(_create_cache_tables, sender=apps.get_app_config("evaluations"),
                             dispatch_uid="seonggwa.portal.createcachetable")
