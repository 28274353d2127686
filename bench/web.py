"""Web pages at registry scale (issue #8): do pages grow with the data?

    python -m bench --only web [--sizes 138,10000,50000] [--parts pages,load,inputs]
    python bench/web.py --sizes 138,10000 --parts pages          # a quicker run

Three parts:

``pages``  in-process (django.test.Client, debug off): every page's median wall time, its
           query count (CaptureQueriesContext, one separate request) and its size, for
           each registry size; then each page's time at the largest size over its time
           at the smallest (goal ≤ 1.5×). Anonymous for the public pages, a logged-in
           officer for the office pages.
``load``   gunicorn (``seonggwa serve``: 2 sync workers, debug off) against PostgreSQL
           with ``--load-size`` services; ``wrk`` with 50 connections, 20 s per page;
           a trivial Django view (bench/urls_trivial.py) measured in the same run:
           req/s, p99, errors and each page's share of the trivial view's req/s.
``inputs`` the engine's input paths on the national workload (bench/engine.py's data):
           the compact integer form, the long-format rows the CLI reads
           (``engine.longformat.batch_from_rows``) and the float form they build.

Data: the Seoul data (138 services) plus ``generate_registry`` services up to each size,
built once per size and code version (a hash of the migrations, the loader and the
generator) and cached: SQLite files under ``var/bench/`` or, when ``DATABASE_URL`` (or
``--pg``) names PostgreSQL, databases named after it with the size and version appended.
Each size is measured in its own Python process (one Django setup per database).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SEOUL_SERVICES = 138
DEFAULT_SIZES = (138, 10_000, 50_000)
GOAL_RATIO = 1.5
BENCH_KEY = "bench-only-secret-key-never-used-to-serve-anyone-" + "x" * 20
OFFICER = "bench-officer"

# (label, url name, kwargs key, query string, who, in the load run)
PAGES = [
    ("portal home", "portal:home", None, "", "anon", True),
    ("/results/", "portal:results", None, "", "anon", True),
    ("/results/<year>/", "portal:year", "year", "", "anon", True),
    ("service detail (public)", "portal:service", "key", "", "anon", True),
    ("open-data CSV", "portal:open_data_file", "csv", "", "anon", True),
    ("office dashboard", "office:dashboard", None, "", "officer", True),
    ("service list", "office:services", None, "", "officer", True),
    ("service list ?year", "office:services", None, "year", "officer", True),
    ("service list ?sort=score", "office:services", None, "sort=score", "officer", False),
    ("service list ?year&sort=score", "office:services", None, "year&sort=score", "officer",
     True),
    ("due list", "office:due", "year", "", "officer", True),
    ("round detail", "office:round", "round", "", "officer", True),
    ("registry XLSX export", "office:registry_export", None, "", "officer", False),
]
PUBLIC_GOAL = {"p99_ms": 100, "share": 0.20}
OFFICE_GOAL = {"p99_ms": 250, "share": 0.05}


# ----------------------------------------------------------------------------- data


def code_version() -> str:
    """A hash of what decides the generated data: migrations, loader, generator, data."""
    h = hashlib.sha256()
    src = ROOT / "src" / "seonggwa"
    files = sorted(src.glob("*/migrations/*.py"))
    files += [src / "examples/synthetic.py", src / "examples/seoul.py"]
    files += sorted(p for p in (src / "data").rglob("*") if p.is_file())
    for path in files:
        h.update(str(path.relative_to(src)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def _pg_url(args) -> str:
    url = args.pg or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(_with_db(url, "postgres"), autocommit=True)


def _pg_databases(url: str, prefix: str) -> list[str]:
    with _pg_admin(url) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                            (prefix + "%",)).fetchall()
    return [r[0] for r in rows]


def base_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SEONGGWA_VAR_DIR", "DJANGO_SETTINGS_MODULE")}
    env.update({"SEONGGWA_SECRET_KEY": BENCH_KEY, "SEONGGWA_DEBUG": "0",
                "SEONGGWA_SECURE_COOKIES": "0", "SEONGGWA_HTTPS": "0",
                # this checkout's code, whatever the environment has installed
                "PYTHONPATH": os.pathsep.join((str(ROOT / "src"), str(ROOT))),
                "SEONGGWA_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"})
    env.update(extra or {})
    return env


def _manage(env: dict, *arguments: str, log=None) -> str:
    out = subprocess.run([PYTHON, "-m", "seonggwa.manage", *arguments], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"manage {' '.join(arguments)} failed:\n{out.stdout}{out.stderr}")
    if log:
        log(out.stdout.strip())
    return out.stdout


def _populate(env: dict, size: int, log) -> None:
    started = time.perf_counter()
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "load_seoul", log=log)
    if size > SEOUL_SERVICES:
        _manage(env, "generate_registry", "--services", str(size - SEOUL_SERVICES),
                "--allow-mixed", log=log)
    else:  # the Seoul data alone: still refresh the planner's statistics
        _manage(env, "shell", "-c", "from seonggwa.examples.synthetic import "
                "analyze; print(analyze())")
    log(f"  built in {time.perf_counter() - started:.0f} s")


def database_env(args, size: int, log) -> dict:
    """The environment of a process that sees the cached database of ``size`` services,
    built first if missing."""
    version = code_version()
    pg = _pg_url(args)
    if pg:
        base = urlsplit(pg).path.lstrip("/") or "seonggwa"
        prefix = f"{base}_bench_{size}_"
        name = prefix + version
        existing = _pg_databases(pg, prefix)
        if name not in existing:
            log(f"building PostgreSQL database {name} ({size:,} services) …")
            with _pg_admin(pg) as conn:
                for old in existing:  # earlier code versions and interrupted builds
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}_partial"')
            _populate(base_env({"DATABASE_URL": _with_db(pg, name + "_partial")}), size, log)
            with _pg_admin(pg) as conn:
                conn.execute(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"')
        return base_env({"DATABASE_URL": _with_db(pg, name)})
    cache = Path(args.cache_dir)
    path = cache / f"sqlite-{size}-{version}"
    if not (path / "ready").exists():
        log(f"building SQLite database {path} ({size:,} services) …")
        for old in cache.glob(f"sqlite-{size}-*"):
            shutil.rmtree(old)
        partial = cache / f"sqlite-{size}-{version}.partial"
        partial.mkdir(parents=True)
        _populate(base_env({"SEONGGWA_VAR_DIR": str(partial)}), size, log)
        (partial / "ready").write_text(version)
        partial.rename(path)
    return base_env({"SEONGGWA_VAR_DIR": str(path)})


# ----------------------------------------------------------------------------- children
# Run in a fresh interpreter with the environment of one database (``--child NAME``).


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seonggwa.settings")
    import django

    django.setup()


def _officer():
    from django.contrib.auth import get_user_model

    from seonggwa.accounts.models import Profile, Role

    user, _ = get_user_model().objects.get_or_create(username=OFFICER,
                                                     defaults={"first_name": "bench"})
    Profile.objects.get_or_create(user=user, defaults={"role": Role.OFFICER})
    return user


def _targets() -> dict:
    """The URLs measured, with the same choices at every size: the latest year with
    published Seoul results (the generator adds to it), the Seoul service with the most
    results, the round with the most results."""
    from django.db.models import Count
    from django.urls import reverse

    from seonggwa.evaluations.models import Result, Round
    from seonggwa.registry.models import Service

    published = Result.objects.filter(status="published").exclude(
        service__key__startswith="gen-")  # the same year at every size
    year = published.order_by("-round__year__year").values_list("round__year__year",
                                                                flat=True).first()
    service = (Service.objects.exclude(key__startswith="gen-")
               .annotate(n=Count("results")).order_by("-n", "key").first())
    rnd = (Round.objects.annotate(n=Count("results")).order_by("-n", "-year__year", "pk")
           .first())
    values = {"year": {"year": year}, "key": {"key": service.key},
              "csv": {"fmt": "csv"}, "round": {"pk": rnd.pk}}
    urls = {}
    for label, name, kwarg, query, who, in_load in PAGES:
        url = reverse(name, kwargs=values.get(kwarg) if kwarg else None)
        qs = "&".join(f"year={year}" if p == "year" else p for p in query.split("&") if p)
        urls[label] = {"url": url + (f"?{qs}" if qs else ""), "who": who, "load": in_load}
    return {"urls": urls, "year": year, "service": service.key, "round": str(rnd),
            "round_results": rnd.n, "services": Service.objects.count(),
            "results": Result.objects.count()}


def _body(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def child_pages(repeat: int, only: list[str] | None) -> dict:
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # allow 'testserver'; templates rendered as served
    officer = _officer()
    info = _targets()
    clients = {"anon": Client(), "officer": Client()}
    clients["officer"].force_login(officer)
    pages = {}
    for label, spec in info["urls"].items():
        if only and label not in only:
            continue
        client = clients[spec["who"]]

        def get(client=client, url=spec["url"]):
            t = time.perf_counter()
            response = client.get(url)
            size = _body(response)
            return time.perf_counter() - t, response.status_code, size

        first, status, size = get()  # warm-up (templates, caches)
        times = []
        runs = 2 if first > 3 else repeat
        budget = time.perf_counter() + max(10.0, 3 * first)
        while len(times) < runs and (len(times) < 3 or time.perf_counter() < budget):
            seconds, status, size = get()
            times.append(seconds)
        with CaptureQueriesContext(connection) as queries:
            get()
        pages[label] = {"url": spec["url"], "status": status, "bytes": size,
                        "median_ms": 1000 * statistics.median(times),
                        "min_ms": 1000 * min(times), "runs": len(times),
                        "queries": len(queries)}
    info["pages"] = pages
    return info


def child_session() -> dict:
    """A logged-in officer's session cookie (stored in the database, as the server
    reads it) and the URLs to load."""
    _django()
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(_officer())
    info = _targets()
    info["cookie"] = f"{settings.SESSION_COOKIE_NAME}=" \
                     f"{client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return info


def _run_child(env: dict, *arguments: str) -> dict:
    out = subprocess.run([PYTHON, str(Path(__file__).resolve()), *arguments], env=env,
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"child {arguments} failed:\n{out.stdout}{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- pages


def run_pages(args, log) -> dict:
    by_size = {}
    for size in args.sizes:
        env = database_env(args, size, log)
        log(f"measuring pages at {size:,} services …")
        started = time.perf_counter()
        argv = ["--child", "pages", "--repeat", str(args.repeat)]
        for page in args.page or ():
            argv += ["--page", page]
        # plain static storage: in-process pages need no collectstatic manifest
        by_size[size] = _run_child({**env, "SEONGGWA_TESTING": "1"}, *argv)
        log(f"  {time.perf_counter() - started:.0f} s")
    return by_size


def print_pages(by_size: dict) -> list[str]:
    sizes = sorted(by_size)
    labels = list(next(iter(by_size.values()))["pages"])
    misses = []
    head = f"{'page':<30}" + "".join(f"{f'{s:,} svc: ms':>17}{'q':>5}" for s in sizes)
    if len(sizes) > 1:
        head += f"  {f'{sizes[-1]:,}/{sizes[0]:,}':>14}"
    print(head)
    for label in labels:
        line = f"{label:<30}"
        for s in sizes:
            p = by_size[s]["pages"][label]
            flag = "" if p["status"] == 200 else f" [{p['status']}]"
            line += f"{p['median_ms']:>17.1f}{p['queries']:>5}{flag}"
        if len(sizes) > 1:
            ratio = (by_size[sizes[-1]]["pages"][label]["median_ms"]
                     / by_size[sizes[0]]["pages"][label]["median_ms"])
            ok = ratio <= GOAL_RATIO
            line += f"  {ratio:>8.1f}x {'PASS' if ok else 'MISS'}"
            if not ok:
                misses.append(label)
        print(line)
    print("sizes of the responses (bytes): " + "; ".join(
        f"{label}: " + " → ".join(f"{by_size[s]['pages'][label]['bytes']:,}" for s in sizes)
        for label in labels))
    for s in sizes:
        i = by_size[s]
        print(f"  {s:,}: {i['services']:,} services, {i['results']:,} results; year "
              f"{i['year']}, service {i['service']}, round {i['round']} "
              f"({i['round_results']:,} results)")
    if len(sizes) > 1:
        print(f"goal 1 (every page within {GOAL_RATIO}x of its time at {sizes[0]:,} services): "
              + ("PASS" if not misses else f"MISS on {len(misses)} of {len(labels)} pages"))
    return misses


# ----------------------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no answer from {url} in {seconds} s")


def parse_wrk(text: str) -> dict:
    def number(pattern, default=0.0):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else default

    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    p = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        p[pct] = ms(*m.groups()) if m else float("nan")
    errors = int(number(r"Non-2xx or 3xx responses:\s+(\d+)"))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = sum(int(x) for x in m.groups()) if m else 0
    return {"rps": number(r"Requests/sec:\s+([\d.]+)"),
            "requests": int(number(r"(\d+) requests in")),
            "p50_ms": p["50"], "p90_ms": p["90"], "p99_ms": p["99"],
            "non_2xx": errors, "socket_errors": socket_errors}


def run_load(args, log) -> dict:
    pg = _pg_url(args)
    if not pg:
        return {"skipped": "no PostgreSQL: set DATABASE_URL or --pg to a postgres:// URL"}
    wrk = shutil.which("wrk")
    if not wrk:
        return {"skipped": "wrk is not installed (Debian package wrk; bench/ensure-wrk.sh)"}
    env = database_env(args, args.load_size, log)
    info = _run_child(env, "--child", "session")
    serve_dir = Path(args.cache_dir) / "serve"
    serve_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_load",
           "SEONGGWA_VAR_DIR": str(serve_dir), "SEONGGWA_WORKERS": "2",
           "SEONGGWA_THREADS": "1", "SEONGGWA_LOG_LEVEL": "ERROR"}
    seonggwa = Path(PYTHON).with_name("seonggwa")
    has_serve = subprocess.run([str(seonggwa), "serve", "--help"], capture_output=True,
                               env=env).returncode == 0
    if has_serve:
        command = [str(seonggwa), "serve", "--port", str(port), "--workers", "2",
                   "--no-migrate"]
    else:
        subprocess.run([PYTHON, "-m", "seonggwa.manage", "collectstatic", "--noinput",
                        "-v0"], env=env, cwd=ROOT, check=True)
        command = [PYTHON, "-m", "gunicorn", "seonggwa.wsgi:application", "-w", "2",
                   "-b", f"127.0.0.1:{port}"]
    log(f"serving with {' '.join(command[:2])} on port {port} (2 sync workers) …")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=open(serve_dir / "server.log", "w"),
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    results = {"server": " ".join(command[:2]), "services": info["services"],
               "connections": args.connections, "seconds": args.duration, "pages": {}}
    try:
        _wait_up(f"{base}/__bench__/trivial/", server)
        targets = [("trivial view", "/__bench__/trivial/", "anon")]
        targets += [(label, spec["url"], spec["who"]) for label, spec in info["urls"].items()
                    if spec["load"] and (not args.page or label in args.page)]
        for label, url, who in targets:
            command = [wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s",
                       "--latency", "--timeout", "10s"]
            if who == "officer":
                command += ["-H", f"Cookie: {info['cookie']}"]
            check = urllib.request.Request(base + url, headers={"Cookie": info["cookie"]}
                                           if who == "officer" else {})
            try:  # 200, not the login page; waits out the previous page's backlog
                with urllib.request.urlopen(check, timeout=300) as r:
                    if r.status != 200 or "/accounts/login" in r.url:
                        raise RuntimeError(f"{r.status} {r.url}")
            except (OSError, RuntimeError) as exc:
                log(f"  {label}: not measured ({exc})")
                results["pages"][label] = {"url": url, "who": who, "error": str(exc)}
                continue
            log(f"  wrk {label} …")
            out = subprocess.run(command + [base + url], capture_output=True, text=True)
            results["pages"][label] = {"url": url, "who": who, **parse_wrk(out.stdout)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    trivial = results["pages"]["trivial view"].get("rps") or float("nan")
    for page in results["pages"].values():
        if "rps" in page:
            page["share"] = page["rps"] / trivial
    return results


def print_load(results: dict) -> list[str]:
    if "skipped" in results:
        print(f"load: skipped — {results['skipped']}")
        return []
    print(f"{results['server']}, 2 sync workers, PostgreSQL, {results['services']:,} services, "
          f"wrk {results['connections']} connections × {results['seconds']} s per page")
    print(f"{'page':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'share':>8}  goal")
    misses = []
    for label, p in results["pages"].items():
        if "error" in p:
            print(f"{label:<30}  not measured: {p['error']}  MISS")
            misses.append(label)
            continue
        errors = p["non_2xx"] + p["socket_errors"]
        if label == "trivial view":
            verdict = ""
        else:
            goal = PUBLIC_GOAL if p["who"] == "anon" else OFFICE_GOAL
            ok = p["p99_ms"] < goal["p99_ms"] and p["share"] >= goal["share"] and not errors
            verdict = (f"{'PASS' if ok else 'MISS'} (p99 < {goal['p99_ms']} ms, "
                       f"≥ {goal['share']:.0%})")
            if not ok:
                misses.append(label)
        print(f"{label:<30}{p['rps']:>9.1f}{p['p50_ms']:>9.1f}{p['p99_ms']:>9.1f}"
              f"{errors:>8}{p['share']:>8.1%}  {verdict}")
    return misses


# ----------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench/web.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                   help="registry sizes in services, comma-separated (default 138,10000,50000)")
    p.add_argument("--parts", default="pages,load,inputs",
                   help="which parts: pages, load, inputs (comma-separated)")
    p.add_argument("--page", action="append", help="only this page (repeatable)")
    p.add_argument("--repeat", type=int, default=7, help="timed requests per page (median)")
    p.add_argument("--load-size", type=int, default=10_000)
    p.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--pg", default="", help="PostgreSQL URL (default: DATABASE_URL)")
    p.add_argument("--cache-dir", default=str(ROOT / "var" / "bench"))
    p.add_argument("--scale", type=float, default=1.0, help="(inputs) workload fraction")
    p.add_argument("--json", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    p.add_argument("--child", choices=["pages", "session"], help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child == "pages":
        print(json.dumps(child_pages(args.repeat, args.page)))
        return 0
    if args.child == "session":
        print(json.dumps(child_session()))
        return 0
    args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    unknown = parts - {"pages", "load", "inputs"}
    if unknown:
        raise SystemExit(f"unknown part(s): {', '.join(sorted(unknown))}")

    def log(message: str) -> None:
        if message:
            print(message, file=sys.stderr if args.json else sys.stdout, flush=True)

    collected, misses = {}, []
    if "pages" in parts:
        collected["pages"] = run_pages(args, log)
        if not args.json:
            misses += print_pages(collected["pages"])
    if "load" in parts:
        collected["load"] = run_load(args, log)
        if not args.json:
            misses += print_load(collected["load"])
    if "inputs" in parts:
        from bench import inputs

        collected["inputs"] = inputs.run(args.scale, args.repeat, log)
        if not args.json:
            misses += inputs.report(collected["inputs"])
    if args.json:
        print(json.dumps(collected, indent=2, ensure_ascii=False, default=str))
    return 1 if args.strict and misses else 0


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
