"""No page shows officials or citizens text meant for developers (issue 7 item 15).

Every page of the site (public portal anonymously, office pages as every role) is
rendered with the test client on the Seoul data, and its visible text (text nodes and
the title / alt / aria-label / placeholder attributes; not scripts, styles, URLs or
form field names) is searched for:

- snake_case codes (``tenant_satisfaction_score``, ``name_corrected``);
- data or seed file names (``002_80f337656145150c.txt``, ``…csv``, ``…yaml``) and
  package paths (``data/seoul``);
- English sentences (four or more English words in a row) on Korean pages.

Pages that document a file format (open data, the workbook import pages) may show the
format's column names and codes (``service_key``, ``staff_turnover(이직률)``): those are
what a user types or reads in the file. File names and English sentences are still
refused there.

The Korean scan renders every page for every viewer; the English scan (codes and file
names only) renders up to three URLs of each page.

Every named URL of the portal, office and accounts apps must be listed in
:data:`PAGES` (a new page fails :func:`test_every_url_is_scanned` until it is), so the
rule stays true as pages are added.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.contrib.auth.models import User
from django.test import TestCase, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from seonggwa.accounts.models import Profile, Role
from seonggwa.appeals.models import Appeal
from seonggwa.engine.presets import list_presets, load_preset
from seonggwa.evaluations.models import Narrative, Result, Round, Scheme
from seonggwa.examples.civic_platform import load_civic_demo, load_civic_platform_2018
from seonggwa.examples.seoul import load_seoul
from seonggwa.panels.models import Challenge
from seonggwa.registry.models import ContractPeriod, Service
from seonggwa.schedules.models import Schedule
from seonggwa.sheets.models import Sheet

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
FILE = re.compile(r"[\w.-]+\.(?:csv|ya?ml|txt|py)\b|\bdata/seoul\b")
ENGLISH = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,;:()/-]+[A-Za-z][a-z']+){3,}")
# Codes of the framework documents: threshold policy ids (recontract-60) and stored
# framework versions (seoul-outsourcing@published-total) are said in words on pages.
POLICY_IDS = {p.id for name in list_presets() for p in load_preset(name).policies}
FRAMEWORK_VERSION = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+@[\w.-]+")

# URL names that are not pages (downloads, POST-only actions, the language switch).
NOT_PAGES = {
    "set_language", "logout", "follow_up", "contract_end", "round_transition",
    "result_transition", "xlsx_template", "xlsx_export", "registry_template",
    "registry_export", "open_data_file", "open_data_dataset",
    # the evaluation process: POST-only actions and file downloads
    "schedules_add", "schedules_notice", "schedules_day_off_remove",
    "submissions_upload", "submissions_actuals", "submissions_actuals_template",
    "submissions_submit", "submissions_reopen", "submissions_download",
    "submissions_history_export",
    "sheets_reopen", "sheets_compute",
    "appeals_file",
}
FORMAT_PAGES = {"portal:open_data", "office:transfer", "office:registry_transfer"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears, with ``<code>`` contents kept apart."""

    ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
    HIDDEN = {"script", "style", "template"}
    VOID = {"br", "input", "img", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.code: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.text.append(value)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        data = " ".join(data.split())
        if not data or any(t in self.HIDDEN for t in self.open):
            return
        (self.code if "code" in self.open else self.text).append(data)


def developer_text(html: str, *, format_page: bool = False, korean: bool = True
                   ) -> list[str]:
    """Every piece of developer text on a page (empty when the page is clean)."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for chunk in parser.text + parser.code:
        if not format_page:
            found += [f"code {m!r} in {chunk[:100]!r}" for m in SNAKE.findall(chunk)]
        found += [f"file {m.group(0)!r} in {chunk[:100]!r}" for m in FILE.finditer(chunk)]
        found += [f"framework version {m.group(0)!r} in {chunk[:100]!r}"
                  for m in FRAMEWORK_VERSION.finditer(chunk)]
        found += [f"policy id {word!r} in {chunk[:100]!r}"
                  for word in re.findall(r"[\w-]+", chunk) if word in POLICY_IDS]
        if korean and chunk not in parser.code:
            found += [f"English {m.group(0)!r} in {chunk[:100]!r}"
                      for m in ENGLISH.finditer(chunk)]
    return found


def test_the_detector_finds_each_kind_of_developer_text():
    assert developer_text("<p>tenant_satisfaction_score</p>")
    assert developer_text("<td>001_260a3710e46fb5ca.txt:38</td>")
    assert developer_text("<p>서울시 공개자료(data/seoul)에서 적재</p>")
    assert developer_text("<td>spacing and '운영' suffix only, same department</td>")
    assert developer_text('<a title="see the name_corrected column">x</a>')
    assert not developer_text("<p>입주기업 만족도 점수 92점 (「2023년 제2차 …」)</p>")
    assert not developer_text("<script>var a_b = 1;</script><p>English</p>")
    assert not developer_text("<p>The evaluation of outsourced services</p>", korean=False)
    assert not developer_text("<th><code>service_key</code></th>", format_page=True)
    assert developer_text("<th><code>service_key</code></th>")
    assert not developer_text("<td>staff_turnover(이직률)</td>", format_page=True)


def _user(username: str, role: str, organisation=None) -> User:
    user = User.objects.create_user(username, password="pw-" + username)
    Profile.objects.create(user=user, role=role, organisation=organisation)
    return user


def _named_urls() -> set[str]:
    names = set()

    def walk(resolver, namespace=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p, p.namespace or namespace)
            elif p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver())
    return names


class EveryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        services = Service.objects.order_by("key")
        cls.service_keys = list(services.values_list("key", flat=True))
        a_result = Result.objects.select_related("service").order_by("pk").first()
        contractor = a_result.contractors.first()
        dept = a_result.service.department
        cls.users = {
            Role.OFFICER: _user("officer", Role.OFFICER),
            Role.DEPARTMENT: _user("dept", Role.DEPARTMENT, dept),
            Role.CONTRACTOR: _user("contractor", Role.CONTRACTOR, contractor),
            Role.EVALUATOR: _user("evaluator", Role.EVALUATOR),
            Role.COMMITTEE: _user("committee", Role.COMMITTEE),
        }
        cls.a_service = a_result.service.key
        cls.narrated_service = Narrative.objects.order_by("pk").first().service.key
        cls.rounds = list(Round.objects.order_by("pk").values_list("pk", flat=True))
        cls.years = sorted({y for y in Round.objects.values_list("year__year", flat=True)})
        cls.results = list(Result.objects.order_by("pk").values_list("pk", flat=True)[:5])
        ContractPeriod.objects.get_or_create(
            service=a_result.service, start="2021-01-01", end="2023-12-31")
        cls.contract = ContractPeriod.objects.filter(service=a_result.service).first()
        cls.load_civic_example()

    @classmethod
    def load_civic_example(cls):
        """The 2018 civic-platform example with its demo people, panels, sheets and
        results, so every page of the evaluation process has something to show."""
        load_civic_platform_2018()
        with override_settings(DEBUG=True):
            load_civic_demo()
        civic = Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM).order_by("pk")
        cls.civic_rounds = list(civic.values_list("pk", flat=True))
        cls.civic_pairs = list(Schedule.objects.filter(round__in=cls.civic_rounds)
                               .order_by("round_id", "subject_id")
                               .values_list("round_id", "subject_id"))[::4]
        cls.sheets = list(Sheet.objects.order_by("pk").values_list("pk", flat=True)[:3])
        cls.appeals = list(Appeal.objects.order_by("pk").values_list("pk", flat=True)[:3])
        cls.challenges = list(Challenge.objects.order_by("pk").values_list("pk", flat=True)[:3])
        # The civic example's own people: a platform's staff and two panel members.
        for prefix in ("platform-", "expert-", "head-"):
            user = User.objects.filter(username__startswith=prefix).order_by("username").first()
            cls.users[prefix] = user

    def pages(self) -> dict[str, list[str]]:
        """URL name → the URLs to render (every service, year and round where the
        page depends on one)."""
        some = [self.a_service, self.narrated_service]
        return {
            "accounts:login": [reverse("accounts:login")],
            "portal:home": [reverse("portal:home")],
            "portal:results": [reverse("portal:results"),
                               reverse("portal:results") + "?q=서울시 청년"],
            "portal:year": [reverse("portal:year", args=[y]) for y in self.years],
            "portal:service": [reverse("portal:service", args=[k])
                               for k in self.service_keys],
            "portal:open_data": [reverse("portal:open_data")],
            "office:dashboard": [reverse("office:dashboard")],
            "office:services": [reverse("office:services")],
            "office:service_new": [reverse("office:service_new")],
            "office:service": [reverse("office:service", args=[k])
                               for k in self.service_keys],
            "office:service_record": [reverse("office:service_record", args=[k])
                                      for k in some],
            "office:registry_add": [reverse("office:registry_add", args=[self.a_service, k])
                                    for k in ("contract", "consent", "inspection",
                                              "audit", "figure")],
            "office:registry_edit": [reverse("office:registry_edit",
                                             args=[self.a_service, "contract",
                                                   self.contract.pk])],
            "office:what_if": [reverse("office:what_if")],
            "office:rounds": [reverse("office:rounds")],
            "office:round": [reverse("office:round", args=[pk]) for pk in self.rounds],
            "office:result": [reverse("office:result", args=[pk]) for pk in self.results],
            "office:assignments": [reverse("office:assignments")],
            "office:assignment_round": [reverse("office:assignment_round", args=[pk])
                                        for pk in self.rounds],
            "office:due_index": [reverse("office:due_index")],
            "office:due": [reverse("office:due", args=[y]) for y in self.years],
            "office:transfer": [reverse("office:transfer")],
            "office:registry_transfer": [reverse("office:registry_transfer")],
            **self.process_pages(),
        }

    def process_pages(self) -> dict[str, list[str]]:
        """The pages of the evaluation as people run it, on the civic example."""
        rounds, pairs = self.civic_rounds, self.civic_pairs
        by_pair = {name: [reverse(f"office:{name}", args=pair) for pair in pairs]
                   for name in ("schedules_edit", "schedules_early", "submissions_subject",
                                "panels_subject", "sheets_edit", "sheets_aggregation")}
        by_round = {name: [reverse(f"office:{name}", args=[pk]) for pk in rounds]
                    for name in ("schedules_round", "submissions_round",
                                 "submissions_history", "panels_round", "sheets_round",
                                 "sheets_desk", "appeals_release")}
        plain = {name: [reverse(f"office:{name}")]
                 for name in ("schedules_index", "schedules_days_off", "submissions_index",
                              "panels", "panels_pool", "panels_mine", "panels_challenges",
                              "sheets_mine", "appeals_notices", "appeals_index")}
        return {f"office:{name}": urls for name, urls in
                {**by_pair, **by_round, **plain,
                 "sheets_detail": [reverse("office:sheets_detail", args=[pk])
                                   for pk in self.sheets],
                 "sheets_version": [reverse("office:sheets_version", args=[pk, 1])
                                    for pk in self.sheets],
                 "sheets_compare": [reverse("office:sheets_compare", args=[pk])
                                    for pk in self.sheets],
                 "appeals_case": [reverse("office:appeals_case", args=[pk])
                                  for pk in self.appeals],
                 "panels_challenge": [reverse("office:panels_challenge", args=[pk])
                                      for pk in self.challenges]}.items()}

    def test_every_url_is_scanned(self):
        listed = set(self.pages())
        pages = {n for n in _named_urls()
                 if n.split(":")[-1] not in NOT_PAGES and n.split(":")[0] in (
                     "portal", "office", "accounts")}
        self.assertEqual(pages - listed, set(), "add the new page to PAGES")

    def _scan(self, language: str, *, per_page: int | None = None) -> list[str]:
        problems: list[str] = []
        shown = 0
        viewers = [None, *self.users.values()]
        for name, urls in self.pages().items():
            urls = urls[:per_page] if per_page else urls
            for viewer in viewers if name.startswith("office:") else [None]:
                self.client.logout()
                if viewer is not None:
                    self.client.force_login(viewer)
                for url in urls:
                    with translation.override(language):
                        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                    if response.status_code != 200 or "html" not in response.get(
                            "Content-Type", ""):
                        continue  # not allowed for this role, or redirected to login
                    shown += 1
                    for p in developer_text(response.content.decode(),
                                            format_page=name in FORMAT_PAGES,
                                            korean=language == "ko"):
                        who = viewer.username if viewer else "public"
                        problems.append(f"{url} ({who}): {p}")
        self.assertGreater(shown, 300 if per_page is None else 30)  # it rendered the site
        return problems

    def test_no_page_shows_developer_text_in_korean(self):
        problems = self._scan("ko")
        self.maxDiff = None
        self.assertEqual(problems[:40], [], f"{len(problems)} pieces of developer text")

    def test_no_page_shows_codes_or_file_names_in_english(self):
        self.client.cookies["django_language"] = "en"
        problems = self._scan("en", per_page=3)
        self.assertEqual(problems[:40], [], f"{len(problems)} pieces of developer text")
