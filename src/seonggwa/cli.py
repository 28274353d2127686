"""The ``seonggwa`` command.

Subcommands here: ``score`` (score a long-format CSV/XLSX against a framework) and
``template`` (write an input template for a framework). More subcommands (``run``,
``load``, ...) plug in through :func:`register_command`; :func:`build_parser` builds the
parser from the registry and :func:`main` runs it.

Exit status: 0 success, 2 bad input (framework, file, row, option) — with one message
on stderr naming the file, row and column — and nothing written.

Language: the template's guide sheet and the messages of ``score`` and ``template`` are
Korean by default and English with ``--lang en`` or when the environment's language
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``) is English; the engine's detailed
input errors and the column names stay English (they are the file format). Output files
get the usual permissions (``0666`` less the umask; an existing file keeps its mode), and
text that a spreadsheet would read as a formula is written as text
(:mod:`seonggwa.core.xlsx`).
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

from seonggwa.core.xlsx import (
    append_row,
    csv_row,
    csv_text_value,
    finish_sheet,
    header_row,
)
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
from seonggwa.engine.longformat import canonical_header
from seonggwa.engine.results import is_rescaled
from seonggwa.engine.rounding import format_fixed

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
SHEET = "scores"  # the sheet an input workbook must have
RESULT_SHEET = "results"
INPUT_SUFFIXES = (".csv", ".xlsx")
OUTPUT_SUFFIXES = (".csv", ".xlsx", ".json")


class CommandError(Exception):
    """A user-facing problem: printed as one line, exit status 2."""


# --------------------------------------------------------------------------- language

LANGUAGES = ("ko", "en")
_ENV_LANGUAGE = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
_lang = "ko"

# The CLI's own messages (the engine's input errors are English: they name the file
# format's columns). Korean first; English second.
MESSAGES: dict[str, dict[str, str]] = {
    "ko": {
        "lang_help": "메시지와 안내 시트의 언어 (ko 또는 en; 기본: 환경의 LANG, 그 밖에는 ko)",
        "template_written": "{framework} v{version} 입력 양식 -> {path}",
        "scored": "{n}개 대상을 {framework} v{version}(으)로 채점했습니다{target}",
        "evaluated_on": "  {n}개 대상, 평가일 {date}: {policy}",
        "rescaled": "  {n}개 총점을 {scale}점 만점으로 환산했습니다 (빠진 지표; counted_points / "
                    "counted_max 열 참고)",
        "no_policy": "재계약 기준 정책 없음",
        "policy_no_threshold": "기준 정책 {id} (기준 점수 없음)",
        "policy": "기준 정책 {id} ({threshold}점 미만: {below} {label})",
        "missing_column": "{file}, 1행: '{column}' 열이 없습니다 ({row}행에 필요: {reason}). "
                          "제목 행: {header}",
        "no_directory": "--output {path}: {directory} 폴더가 없습니다",
        "unsupported": "{option} {name}: 지원하지 않는 파일 형식입니다 ({allowed} 중 하나)",
        "needs_date": "{file}: {framework}은(는) 평가일에 따라 달라지는 재계약 기준 정책으로 "
                      "판정합니다 ({spans}). 대상 '{subject}'{more}의 평가일이 없습니다: "
                      "--on-date YYYY-MM-DD를 주거나 입력에 year(또는 date) 열을 넣으십시오",
        "and_more": " 외 {n}개",
        "guide_sheet": "안내",
        "guide_column": "열",
        "guide_meaning": "뜻",
        "guide_subject": "평가 대상 식별자 (사무·자치구·기관·지역마다 하나)",
        "guide_indicator": "지표 코드 (아래 표)",
        "guide_evaluator": "평가위원; 정성·설문·직접 점수 지표는 위원마다 한 행",
        "guide_value": "평정 (숫자 또는 등급 이름), 설문 점수 0-100, 또는 직접 점수",
        "guide_actual": "정량 지표의 실적과 목표 (목표를 비우면 평가틀의 목표)",
        "guide_na": "1 = 지표를 제외 (0점으로 세지 않음)",
        "guide_level": "정량 지표의 수동 판정과 그 사유",
        "guide_year": "대상의 평가 연도(또는 날짜 YYYY-MM-DD): 시행 중인 재계약 기준 정책을 "
                      "고름; 없으면 --on-date를 주십시오",
        "guide_table": ["코드", "지표명", "분야", "종류", "배점", "척도 / 방향", "목표"],
    },
    "en": {
        "lang_help": "language of messages and the guide sheet (ko or en; default: the "
                     "environment's LANG, else ko)",
        "template_written": "template for {framework} v{version} -> {path}",
        "scored": "scored {n} subject(s) with {framework} v{version}{target}",
        "evaluated_on": "  {n} subject(s) evaluated on {date}: {policy}",
        "rescaled": "  {n} total(s) rescaled to the {scale}-point scale (indicators left out; "
                    "see the counted_points / counted_max columns)",
        "no_policy": "no threshold policy",
        "policy_no_threshold": "policy {id} (no threshold)",
        "policy": "policy {id} (below {threshold}: {below} {label})",
        "missing_column": "{file}, row 1: column '{column}' is missing (row {row} needs it: "
                          "{reason}); header: {header}",
        "no_directory": "--output {path}: directory {directory} does not exist",
        "unsupported": "{option} {name}: unsupported file type (use {allowed})",
        "needs_date": "{file}: {framework} decides under threshold policies that depend on "
                      "the evaluation date ({spans}), and no date was given for subject "
                      "'{subject}'{more}: pass --on-date YYYY-MM-DD or add a year (or date) "
                      "column to the input",
        "and_more": " and {n} more",
        "guide_sheet": "guide",
        "guide_column": "column",
        "guide_meaning": "meaning",
        "guide_subject": "subject identifier (one per service / district / organisation / "
                         "region)",
        "guide_indicator": "indicator code (below)",
        "guide_evaluator": "panel member, one row per member for rating/survey/direct "
                           "indicators",
        "guide_value": "rating (number or label), survey score 0-100, or direct points",
        "guide_actual": "quantitative actual and target (empty target = framework's)",
        "guide_na": "1 = leave the indicator out (it is never counted as zero)",
        "guide_level": "manual classification of a quantitative indicator, with reason",
        "guide_year": "evaluation year (or date YYYY-MM-DD) of the subject: selects the "
                      "threshold policy in force; else give --on-date",
        "guide_table": ["code", "name", "area", "kind", "points", "scale / direction",
                        "target"],
    },
}


def environment_language(environ=None) -> str:
    """``en`` when the first language variable that is set names English, else ``ko``."""
    environ = os.environ if environ is None else environ
    for name in _ENV_LANGUAGE:
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "ko"
    return "ko"


def set_language(lang: str | None) -> str:
    global _lang
    _lang = lang if lang in LANGUAGES else environment_language()
    return _lang


def msg(key: str, **values) -> Any:
    text = MESSAGES[_lang][key]
    return text.format(**values) if values else text


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
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=MESSAGES["en"]["lang_help"])


def _configure_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--framework", "-f", required=True, help=_framework_help())
    parser.add_argument("--output", "-o", required=True, type=Path,
                        help="template file to write (.csv or .xlsx)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=MESSAGES["en"]["lang_help"])


# --------------------------------------------------------------------------- score


def cmd_score(args: argparse.Namespace) -> int:
    set_language(getattr(args, "lang", None))
    framework = resolve_framework(args.framework)
    _check_suffix(args.output, OUTPUT_SUFFIXES, "--output")
    header, rows = read_table(args.input, quiet=args.quiet)
    try:
        batch, dates = dated_batch_from_rows(framework, header, rows, source=args.input.name)
    except InputError as exc:
        raise _missing_column(exc, header, args.input.name) or exc from None
    undated = [batch.subject_ids[i] for i, day in enumerate(dates) if day is None]
    if framework.policies and args.on_date is None and undated:
        spans = ", ".join(_policy_span(p) for p in framework.policies)
        more = msg("and_more", n=len(undated) - 1) if len(undated) > 1 else ""
        raise CommandError(msg("needs_date", file=args.input.name, framework=framework.id,
                               spans=spans, subject=undated[0], more=more))
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


def _missing_column(exc: InputError, header: list[Any], source: str) -> CommandError | None:
    """A row's complaint about an empty cell whose column the file does not have at all
    (``value`` of a rating, ``actual`` of a quantitative indicator) reported as the
    missing column it is; ``None`` for any other error."""
    if exc.column is None or exc.row is None or exc.row <= 1:
        return None
    try:
        present = canonical_header(header, source)
    except InputError:
        return None
    if exc.column in present:
        return None
    return CommandError(msg("missing_column", file=source, column=exc.column, row=exc.row,
                            reason=exc.reason, header=", ".join(map(str, header))))


def _policy_span(policy) -> str:
    until = policy.effective_to.isoformat() if policy.effective_to else "open-ended"
    return f"{policy.id} {policy.effective_from.isoformat()}..{until}"


def _policy_text(framework: Framework, policy) -> str:
    """'recontract-75 (below 75: exclude 재계약 배제)' — the policy and its threshold."""
    if policy is None:
        return msg("no_policy")
    if policy.threshold is None:
        return msg("policy_no_threshold", id=policy.id)
    return msg("policy", id=policy.id, threshold=f"{policy.threshold:g}", below=policy.below,
               label=framework.decision_label(policy.below))


def summary(result: DatedResults, output: Path | None) -> str:
    """What was scored, under which policy (per evaluation date), and what was rescaled."""
    framework = result.framework
    target = f" -> {output}" if output is not None else ""
    lines = [msg("scored", n=len(result), framework=framework.id, version=framework.version,
                 target=target)]
    for part in result.parts:
        lines.append(msg("evaluated_on", n=len(part.rows), date=part.on_date.isoformat(),
                         policy=_policy_text(framework, part.result.policy)))
    rescaled = sum(int(is_rescaled(framework, total, counted))
                   for part in result.parts
                   for total, counted in zip(_totals(part.result), part.result.max_points.tolist(),
                                             strict=True))
    if rescaled:
        lines.append(msg("rescaled", n=rescaled, scale=f"{framework.total:g}"))
    return "\n".join(lines)


def _totals(result) -> list[float | None]:
    return [None if t != t else t for t in result.total.tolist()]


def _check_suffix(path: Path | None, allowed: Sequence[str], option: str) -> None:
    if path is not None and path.suffix.lower() not in allowed:
        raise CommandError(msg("unsupported", option=option, name=path.name,
                               allowed=", ".join(allowed)))


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
    try:  # a leading apostrophe is the mark an export put before formula-like text
        for cells in csv.reader(io.StringIO(text, newline="")):
            yield [csv_text_value(c) for c in cells]
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


# Result columns that hold text even when they look like numbers (everything else that is
# a number is written to XLSX as a number).
TEXT_COLUMNS = {"subject", "group", "rescaled", "band", "decision", "decision_label",
                "decision_label_en", "framework", "version", "policy", "on_date",
                "indicator", "evaluator", "not_applicable", "level", "reason", "note", "date"}


def _csv_text(rows: list[list[Any]]) -> str:
    """CSV text; formula-like text gets the apostrophe of :func:`seonggwa.core.xlsx.csv_cell`."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(csv_row(r) for r in rows)
    return buffer.getvalue()


