"""Run every seonggwa benchmark with one command.

    python -m bench [--scale F] [--repeat N] [--json] [--strict] [--only NAME ...]
    python bench/run.py ...

Each benchmark module exposes ``build_parser()`` and ``main(argv)``; options not used by
this runner are passed to every benchmark. With ``--json`` the output is one JSON object
keyed by benchmark name. The exit status is the worst of the benchmarks' statuses
(2: implementations disagree, 1: an aim missed under --strict, 0: fine).
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

BENCHMARKS = {
    "engine": "bench.engine",
    "web": "bench.web",
    # the evaluation as people run it (issue 9)
    "sheets": "bench.sheets",        # 250 subjects × 7 members: submit every sheet, compute
    "appeals": "bench.appeals",      # release (notify) and lapse a round of 250 subjects
    "schedules": "bench.schedules",  # the deadline sweep over 10,000 open windows
}
#: Benchmarks that configure Django for their own throw-away database: each runs in a
#: process of its own (Django's settings are set once per process).
OWN_PROCESS = {"sheets", "appeals", "schedules"}


def run_one(name: str, options: list[str], *, capture: bool) -> tuple[int, str]:
    """Run one benchmark with ``options``; returns its exit status and, when ``capture``,
    its output."""
    module = importlib.import_module(BENCHMARKS[name])
    if name in OWN_PROCESS:
        root = Path(__file__).resolve().parents[1]
        done = subprocess.run([sys.executable, "-m", BENCHMARKS[name], *options], cwd=root,
                              capture_output=capture, text=True, check=False)
        return done.returncode, done.stdout if capture else ""
    if not capture:
        return module.main(options), ""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = module.main(options)
    return code, buffer.getvalue()


def options_for(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """The part of ``argv`` a benchmark's parser knows (each takes its own options; the
    runner passes every option to every benchmark)."""
    known, out, take = parser._option_string_actions, [], 0
    for token in argv:
        if take:
            out.append(token)
            take -= 1
            continue
        name = token.split("=", 1)[0]
        if name in known:
            out.append(token)
            if "=" not in token and known[name].nargs != 0:
                take = 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args, rest = parser.parse_known_args(argv)
    if args.list:
        print("\n".join(BENCHMARKS))
        return 0
    as_json = "--json" in rest
    names = args.only or list(BENCHMARKS)
    status, collected = 0, {}
    for name in names:
        module = importlib.import_module(BENCHMARKS[name])
        options = options_for(module.build_parser(), rest)
        if as_json:
            code, text = run_one(name, options, capture=True)
            try:
                collected[name] = json.loads(text) if code != 2 and text.strip() else {
                    "error": code}
            except json.JSONDecodeError:  # a benchmark that prints a report only
                collected[name] = {"report": text}
        else:
            print(f"== {name} ==", flush=True)
            code, _text = run_one(name, options, capture=False)
            print(flush=True)
        status = max(status, code)
    if as_json:
        print(json.dumps(collected, indent=2, ensure_ascii=False))
    return status


if __name__ == "__main__":
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    sys.exit(main())
