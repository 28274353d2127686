"""Public pages and open-data files are built once per published data version: a cached page
costs one query (the version), a publish or a correction shows on the next request on every
app server, and nothing personal is ever cached."""

from __future__ import annotations

import re
import shutil
import tempfile
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import PublishedDataVersion, Result, Status
from seonggwa.examples.seoul import load_seoul
from seonggwa.portal import cache as page_cache
from seonggwa.registry.domain import changes
from seonggwa.registry.models import Organisation, OrganisationKind

TWO_LOCAL_SERVERS = {  # two app servers, each with its own process-local cache
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "server-a"},
    "b": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "server-b"},
}
TWO_SERVERS_ONE_TABLE = {  # two app servers sharing the database cache table
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "seonggwa_cache"},
    "b": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
          "LOCATION": "seonggwa_cache"},
}


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


class CachedPortalTestCase(TestCase):
    caches = TWO_LOCAL_SERVERS

    @classmethod
    def setUpClass(cls):
        cls.var_dir = tempfile.mkdtemp(prefix="seonggwa-cache-test-")
        cls._settings = override_settings(CACHES=cls.caches, SEONGGWA_PUBLIC_CACHE=True,
                                          VAR_DIR=cls.var_dir)
        cls._settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._settings.disable()
        shutil.rmtree(cls.var_dir, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        load_seoul()
        cls.shown = (Result.objects.published().select_related("service")
                     .filter(round__year__year=2020).order_by("seq").first())
        cls.hidden = Result.objects.get(service__key="svc-0001", round__year__year=2018)
        Result.objects.filter(pk=cls.hidden.pk).update(status=Status.FINALISED)
        cls.officer = get_user_model().objects.create_user("officer")
        Profile.objects.create(user=cls.officer, role=Role.OFFICER)

    def setUp(self):
        from django.core.cache import caches

        for alias in self.caches:
            caches[alias].clear()

    def get(self, url, alias="default", client=None, **params):
        with override_settings(SEONGGWA_PAGE_CACHE_ALIAS=alias):
            return (client or Client()).get(url, params)


class PageCacheTests(CachedPortalTestCase):
    def test_second_request_is_served_with_only_the_version_lookup(self):
        for url in (reverse("portal:home"), reverse("portal:results"),
                    reverse("portal:year", args=[2020]), reverse("portal:open_data"),
                    reverse("portal:service", args=[self.shown.service.key])):
            with self.subTest(url=url):
                first = self.get(url)
                self.assertEqual(first.status_code, 200)
                with self.assertNumQueries(1):
                    second = self.get(url)
                self.assertEqual(second["X-Page-Cache"], "hit")
                self.assertEqual(without_tokens(second.content.decode()),
                                 without_tokens(first.content.decode()))
                self.assertIn("Cookie", second["Vary"])

    def test_query_string_and_language_are_part_of_the_key(self):
        url = reverse("portal:results")
        self.get(url, sort="-score")
        by_score = self.get(url, sort="-score").content.decode()
        by_year = self.get(url).content.decode()
        self.assertNotEqual(without_tokens(by_score), without_tokens(by_year))
        korean = self.get(url).content.decode()
        english = Client(headers={"accept-language": "en"}).get(url).content.decode()
        self.assertIn('lang="ko"', korean)
        self.assertIn('lang="en"', english)

    def test_publishing_shows_on_the_next_request_on_every_server(self):
        url = reverse("portal:year", args=[2018])
        name = self.hidden.service_name
        for alias in self.caches:  # both servers have the page cached
            self.assertNotIn(name, self.get(url, alias).content.decode())
            self.assertEqual(self.get(url, alias)["X-Page-Cache"], "hit")
        workflow.publish_result(Result.objects.get(pk=self.hidden.pk), actor_label="test")
        for alias in self.caches:
            with self.subTest(server=alias):
                after = self.get(url, alias)
                self.assertNotIn("X-Page-Cache", after)
                self.assertIn(name, after.content.decode())

    def test_a_correction_shows_on_the_next_request(self):
        url = reverse("portal:results")
        params = {"year": 2020, "q": self.shown.service_name}
        self.get(url, **params)
        self.assertEqual(self.get(url, **params)["X-Page-Cache"], "hit")
        new = Decimal("12.34")
        self.assertNotEqual(self.shown.score, new)
        workflow.amend_result(self.shown, new, "오기 정정", actor_label="test")
        for alias in self.caches:
            with self.subTest(server=alias):
                html = self.get(url, alias, **params).content.decode()
                self.assertIn("12.34", html)

    def test_drafts_do_not_move_the_version(self):
        version = PublishedDataVersion.current()
        rnd = workflow.open_round(2030, 1, actor_label="test")
        workflow.record_result(service=self.shown.service, round=rnd, score="70")
        self.assertEqual(PublishedDataVersion.current(), version)

    def test_a_renamed_service_shows_its_new_name_on_the_next_request(self):
        service = self.shown.service
        url = reverse("portal:service", args=[service.key])
        for alias in self.caches:  # both servers have the page cached
            self.get(url, alias)
            self.assertEqual(self.get(url, alias)["X-Page-Cache"], "hit")
        changes.update_service(service, name="새 이름의 위탁사무", actor_label="test")
        for alias in self.caches:
            with self.subTest(server=alias):
                after = self.get(url, alias)
                self.assertNotIn("X-Page-Cache", after)
                self.assertIn("새 이름의 위탁사무", after.content.decode())

    def test_a_service_moved_to_another_department_shows_on_the_next_request(self):
        service = self.shown.service
        other = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).exclude(
            pk=service.department_id).order_by("name").first()
        url = reverse("portal:service", args=[service.key])
        self.get(url)
        changes.update_service(service, department=other, actor_label="test")
        self.assertIn(other.name, self.get(url).content.decode())

    def test_registry_changes_the_public_never_sees_do_not_move_the_version(self):
        version = PublishedDataVersion.current()
        service = self.shown.service
        changes.update_service(service, notes="내부 메모", annual_cost="1,000,000",
                               actor_label="test")
        changes.record_inspection_finding(service, year=2020, count=2, actor_label="test")
        changes.create_service(key="svc-new", name="새 사무", actor_label="test")
        self.assertEqual(PublishedDataVersion.current(), version)

    def test_logged_in_pages_are_never_cached_nor_served_from_the_cache(self):
        url = reverse("portal:home")
        self.get(url)
        officer = Client()
        officer.force_login(self.officer)
        for _ in range(2):
            response = officer.get(url)
            self.assertNotIn("X-Page-Cache", response)
            self.assertIn("업무 화면", response.content.decode())  # the officer's own page
        anonymous = self.get(url)
        self.assertEqual(anonymous["X-Page-Cache"], "hit")
        self.assertNotIn("업무 화면", anonymous.content.decode())

    def test_a_cached_page_carries_the_visitors_own_csrf_token(self):
        url = reverse("portal:home")
        self.get(url)  # cached by someone else
        visitor = Client(enforce_csrf_checks=True)
        page = self.get(url, client=visitor)
        self.assertEqual(page["X-Page-Cache"], "hit")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                          page.content.decode()).group(1)
        self.assertNotEqual(token, page_cache.CSRF_PLACEHOLDER)
        self.assertIn("csrftoken", page.cookies)  # the cookie the token belongs to
        switched = visitor.post(reverse("set_language"),
                                {"language": "en", "next": "/",
                                 "csrfmiddlewaretoken": token})
        self.assertEqual(switched.status_code, 302)


