"""bench/web.py works: builds the Seoul-size database, measures pages in a child
process, reads wrk's report, and the runner hands each benchmark only its options.
A correctness check of the harness on the smallest size, not a timing."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
web = importlib.import_module("bench.web")
run = importlib.import_module("bench.run")

WRK = """Running 20s test @ http://127.0.0.1:8001/results/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   20.10ms    3.00ms  90.00ms   80.00%
  Latency Distribution
     50%   19.50ms
     75%   21.00ms
     90%   24.00ms
     99%    1.17s
  9500 requests in 20.00s, 300.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    475.00
Transfer/sec:     15.00MB
"""


def test_wrk_report_is_read_into_rate_latency_and_errors():
    out = web.parse_wrk(WRK)
    assert out["rps"] == 475.0 and out["requests"] == 9500
    assert out["p50_ms"] == 19.5 and out["p99_ms"] == 1170.0
    assert out["non_2xx"] == 4 and out["socket_errors"] == 3


def test_the_runner_gives_each_benchmark_only_its_options():
    argv = ["--sizes", "138", "--repeat", "2", "--slice=50", "--json", "--page", "x"]
    assert run.options_for(web.build_parser(), argv) == [
        "--sizes", "138", "--repeat", "2", "--json", "--page", "x"]
    engine = importlib.import_module("bench.engine")
    assert run.options_for(engine.build_parser(), argv) == [
        "--repeat", "2", "--slice=50", "--json"]


def test_pages_are_measured_at_the_seoul_size(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code = web.main(["--parts", "pages", "--sizes", "138", "--repeat", "1", "--json",
                     "--cache-dir", str(tmp_path), "--page", "/results/",
                     "--page", "service list ?year&sort=score"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    pages = out["pages"]["138"]["pages"]
    assert set(pages) == {"/results/", "service list ?year&sort=score"}
    for page in pages.values():
        assert page["status"] == 200 and page["queries"] > 0 and page["bytes"] > 1000
        assert page["median_ms"] > 0
    assert out["pages"]["138"]["services"] == 138
    assert list(tmp_path.glob("sqlite-138-*/ready"))  # cached for the next run
