from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "seonggwa.office"
    label = "office"
