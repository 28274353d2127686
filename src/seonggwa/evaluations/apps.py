from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "seonggwa.evaluations"
    label = "evaluations"
