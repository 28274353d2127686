"""The ``seonggwa`` command.

Subcommands here: ``score`` (score a long-format CSV/XLSX against a framework) and
``template`` (write an input template for a framework). More subcommands (``run``,
``load``, ...) plug in through :func:`register_command`; :func:`build_parser` builds the
parser from the registry and :func:`main` runs it.

Exit status: 0 success, 2 bad input (framework, file, row, option) — with one message
on stderr naming the file, row and column — and nothing written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seonggwa.engine import (
    DatedResults,
    Framework,
    FrameworkError,
    InputError,
    ScoringError,
    dated_batch_from_rows,
    list_presets,
    resolve_framework,
    score_by_date,
)
from seonggwa.engine.results import is_rescaled
from seonggwa.engine.rounding import format_fixed

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
SHEET = "scores"  # the sheet an input workbook must have
RESULT_SHEET = "results"
INPUT_SUFFIXES = (".csv", ".xlsx")
OUTPUT_SUFFIXES = (".csv", ".xlsx", ".json")


class CommandError(Exception):
    """A user-facing problem: printed as one line, exit status 2."""


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def register_command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None],
                     handler: Callable[[argparse.Namespace], int]) -> None:
    """Add a subcommand: ``configure`` adds its arguments, ``handler`` runs it."""
    COMMANDS[name] = Command(name, help, configure, handler)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seonggwa",
        description="seonggwa (성과): public-sector performance evaluation.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="command")
    subparsers.required = True
    for command in COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(handler=command.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (FrameworkError, InputError, CommandError) as exc:
        print(f"seonggwa: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


# --------------------------------------------------------------------------- arguments


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def _framework_help() -> str:
    return ("preset name or path to a framework YAML file; presets: "
            + ", ".join(list_presets()))


def _configure_score(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--framework", "-f", required=True, help=_framework_help())
    parser.add_argument("--input", "-i", required=True, type=Path,
                        help=f"long-format input (.csv, or .xlsx with a sheet '{SHEET}')")
    parser.add_argument("--output", "-o", type=Path,
                        help="result file (.csv, .xlsx or .json); default: CSV on stdout")
    parser.add_argument("--on-date", type=_date, default=None,
                        help="evaluation date YYYY-MM-DD that selects the threshold policy "
                             "for subjects without their own year/date column; required "
                             "when the framework has threshold policies and the input "
                             "gives no year or date (never today's policy by default)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _configure_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--framework", "-f", required=True, help=_framework_help())
    parser.add_argument("--output", "-o", required=True, type=Path,
                        help="template file to write (.csv or .xlsx)")


# --------------------------------------------------------------------------- score


def cmd_score(args: argparse.Namespace) -> int:
    framework = resolve_framework(args.framework)
    _check_suffix(args.output, OUTPUT_SUFFIXES, "--output")
    header, rows = read_table(args.input, quiet=args.quiet)
    batch, dates = dated_batch_from_rows(framework, header, rows, source=args.input.name)
    undated = [batch.subject_ids[i] for i, day in enumerate(dates) if day is None]
    if framework.policies and args.on_date is None and undated:
        spans = ", ".join(_policy_span(p) for p in framework.policies)
        raise CommandError(
            f"{args.input.name}: {framework.id} decides under threshold policies that depend "
            f"on the evaluation date ({spans}), and no date was given for subject "
            f"'{undated[0]}'{f' and {len(undated) - 1} more' if len(undated) > 1 else ''}: "
            "pass --on-date YYYY-MM-DD or add a year (or date) column to the input")
    try:
        result = score_by_date(framework, batch, dates, args.on_date)
    except ScoringError as exc:
        raise CommandError(f"{args.input.name}: {exc}") from None
    if args.output is None:
        sys.stdout.write(_csv_text(result_table(result)))
    else:
        write_result(result, args.output)
    if not args.quiet:
        print(summary(result, args.output), file=sys.stderr)
    return EXIT_OK


def _policy_span(policy) -> str:
    until = policy.effective_to.isoformat() if policy.effective_to else "open-ended"
    return f"{policy.id} {policy.effective_from.isoformat()}..{until}"


def _policy_text(framework: Framework, policy) -> str:
    """'recontract-75 (below 75: exclude 재계약 배제)' — the policy and its threshold."""
    if policy is None:
        return "no threshold policy"
    if policy.threshold is None:
        return f"policy {policy.id} (no threshold)"
    return (f"policy {policy.id} (below {policy.threshold:g}: {policy.below} "
            f"{framework.decision_label(policy.below)})")


def summary(result: DatedResults, output: Path | None) -> str:
    """What was scored, under which policy (per evaluation date), and what was rescaled."""
    framework = result.framework
    target = f" -> {output}" if output is not None else ""
    lines = [f"scored {len(result)} subject(s) with {framework.id} v{framework.version}"
             f"{target}"]
    for part in result.parts:
        lines.append(f"  {len(part.rows)} subject(s) evaluated on {part.on_date.isoformat()}: "
                     f"{_policy_text(framework, part.result.policy)}")
    rescaled = sum(int(is_rescaled(framework, total, counted))
                   for part in result.parts
                   for total, counted in zip(_totals(part.result), part.result.max_points.tolist(),
                                             strict=True))
    if rescaled:
        lines.append(f"  {rescaled} total(s) rescaled to the {framework.total:g}-point scale "
                     "(indicators left out; see the counted_points / counted_max columns)")
    return "\n".join(lines)


def _totals(result) -> list[float | None]:
    return [None if t != t else t for t in result.total.tolist()]


def _check_suffix(path: Path | None, allowed: Sequence[str], option: str) -> None:
    if path is not None and path.suffix.lower() not in allowed:
        raise CommandError(f"{option} {path.name}: unsupported file type "
                           f"(use {', '.join(allowed)})")


# --------------------------------------------------------------------------- reading


def read_table(path: Path, *, quiet: bool = False) -> tuple[list[Any], Iterable]:
    """(header, iterator of (row number, cells)) of a CSV file or the 'scores' sheet."""
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise InputError(f"unsupported input type '{suffix or '(none)'}' "
                         f"(use {', '.join(INPUT_SUFFIXES)})", path.name)
    if not path.is_file():
        raise InputError("file not found", str(path))
    if path.stat().st_size == 0:
        raise InputError("the file is empty", path.name)
    lines = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    numbered = enumerate(lines, start=1)
    header: list[Any] | None = None
    for _, cells in numbered:
        if any(_filled(c) for c in cells):
            header = list(cells)
            break
        raise InputError("row 1 must be the header (it is blank)", path.name, 1)
    if header is None:
        raise InputError("the file is empty", path.name)
    while header and not _filled(header[-1]):
        header.pop()  # spreadsheets pad rows with empty cells
    return header, _progress(numbered, path, quiet)


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _csv_rows(path: Path) -> Iterator[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):  # Excel in Korea saves CSV as cp949
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("not readable as UTF-8 or CP949 text", path.name)
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path.name) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc.__class__.__name__})",
                         path.name) from None
    try:
        if SHEET not in workbook.sheetnames:
            raise InputError(f"no sheet named '{SHEET}' (sheets: "
                             f"{', '.join(workbook.sheetnames)})", path.name)
        yield from workbook[SHEET].iter_rows(values_only=True)
    finally:
        workbook.close()


def _progress(rows: Iterable, path: Path, quiet: bool) -> Iterable:
    """Wrap rows in a tqdm bar on stderr for long inputs (not when quiet or not a TTY)."""
    if quiet or not sys.stderr.isatty():
        return rows
    from tqdm import tqdm

    # delay: short inputs finish before the bar would appear.
    return tqdm(rows, desc=f"reading {path.name}", unit=" rows", file=sys.stderr, delay=0.5,
                leave=False)


# --------------------------------------------------------------------------- writing


RESULT_COLUMNS = ["subject", "group", "total", "scale_max", "counted_points", "counted_max",
                  "rescaled", "band", "decision", "decision_label", "decision_label_en", "rank",
                  "framework", "version", "policy", "threshold", "on_date"]


def result_table(result: DatedResults) -> list[list[Any]]:
    """One row per subject, in input order: the total on the framework's scale (with the
    points counted and whether it was rescaled), band, decision (code and labels), rank,
    provenance (framework, the policy in force and its threshold, the evaluation date),
    area and indicator points."""
    framework = result.framework
    d = framework.decimals
    header = list(RESULT_COLUMNS)
    header += [f"area:{code}" for code in framework.area_codes]
    for code in framework.indicator_codes:
        header += [f"{code}", f"{code}:sd"]
    pieces: dict[int, list[Any]] = {}
    for part in result.parts:
        for position, row in zip(part.rows.tolist(), _part_rows(part.result, d), strict=True):
            pieces[position] = row
    return [header] + [pieces[i] for i in range(len(result))]


def _part_rows(result, d: int) -> list[list[Any]]:
    framework = result.framework
    bands, codes = result.band_labels(), result.decision_codes()
    labels, labels_en = result.decision_labels(), result.decision_labels("en")
    policy = result.policy
    threshold = "" if policy is None or policy.threshold is None else f"{policy.threshold:g}"
    counted = np.where(np.isnan(result.indicator_points), 0.0,
                       result.indicator_points).sum(axis=1) if len(result) else []
    rows = []
    for i, subject in enumerate(result.subject_ids):
        group = int(result.groups[i])
        total = float(result.total[i])
        scored = total == total
        counted_max = float(result.max_points[i])
        row = [subject, framework.groups[group] if group >= 0 else "",
               format_fixed(total, d), f"{framework.total:g}",
               format_fixed(float(counted[i]), d) if scored else "",
               format_fixed(counted_max, d),
               "yes" if is_rescaled(framework, total if scored else None, counted_max) else "no",
               bands[i], codes[i], labels[i], labels_en[i],
               int(result.rank[i]) or "", framework.id, framework.version,
               result.policy_id or "", threshold, result.on_date.isoformat()]
        row += [format_fixed(v, d) for v in result.area_points[i].tolist()]
        for points, sd in zip(result.indicator_points[i].tolist(),
                              result.indicator_sd[i].tolist(), strict=True):
            row += [format_fixed(points, d), format_fixed(sd, d)]
        rows.append(row)
    return rows


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_result(result: DatedResults, path: Path) -> None:
    suffix = path.suffix.lower()
    framework = result.framework
    if suffix == ".json":
        payload = {
            "framework": {"id": framework.id, "version": framework.version,
                          "fingerprint": framework.fingerprint, "scale_max": framework.total},
            "evaluations": [_part_summary(framework, part) for part in result.parts],
            "results": [subject.to_dict() for subject in result.subjects()],
        }
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        _atomic_write(path, lambda f: f.write(text.encode("utf-8")))
    elif suffix == ".xlsx":
        _atomic_write(path, lambda f: _workbook(result_table(result), RESULT_SHEET,
                                                _breakdown(result)).save(f))
    else:
        text = _csv_text(result_table(result))
        _atomic_write(path, lambda f: f.write(text.encode("utf-8-sig")))


def _part_summary(framework: Framework, part) -> dict[str, Any]:
    policy = part.result.policy
    return {"on_date": part.on_date.isoformat(), "subjects": len(part.rows),
            "policy": None if policy is None else {
                "id": policy.id, "threshold": policy.threshold, "below": policy.below,
                "below_label": framework.decision_label(policy.below),
                "otherwise": policy.otherwise,
                "otherwise_label": framework.decision_label(policy.otherwise)}}


def _breakdown(result: DatedResults) -> list[list[Any]]:
    rows: list[list[Any]] = [["subject", "indicator", "points", "max_points", "sd",
                              "ratings", "achievement_pct", "classification", "reason",
                              "status", "rule"]]
    for subject in result.subjects():
        for ind in subject.indicators:
            rows.append([subject.subject_id, ind.code, ind.points, ind.max_points, ind.sd,
                         ind.panel_count,
                         None if ind.achievement is None else ind.achievement * 100,
                         ind.classification or "", ind.classification_reason or "",
                         ind.status, ind.rule])
    return rows


def _workbook(rows: list[list[Any]], sheet: str, extra: list[list[Any]] | None = None,
              extra_sheet: str = "indicators"):
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = sheet
    for row in rows:
        first.append(row)
    if extra is not None:
        second = workbook.create_sheet(extra_sheet)
        for row in extra:
            second.append(row)
    return workbook


def _atomic_write(path: Path, write: Callable[[Any], Any]) -> None:
    """Write to a temporary file beside ``path`` and rename only when complete."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"--output {path}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- template