class SharedDatabaseCacheTests(CachedPortalTestCase):
    """Two app servers on one database cache table (the default with debug off)."""

    caches = TWO_SERVERS_ONE_TABLE

    @classmethod
    def setUpTestData(cls):
        call_command("createcachetable", verbosity=0)
        super().setUpTestData()

    def test_one_server_caches_the_other_serves_and_a_publish_reaches_both(self):
        url = reverse("portal:year", args=[2018])
        self.get(url, "default")
        with self.assertNumQueries(2):  # the version and the cache row
            self.assertEqual(self.get(url, "b")["X-Page-Cache"], "hit")
        workflow.publish_result(Result.objects.get(pk=self.hidden.pk), actor_label="test")
        after = self.get(url, "b")
        self.assertNotIn("X-Page-Cache", after)
        self.assertIn(self.hidden.service_name, after.content.decode())


class OpenDataFileTests(CachedPortalTestCase):
    def test_the_file_is_written_once_per_version_and_served_from_disk(self):
        url = reverse("portal:open_data_file", args=["csv"])
        first = self.get(url)
        body = b"".join(first.streaming_content)
        files = list(page_cache.opendata_root().glob("*/seonggwa-results.csv"))
        self.assertEqual(len(files), 1)
        written = files[0].stat().st_mtime_ns
        again = self.get(url)
        self.assertEqual(b"".join(again.streaming_content), body)
        self.assertEqual(files[0].stat().st_mtime_ns, written)  # not rebuilt
        self.assertEqual(again["ETag"], first["ETag"])
        self.assertIn("Last-Modified", again)
        self.assertEqual(again["Content-Disposition"],
                         'attachment; filename="seonggwa-results.csv"')
        not_modified = Client().get(url, headers={"if-none-match": first["ETag"]})
        self.assertEqual(not_modified.status_code, 304)

    def test_a_publish_builds_a_new_file_and_removes_the_old_version(self):
        url = reverse("portal:open_data_file", args=["json"])
        before = b"".join(self.get(url).streaming_content)
        workflow.publish_result(Result.objects.get(pk=self.hidden.pk), actor_label="test")
        response = self.get(url)
        after = b"".join(response.streaming_content)
        self.assertGreater(len(after), len(before))
        self.assertIn(self.hidden.service_name.encode(), after)
        versions = [p for p in page_cache.opendata_root().iterdir() if p.is_dir()]
        self.assertEqual([p.name for p in versions], [page_cache.data_version()])
        self.assertEqual(list(page_cache.opendata_root().rglob("*.partial")), [])

    def test_datasets_are_files_too(self):
        url = reverse("portal:open_data_dataset", args=["summaries", "xlsx"])
        first = b"".join(self.get(url).streaming_content)
        self.assertTrue(first.startswith(b"PK"))
        self.assertEqual(b"".join(self.get(url).streaming_content), first)
        self.assertTrue(list(page_cache.opendata_root().glob("*/seonggwa-summaries.xlsx")))
