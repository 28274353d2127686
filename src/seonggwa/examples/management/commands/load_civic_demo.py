"""The civic-platform demonstration on top of the 2018 plan: demo accounts for every role,
panels, synthetic sheets and results (marked synthetic), one district left to walk
through. DEBUG only; ``seonggwa run`` calls it after ``load_seoul`` and ``demo_users``."""

from django.core.management.base import BaseCommand, CommandError

from seonggwa.accounts.demo import DemoRefused
from seonggwa.examples.civic_platform import load_civic_demo, load_civic_platform_2018


class Command(BaseCommand):
    help = ("2018 시민협력플랫폼 시연 자료(시연 계정, 평가단, 합성 평가표와 결과)를 적재합니다 "
            "(디버그 모드에서만). Load the civic-platform demonstration (debug only).")

    def handle(self, *args, **options):
        try:
            load_civic_platform_2018()
            report = load_civic_demo()
        except DemoRefused as exc:
            raise CommandError("load_civic_demo runs only with SEONGGWA_DEBUG=1 (local use).") from exc
        self.stdout.write(self.style.SUCCESS(f"civic platform 2018 demo: {report.summary()}"))