def cmd_template(args: argparse.Namespace) -> int:
    framework = resolve_framework(args.framework)
    _check_suffix(args.output, (".csv", ".xlsx"), "--output")
    rows = template_rows(framework)
    if args.output.suffix.lower() == ".xlsx":
        _atomic_write(args.output,
                      lambda f: _workbook(rows, SHEET, _guide(framework), "guide").save(f))
    else:
        text = _csv_text(rows)
        _atomic_write(args.output, lambda f: f.write(text.encode("utf-8-sig")))
    print(f"template for {framework.id} v{framework.version} -> {args.output}", file=sys.stderr)
    return EXIT_OK


def template_rows(framework: Framework) -> list[list[Any]]:
    """Header + example rows for two subjects; the second leaves one indicator out (N/A)."""
    header = ["subject", "indicator", "evaluator", "value", "actual", "target",
              "not_applicable", "level", "reason", "note"]
    uses_range = any(ind.direction == "range" for ind in framework.indicators)
    if uses_range:
        header.insert(header.index("target") + 1, "target_high")
    if framework.groups:
        header.insert(1, "group")
    if framework.policies:  # the evaluation year selects the threshold policy in force
        header.insert(1, "year")
    rows = [header]
    subjects = [("S001", 0), ("S002", 1)]
    last = framework.indicators[-1].code
    for subject, number in subjects:
        group = framework.groups[min(number, len(framework.groups) - 1)] if framework.groups else ""
        for ind in framework.indicators:
            base = {"subject": subject, "group": group, "indicator": ind.code, "note": ind.name}
            if number == 1 and ind.code == last and len(framework.indicators) > 1:
                rows.append(_row(header, {**base, "not_applicable": "1"}))
            elif ind.group_allows(group):
                rows += [_row(header, cells) for cells in _example_cells(framework, ind, base,
                                                                          number)]
    return rows


