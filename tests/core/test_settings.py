"""Settings come from the environment; production refuses to start without a secret key."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse


def _settings_in_subprocess(env_overrides: dict[str, str], expr: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEONGGWA_", "DATABASE_URL"))}
    env.update(env_overrides)
    code = f"import seonggwa.settings as s; print({expr})"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    done = _settings_in_subprocess({"SEONGGWA_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")
    assert done.returncode != 0
    assert "SEONGGWA_SECRET_KEY must be set" in done.stderr


def test_local_debug_key_is_generated_once_and_kept(tmp_path):
    env = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path)}
    first = _settings_in_subprocess(env, "s.SECRET_KEY")
    second = _settings_in_subprocess(env, "s.SECRET_KEY")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()


def test_sqlite_under_var_when_database_url_is_unset(tmp_path):
    env = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path)}
    done = _settings_in_subprocess(env, "s.DATABASES['default']['NAME']")
    assert done.stdout.strip() == str(tmp_path / "seonggwa.sqlite3")


def test_database_url_selects_postgresql(tmp_path):
    env = {
        "SEONGGWA_DEBUG": "1",
        "SEONGGWA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/seonggwa",
    }
    done = _settings_in_subprocess(env, "s.DATABASES['default']['ENGINE']")
    assert done.stdout.strip() == "django.db.backends.postgresql"


def test_korean_is_the_default_language_and_english_the_second():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _ in settings.LANGUAGES] == ["ko", "en"]
    assert settings.TIME_ZONE == "Asia/Seoul"


# --------------------------------------------------------------------------- production

# The production environment docs/deployment.md documents (behind an HTTPS proxy).
PRODUCTION_ENV = {
    "SEONGGWA_SECRET_KEY": "k" * 10 + "Z3x9-Qw_7vLp2Rt8Yb4Nm6Hc1Jd5Fg0Sa3Ke7Ui9Oz2Xr4Tw8",
    "SEONGGWA_ALLOWED_HOSTS": "seonggwa.seoul.go.kr",
    "SEONGGWA_BEHIND_PROXY": "1",
    "SEONGGWA_PROXY_COUNT": "1",
    "SEONGGWA_CSRF_TRUSTED_ORIGINS": "https://seonggwa.seoul.go.kr",
    "SEONGGWA_HSTS_PRELOAD": "1",
    "DATABASE_URL": "postgres://seonggwa@127.0.0.1:5432/seonggwa",
}


def _clean_env(overrides: dict[str, str]) -> dict[str, str]:
    """This environment without the project's and Django's variables (the browser tests
    set DJANGO_ALLOW_ASYNC_UNSAFE in this process, which check --deploy rightly refuses)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SEONGGWA_", "DATABASE_URL", "DJANGO_"))}
    env.update(overrides)
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = _clean_env({**PRODUCTION_ENV, "SEONGGWA_VAR_DIR": str(tmp_path),
                      "DJANGO_SETTINGS_MODULE": "seonggwa.settings"})
    done = subprocess.run([sys.executable, "-m", "seonggwa.manage", "check", "--deploy",
                           "--fail-level", "WARNING"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_defaults_are_https_with_hsts_secure_cookies_and_csp(tmp_path):
    env = {**PRODUCTION_ENV, "SEONGGWA_VAR_DIR": str(tmp_path)}
    done = _settings_in_subprocess(env, "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
                                        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
                                        "s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, "
                                        "s.DEBUG")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') "
        "['https://seonggwa.seoul.go.kr'] False")


def test_plain_http_opt_out_for_a_local_load_test(tmp_path):
    env = {**PRODUCTION_ENV, "SEONGGWA_VAR_DIR": str(tmp_path), "SEONGGWA_HTTPS": "0"}
    done = _settings_in_subprocess(env, "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
                                        "s.SESSION_COOKIE_SECURE")
    assert done.stdout.strip() == "False 0 False", done.stderr


def test_a_short_secret_key_is_refused_with_debug_off(tmp_path):
    env = {"SEONGGWA_VAR_DIR": str(tmp_path), "SEONGGWA_SECRET_KEY": "too-short-a-key"}
    done = _settings_in_subprocess(env, "s.SECRET_KEY")
    assert done.returncode != 0
    assert "SEONGGWA_SECRET_KEY is too short (15 characters)" in done.stderr
    assert "at least 50" in done.stderr


def test_session_idle_timeout_and_upload_caps_come_from_the_environment(tmp_path):
    env = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path),
           "SEONGGWA_SESSION_IDLE_MINUTES": "30", "SEONGGWA_MAX_UPLOAD_BYTES": "1048576"}
    done = _settings_in_subprocess(env, "s.SESSION_COOKIE_AGE, s.SEONGGWA_SESSION_REFRESH_SECONDS, "
                                        "s.SEONGGWA_MAX_UPLOAD_BYTES, s.SEONGGWA_MAX_REQUEST_BYTES")
    assert done.stdout.strip() == f"1800 60 1048576 {1048576 + 2 * 1024 * 1024}", done.stderr


