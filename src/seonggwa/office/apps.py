from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "seonggwa.office"
    label = "office"

    def ready(self) -> None:
        from seonggwa.office import vocabulary  # noqa: F401  (registers the audit words)