def _row(header: list[str], cells: dict[str, Any]) -> list[Any]:
    return [cells.get(name, "") for name in header]


def _example_cells(framework: Framework, ind, base: dict[str, Any],
                   number: int) -> list[dict[str, Any]]:
    if ind.kind == "quantitative":
        target = ind.target if ind.target is not None else 100.0
        factor = {"higher": 0.9, "lower": 1.1, "shortfall": 1.1, "range": 1.0}[ind.direction]
        if number:
            factor = 1.0
        cells = {**base, "actual": f"{target * factor:g}"}
        if ind.target is None:
            cells["target"] = f"{target:g}"
        if ind.direction == "range" and ind.target_high is None:
            cells["target_high"] = f"{target * 1.2:g}"
        return [cells]
    scale = ind.scale
    needed = ind.min_panel or framework.min_panel
    members = max(needed, 3) if ind.kind == "rating" else needed
    allowed = scale.allowed_values()
    if scale.conversion == "table":
        allowed = sorted(scale.table)
    rows = []
    for member in range(members):
        if allowed is not None:
            value = allowed[max(0, len(allowed) - 1 - (member + number) % 3)]
        else:
            value = scale.min + (scale.max - scale.min) * (0.8 - 0.05 * ((member + number) % 3))
        rows.append({**base, "evaluator": f"E{member + 1}", "value": f"{float(value):g}"})
    return rows


