from django.core.management.base import BaseCommand, CommandError

from seonggwa.data.seoul.reader import SeoulDataError
from seonggwa.examples.civic_platform import load_civic_platform_2018
from seonggwa.examples.seoul import SeoulLoadError, load_seoul


class Command(BaseCommand):
    help = ("서울시 민간위탁 종합성과평가 공개자료와 2018 시민협력플랫폼 성과평가 계획을 적재합니다 "
            "(여러 번 실행해도 같은 결과). Load Seoul's published outsourcing-evaluation data and "
            "the 2018 civic-platform plan (idempotent, atomic).")

    def handle(self, *args, **options):
        try:
            report = load_seoul()
            civic = load_civic_platform_2018()
        except (SeoulDataError, SeoulLoadError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"load_seoul: {report.summary()}"))
        self.stdout.write(self.style.SUCCESS(f"civic platform 2018: {civic.summary()}"))
