"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys


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
