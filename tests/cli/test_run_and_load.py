"""`seonggwa load seoul` and `seonggwa run`: the embedded default works from nothing.

These run the real console script in a subprocess against a fresh SQLite file under a
temporary var/ directory, as `make run` does on a fresh machine.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SEONGGWA = [sys.executable, "-m", "seonggwa.cli"]


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEONGGWA_", "DATABASE_URL"))}
    env.update({"SEONGGWA_DEBUG": "1", "SEONGGWA_VAR_DIR": str(var_dir)})
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_load_seoul_creates_the_database_with_every_published_row(tmp_path):
    done = subprocess.run([*SEONGGWA, "load", "seoul"], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "seonggwa.sqlite3") as db:
        (results,) = db.execute("select count(*) from evaluations_result").fetchone()
    assert results == 44 + 51 + 38


def test_run_serves_the_korean_public_pages_on_the_requested_port(tmp_path):
    port = _free_port()
    server = subprocess.Popen([*SEONGGWA, "run", "--port", str(port)], env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        body = _wait_for_page(f"http://127.0.0.1:{port}/", server)
        assert "민간위탁 종합성과평가" in body
        assert "80.51" in body  # the 2018 average, recomputed from the loaded rows
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for_page(url: str, server: subprocess.Popen, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server exited early:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url} within {seconds}s")
