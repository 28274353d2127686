"""Keys, years, ids and page numbers in addresses: one that cannot name a record is a 404
at the URL resolver (or the listing), never a 500 and never a query, on SQLite and
PostgreSQL alike; a key that could not be an address is refused wherever it is entered."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.identifiers import KEY_MAX_LENGTH, is_valid_key, key_problems, validate_key
from seonggwa.evaluations.models import Round
from seonggwa.examples.seoul import load_seoul
from seonggwa.registry.domain import changes
from seonggwa.registry.models import Service

GOOD_KEYS = ["svc-0139", "gen-000001", "홍릉-R&D".replace("&", "_"), "a.b_c", "_x", "7",
             "x" * KEY_MAX_LENGTH]
BAD_KEYS = {
    "a/b": "'/'",
    "a\x00b": "NUL",
    "a b": "공백",
    "a\tb": "공백",
    "a\nb": "공백",
    " svc": "공백",
    "a\u200bb": "제어 문자",  # zero-width space: invisible, format character
    "a\x7fb": "제어 문자",
    "x" * (KEY_MAX_LENGTH + 1): "너무 깁니다",
    "": "비어",
    ".": "시작",
    "..": "시작",
    "a?b": "'?'",
    "a#b": "'#'",
    "a%2Fb": "'%'",
}


# --- the rule -----------------------------------------------------------------------------

@pytest.mark.parametrize("key", GOOD_KEYS)
def test_valid_keys_pass(key):
    validate_key(key)
    assert is_valid_key(key) and key_problems(key) == []


@pytest.mark.parametrize(("key", "why"), BAD_KEYS.items())
def test_invalid_keys_are_refused_with_the_reason(key, why):
    with pytest.raises(ValidationError) as refused:
        validate_key(key)
    assert why in " ".join(refused.value.messages)
    assert not is_valid_key(key)


@given(st.text(max_size=KEY_MAX_LENGTH + 5))
def test_a_key_is_valid_exactly_when_it_survives_a_round_trip_through_its_address(key):
    """Every valid key reverses to an address that resolves back to the same key; every
    invalid one has no address (its URL does not resolve to the service page)."""
    if is_valid_key(key):
        # The server decodes the address before resolving it, as here.
        match = resolve(unquote(reverse("portal:service", args=[key])))
        assert match.url_name == "service" and match.kwargs == {"key": key}
        assert key_problems(key) == []
    else:
        assert key_problems(key)
        with pytest.raises((NoReverseMatch, Resolver404)):
            match = resolve(f"/services/{key}/")
            assert match.url_name == "service" and match.kwargs["key"] == key
            raise Resolver404  # resolved to another page (e.g. "a/b" is not the service)


# --- every entry point refuses a bad key ----------------------------------------------------

@pytest.mark.django_db
def test_the_model_field_refuses_a_bad_key():
    service = Service(key="a/b", name="시험 사무")
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "key" in refused.value.error_dict
    field = Service._meta.get_field("key")
    with pytest.raises(ValidationError):
        field.run_validators("a b")  # what the workbook imports call for each cell
    field.run_validators("svc-0001")


@pytest.mark.django_db
def test_the_domain_refuses_a_bad_key_before_saving():
    with pytest.raises(changes.RegistryError) as refused:
        changes.create_service(key="svc/1", name="시험 사무")
    assert "'/'" in refused.value.message_dict["key"][0]
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_the_office_form_refuses_a_bad_key(client):
    officer = get_user_model().objects.create_user("officer", password="x")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    client.force_login(officer)
    response = client.post(reverse("office:service_new"), {"key": "svc 1\x00", "name": "시험"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "공백 문자" in html and "NUL" in html
    assert not Service.objects.exists()
    response = client.post(reverse("office:service_new"), {"key": "svc-9001", "name": "시험"})
    assert response.status_code == 302
    assert Service.objects.filter(key="svc-9001").exists()


# --- addresses: 404 before any view or query -------------------------------------------------

class AddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_seoul()
        cls.officer = get_user_model().objects.create_user("officer", password="x")
        Profile.objects.create(user=cls.officer, role=Role.OFFICER)
        cls.round = Round.objects.order_by("pk").first()

    def assert_404(self, path, **params):
        with self.subTest(path=path, params=params):
            self.assertEqual(self.client.get(path, params).status_code, 404)

    def assert_200(self, path, **params):
        with self.subTest(path=path, params=params):
            self.assertEqual(self.client.get(path, params).status_code, 200)

    def test_bad_service_keys_in_the_path_are_404(self):
        long = "x" * (KEY_MAX_LENGTH + 1)
        self.client.force_login(self.officer)
        for prefix in ("/services/", "/office/services/"):
            for part in ("a%2Fb", "a%00b", "a%20b", "a%09b", "%E2%80%8B", long, "..", "%2E"):
                self.assert_404(f"{prefix}{part}/")
        self.assert_404(f"/office/services/{long}/record/")
        self.assert_404("/office/services/svc-0002/registry/no-such-kind/new/")
        self.assert_404("/office/services/svc-0002/registry/con%20tract/new/")
        self.assert_200("/office/services/svc-0002/registry/contract/new/")
        self.assert_200("/services/svc-0002/")

    def test_years_out_of_range_are_404(self):
        self.client.force_login(self.officer)
        for year in ("99999999999999999999", str(10**12), "0", "-1", "1989", "2101", "20x0",
                     "０２０２０"[1:]):  # full-width digits are not a year
            self.assert_404(f"/results/{year}/")
            self.assert_404(f"/office/due/{year}/")
            self.assert_404(f"/office/xlsx/export/{year}.xlsx")
        self.assert_200("/results/2020/")
        self.assert_404("/results/1999/")  # a year in range without published results
        self.assert_200("/office/due/2024/")

    def test_ids_out_of_range_are_404(self):
        self.client.force_login(self.officer)
        for pk in (str(10**30), "9" * 19, str(2**63), "99999999999999999"):
            self.assert_404(f"/office/rounds/{pk}/")
            self.assert_404(f"/office/assignments/{pk}/")
        self.assert_200(f"/office/rounds/{self.round.pk}/")

    def test_page_numbers_that_name_no_page_are_404(self):
        self.client.force_login(self.officer)
        for path in ("/results/", "/results/2020/", "/office/services/"):
            for page in ("abc", "-1", "0", "1.5", "1e3", str(10**30), "9" * 5000, "999",
                         "٣"):  # an Arabic-Indic digit is not a page number
                self.assert_404(path, page=page)
            self.assert_200(path)
            self.assert_200(path, page="")
            self.assert_200(path, page="1")
        self.assert_200("/office/services/", page="2")  # more than 50 services

    def test_year_query_of_a_year_without_results_is_404(self):
        for year in ("1999", "2101", "abc", str(10**30), "-2020"):
            self.assert_404("/results/", year=year)
            self.assert_404("/open-data/results.csv", year=year)
        self.assert_200("/results/", year="2020")
        self.assert_200("/results/", year="")
        self.assert_200("/open-data/results.json", year="2020")

    def test_office_year_queries_of_a_year_without_results_are_404(self):
        self.client.force_login(self.officer)
        for year in ("1999", "abc", str(10**30)):
            self.assert_404("/office/services/", year=year)
            self.assert_404("/office/", year=year)
        self.assert_404("/office/", my_from="abc")
        self.assert_200("/office/services/", year="2020")
        self.assert_200("/office/", year="2019", my_from="2018", my_to="2020")