def _guide(framework: Framework) -> list[list[Any]]:
    rows: list[list[Any]] = [["framework", framework.id, framework.version, framework.title]]
    rows.append([])
    rows.append(["column", "meaning"])
    rows += [
        ["subject", "subject identifier (one per service / district / organisation / region)"],
        ["indicator", "indicator code (below)"],
        ["evaluator", "panel member, one row per member for rating/survey/direct indicators"],
        ["value", "rating (number or label), survey score 0-100, or direct points"],
        ["actual / target", "quantitative actual and target (empty target = framework's)"],
        ["not_applicable", "1 = leave the indicator out (it is never counted as zero)"],
        ["level / reason", "manual classification of a quantitative indicator, with reason"],
        ["year / date", "evaluation year (or date YYYY-MM-DD) of the subject: selects the "
                        "threshold policy in force; else give --on-date"],
    ]
    rows.append([])
    rows.append(["code", "name", "area", "kind", "points", "scale / direction", "target"])
    for ind in framework.indicators:
        rows.append([ind.code, ind.name, ind.area, ind.kind, ind.points, ind.rule_text(),
                     ind.target_text or ("" if ind.target is None else ind.target)])
    return rows


register_command("score", "score a long-format CSV/XLSX input against a framework",
                 _configure_score, cmd_score)
