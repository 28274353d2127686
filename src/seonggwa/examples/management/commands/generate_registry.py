import time

from django.core.management.base import BaseCommand, CommandError

from seonggwa.examples.synthetic import GeneratorRefused, analyze, generate_registry

MAX_SERVICES = 50_000


class Command(BaseCommand):
    help = ("가상 위탁사무 N개의 등록부를 만듭니다 (페이지·what-if 성능 확인용, 별도 DB 권장). "
            "끝에 데이터베이스 통계를 갱신합니다 (SQLite ANALYZE, PostgreSQL VACUUM ANALYZE). "
            "Generate a synthetic registry of N services, then refresh the planner's "
            "statistics.")

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=10_000,
                            help=f"number of services, 1–{MAX_SERVICES:,} (default 10,000)")
        parser.add_argument("--years", default="2018-2023", help="first-last, e.g. 2018-2023")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--allow-mixed", action="store_true",
                            help="allow adding generated results beside real ones")
        parser.add_argument("--no-analyze", action="store_true",
                            help="skip ANALYZE / VACUUM ANALYZE at the end")

    def handle(self, *args, **o):
        if not 1 <= o["services"] <= MAX_SERVICES:
            raise CommandError(f"--services must be between 1 and {MAX_SERVICES:,}")
        try:
            first, last = (int(x) for x in o["years"].split("-"))
        except ValueError:
            raise CommandError("--years must look like 2018-2023") from None
        started = time.perf_counter()
        try:
            summary = generate_registry(o["services"], (first, last), seed=o["seed"],
                                        allow_mixed=o["allow_mixed"])
        except GeneratorRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"generate_registry: {summary}"))
        if not o["no_analyze"]:
            analysed = time.perf_counter()
            how = analyze()
            if how:
                self.stdout.write(f"{how}: {time.perf_counter() - analysed:.1f} s "
                                  "(planner statistics refreshed)")
        self.stdout.write(f"total: {time.perf_counter() - started:.1f} s")