def test_a_malformed_number_is_refused_by_name(tmp_path):
    env = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path),
           "SEONGGWA_SESSION_IDLE_MINUTES": "half an hour"}
    done = _settings_in_subprocess(env, "s.SESSION_COOKIE_AGE")
    assert done.returncode != 0
    assert "SEONGGWA_SESSION_IDLE_MINUTES must be a whole number" in done.stderr


# --------------------------------------------------------------------------- sessions


def _session_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_a_session_in_use_is_renewed_at_most_once_a_minute(client, settings):
    import time
    from unittest import mock

    from django.contrib.auth import get_user_model

    settings.SESSION_COOKIE_AGE = 1800
    settings.SEONGGWA_SESSION_REFRESH_SECONDS = 60
    client.force_login(get_user_model().objects.create_user("kim", password="x"))
    home = reverse("portal:home")
    first = _session_expiry(client)
    client.get(home)
    assert _session_expiry(client) == first  # within the minute: nothing written
    with mock.patch("seonggwa.core.middleware.time.time", return_value=time.time() + 600):
        client.get(home)  # ten minutes later
    assert _session_expiry(client) > first  # renewed for another 30 minutes from now
    assert client.cookies["sessionid"]["max-age"] == 1800


@pytest.mark.django_db
def test_an_idle_session_is_signed_out(client, settings):
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(get_user_model().objects.create_user("kim", password="x"))
    Session.objects.update(expire_date=timezone.now())  # SESSION_COOKIE_AGE has passed
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --------------------------------------------------------------------------- SQLite

_SQLITE_PROBE = r'''
import json, threading, time
import django
django.setup()
from django.db import connection, connections, transaction, OperationalError

out = {"journal_mode": None, "mode": connection.settings_dict["OPTIONS"].get("transaction_mode")}
with connection.cursor() as c:
    out["journal_mode"] = c.execute("PRAGMA journal_mode").fetchone()[0]
    c.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
connections.close_all()

holding = threading.Event()
def writer_holding_the_lock():
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO t VALUES (1)")
        holding.set()
        time.sleep(1.5)
    connection.close()

def second_writer():
    holding.wait()
    start = time.monotonic()
    try:
        with transaction.atomic():  # read, then write: the ORM's usual pattern
            n = connection.cursor().execute("SELECT count(*) FROM t").fetchone()[0]
            connection.cursor().execute("INSERT INTO t VALUES (%s)", [n + 1])
        out["second"] = "ok"
    except OperationalError as exc:
        out["second"] = str(exc)
    out["waited"] = time.monotonic() - start
    connection.close()

threads = [threading.Thread(target=writer_holding_the_lock), threading.Thread(target=second_writer)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as c:
    out["rows"] = c.execute("SELECT n FROM t ORDER BY n").fetchall()
print(json.dumps(out))
'''