def _as_number(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        try:
            number = float(value)
        except ValueError:
            return value
        if number == number and abs(number) != float("inf"):
            return int(number) if number.is_integer() and "." not in value else number
    return value


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
    """A workbook whose first row of ``rows`` is the header (bold, frozen, autofilter);
    numbers in numeric columns are numbers, text is always text (never a formula).
    ``extra`` is a second sheet written as it is (a guide or a breakdown)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    first = workbook.create_sheet(sheet)
    header = [str(h) for h in rows[0]] if rows else []
    header_row(first, header)
    numeric = [h not in TEXT_COLUMNS for h in header]
    for row in rows[1:]:
        append_row(first, [_as_number(v) if i < len(numeric) and numeric[i] else v
                           for i, v in enumerate(row)])
    finish_sheet(first, len(header), max(0, len(rows) - 1))
    if extra is not None:
        second = workbook.create_sheet(extra_sheet)
        for row in extra:
            append_row(second, row)
    return workbook


def _atomic_write(path: Path, write: Callable[[Any], Any]) -> None:
    """Write to a temporary file beside ``path`` and rename only when complete."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(msg("no_directory", path=path, directory=directory))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file 0600; the output gets what any new file gets (0666 less
        # the umask), or keeps the mode of the file it replaces.
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o666 & ~mask
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- template


def cmd_template(args: argparse.Namespace) -> int:
    set_language(getattr(args, "lang", None))
    framework = resolve_framework(args.framework)
    _check_suffix(args.output, (".csv", ".xlsx"), "--output")
    rows = template_rows(framework)
    if args.output.suffix.lower() == ".xlsx":
        _atomic_write(args.output,
                      lambda f: _workbook(rows, SHEET, _guide(framework),
                                          msg("guide_sheet")).save(f))
    else:
        text = _csv_text(rows)
        _atomic_write(args.output, lambda f: f.write(text.encode("utf-8-sig")))
    print(msg("template_written", framework=framework.id, version=framework.version,
              path=args.output), file=sys.stderr)
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
    rows.append([msg("guide_column"), msg("guide_meaning")])
    rows += [
        ["subject", msg("guide_subject")],
        ["indicator", msg("guide_indicator")],
        ["evaluator", msg("guide_evaluator")],
        ["value", msg("guide_value")],
        ["actual / target", msg("guide_actual")],
        ["not_applicable", msg("guide_na")],
        ["level / reason", msg("guide_level")],
        ["year / date", msg("guide_year")],
    ]
    rows.append([])
    rows.append(list(msg("guide_table")))
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


def _configure_tick(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every", type=_positive, default=None, metavar="MINUTES",
                        help="start a sweep repeating every MINUTES in the task worker "
                             "(`seonggwa manage db_worker`) instead of sweeping now")


def cmd_tick(args: argparse.Namespace) -> int:
    _django_command(["tick", *(["--every", str(args.every)] if args.every else [])])
    return 0


register_command("run", "migrate, load the Seoul data and serve the web app with Django's "
                 "development server", _configure_run, cmd_run)
register_command("serve", "production: migrate, collect static files and serve the web app "
                 "with gunicorn (settings from the environment, see docs/deployment.md)",
                 _configure_serve, cmd_serve)
register_command("load", "migrate and load a built-in data set", _configure_load, cmd_load)
register_command("manage", "run a Django management command", _configure_manage, cmd_manage)
register_command("tick", "open and close deadline windows whose day has come (cron: every "
                 "few minutes)", _configure_tick, cmd_tick)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
