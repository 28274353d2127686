from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "seonggwa.portal"
    label = "portal"
