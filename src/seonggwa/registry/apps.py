from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "seonggwa.registry"
    label = "registry"

    def ready(self) -> None:
        from seonggwa.registry import checks  # noqa: F401  (registers the key check)
