"""Public search ignores spacing and finds every service of every year, including the
2022/2023 services known only from their narratives; open data covers the published
summaries and narratives; drafts never reach public figures (issue 7 items 2, 16, 17).

Every expected figure is recomputed from the stored rows or read from the seed text."""

from __future__ import annotations

import csv
import io
import json
import re

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.search import search_key
from seonggwa.data.seoul import reader
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import Narrative, PublishedSummary, Result, Status
from seonggwa.examples.seoul import load_seoul
from seonggwa.registry.models import Service

from .test_portal_pages import body_of


def _count(html: str) -> int:
    m = re.search(r'<p class="count" role="status">\D*([\d,]+)', html)
    return int(m.group(1).replace(",", ""))


class SeoulPortalCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()


class SpacingInsensitiveSearchTests(SeoulPortalCase):
    def expected(self, q: str) -> set[int]:
        key = search_key(q)
        found = set()
        for r in Result.objects.published().select_related("service", "department"):
            texts = (r.service_name, r.service.name, r.contractor_name,
                     r.department.name if r.department else "")
            if any(key in search_key(t) for t in texts):
                found.add(r.pk)
        return found

    def test_spacing_does_not_matter_on_either_side(self):
        url = reverse("portal:results")
        for q in ("서울시 청년", "서울시청년", "서울 시청 년", "마을공동체종합지원센터"):
            expected = self.expected(q)
            self.assertTrue(expected, q)
            html = self.client.get(url, {"q": q}).content.decode()
            self.assertEqual(_count(html), len(expected), q)
        # both spellings of the same search give the same rows
        a = self.client.get(url, {"q": "서울시 청년허브"}).content.decode()
        b = self.client.get(url, {"q": "서울시청년허브"}).content.decode()
        self.assertEqual(_count(a), _count(b))

    def test_services_known_only_from_narratives_are_found(self):
        url = reverse("portal:results")
        for n in Narrative.objects.filter(round__published_only=True).select_related(
                "service", "round__year"):
            q = n.service_name.replace(" ", "")[:12]  # typed without spaces
            html = self.client.get(url, {"q": q}).content.decode()
            self.assertIn(reverse("portal:service", args=[n.service.key]), html, q)
        # 2022 can be chosen in the year filter: its 7 services are listed
        html = self.client.get(url, {"year": 2022}).content.decode()
        shown = set(re.findall(r'href="/services/(svc-\d+)/"', html))
        expected = set(Narrative.objects.filter(round__year__year=2022)
                       .values_list("service__key", flat=True))
        self.assertEqual(len(expected), 7)
        self.assertEqual(shown, expected)


class PublishedOpenDataTests(SeoulPortalCase):
    def rows(self, dataset: str) -> list[dict]:
        response = self.client.get(reverse("portal:open_data_dataset", args=[dataset, "csv"]))
        self.assertEqual(response.status_code, 200)
        text = body_of(response).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def test_summaries_at_their_published_precision(self):
        rows = {(r["year"], r["round"]): r for r in self.rows("summaries")}
        self.assertEqual(len(rows), PublishedSummary.objects.count())
        for s in reader.load_rounds():
            row = rows[(str(s.year), "" if s.round is None else str(s.round))]
            for yaml_name, column in (("average", "average"),
                                      ("below_threshold_share", "below_share"),
                                      ("previous_year_difference", "change_vs_previous"),
                                      ("multi_year_average", "multi_year_average")):
                figure = getattr(s, yaml_name)
                if figure.stated:  # the figure as printed in the seed
                    self.assertEqual(row[column], str(figure.value), (s.year, column))
        self.assertEqual(rows[("2022", "3")]["below_share"], "43")
        self.assertEqual(rows[("2022", "3")]["change_vs_previous"], "-6.3")
        self.assertEqual(rows[("2022", "3")]["scores_published"], "False")
        self.assertTrue(rows[("2022", "3")]["source_file"].startswith("000_"))
        self.assertIn("종합성과평가", rows[("2022", "3")]["source_document"])

    def test_narratives_every_item_of_2022_and_2023(self):
        rows = self.rows("narratives")
        expected = 0
        for n in Narrative.objects.prefetch_related("items"):
            expected += (1 if n.scope else 0) + n.items.count()
        self.assertEqual(len(rows), expected)
        self.assertEqual({r["year"] for r in rows}, {"2022", "2023"})
        seed = {(n.year, n.order): n for n in reader.load_narratives()}
        for r in rows:
            n = seed[(int(r["year"]), int(r["order"]))]
            if r["kind"] == "achievement":
                self.assertEqual(r["text"], n.achievements[int(r["item_order"]) - 1])
            elif r["kind"] == "improvement":
                self.assertEqual(r["text"], n.improvements[int(r["item_order"]) - 1])
        data = json.loads(body_of(self.client.get(
            reverse("portal:open_data_dataset", args=["narratives", "json"]))))
        self.assertEqual(data["count"], expected)
        page = self.client.get(reverse("portal:open_data")).content.decode()
        for dataset in ("summaries", "narratives"):
            for fmt in ("csv", "xlsx", "json"):
                self.assertIn(reverse("portal:open_data_dataset", args=[dataset, fmt]), page)


class DraftsTests(SeoulPortalCase):
    """A 2024 round with draft results: office cards count and label them, public pages
    never show them."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rnd = workflow.open_round(2024, 1, actor_label="test")
        cls.scores = ["70.25", "81.50", "90.00"]
        for i, score in enumerate(cls.scores):
            svc = Service.objects.create(key=f"svc-9{i:03d}", name=f"초안 사무 {i}")
            workflow.record_result(service=svc, round=rnd, score=score)
        cls.officer = User.objects.create_user("officer")
        Profile.objects.create(user=cls.officer, role=Role.OFFICER)

    def test_office_labels_the_draft_year_and_names_the_compared_year(self):
        self.client.force_login(self.officer)
        html = self.client.get(reverse("office:dashboard")).content.decode()
        card = html.split('id="card-2024"', 1)[1].split("</section>", 1)[0]
        self.assertIn("초안 포함 (작성 중)", card)
        self.assertIn("공개되지 않은 결과 3건", card)
        from decimal import Decimal
        mean = sum(Decimal(s) for s in self.scores) / len(self.scores)
        self.assertIn(f"{mean:.2f}점", card)
        # compared with 2020, the previous year with results (2021 had none; 2022 and
        # 2023 published only a round's summary)
        self.assertIn("직전 평가(2020년) 대비", card)
        self.assertIn("2024 (초안)", html)  # the trend point says so too

    def test_public_pages_never_show_drafts(self):
        self.assertFalse(Result.objects.filter(round__year__year=2024,
                                               status=Status.PUBLISHED).exists())
        html = self.client.get(reverse("portal:home")).content.decode()
        self.assertNotIn("card-2024", html)
        self.assertNotIn("초안", html)
        self.assertEqual(self.client.get(reverse("portal:year", args=[2024])).status_code, 404)

    def test_the_distribution_of_a_draft_year_says_so(self):
        self.client.force_login(self.officer)
        html = self.client.get(reverse("office:dashboard"), {"year": 2024}).content.decode()
        self.assertIn("이 분포에는 공개되지 않은 결과 3건이 들어 있습니다.", html)
        html = self.client.get(reverse("office:dashboard"), {"year": 2020}).content.decode()
        self.assertNotIn("이 분포에는 공개되지 않은", html)
