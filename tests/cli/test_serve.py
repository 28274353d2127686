"""`seonggwa serve` (gunicorn) and `seonggwa run`: production serving from the environment,
a taken port reported before anything says "serving on", demo accounts disabled."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from seonggwa.serve import ServeError, check_port, serve_config, split_bind

SEONGGWA = [sys.executable, "-m", "seonggwa.cli"]
KEY = "Z3x9-Qw_7vLp2Rt8Yb4Nm6Hc1Jd5Fg0Sa3Ke7Ui9Oz2Xr4Tw8kkkk"
REPO = Path(__file__).resolve().parents[2]


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SEONGGWA_", "DATABASE_URL", "DJANGO_", "WEB_CONCURRENCY"))}
    env.update({"SEONGGWA_VAR_DIR": str(var_dir), **extra})
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- configuration


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SEONGGWA_BIND", "SEONGGWA_HOST", "SEONGGWA_PORT", "SEONGGWA_WORKERS",
                 "WEB_CONCURRENCY", "SEONGGWA_THREADS", "SEONGGWA_TIMEOUT", "SEONGGWA_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_workers_threads_timeout_and_bind_come_from_the_environment(clean_env):
    clean_env.setenv("SEONGGWA_BIND", "0.0.0.0:9100")
    clean_env.setenv("WEB_CONCURRENCY", "3")
    clean_env.setenv("SEONGGWA_THREADS", "4")
    clean_env.setenv("SEONGGWA_TIMEOUT", "30")
    config = serve_config()
    assert (config.host, config.port, config.workers, config.threads, config.timeout) == (
        "0.0.0.0", 9100, 3, 4, 30)
    options = config.gunicorn_options()
    assert options["bind"] == ["0.0.0.0:9100"]
    assert options["worker_class"] == "gthread"  # threads need the threaded worker
    clean_env.setenv("SEONGGWA_WORKERS", "5")  # the project's own name wins
    assert serve_config().workers == 5


def test_options_win_over_the_environment(clean_env):
    clean_env.setenv("SEONGGWA_BIND", "0.0.0.0:9100")
    clean_env.setenv("SEONGGWA_WORKERS", "5")
    config = serve_config(host="127.0.0.1", port=8123, workers=2)
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 8123, 2)
    assert config.gunicorn_options()["worker_class"] == "sync"


def test_defaults_and_bad_values(clean_env):
    config = serve_config()
    assert (config.host, config.port, config.threads, config.timeout) == ("127.0.0.1", 8000, 1, 120)
    assert config.workers == 2 * (os.cpu_count() or 1) + 1
    clean_env.setenv("SEONGGWA_WORKERS", "many")
    with pytest.raises(ServeError, match="SEONGGWA_WORKERS must be a whole number"):
        serve_config()
    assert split_bind("[::1]:8000") == ("::1", 8000)
    with pytest.raises(ServeError, match="host:port"):
        split_bind("localhost")


def test_a_taken_port_is_named(clean_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port} on 127.0.0.1 is already in use"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", port)  # free again


@pytest.mark.parametrize("command", ["run", "serve"])
def test_run_and_serve_report_a_taken_port_before_serving_and_exit_non_zero(tmp_path, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*SEONGGWA, command, "--port", str(port)],
                              env=_env(tmp_path, SEONGGWA_DEBUG="1"), capture_output=True,
                              text=True, timeout=120)
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert f"make {command} PORT={port + 1}" in done.stderr
    assert "serving on" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_short_secret_key_in_one_line(tmp_path):
    done = subprocess.run([*SEONGGWA, "serve", "--port", str(_free_port())],
                          env=_env(tmp_path, SEONGGWA_SECRET_KEY="short"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "SEONGGWA_SECRET_KEY is too short" in done.stderr
    assert "Traceback" not in done.stderr


def test_make_passes_the_port_to_run_and_serve():
    for target in ("run", "serve"):
        done = subprocess.run(["make", "-n", "-C", str(REPO), target, "PORT=8123"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        line = next(x for x in done.stdout.splitlines() if f"seonggwa {target}" in x)
        assert "--port 8123" in line


# --------------------------------------------------------------------------- serving


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server exited early:\n{server.stdout.read()}")
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url} within {seconds}s")


def test_serve_runs_gunicorn_with_debug_off_and_disables_demo_accounts(tmp_path):
    """A store that was used locally (demo accounts made with debug on) served in
    production: the demo accounts are disabled, pages come from gunicorn workers with the
    security headers, static files are collected and served."""
    local = _env(tmp_path, SEONGGWA_DEBUG="1")
    for args in (["manage", "migrate", "--verbosity", "0"], ["manage", "demo_users"]):
        done = subprocess.run([*SEONGGWA, *args], env=local, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr

    port = _free_port()
    production = _env(tmp_path, SEONGGWA_SECRET_KEY=KEY, SEONGGWA_HTTPS="0",
                      SEONGGWA_WORKERS="2", SEONGGWA_THREADS="2", SEONGGWA_BIND=f"127.0.0.1:{port}")
    server = subprocess.Popen([*SEONGGWA, "serve"], env=production, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        with _wait_for(f"http://127.0.0.1:{port}/accounts/login/", server) as response:
            body = response.read().decode()
            headers = response.headers
        assert "로그인" in body
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        css = re.search(r'href="(/static/seonggwa/site\.[0-9a-f]+\.css)"', body).group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as static:
            assert static.status == 200
        with sqlite3.connect(tmp_path / "seonggwa.sqlite3") as db:
            active = db.execute(
                "select count(*) from auth_user u join accounts_profile p on p.user_id = u.id "
                "where p.is_demo and u.is_active").fetchone()[0]
            (journal,) = db.execute("pragma journal_mode").fetchone()
        assert active == 0
        assert journal == "wal"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert "disabled 5 demo account(s)" in output
    assert f"serving on http://127.0.0.1:{port}/ with gunicorn (2 workers × 2 threads" in output
    assert "Booting worker" in output  # gunicorn's own log