register_command("template", "write an input template (CSV or XLSX) for a framework",
                 _configure_template, cmd_template)


# --- Django-backed commands -------------------------------------------------------------
# Imported lazily so `seonggwa score` stays a pure engine tool that never loads Django.


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number 1-65535, got {text!r}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to serve on (default 127.0.0.1; 0.0.0.0 for every "
                             "interface)")
    parser.add_argument("--port", type=_port, default=8000,
                        help="port to serve on (default 8000; `make run PORT=8001`); a port "
                             "in use is reported and the command exits with status 2")
    parser.add_argument("--no-load", action="store_true",
                        help="do not load the built-in Seoul data")


def cmd_run(args: argparse.Namespace) -> int:
    from seonggwa.serve import ServeError, run

    try:
        run(host=args.host, port=args.port, load=not args.no_load)
    except ServeError as exc:
        raise CommandError(str(exc)) from None
    return 0


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None,
                        help="address to serve on (default: SEONGGWA_BIND, else "
                             "SEONGGWA_HOST, else 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=None,
                        help="port to serve on (default: SEONGGWA_BIND, else SEONGGWA_PORT, "
                             "else 8000; `make serve PORT=8001`)")
    parser.add_argument("--workers", type=_positive, default=None,
                        help="gunicorn worker processes (default: SEONGGWA_WORKERS, else "
                             "WEB_CONCURRENCY, else 2 x CPUs + 1)")
    parser.add_argument("--threads", type=_positive, default=None,
                        help="threads per worker (default: SEONGGWA_THREADS, else 1)")
    parser.add_argument("--timeout", type=_positive, default=None,
                        help="seconds before a stuck request's worker is restarted "
                             "(default: SEONGGWA_TIMEOUT, else 120)")
    parser.add_argument("--no-migrate", action="store_true",
                        help="do not apply database migrations first")
    parser.add_argument("--load", action="store_true",
                        help="load (or refresh) the built-in Seoul data first")


def cmd_serve(args: argparse.Namespace) -> int:
    from seonggwa.serve import ServeError, serve, serve_config

    try:
        config = serve_config(args.host, args.port, args.workers, args.threads, args.timeout)
        serve(config, migrate=not args.no_migrate, load=args.load)
    except ServeError as exc:
        raise CommandError(str(exc)) from None
    return 0


def _configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", choices=["seoul"], help="built-in data set to load")


def cmd_load(args: argparse.Namespace) -> int:
    _django_command(["migrate", "--verbosity", "0"])
    _django_command(["load_seoul"])
    return 0


def _configure_manage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("arguments", nargs=argparse.REMAINDER,
                        help="a Django management command and its arguments")


def cmd_manage(args: argparse.Namespace) -> int:
    _django_command(args.arguments)
    return 0


def _django_command(arguments: list[str]) -> None:
    from seonggwa.manage import main as manage_main

    manage_main(arguments)


register_command("run", "migrate, load the Seoul data and serve the web app with Django's "
                 "development server", _configure_run, cmd_run)
register_command("serve", "production: migrate, collect static files and serve the web app "
                 "with gunicorn (settings from the environment, see docs/deployment.md)",
                 _configure_serve, cmd_serve)
register_command("load", "migrate and load a built-in data set", _configure_load, cmd_load)
register_command("manage", "run a Django management command", _configure_manage, cmd_manage)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
