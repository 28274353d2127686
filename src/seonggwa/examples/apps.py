from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamplesConfig(AppConfig):
    name = "seonggwa.examples"
    label = "examples"
    verbose_name = _("기본 예제")
