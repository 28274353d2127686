"""Login throttling (django-axes): after repeated failures the login is refused for a
while, even with the right password, with a page saying so in Korean."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True  # off for the rest of the suite (settings_test.py)
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    get_user_model().objects.create_user("kim", password=PASSWORD)
    get_user_model().objects.create_user("lee", password=PASSWORD)
    return settings


def _login(client, username, password, address="10.0.0.7"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_failed_logins_lock_the_account_even_for_the_right_password(client, lockout):
    for _ in range(2):
        response = _login(client, "kim", "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _login(client, "kim", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "로그인이 잠시 막혔습니다" in page
    assert "3번 실패" in page and "15분 뒤에 다시 시도해 주십시오" in page

    right = _login(client, "kim", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off(client, lockout):
    for _ in range(3):
        _login(client, "kim", "wrong")
    assert _login(client, "kim", PASSWORD).status_code == 429
    # Sixteen minutes later (the failures are dated 16 minutes back).
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    response = _login(client, "kim", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="kim").pk)


def test_lock_is_per_user_name_and_address(client, lockout):
    """Colleagues behind the same office address, and the same person from elsewhere,
    are not locked out by someone else's typing."""
    for _ in range(3):
        _login(client, "kim", "wrong")
    assert _login(client, "lee", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "kim", PASSWORD, address="10.0.0.8").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, lockout):
    for _ in range(2):
        _login(client, "kim", "wrong")
    assert _login(client, "kim", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert _login(client, "kim", "wrong").status_code == 200


def test_lockout_page_in_english(client, lockout):
    client.cookies["django_language"] = "en"
    for _ in range(3):
        response = _login(client, "kim", "wrong")
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()


def test_force_login_still_works_with_lockout_on(client, lockout):
    client.force_login(get_user_model().objects.get(username="kim"))
    assert client.get(reverse("portal:home")).status_code == 200


def test_behind_a_proxy_the_lock_follows_the_client_not_the_proxy(client, lockout):
    """Every request arrives from the proxy's address; the client is the address the
    proxy appended to X-Forwarded-For (whatever the client itself wrote there)."""
    lockout.SEONGGWA_PROXY_COUNT = 1

    def via_proxy(password, client_address, forged="203.0.113.9"):
        return client.post(reverse("accounts:login"), {"username": "kim", "password": password},
                           REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}")

    for forged in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        response = via_proxy("wrong", "10.1.1.1", forged)
    assert response.status_code == 429  # a forged first entry does not escape the count
    assert via_proxy(PASSWORD, "10.1.1.1").status_code == 429
    assert via_proxy(PASSWORD, "10.2.2.2").status_code == 302  # another client
