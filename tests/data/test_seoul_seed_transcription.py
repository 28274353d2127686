"""Re-extract the tables from the seed texts and diff them against the packaged data.

The seeds are the Korean source documents in /work/shared/seeds (override with the
environment variable SEONGGWA_SEEDS). The tests are skipped when they are not present,
e.g. in an installed package.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from seonggwa.data.seoul import reader as sd


def _seed_dir() -> Path | None:
    candidates = [os.environ.get("SEONGGWA_SEEDS"),
                  Path(__file__).resolve().parents[3] / "shared" / "seeds",
                  "/work/shared/seeds"]
    for c in candidates:
        if c and Path(c).is_dir() and list(Path(c).glob("002_*.txt")):
            return Path(c)
    return None


SEEDS = _seed_dir()
pytestmark = pytest.mark.skipif(SEEDS is None, reason="seed texts not available")


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def seed_name(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).name


# --------------------------------------------------------------------------- 002 tables

ROW = re.compile(r"^(\d+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(\d+\.\d\d)\t([^\t]*)$")
YEAR_HEADING = re.compile(r"^\S{0,2}\s*(20\d\d)년\s*$")


def extract_result_tables():
    """All 6-column score rows of 002, attributed to the last '… 20XX년' heading."""
    lines = seed_lines(seed_name("002"))
    year = None
    out = {}
    for n, line in enumerate(lines, start=1):
        h = YEAR_HEADING.match(line)
        if h:
            year = int(h.group(1))
            continue
        m = ROW.match(line)
        if m:
            seq, name, dept, contractor, score, remark = m.groups()
            assert (year, int(seq)) not in out, (year, seq, n)
            out[(year, int(seq))] = {"service_name": name, "department": dept,
                                     "contractor": contractor, "score": score,
                                     "remark": remark, "source_line": n}
    return out


def test_result_rows_equal_the_seed_tables():
    seed = extract_result_tables()
    rows = {r.key: r for r in sd.load_results()}
    assert set(seed) == set(rows)
    diffs = []
    for key, want in seed.items():
        got = rows[key]
        have = {"service_name": got.service_name, "department": got.department,
                "contractor": got.contractor, "score": f"{got.score}",
                "remark": got.remark, "source_line": got.source_line}
        for col, value in want.items():
            if have[col] != value:
                diffs.append((key, col, have[col], value))
        assert got.source_file == seed_name("002")
    assert diffs == []


def test_round_lines_state_the_counts_and_first_services():
    lines = seed_lines(seed_name("002"))
    text = "\n".join(lines)
    for summary in sd.load_rounds():
        if summary.year in (2018, 2019, 2020) and summary.round is not None:
            pattern = (rf"- {summary.round}차\({re.escape(summary.evaluation_period.value)}\) : "
                       rf"{re.escape(summary.first_service_named.value)} 등 "
                       rf"{summary.subjects_evaluated.value}개 사무")
            assert re.search(pattern, text), pattern


def test_exclusion_rows_equal_the_seed_table():
    lines = seed_lines(seed_name("002"))
    start = next(i for i, x in enumerate(lines) if x.startswith("평가년도\t대상사무"))
    seed = []
    for n in range(start + 1, len(lines)):
        parts = lines[n].split("\t")
        if len(parts) != 4 or not parts[0].isdecimal():
            break
        seed.append((int(parts[0]), parts[1], parts[2], parts[3], n + 1))
    got = [(e.year, e.service_name, f"{e.score}", e.contractor, e.source_line)
           for e in sd.load_exclusions()]
    assert got == seed


# --------------------------------------------------------------------------- figures


def test_every_stated_figure_quotes_its_source_line():
    for s in sd.load_rounds():
        lines = seed_lines(s.source_file)
        for field in sd.FIGURE_FIELDS:
            fig = getattr(s, field)
            if not fig.stated:
                continue
            where = (s.year, s.round, field)
            assert lines[fig.line - 1].strip() == fig.text, where
            values = fig.value if isinstance(fig.value, tuple) else (fig.value,)
            for v in values:
                printed = str(v).lstrip("-")
                assert printed in fig.text, (where, printed)
            if fig.get("rule_line"):
                assert lines[fig.get("rule_line") - 1].strip() == fig.get("rule_text")


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(만)?")


def _numbers(text: str) -> set[Decimal]:
    out = set()
    for m in NUMBER.finditer(text):
        value = Decimal(m.group(0).rstrip("만").replace(",", ""))
        out.add(value * 10000 if m.group(1) else value)
    return out


def test_facts_quote_their_source_line():
    for f in sd.load_facts():
        line = seed_lines(f.source_file)[f.source_line - 1]
        assert f.quote in line, f.fact_id
        assert f.value in _numbers(f.quote), f.fact_id


# --------------------------------------------------------------------------- narratives

UL = '<ul style="list-style-type: none">'


def _cell(line: str, label: str) -> str:
    head, _, cell = line.partition("\t")
    assert head.replace("<p>", "").replace("</p>", "").strip() == label
    cell = cell.strip()
    assert cell.startswith(UL)
    return cell[len(UL):].strip()


def test_narratives_rejoin_to_the_seed_cells():
    for n in sd.load_narratives():
        lines = seed_lines(n.source_file)
        heading = lines[n.heading_line - 1].strip()
        assert heading.startswith(n.marker_as_written)
        assert heading[len(n.marker_as_written):].strip() == n.service_name
        for label, items, line_no in (("주요 성과", n.achievements, n.achievements_line),
                                      ("개선 과제", n.improvements, n.improvements_line)):
            cell = _cell(lines[line_no - 1], label)
            rejoined = " ".join(f"- {item}" for item in items)
            assert re.sub(r"\s+", " ", cell) == re.sub(r"\s+", " ", rejoined), (
                n.year, n.order, label)
        if n.scope is not None:
            assert lines[n.scope_line - 1].strip() == f"- 사업내용 : {n.scope}"


def test_narrative_headings_are_all_found():
    """Every heading between '□ 사무별' and the end is one narrative, in order."""
    for prefix, year, count in (("000", 2022, 7), ("001", 2023, 29)):
        lines = seed_lines(seed_name(prefix))
        tables = [i + 1 for i, x in enumerate(lines) if x.startswith("구 분\t주 요 내 용")]
        assert len(tables) == count
        mine = [n for n in sd.load_narratives() if n.year == year]
        assert [n.heading_line for n in mine] == sorted(n.heading_line for n in mine)
        for n, table_line in zip(mine, tables, strict=True):
            assert n.heading_line < table_line < n.achievements_line
