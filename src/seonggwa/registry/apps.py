from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "seonggwa.registry"
    label = "registry"