def _sqlite_probe(tmp_path, extra_code: str = "") -> dict:
    env = _clean_env({"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path),
                      "DJANGO_SETTINGS_MODULE": "seonggwa.settings"})
    code = extra_code + _SQLITE_PROBE
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sqlite_file_uses_wal_and_a_second_writer_waits_instead_of_failing(tmp_path):
    out = _sqlite_probe(tmp_path)
    assert out["journal_mode"] == "wal"
    assert out["mode"] == "IMMEDIATE"
    assert out["second"] == "ok"
    assert out["waited"] >= 1.0  # it waited for the first writer to commit
    assert out["rows"] == [[1], [2]]  # and saw its row


def test_imports_on_sqlite_are_capped_so_they_commit_within_the_writers_wait(tmp_path):
    sqlite = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path)}
    done = _settings_in_subprocess(sqlite, "s.SEONGGWA_IMPORT_MAX_ROWS, "
                                           "s.DATABASES['default']['OPTIONS']['timeout']")
    assert done.stdout.strip() == "5000 60", done.stderr
    postgres = {**sqlite, "DATABASE_URL": "postgres://u@127.0.0.1:5432/seonggwa"}
    done = _settings_in_subprocess(postgres, "hasattr(s, 'SEONGGWA_IMPORT_MAX_ROWS')")
    assert done.stdout.strip() == "False", done.stderr  # the import's own default
    done = _settings_in_subprocess({**postgres, "SEONGGWA_IMPORT_MAX_ROWS": "50000"},
                                   "s.SEONGGWA_IMPORT_MAX_ROWS")
    assert done.stdout.strip() == "50000", done.stderr


def test_without_immediate_transactions_the_same_writes_fail_database_is_locked(tmp_path):
    """Why the setting exists: the default (deferred) mode fails the second writer."""
    unset = ("import seonggwa.settings as s\n"
             "s.DATABASES['default']['OPTIONS'].pop('transaction_mode')\n")
    out = _sqlite_probe(tmp_path, unset)
    assert out["mode"] is None
    assert "database is locked" in out["second"]


# --------------------------------------------------------------------------- CSP


TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "src" / "seonggwa"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:",
                    re.IGNORECASE)


def test_no_template_has_inline_scripts_or_styles_the_csp_would_block():
    found = []
    for path in sorted(TEMPLATES_DIR.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(TEMPLATES_DIR)}:{number}: {line.strip()}")
    assert not found, "move these to static files (site.js / site.css):\n" + "\n".join(found)


def test_locally_the_policy_is_only_reported_so_django_debug_pages_work(tmp_path):
    env = {"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(tmp_path)}
    done = _settings_in_subprocess(env, "s.CONTENT_SECURITY_POLICY, "
                                        "s.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']"
                                        "['script-src']")
    assert done.stdout.strip() == "None [\"'self'\"]", done.stderr


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


# --------------------------------------------------------------------------- request caps


class _Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an oversized request was read")

    readline = read


@pytest.mark.django_db
def test_an_oversized_request_is_refused_with_413_before_its_body_is_read(client, settings):
    settings.SEONGGWA_MAX_REQUEST_BYTES = 1024 * 1024
    settings.SEONGGWA_MAX_UPLOAD_BYTES = 512 * 1024
    response = client.post(reverse("accounts:login"), data=b"", content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=str(3 * 1024 * 1024), **{"wsgi.input": _Unreadable()})
    assert response.status_code == 413
    page = response.content.decode()
    assert "요청이 너무 큽니다" in page
    assert "3 MB" in page and "1 MB" in page and "0.5 MB" in page


@pytest.mark.django_db
def test_a_request_within_the_cap_is_served(client, settings):
    settings.SEONGGWA_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 200  # the login form again, not a 413
