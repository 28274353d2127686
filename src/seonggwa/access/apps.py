from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "seonggwa.access"
    label = "access"
    verbose_name = "access policy"

    def ready(self) -> None:
        from seonggwa.access import registry

        registry.register()
