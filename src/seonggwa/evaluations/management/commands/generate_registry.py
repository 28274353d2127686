from django.core.management.base import BaseCommand, CommandError

from seonggwa.evaluations.domain.synthetic import GeneratorRefused, generate_registry


class Command(BaseCommand):
    help = ("가상 위탁사무 N개의 등록부를 만듭니다 (페이지·what-if 성능 확인용, 별도 DB 권장). "
            "Generate a synthetic registry of N services.")

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=10_000)
        parser.add_argument("--years", default="2018-2023", help="first-last, e.g. 2018-2023")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--allow-mixed", action="store_true",
                            help="allow adding generated results beside real ones")

    def handle(self, *args, **o):
        try:
            first, last = (int(x) for x in o["years"].split("-"))
        except ValueError:
            raise CommandError("--years must look like 2018-2023") from None
        try:
            summary = generate_registry(o["services"], (first, last), seed=o["seed"],
                                        allow_mixed=o["allow_mixed"])
        except GeneratorRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"generate_registry: {summary}"))
