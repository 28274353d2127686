from django.core.management.base import BaseCommand, CommandError

from seonggwa.data.seoul.reader import SeoulDataError
from seonggwa.evaluations.domain.seoul import SeoulLoadError, load_seoul


class Command(BaseCommand):
    help = ("서울시 민간위탁 종합성과평가 공개자료를 적재합니다 (여러 번 실행해도 같은 결과). "
            "Load Seoul's published outsourcing-evaluation data (idempotent, atomic).")

    def handle(self, *args, **options):
        try:
            report = load_seoul()
        except (SeoulDataError, SeoulLoadError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"load_seoul: {report.summary()}"))
